#include "daemon/tracking/process_match.h"

namespace keepvip::daemon {
namespace {

// The configured parameters as the command line holds them.
std::string joined(const std::vector<std::string>& params) {
  std::string out;
  for (const auto& p : params) {
    out += p;
    out += '\0';
  }
  return out;
}

bool params_match(const config::TrackedProcess& spec, std::string_view actual) {
  const std::string wanted = joined(spec.params);
  if (spec.param_match == config::ParamMatch::Exact) return actual == wanted;
  if (actual.size() < wanted.size()) return false;
  if (wanted.empty()) return true;
  if (spec.param_match == config::ParamMatch::Partial)
    return actual.substr(0, wanted.size()) == wanted;
  // Initial: the last word's terminating NUL is not compared.
  return actual.substr(0, wanted.size() - 1) ==
         std::string_view(wanted).substr(0, wanted.size() - 1);
}

}  // namespace

bool process_matches(const config::TrackedProcess& spec, std::string_view comm,
                     std::string_view cmdline) {
  if (!spec.full_command) return comm == spec.process;
  size_t end = cmdline.find('\0');
  std::string_view first = cmdline.substr(0, end);
  if (first != spec.process) return false;
  if (spec.param_match == config::ParamMatch::None) return true;
  std::string_view rest =
      end == std::string_view::npos ? std::string_view{} : cmdline.substr(end + 1);
  return params_match(spec, rest);
}

std::string watched_name(const config::TrackedProcess& spec) {
  return spec.process;
}

}  // namespace keepvip::daemon
