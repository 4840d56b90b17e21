#include "daemon/instances/route_changes.h"

#include "common/log.h"

namespace keepvip::daemon {
namespace {

template <typename T, typename Change>
int change_each(std::span<const T> items, const std::string& owner, const std::string& instance,
                const char* done, const char* kind, Change change) {
  int failures = 0;
  for (const auto& item : items) {
    const std::string text = config::to_string(item);
    auto r = change(item);
    if (!r) {
      ++failures;
      log_error(owner + ": " + r.error().describe(), {{"INSTANCE", instance}});
    } else {
      log_info(owner + ": " + done + " " + kind + " " + text,
               {{"INSTANCE", instance}, {"ROUTE", text}});
    }
  }
  return failures;
}

}  // namespace

int add_routes_and_rules(ports::RouteTable& table, std::span<const config::Route> routes,
                         std::span<const config::Rule> rules, const std::string& owner,
                         const std::string& instance) {
  int failures = change_each(routes, owner, instance, "added", "route",
                             [&](const config::Route& r) { return table.add_route(r); });
  failures += change_each(rules, owner, instance, "added", "rule",
                          [&](const config::Rule& r) { return table.add_rule(r); });
  return failures;
}

int remove_routes_and_rules(ports::RouteTable& table, std::span<const config::Route> routes,
                            std::span<const config::Rule> rules, const std::string& owner,
                            const std::string& instance) {
  int failures = change_each(rules, owner, instance, "removed", "rule",
                             [&](const config::Rule& r) { return table.remove_rule(r); });
  failures += change_each(routes, owner, instance, "removed", "route",
                          [&](const config::Route& r) { return table.remove_route(r); });
  return failures;
}

}  // namespace keepvip::daemon
