// vrrp_instances as a kind of the supervisor's one reconcile (reconcile.h):
// keyed by name, rebuilt when the VRRP identity changes, updated in place
// when only other settings do (fingerprints.h). Starting one removes the
// VIPs a previous run left behind, finds its source address and its shared
// socket, and reads its tracked interfaces; stopping one hands over (a
// MASTER sends priority 0 and releases its VIPs) and runs notify_stop.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "config/config.h"
#include "daemon/instances/guard_sync.h"
#include "daemon/instances/instance_runner.h"
#include "daemon/instances/instance_spec.h"
#include "daemon/mail/mail_alerts.h"
#include "daemon/scripts/notify.h"
#include "daemon/supervisor/fingerprints.h"
#include "daemon/supervisor/plumbing_kinds.h"
#include "daemon/supervisor/ports.h"
#include "daemon/supervisor/reconcile.h"
#include "daemon/tracking/link_delays.h"

namespace keepvip::daemon {

class InstanceKind {
 public:
  using Key = std::string;
  using Spec = InstanceSpec;
  using Object = InstanceRunner;

  struct Hooks {
    InstanceRunner::ChangeCallback changed;  // worth publishing
    std::function<void()> record_held;       // right before a VIP is added
  };

  InstanceKind(const Ports& ports, GuardSync& guard_sync, NotifyRunner& notifier,
               const RunningSet<ChannelKind>& channels, LinkDelays& links, Hooks hooks)
      : ports_(ports),
        guard_sync_(guard_sync),
        notifier_(notifier),
        channels_(channels),
        links_(links),
        hooks_(std::move(hooks)),
        mail_alerts_(ports.mail, local_mail_identity()) {}

  Key key(const Spec& spec) const { return spec.name(); }
  std::string identity(const Spec& spec) const { return identity_fingerprint(spec.instance); }
  std::string settings(const Spec& spec) const { return settings_fingerprint(spec); }
  // Completes the spec's placement with the source address.
  std::unique_ptr<InstanceRunner> start(Spec& spec);
  void update(InstanceRunner& runner, const Spec& spec);
  // Only a reload stops an instance through its kind (the supervisor's
  // shutdown() stops them all itself, with STOP).
  void stop(InstanceRunner& runner) { runner.retire(); }

  // The configuration's instances, in file order, placed: one that keeps
  // running (same identity) keeps where it runs; the others are looked up,
  // and one whose interface is missing is logged and left out.
  std::vector<InstanceSpec> desired(const config::Config& config,
                                    const RunningSet<InstanceKind>& running) const;
  // Tells `runner` the state of the interfaces it tracks.
  void refresh_interfaces(InstanceRunner& runner) const;
  // Link events were lost: reads the interfaces `runner` tracks again.
  void resync_interfaces(InstanceRunner& runner) const;
  // An address came or went on `runner`'s interface. As keepalived does:
  // losing the source address with no other usable one is FAULT until one
  // appears (IPv6: a link-local address past DAD); another one is taken.
  void follow_source(InstanceRunner& runner, const net::AddressEvent& event) const;
  // Takes the interface's first usable address as the source, or loses it.
  void find_source_again(InstanceRunner& runner) const;

 private:
  void remove_stale_vips(const InstanceSpec& spec) const;
  bool find_source(InstanceSpec& spec) const;
  std::pair<bool, std::string> read_link(const std::string& name) const;

  const Ports& ports_;
  GuardSync& guard_sync_;
  NotifyRunner& notifier_;
  const RunningSet<ChannelKind>& channels_;
  LinkDelays& links_;
  Hooks hooks_;
  MailAlerts mail_alerts_;
};

}  // namespace keepvip::daemon
