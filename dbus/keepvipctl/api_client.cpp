#include "keepvipctl/api_client.h"

#include <cerrno>
#include <cstring>
#include <string_view>

#include "dbus/bus_error.h"
#include "dbus/bus_service.h"

namespace keepvip::ctl {
namespace {

using dbus::BusError;

// A reload re-reads the config and rebuilds instances; give it far longer
// than sd-bus's 25 s default would allow a stuck agent, but not forever.
constexpr uint64_t kReloadTimeoutUsec = 90ULL * 1'000'000;

ClientError from_bus_error(const BusError& e, int r, std::string_view what) {
  std::string_view name = e.name();
  bool unreachable = name == "org.freedesktop.DBus.Error.ServiceUnknown" ||
                     name == "org.freedesktop.DBus.Error.NameHasNoOwner" ||
                     name == "org.freedesktop.DBus.Error.NoReply" ||
                     name == "org.freedesktop.DBus.Error.Disconnected";
  std::string message = e.is_set() && *e.message() ? e.message() : std::strerror(-r);
  if (unreachable) message = "keepvipd is not running on this bus (" + message + ")";
  return ClientError{unreachable ? ClientError::Kind::Unreachable : ClientError::Kind::Refused,
                     std::string(name), std::string(what) + ": " + message};
}

Unexpected<ClientError> protocol_error(int r, std::string_view what) {
  return unexpected(ClientError{ClientError::Kind::Refused, "",
                                std::string(what) + ": unexpected reply: " + std::strerror(-r)});
}

int read_strings(sd_bus_message* m, std::vector<std::string>& out) {
  int r = sd_bus_message_enter_container(m, 'a', "s");
  if (r < 0) return r;
  const char* s = nullptr;
  while ((r = sd_bus_message_read(m, "s", &s)) > 0) out.emplace_back(s);
  if (r < 0) return r;
  return sd_bus_message_exit_container(m);
}

int read_evidence(sd_bus_message* m, std::vector<vrrp::SplitBrainEvidence>& out) {
  int r = sd_bus_message_enter_container(m, 'a', "(sssyytt)");
  if (r < 0) return r;
  const char *kind = nullptr, *source = nullptr, *mac = nullptr;
  vrrp::SplitBrainEvidence e;
  while ((r = sd_bus_message_read(m, "(sssyytt)", &kind, &source, &mac, &e.vrid, &e.priority,
                                  &e.first_seen_usec, &e.last_seen_usec)) > 0) {
    auto address = IpAddress::parse(source);
    if (!address) return -EBADMSG;  // the agent only ever sends addresses it printed
    // A kind a newer keepvipd added shows as "unknown".
    e.kind = vrrp::parse_evidence_kind(kind).value_or(vrrp::EvidenceKind::Unknown);
    e.source = *address;
    e.mac = mac;
    out.push_back(e);
  }
  if (r < 0) return r;
  return sd_bus_message_exit_container(m);
}

}  // namespace

ClientResult<ApiClient> ApiClient::connect(dbus::BusKind kind) {
  auto bus = dbus::connect_bus(kind, "keepvipctl");
  if (!bus) {
    return unexpected(ClientError{ClientError::Kind::Unreachable, "", bus.error().describe()});
  }
  return ApiClient(std::move(*bus));
}

ClientResult<std::vector<InstanceRow>> ApiClient::instances() {
  BusError error;
  sd_bus_message* raw = nullptr;
  int r = sd_bus_get_property(bus_.get(), dbus::kBusName, dbus::kManagerPath,
                              dbus::kManagerInterface, "Instances", error.get(), &raw, "ao");
  MessagePtr reply(raw);
  if (r < 0) return unexpected(from_bus_error(error, r, "list instances"));
  std::vector<std::string> paths;
  if ((r = sd_bus_message_enter_container(reply.get(), 'a', "o")) < 0)
    return protocol_error(r, "list instances");
  const char* path = nullptr;
  while ((r = sd_bus_message_read(reply.get(), "o", &path)) > 0) paths.emplace_back(path);
  if (r < 0) return protocol_error(r, "list instances");

  std::vector<InstanceRow> rows;
  for (const auto& p : paths) {
    auto row = read_instance(p);
    if (!row) return unexpected(row.error());
    rows.push_back(std::move(*row));
  }
  return rows;
}

ClientResult<InstanceRow> ApiClient::read_instance(const std::string& path) {
  BusError error;
  sd_bus_message* raw = nullptr;
  int r = sd_bus_call_method(bus_.get(), dbus::kBusName, path.c_str(),
                             "org.freedesktop.DBus.Properties", "GetAll", error.get(), &raw, "s",
                             dbus::kInstanceInterface);
  MessagePtr reply(raw);
  const std::string what = "read " + path;
  if (r < 0) return unexpected(from_bus_error(error, r, what));

  InstanceRow row;
  sd_bus_message* m = reply.get();
  if ((r = sd_bus_message_enter_container(m, 'a', "{sv}")) < 0) return protocol_error(r, what);
  while ((r = sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
    const char* name = nullptr;
    if ((r = sd_bus_message_read(m, "s", &name)) < 0) return protocol_error(r, what);
    std::string_view prop(name);
    const char* contents = nullptr;
    if ((r = sd_bus_message_peek_type(m, nullptr, &contents)) < 0) return protocol_error(r, what);
    if ((r = sd_bus_message_enter_container(m, 'v', contents)) < 0) return protocol_error(r, what);
    auto read_s = [&](std::string& out) {
      const char* s = nullptr;
      int rr = sd_bus_message_read(m, "s", &s);
      if (rr >= 0) out = s;
      return rr;
    };
    if (prop == "Name") {
      r = read_s(row.name);
    } else if (prop == "State") {
      r = read_s(row.state);
    } else if (prop == "Interface") {
      r = read_s(row.interface);
    } else if (prop == "MasterAddress") {
      r = read_s(row.master);
    } else if (prop == "Priority") {
      r = sd_bus_message_read(m, "y", &row.priority);
    } else if (prop == "EffectivePriority") {
      r = sd_bus_message_read(m, "y", &row.effective_priority);
    } else if (prop == "VirtualRouterId") {
      r = sd_bus_message_read(m, "y", &row.vrid);
    } else if (prop == "Version") {
      r = sd_bus_message_read(m, "y", &row.version);
    } else if (prop == "VirtualAddresses") {
      r = read_strings(m, row.vips);
    } else if (prop == "SplitBrain") {
      int b = 0;
      r = sd_bus_message_read(m, "b", &b);
      row.split_brain = b != 0;
    } else if (prop == "SplitBrainEvidence") {
      r = read_evidence(m, row.evidence);
    } else {
      r = sd_bus_message_skip(m, contents);
    }
    if (r < 0) return protocol_error(r, what + " " + std::string(prop));
    if ((r = sd_bus_message_exit_container(m)) < 0) return protocol_error(r, what);  // v
    if ((r = sd_bus_message_exit_container(m)) < 0) return protocol_error(r, what);  // e
  }
  if (r < 0) return protocol_error(r, what);
  return row;
}

ClientResult<bool> ApiClient::split_brain() {
  BusError error;
  int value = 0;
  int r =
      sd_bus_get_property_trivial(bus_.get(), dbus::kBusName, dbus::kManagerPath,
                                  dbus::kManagerInterface, "SplitBrain", error.get(), 'b', &value);
  if (r < 0) return unexpected(from_bus_error(error, r, "read SplitBrain"));
  return value != 0;
}

ClientResult<> ApiClient::reload() {
  BusError error;
  MessagePtr call;
  sd_bus_message* raw = nullptr;
  int r = sd_bus_message_new_method_call(bus_.get(), &raw, dbus::kBusName, dbus::kManagerPath,
                                         dbus::kManagerInterface, "Reload");
  call.reset(raw);
  if (r < 0) return protocol_error(r, "reload");
  raw = nullptr;
  r = sd_bus_call(bus_.get(), call.get(), kReloadTimeoutUsec, error.get(), &raw);
  MessagePtr reply(raw);
  if (r < 0) return unexpected(from_bus_error(error, r, "reload"));
  return {};
}

ClientResult<> ApiClient::resign(const std::string& instance, uint64_t hold_usec) {
  BusError error;
  int r =
      sd_bus_call_method(bus_.get(), dbus::kBusName, dbus::kManagerPath, dbus::kManagerInterface,
                         "Resign", error.get(), nullptr, "st", instance.c_str(), hold_usec);
  if (r < 0) return unexpected(from_bus_error(error, r, "resign " + instance));
  return {};
}

ClientResult<> ApiClient::set_fault(const std::string& instance, bool faulted,
                                    const std::string& reason) {
  BusError error;
  int r = sd_bus_call_method(bus_.get(), dbus::kBusName, dbus::kManagerPath,
                             dbus::kManagerInterface, "SetFault", error.get(), nullptr, "sbs",
                             instance.c_str(), static_cast<int>(faulted), reason.c_str());
  const char* verb = faulted ? "set-fault " : "clear-fault ";
  if (r < 0) return unexpected(from_bus_error(error, r, verb + instance));
  return {};
}

ClientResult<std::vector<std::string>> ApiClient::unit_failed(const std::string& unit,
                                                              const std::string& reason) {
  BusError error;
  sd_bus_message* raw = nullptr;
  int r =
      sd_bus_call_method(bus_.get(), dbus::kBusName, dbus::kManagerPath, dbus::kManagerInterface,
                         "UnitFailed", error.get(), &raw, "ss", unit.c_str(), reason.c_str());
  MessagePtr reply(raw);
  const std::string what = "set-fault-by-unit " + unit;
  if (r < 0) return unexpected(from_bus_error(error, r, what));
  std::vector<std::string> instances;
  if ((r = read_strings(reply.get(), instances)) < 0) return protocol_error(r, what);
  return instances;
}

}  // namespace keepvip::ctl
