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
  out << path << ": OK, " << count(result.config->instances.size(), "instance") << ", "
      << count(result.config->scripts.size(), "script") << ", "
      << count(result.warning_count(), "warning") << '\n';
  return 0;
}

}  // namespace keepvip::config
