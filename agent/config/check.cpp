#include "config/check.h"

#include <net/if.h>

#include "config/parser.h"

namespace keepvip::config {
namespace {

std::string count(size_t n, const std::string& noun) {
  return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

bool interface_exists(const std::string& name) {
  return ::if_nametoindex(name.c_str()) != 0;
}

// Users are surprised by what no_accept drops (strict mode's default), so
// --check says it: one line per instance that will drop traffic.
void print_accept_notes(const Config& config, std::ostream& out) {
  for (const Instance& i : config.instances) {
    if (!i.drops_vip_traffic()) continue;
    std::string addresses;
    for (const auto* list : {&i.virtual_addresses, &i.excluded_addresses}) {
      for (const auto& vip : *list)
        addresses += (addresses.empty() ? "" : ", ") + vip.prefix.address.to_string();
    }
    if (addresses.empty()) continue;
    out << "note: " << i.name << " drops traffic to " << addresses << " while MASTER ("
        << (i.strict ? "strict mode" : "no_accept") << "; nftables table "
        << config.global.nftables.table << "): "
        << (i.strict && i.version == 2
                ? "strict VRRPv2 cannot accept (RFC 3768); use version 3 and 'accept' to answer it"
                : "add 'accept' to the instance to answer it")
        << '\n';
  }
}

}  // namespace

int run_check(const std::string& path, std::ostream& out, const CheckOptions& options) {
  auto result = parse_file(
      path, ParseOptions{HostProbe{&interface_exists, &system_script_host()}, options.config_id});
  for (const auto& d : result.diagnostics) out << d.to_string() << '\n';
  if (!result.ok()) {
    out << path << ": " << count(result.error_count(), "error") << '\n';
    return 1;
  }
  if (options.strict && result.warning_count() != 0) {
    out << path << ": " << count(result.warning_count(), "warning") << " (--strict)\n";
    return 1;
  }
  print_accept_notes(*result.config, out);
  out << path << ": OK, " << count(result.config->instances.size(), "instance") << ", "
      << count(result.config->scripts.size(), "script") << ", "
      << count(result.warning_count(), "warning") << '\n';
  return 0;
}

}  // namespace keepvip::config
