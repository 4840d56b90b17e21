// keepvipctl's view of the org.keepvip1 API: plain reads and method calls over
// sd-bus. Every failure comes back as a ClientError carrying the D-Bus error
// name, so main() can choose the exit code and print one clear line.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/expected.h"
#include "common/sd_owners.h"
#include "dbus/bus_kind.h"
#include "ports/status.h"

namespace keepvip::ctl {

struct ClientError {
  enum class Kind { Unreachable, Refused };
  Kind kind = Kind::Refused;
  std::string name;     // D-Bus error name, e.g. org.keepvip1.Error.NoSuchInstance
  std::string message;  // human text from the agent or sd-bus
};

template <typename T = void>
using ClientResult = Expected<T, ClientError>;

struct InstanceRow {
  std::string name, state, interface, master;
  uint8_t priority = 0, effective_priority = 0, vrid = 0, version = 0;
  std::vector<std::string> vips;
  bool split_brain = false;
  std::vector<vrrp::SplitBrainEvidence> evidence;
};

class ApiClient {
 public:
  static ClientResult<ApiClient> connect(dbus::BusKind kind);

  ClientResult<std::vector<InstanceRow>> instances();
  ClientResult<bool> split_brain();
  ClientResult<> reload();
  ClientResult<> resign(const std::string& instance, uint64_t hold_usec);
  ClientResult<> set_fault(const std::string& instance, bool faulted, const std::string& reason);
  // Returns the instances that track `unit`.
  ClientResult<std::vector<std::string>> unit_failed(const std::string& unit,
                                                     const std::string& reason);

 private:
  explicit ApiClient(BusPtr bus) : bus_(std::move(bus)) {}
  ClientResult<InstanceRow> read_instance(const std::string& path);
  BusPtr bus_;
};

}  // namespace keepvip::ctl
