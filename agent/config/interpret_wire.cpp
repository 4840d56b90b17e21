#include "config/interpret_wire.h"

#include <string>

#include "config/values.h"

namespace keepvip::config::detail {

// keepalived 2.2.8: no value means true; otherwise one of its true/false words.
void v3_checksum_as_v2(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.on_off(n)) d.instance.wire.v3_checksum_as_v2 = *v;
}

void unicast_ttl(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 0, 255)) d.instance.wire.unicast_ttl = static_cast<uint8_t>(*v);
}

void unicast_fault_no_peer(Reader& r, const Node& n, InstanceDraft& d) {
  r.flag(n);
  d.instance.wire.unicast_fault_no_peer = true;
}

std::optional<PeerTtlRange> peer_ttl_range(Reader& r, const Node& entry, const IpAddress& peer) {
  if (entry.args.empty()) return std::nullopt;
  PeerTtlRange range{peer};
  bool given = false;
  for (size_t i = 0; i < entry.args.size(); i += 2) {
    const Token& option = entry.args[i];
    if (option.text != "min_ttl" && option.text != "max_ttl") {
      r.diags().error(
          option.where, "unicast_peer",
          "unknown unicast_peer option " + clip(option.text) + "; expected min_ttl or max_ttl");
      return std::nullopt;
    }
    if (i + 1 >= entry.args.size()) {
      r.diags().error(option.where, "unicast_peer",
                      option.text + " is missing a value; expected a TTL 0..255");
      return std::nullopt;
    }
    const Token& value = entry.args[i + 1];
    auto ttl = parse_integer(value.text, 0, 255);
    if (!ttl) {
      r.diags().error(value.where, "unicast_peer", option.text + ": " + ttl.error());
      return std::nullopt;
    }
    (option.text == "min_ttl" ? range.min_ttl : range.max_ttl) = static_cast<uint8_t>(*ttl);
    given = true;
  }
  if (range.min_ttl > range.max_ttl) {
    r.diags().error(entry.args.front().where, "unicast_peer",
                    "min_ttl " + std::to_string(range.min_ttl) + " > max_ttl " +
                        std::to_string(range.max_ttl) + " - all packets will be discarded");
    return std::nullopt;
  }
  if (!given) return std::nullopt;
  return range;
}

void settle_wire(InstanceDraft& d, const Global& global, DiagnosticSink& diags) {
  Instance& i = d.instance;
  InstanceWire& w = i.wire;
  if (!w.v3_checksum_as_v2) w.v3_checksum_as_v2 = global.wire.v3_checksum_as_v2;
  if (i.unicast()) {
    if (w.mcast_dst_ip) {
      diags.warning(i.where, "mcast_dst_ip",
                    "(" + i.name + ") multicast destination specified with unicast - ignoring");
    }
    w.multicast_group.reset();
  } else {
    const auto& global_group =
        i.family() == Family::V6 ? global.wire.mcast_group6 : global.wire.mcast_group4;
    w.multicast_group = w.mcast_dst_ip ? w.mcast_dst_ip : global_group;
    if (w.unicast_ttl) {
      diags.warning(i.where, "unicast_ttl",
                    "(" + i.name +
                        "): Cannot use unicast_ttl without unicast peers - resetting (adverts "
                        "keep TTL 255)");
      w.unicast_ttl.reset();
    }
    if (w.unicast_fault_no_peer) {
      diags.warning(i.where, "unicast_fault_no_peer",
                    "(" + i.name + ") Cannot use unicast without any peers - going to fault state");
    }
  }
}

}  // namespace keepvip::config::detail
