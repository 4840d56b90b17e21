// The executor of one vrrp_instance: it feeds events to the pure state
// machine (vrrp::step) and performs the actions it returns — timers (one
// sd-event source per TimerId, created once and re-armed), adverts through
// the shared VRRP socket, VIPs through rtnetlink, GARP/NA bursts, and on each
// transition: one structured log line, notify scripts, the guard's role,
// units that follow mastership, and a change report to the supervisor.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "config/config.h"
#include "daemon/instances/announce_schedule.h"
#include "daemon/instances/guard_sync.h"
#include "daemon/instances/instance_spec.h"
#include "daemon/loop/event_loop.h"
#include "daemon/mail/mail_alerts.h"
#include "daemon/scripts/notify.h"
#include "daemon/tracking/priority.h"
#include "net/announce.h"
#include "net/netlink.h"
#include "net/vrrp_socket.h"
#include "ports/firewall.h"
#include "ports/guard.h"
#include "ports/routes.h"
#include "ports/status.h"
#include "ports/unit_health.h"
#include "proto/advert.h"
#include "vrrp/ah_sequence.h"
#include "vrrp/split_brain.h"
#include "vrrp/state_machine.h"

namespace keepvip::daemon {

// What a runner reaches outside itself; owned by the supervisor, outlives runners.
struct RunnerContext {
  sd_event* loop = nullptr;
  net::NetlinkOps* netlink = nullptr;
  // virtual_routes / virtual_rules; nullptr: none to change (tests).
  ports::RouteTable* routes = nullptr;
  net::AnnounceOps* announcer = nullptr;
  ports::Guard* guard = nullptr;
  // Drops traffic to the VIPs while MASTER without accept; nullptr: nothing
  // dropped (nftables unavailable, or tests).
  ports::Firewall* firewall = nullptr;
  // Told about effective-priority changes so the guard's "would we yield?"
  // check follows them; nullptr: nobody to tell.
  GuardSync* guard_sync = nullptr;
  ports::UnitHealth* units = nullptr;  // nullptr: no systemd bus reachable
  NotifyRunner* notifier = nullptr;
  MailAlerts* mail = nullptr;  // nullptr: no mail alerts
  // Called right before a runner that just became MASTER adds its VIPs: the
  // crash hand-over record (state_file.h) must list an address before the
  // address exists, or a SIGKILL between the two leaves the VIP on the box
  // with nothing to remove it. Empty: nothing to record (tests).
  std::function<void()> record_held;
  // A VRRPv3 BACKUP learnt a master interval shorter than the one it knew:
  // the interface delays must stay below the new takeover time. Empty: none.
  std::function<void(const std::string& interface, unsigned down_timer_adverts, Usec interval)>
      master_interval_lowered;
};

// The state notify scripts, mail alerts and the FIFOs announce on entering
// `state`; none for INIT.
std::optional<NotifyState> notify_state(vrrp::State state);

class InstanceRunner {
 public:
  // Called after every change worth publishing (transition, priority,
  // fault, split brain).
  using ChangeCallback = std::function<void(InstanceRunner&)>;

  // `sender` is the shared socket of the spec's (interface, family); it
  // outlives the runner.
  static Result<std::unique_ptr<InstanceRunner>> create(const RunnerContext& context,
                                                        InstanceSpec spec,
                                                        net::AdvertSender* sender,
                                                        ChangeCallback on_change);
  InstanceRunner(const InstanceRunner&) = delete;
  InstanceRunner& operator=(const InstanceRunner&) = delete;

  // `deaf_for`: what is left of vrrp_startup_delay (vrrp::Start).
  void start(Usec deaf_for = Usec{0});
  // SIGTERM: a MASTER sends priority 0 and releases its VIPs; notify_stop runs.
  void shutdown();
  // Removed by a reload: released as by shutdown(), then announced as
  // keepalived's clear_diff_vrrp does: DELETED with notify_deleted, else
  // FAULT (keepalived's old way), and nothing when it already was in FAULT.
  void retire();
  // A reload that kept the VRRP identity (and so the placement): new
  // priority, tracking, scripts.
  void update(InstanceSpec spec);

  // A packet for our VRID from the shared socket: decode, receive checks, step.
  void on_packet(const proto::PacketMeta& meta, std::span<const uint8_t> payload);
  // An advert of another VRID that lists one of our VIPs (the seed's
  // virtual_router_id mismatch), seen by the receive path.
  void on_foreign_vrid(const proto::Advert& advert, const IpAddress& source);
  void on_guard_evidence(const vrrp::SplitBrainEvidence& evidence);
  // A tracked object changed (see tracking.h for keys).
  void set_tracked(std::string_view key, bool up, std::string_view description = {});
  // A tracked file's value changed.
  void set_tracked_value(std::string_view key, int64_t value);
  // The address adverts go out from (and equal-priority ties are broken
  // with) changed on the interface: keepalived takes the new one too.
  void change_source(const IpAddress& source);
  // No address to send from: FAULT (tracked as kSourceAddressKey) until
  // change_source() gives one.
  void lose_source(std::string_view why);
  const IpAddress& source() const { return spec_.placement.source; }
  bool has_source() const;
  void resign(Usec hold);
  void count_drop(proto::DropReason reason);

