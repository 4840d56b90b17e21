// keepvip_config_dump FILE [CONFIG_ID]: the instances keepvip reads from a
// configuration, one "key value" line per setting, in the terms the corpus
// test reads keepalived's own dump (keepalived -d) in, so the two can be
// compared. Exit status 1 when the file has errors.
#include <iostream>
#include <string>

#include "config/parser.h"

// keepalived's dump names: "SIMPLE_PASSWORD" reads as PASS, "IPSEC_AH" as is.
const char* auth_name(const keepvip::config::Instance& i) {
  if (!i.auth_pass) return "none";
  return i.auth_type == keepvip::config::AuthType::Ah ? "IPSEC_AH" : "PASS";
}

int main(int argc, char** argv) {
  using namespace keepvip::config;
  if (argc < 2 || argc > 3) {
    std::cerr << "usage: keepvip_config_dump FILE [CONFIG_ID]\n";
    return 2;
  }
  ParseOptions options;
  if (argc == 3) options.config_id = argv[2];
  auto result = parse_file(argv[1], options);
  if (!result.ok()) {
    for (const auto& d : result.diagnostics) std::cerr << d.to_string() << '\n';
    return 1;
  }
  for (const Instance& i : result.config->instances) {
    std::cout << "instance " << i.name << '\n'
              << "  version " << int(i.version) << '\n'
              << "  state " << (i.state == InitialState::Master ? "MASTER" : "BACKUP") << '\n'
              << "  interface " << i.interface << '\n'
              << "  vrid " << int(i.vrid) << '\n'
              << "  priority " << int(i.priority) << '\n'
              << "  advert_ms " << i.advert_interval.count() / 1000 << '\n'
              << "  preempt " << (i.preempt ? "true" : "false") << '\n'
              << "  accept " << (i.accept ? "true" : "false") << '\n'
              << "  auth " << auth_name(i) << '\n'
              << "  lower_prio_advert " << (i.lower_prio_no_advert ? "false" : "true") << '\n'
              << "  higher_prio_advert " << (i.higher_prio_send_advert ? "true" : "false") << '\n'
              << "  down_timer_adverts " << i.down_timer_adverts << '\n'
              << "  garp_delay " << i.garp_master_delay.count() / 1'000'000 << '\n'
              << "  garp_repeat " << i.garp_master_repeat << '\n'
              << "  garp_refresh " << i.garp_master_refresh.count() / 1'000'000 << '\n'
              << "  garp_refresh_repeat " << i.garp_master_refresh_repeat << '\n'
              << "  garp_lower_prio_delay " << i.garp_lower_prio_delay.count() / 1'000'000 << '\n'
              << "  garp_lower_prio_repeat " << i.garp_lower_prio_repeat << '\n';
    for (const auto& vip : i.virtual_addresses)
      std::cout << "  vip " << vip.prefix.to_string() << '\n';
    // As keepalived's dump: "ADDRESS min_ttl N max_ttl M".
    for (const auto& peer : i.unicast_peers) {
      PeerTtlRange range{peer};
      for (const auto& r : i.wire.peer_ttls)
        if (r.peer == peer) range = r;
      std::cout << "  peer " << peer.to_string() << " min_ttl " << int(range.min_ttl) << " max_ttl "
                << int(range.max_ttl) << '\n';
    }
    const bool v6 = i.family() == keepvip::Family::V6;
    if (!i.unicast()) {
      std::cout << "  multicast_group "
                << (i.wire.multicast_group ? i.wire.multicast_group->to_string()
                                           : std::string(v6 ? "ff02::12" : "224.0.0.18"))
                << '\n';
    }
    // keepalived defaults the unicast TTL for IPv4 only.
    if (i.unicast() && (i.wire.unicast_ttl || !v6))
      std::cout << "  unicast_ttl " << int(i.wire.unicast_ttl.value_or(255)) << '\n';
  }
  return 0;
}
