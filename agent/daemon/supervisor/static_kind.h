// static_routes and static_rules as kinds of the supervisor's one reconcile
// (reconcile.h): installed at start, and on a reload the ones no longer
// written are removed, the new ones added and the unchanged left alone.
// keepalived removes them when it stops (vrrp_daemon.c stop_vrrp), and so
// does keepvipd (Supervisor::shutdown); a killed daemon leaves them, as a
// killed keepalived does, and the next start finds them in place.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "config/routes.h"
#include "daemon/instances/route_changes.h"
#include "ports/routes.h"

namespace keepvip::daemon {

// T is config::Route or config::Rule.
template <typename T>
class StaticKind {
 public:
  using Key = std::string;
  using Spec = T;
  // What stop() takes away again.
  struct Object {
    T entry;
  };

  explicit StaticKind(ports::RouteTable* table) : table_(table) {}

  Key key(const Spec& entry) const { return config::to_string(entry); }
  std::string identity(const Spec& entry) const { return config::to_string(entry); }
  // A failure is logged and the entry still counts as installed: the next
  // reload or the stop tries to remove it, as keepalived would.
  std::unique_ptr<Object> start(Spec& entry) {
    if (table_) change(entry, /*add=*/true);
    return std::make_unique<Object>(Object{entry});
  }
  void stop(Object& installed) {
    if (table_) change(installed.entry, /*add=*/false);
  }

 private:
  void change(const Spec& entry, bool add) {
    std::span<const T> one(&entry, 1);
    if constexpr (std::is_same_v<T, config::Route>) {
      if (add)
        add_routes_and_rules(*table_, one, {}, "static", "");
      else
        remove_routes_and_rules(*table_, one, {}, "static", "");
    } else {
      if (add)
        add_routes_and_rules(*table_, {}, one, "static", "");
      else
        remove_routes_and_rules(*table_, {}, one, "static", "");
    }
  }
  ports::RouteTable* table_;
};

}  // namespace keepvip::daemon