  const InstanceSpec& spec() const { return spec_; }
  const config::Instance& config() const { return spec_.instance; }
  const std::string& name() const { return spec_.name(); }
  int ifindex() const { return spec_.placement.ifindex; }
  Family family() const { return params_.family; }
  uint8_t vrid() const { return spec_.instance.vrid; }
  // Where it advertises when not in unicast mode (mcast_dst_ip, vrrp_mcast_group4/6).
  IpAddress multicast_group() const { return daemon::multicast_group(advert_); }
  vrrp::State state() const { return state_.state; }
  uint8_t priority() const { return state_.priority; }
  // When the current state was entered; unset while in INIT.
  std::optional<MonoTime> entered_state_at() const { return state_.last_transition; }
  const std::vector<TrackedObject>& tracked() const { return tracked_; }
  bool holds_vips() const { return state_.state == vrrp::State::Master; }
  // The VIPs this instance lists (for VRID-mismatch matching).
  bool lists_any_of(const std::vector<IpAddress>& addresses) const;
  ports::InstanceSnapshot snapshot() const;
  ports::GuardInstance guard_instance() const;
  HeldInstance held() const;

 private:
  InstanceRunner(const RunnerContext& context, InstanceSpec spec, net::AdvertSender* sender,
                 ChangeCallback on_change);

  void feed(const vrrp::Event& event);
  void perform(const vrrp::Action& action);
  void send_advert(uint8_t priority);
  void send_ah_advert(uint8_t priority);
  void count_sent(const Result<>& sent, uint8_t priority);
  // auth_type AH: ICV, SPI and sequence number (keepalived's
  // vrrp_in_chk_ipsecah); false when the advert was dropped and counted.
  bool accept_ah(const proto::PacketMeta& meta, std::span<const uint8_t> payload,
                 const proto::Advert& advert);
  void change_addresses(bool add);
  // Accept mode: the firewall drops traffic to the VIPs while `holding`
  // (drop_rules.h); nothing with accept.
  void apply_drop_rules(bool holding);
  // virtual_routes and virtual_rules, after the VIPs on the way in and
  // before them on the way out, as keepalived does.
  void change_routes(bool add);
  // A reload while MASTER: the routes and rules `before` listed and the
  // instance no longer does go, the new ones come, the unchanged stay.
  void follow_route_changes(const config::Instance& before);
  void announce_round();
  void after_transition(const vrrp::Transitioned& t);
  void recompute_priority();
  void feed_evidence(vrrp::EvidenceKind kind, const IpAddress& source, const proto::Advert& advert);
  void feed_evidence(vrrp::SplitBrainEvidence evidence);
  void apply_split_brain_edge(vrrp::SplitBrainEdge edge);
  void arm_split_brain_tick();
  void apply_settings();
  // shutdown() and retire() alike: priority 0 from a MASTER, VIPs released,
  // timers stopped.
  void release();
  void announce(NotifyState state, uint8_t priority);
  // The master this instance follows, none while it is MASTER itself.
  std::optional<IpAddress> followed_master() const;

  RunnerContext context_;
  InstanceSpec spec_;
  net::AdvertSender* sender_;
  ChangeCallback on_change_;
  vrrp::Params params_;
  vrrp::InstanceState state_;
  std::vector<TrackedObject> tracked_;
  PriorityVerdict verdict_;
  std::array<std::unique_ptr<Timer>, 3> timers_;  // by vrrp::TimerId
  std::unique_ptr<AnnounceSchedule> announce_;
  vrrp::SplitBrainTracker split_brain_;
  // When the evidence of a standing alarm was last published: its "last
  // seen" times move with every sighting, and the bus hears of that at most
  // once a second rather than on every kernel event.
  std::optional<MonoTime> evidence_published_;
  std::unique_ptr<Timer> split_brain_timer_;
  vrrp::ReceiveProfile receive_;  // what adverts are checked against, here and in the guard
  AdvertIdentity advert_;         // what our adverts carry
  vrrp::AhSequence ah_sequence_;  // auth_type AH: sent and accepted sequence numbers
  uint16_t ip_id_ = 0;            // auth_type AH: the IPv4 ID is ours to set (the ICV covers it)
  ports::InstanceCounters counters_;
  uint64_t last_transition_realtime_usec_ = 0;
  std::string last_transition_reason_;
  std::vector<std::string> started_units_;  // master_units started on becoming MASTER
  bool dropping_ = false;                   // the firewall drops traffic to our VIPs
};

}  // namespace keepvip::daemon
