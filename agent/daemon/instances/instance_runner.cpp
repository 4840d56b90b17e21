#include "daemon/instances/instance_runner.h"

#include <time.h>

#include <algorithm>

#include "common/log.h"
#include "daemon/instances/drop_rules.h"
#include "daemon/instances/route_changes.h"
#include "daemon/tracking/tracking.h"
#include "vrrp/ah_checks.h"
#include "vrrp/receive_checks.h"

namespace keepvip::daemon {
namespace {

constexpr Usec kEvidenceRepublish{1'000'000};

uint64_t realtime_usec() {
  struct timespec ts {};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1'000'000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

size_t timer_index(vrrp::TimerId id) {
  return static_cast<size_t>(id);
}

std::string timer_name(vrrp::TimerId id) {
  switch (id) {
    case vrrp::TimerId::Advert:
      return "advert";
    case vrrp::TimerId::MasterDown:
      return "master-down";
    case vrrp::TimerId::PreemptDelay:
      return "preempt-delay";
  }
  return "?";
}

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

}  // namespace

std::optional<NotifyState> notify_state(vrrp::State state) {
  switch (state) {
    case vrrp::State::Master:
      return NotifyState::Master;
    case vrrp::State::Backup:
      return NotifyState::Backup;
    case vrrp::State::Fault:
      return NotifyState::Fault;
    case vrrp::State::Init:
      break;
  }
  return std::nullopt;
}

InstanceRunner::InstanceRunner(const RunnerContext& context, InstanceSpec spec,
                               net::AdvertSender* sender, ChangeCallback on_change)
    : context_(context),
      spec_(std::move(spec)),
      sender_(sender),
      on_change_(std::move(on_change)),
      params_(vrrp_params(spec_)),
      split_brain_(spec_.instance.split_brain_quiet) {}

Result<std::unique_ptr<InstanceRunner>> InstanceRunner::create(const RunnerContext& context,
                                                               InstanceSpec spec,
                                                               net::AdvertSender* sender,
                                                               ChangeCallback on_change) {
  const std::string name = spec.name();
  if (spec.instance.auth_pass && spec.instance.auth_type == config::AuthType::Ah) {
    if (auto why = proto::hmac_md5_unavailable())
      return logic_error(name + ": auth_type AH needs HMAC-MD5, but " + *why);
  }
  std::unique_ptr<InstanceRunner> r(
      new InstanceRunner(context, std::move(spec), sender, std::move(on_change)));
  InstanceRunner* self = r.get();
  for (auto id : {vrrp::TimerId::Advert, vrrp::TimerId::MasterDown, vrrp::TimerId::PreemptDelay}) {
    auto timer = Timer::create(
        context.loop, [self, id] { self->feed(vrrp::TimerExpired{id}); },
        name + " " + timer_name(id));
    if (!timer) return unexpected(timer.error());
    r->timers_[timer_index(id)] = std::move(*timer);
  }
  auto announce = AnnounceSchedule::create(
      context.loop, [self] { self->announce_round(); }, name);
  if (!announce) return unexpected(announce.error());
  r->announce_ = std::move(*announce);
  auto split_timer = Timer::create(
      context.loop,
      [self] { self->apply_split_brain_edge(self->split_brain_.tick(monotonic_now())); },
      name + " split-brain quiet");
  if (!split_timer) return unexpected(split_timer.error());
  r->split_brain_timer_ = std::move(*split_timer);

  r->state_.master_adver_interval = r->params_.advert_interval;
  r->tracked_ = tracked_objects(r->spec_.scripts, r->spec_.instance, r->spec_.processes,
                                r->spec_.track_files);
  r->apply_settings();
  r->verdict_ = effective_priority(r->spec_.instance.priority, r->tracked_);
  r->state_.priority = r->verdict_.priority;
  r->state_.faulted = r->verdict_.faulted();
  return r;
}

void InstanceRunner::apply_settings() {
  const config::Instance& instance = spec_.instance;
  AnnounceSettings a;
  a.repeat = static_cast<unsigned>(std::max(instance.garp_master_repeat, 1));
  a.gap = params_.family == Family::V4 ? spec_.global.vrrp_garp_interval
                                       : spec_.global.vrrp_gna_interval;
  a.second_burst_delay = instance.garp_master_delay;
  a.refresh = instance.garp_master_refresh;
  a.refresh_repeat = instance.garp_master_refresh_repeat;
  a.lower_prio_repeat = instance.garp_lower_prio_repeat;
  a.lower_prio_delay = instance.garp_lower_prio_delay;
  announce_->set_settings(a);
  receive_ = receive_profile(spec_);
  advert_ = advert_identity(spec_);
  split_brain_.set_quiet(instance.split_brain_quiet);
}

void InstanceRunner::start(Usec deaf_for) {
  feed(vrrp::Start{deaf_for});
}

void InstanceRunner::release() {
  feed(vrrp::Shutdown{});
  announce_->stop();
  for (auto& t : timers_) t->cancel();
  split_brain_timer_->cancel();
}

void InstanceRunner::announce(NotifyState state, uint8_t priority) {
  if (context_.notifier) context_.notifier->notify(spec_.instance, state, priority);
  if (context_.mail) context_.mail->on_state(spec_.global, spec_.instance, state);
}

void InstanceRunner::shutdown() {
  const uint8_t priority = state_.priority;
  release();
  announce(NotifyState::Stop, priority);
}

void InstanceRunner::retire() {
  const uint8_t priority = state_.priority;
  const bool was_fault = state_.state == vrrp::State::Fault;
  release();
  if (spec_.instance.notify_deleted)
    announce(NotifyState::Deleted, priority);
  else if (!was_fault)
    announce(NotifyState::Fault, priority);
}

void InstanceRunner::update(InstanceSpec spec) {
  const config::Instance before = spec_.instance;
  spec_ = std::move(spec);
  if (holds_vips()) follow_route_changes(before);
  // Identity is unchanged here, so only how the instance answers and times
  // out can differ; the source address it follows stays.
  vrrp::Params fresh = vrrp_params(spec_);
  fresh.primary_address = params_.primary_address;
  params_ = fresh;
  // Keep what we know about objects still tracked; new ones start as
  // tracking.h says until their first report.
  auto next = tracked_objects(spec_.scripts, spec_.instance, spec_.processes, spec_.track_files);
  for (auto& object : next) {
    for (const auto& old : tracked_) {
      if (old.key != object.key) continue;
      object.up = old.up;
      object.value = old.value;
    }
  }
  tracked_ = std::move(next);
  // accept may have changed; the firewall leaves an unchanged list alone.
  if (holds_vips()) apply_drop_rules(true);
  apply_settings();
  recompute_priority();
  if (on_change_) on_change_(*this);
}

void InstanceRunner::feed(const vrrp::Event& event) {
  const MonoTime now = monotonic_now();
  vrrp::StepResult result = vrrp::step(params_, state_, event, now);
  const std::optional<IpAddress> followed = followed_master();
  const Usec known_interval = state_.master_adver_interval;
  state_ = std::move(result.state);
  if (context_.master_interval_lowered && std::holds_alternative<vrrp::AdvertReceived>(event) &&
      state_.state == vrrp::State::Backup && state_.master_adver_interval < known_interval)
    context_.master_interval_lowered(spec_.instance.interface, spec_.instance.down_timer_adverts,
                                     state_.master_adver_interval);
  if (context_.guard && followed_master() != followed) {
    auto r = context_.guard->set_master(ifindex(), vrid(), params_.family, followed_master());
    if (!r) log_warning(name() + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
  }
  // keepalived resets a stopped AH counter before the first advert as MASTER.
  for (const auto& action : result.actions) {
    const auto* t = std::get_if<vrrp::Transitioned>(&action);
    if (t && t->to == vrrp::State::Master) ah_sequence_.on_becoming_master();
  }
  std::optional<vrrp::Transitioned> transition;
  for (const auto& action : result.actions) {
    if (const auto* t = std::get_if<vrrp::Transitioned>(&action)) transition = *t;
    perform(action);
  }
  // keepalived's garp_master_refresh goes out with a periodic advert.
  const auto* expired = std::get_if<vrrp::TimerExpired>(&event);
  if (!transition && expired && expired->timer == vrrp::TimerId::Advert &&
      state_.state == vrrp::State::Master)
    announce_->periodic_advert(now);
  // Scripts, units and publishers hear about a transition once its actions
  // are done: notify_master finds the VIP in place, as with keepalived.
  if (transition) after_transition(*transition);
}

void InstanceRunner::perform(const vrrp::Action& action) {
  std::visit(
      [this](const auto& a) {
        using A = std::decay_t<decltype(a)>;
        if constexpr (std::is_same_v<A, vrrp::SendAdvert>) {
          send_advert(a.priority);
        } else if constexpr (std::is_same_v<A, vrrp::AddVirtualAddresses>) {
          if (context_.record_held) context_.record_held();  // state_ already says MASTER
          // Before the VIPs, as keepalived: no packet reaches them unfiltered.
          apply_drop_rules(true);
          change_addresses(true);
          change_routes(true);
        } else if constexpr (std::is_same_v<A, vrrp::RemoveVirtualAddresses>) {
          announce_->stop();
          change_routes(false);
          change_addresses(false);
          apply_drop_rules(false);
        } else if constexpr (std::is_same_v<A, vrrp::Announce>) {
          announce_->start();
        } else if constexpr (std::is_same_v<A, vrrp::Reannounce>) {
          announce_->lower_priority_heard(monotonic_now());
        } else if constexpr (std::is_same_v<A, vrrp::ArmTimer>) {
          timers_[timer_index(a.timer)]->arm(a.delay);
        } else if constexpr (std::is_same_v<A, vrrp::CancelTimer>) {
          timers_[timer_index(a.timer)]->cancel();
        } else if constexpr (std::is_same_v<A, vrrp::HeardLowerPriority>) {
          if (context_.notifier)
            context_.notifier->notify(spec_.instance, InstanceEvent::MasterRxLowerPri,
                                      state_.priority);
        } else if constexpr (std::is_same_v<A, vrrp::Transitioned>) {
          // Logged with its consequences in after_transition().
        }
      },
      action);
}

void InstanceRunner::send_advert(uint8_t priority) {
  if (!sender_) return;
  if (advert_.ah) return send_ah_advert(priority);
  for (const auto& out : adverts_to_send(advert_, priority)) {
    count_sent(sender_->send(out.bytes, out.destination, advert_.source, out.ttl), priority);
  }
}

void InstanceRunner::count_sent(const Result<>& sent, uint8_t priority) {
  if (!sent) {
    // Rate-limited by nature: at most one per advert interval.
    log_warning(name() + ": cannot send advert: " + sent.error().describe(),
                {{"INSTANCE", name()}});
    return;
  }
  ++counters_.adverts_sent;
  if (priority == 0) ++counters_.priority_zero_sent;
}

// As keepalived: one IPv4 ID and one sequence number per advert round, the
// same to every unicast peer.
void InstanceRunner::send_ah_advert(uint8_t priority) {
  if (++ip_id_ == 0) ++ip_id_;  // 0 would let the kernel choose, outside the ICV
  proto::AhSendParams params;
  params.source = advert_.source;
  params.ip_id = ip_id_;
  params.sequence = ah_sequence_.next_to_send();
  params.key = proto::ah_key(advert_.auth_pass);
  params.unicast = !advert_.unicast_peers.empty();
  for (const auto& out : adverts_to_send(advert_, priority)) {
    params.destination = out.destination;
    params.ttl = out.ttl.value_or(proto::kVrrpTtl);
    count_sent(
        sender_->send_ipv4_packet(proto::build_ah_packet(params, out.bytes), out.destination),
        priority);
  }
}

void InstanceRunner::change_addresses(bool add) {
  auto apply = [&](const config::VirtualAddress& vip) {
    int ifindex = spec_.placement.ifindex;
    if (!vip.dev.empty()) {
      auto index = context_.netlink->interface_index(vip.dev);
      if (!index) {
        log_error(name() + ": " + index.error().describe(), {{"INSTANCE", name()}});
        return;
      }
      ifindex = *index;
    }
    // keepalived's "label eth0:1": the VIP shows as an alias (ifconfig, ip addr show label).
    auto r = !add ? context_.netlink->remove_address(ifindex, vip.prefix)
             : vip.label.empty()
                 ? context_.netlink->add_address(ifindex, vip.prefix)
                 : context_.netlink->add_labelled_address(ifindex, vip.prefix, vip.label);
    if (!r) {
      log_error(name() + ": " + r.error().describe(), {{"INSTANCE", name()}});
    } else {
      log_info(name() + ": " + (add ? "added " : "removed ") + vip.prefix.to_string(),
               {{"INSTANCE", name()}, {"VIP", vip.prefix.to_string()}});
    }
  };
  for (const auto& vip : spec_.instance.virtual_addresses) apply(vip);
  for (const auto& vip : spec_.instance.excluded_addresses) apply(vip);
}

void InstanceRunner::apply_drop_rules(bool holding) {
  if (!context_.firewall) return;
  std::vector<ports::DroppedAddress> addresses;
  if (holding) {
    addresses = dropped_addresses(spec_, [this](const std::string& dev) -> std::optional<int> {
      auto index = context_.netlink->interface_index(dev);
      return index ? std::optional<int>(*index) : std::nullopt;
    });
  }
  const bool dropping = !addresses.empty();
  auto r = context_.firewall->set_dropped(name(), spec_.global.nftables, std::move(addresses));
  if (!r) {
    log_error(name() + ": cannot " + (dropping ? "set" : "remove") +
                  " the firewall drop rules: " + r.error().describe(),
              {{"INSTANCE", name()}});
    return;
  }
  if (dropping != dropping_) {
    log_info(name() + (dropping ? ": setting firewall drop rules: traffic to its VIPs is dropped "
                                  "while MASTER (no accept)"
                                : ": removing firewall drop rules"),
             {{"INSTANCE", name()}});
  }
  dropping_ = dropping;
}

void InstanceRunner::change_routes(bool add) {
  if (!context_.routes) return;
  const auto& i = spec_.instance;
  if (add)
    add_routes_and_rules(*context_.routes, i.virtual_routes, i.virtual_rules, name(), name());
  else
    remove_routes_and_rules(*context_.routes, i.virtual_routes, i.virtual_rules, name(), name());
}

void InstanceRunner::follow_route_changes(const config::Instance& before) {
  const auto& now = spec_.instance;
  if (!context_.routes ||
      (before.virtual_routes == now.virtual_routes && before.virtual_rules == now.virtual_rules))
    return;
  auto missing_from = [](const auto& items, const auto& others) {
    std::remove_cvref_t<decltype(items)> out;
    for (const auto& item : items)
      if (std::find(others.begin(), others.end(), item) == others.end()) out.push_back(item);
    return out;
  };
  remove_routes_and_rules(*context_.routes, missing_from(before.virtual_routes, now.virtual_routes),
                          missing_from(before.virtual_rules, now.virtual_rules), name(), name());
  // As on becoming MASTER: the crash record lists the new ones before they exist.
  if (context_.record_held) context_.record_held();
  add_routes_and_rules(*context_.routes, missing_from(now.virtual_routes, before.virtual_routes),
                       missing_from(now.virtual_rules, before.virtual_rules), name(), name());
}

void InstanceRunner::announce_round() {
  auto announce = [&](const config::VirtualAddress& vip) {
    int ifindex = spec_.placement.ifindex;
    if (!vip.dev.empty()) {
      auto index = context_.netlink->interface_index(vip.dev);
      if (!index) return;
      ifindex = *index;
    }
    auto r = context_.announcer->announce(ifindex, vip.prefix.address);
    if (!r) {
      log_warning(name() + ": cannot announce " + vip.prefix.address.to_string() + ": " +
                      r.error().describe(),
                  {{"INSTANCE", name()}});
    }
  };
  for (const auto& vip : spec_.instance.virtual_addresses) announce(vip);
  for (const auto& vip : spec_.instance.excluded_addresses) announce(vip);
}

void InstanceRunner::after_transition(const vrrp::Transitioned& t) {
  const std::string& reason = t.reason;
  log_notice(name() + ": " + std::string(vrrp::to_string(t.from)) + " -> " +
                 std::string(vrrp::to_string(t.to)) + " (" + reason + ")",
             {{"INSTANCE", name()},
              {"OLD_STATE", std::string(vrrp::to_string(t.from))},
              {"NEW_STATE", std::string(vrrp::to_string(t.to))},
              {"PRIORITY", std::to_string(state_.priority)},
              {"REASON", reason}});
  last_transition_realtime_usec_ = realtime_usec();
  last_transition_reason_ = reason;
  if (t.to == vrrp::State::Master) ++counters_.became_master;
  if (t.from == vrrp::State::Master) ++counters_.released_master;
  if (t.from == vrrp::State::Master) announce_->stop();

  if (context_.guard) {
    auto r = context_.guard->set_role(ifindex(), vrid(), params_.family, t.to);
    if (!r) log_warning(name() + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
  }
  apply_split_brain_edge(split_brain_.set_role(t.to, monotonic_now()));

  if (context_.units) {
    for (const auto& unit : spec_.instance.master_units) {
      Result<> r = t.to == vrrp::State::Master ? context_.units->start_unit(unit)
                                               : context_.units->stop_unit(unit);
      if (!r) log_warning(name() + ": " + r.error().describe(), {{"INSTANCE", name()}});
      // The crash hand-over stops what this agent asked systemd to start,
      // nothing it merely has in its configuration.
      if (t.to == vrrp::State::Master && r) started_units_.push_back(unit);
    }
  }
  if (t.to != vrrp::State::Master) started_units_.clear();

  // Init: shutdown() runs notify_stop and mails "Stopping".
  if (auto entered = notify_state(t.to)) {
    if (context_.notifier) context_.notifier->notify(spec_.instance, *entered, state_.priority);
    if (context_.mail) context_.mail->on_state(spec_.global, spec_.instance, *entered);
  }
  if (on_change_) on_change_(*this);
}

std::optional<IpAddress> InstanceRunner::followed_master() const {
  if (state_.state == vrrp::State::Master) return std::nullopt;
  return state_.master_address;
}

void InstanceRunner::on_packet(const proto::PacketMeta& meta, std::span<const uint8_t> payload) {
  ++counters_.adverts_received;
  proto::DecodeOptions options;
  // Routers between unicast peers may decrement the TTL, and unicast_src_ip
  // may be a global IPv6 address: keepalived checks neither in unicast mode.
  options.check_ttl = !spec_.instance.unicast();
  options.check_link_local_source = !spec_.instance.unicast();
  options.v3_checksum_as_v2 = receive_.v3_checksum_as_v2;
  auto advert = proto::decode_advert(meta, payload, options);
  if (!advert) {
    count_drop(proto::drop_reason(advert.error()));
    return;
  }
  // The shared socket joins the multicast group for every instance on the
  // link; a unicast instance only listens to its peers (the checks drop the
  // rest), as in keepalived.
  auto verdict = vrrp::check_received_advert(receive_, meta, payload, state_.master_address);
  if (!verdict) {
    count_drop(vrrp::drop_reason(verdict.error()));
    if (auto kind = vrrp::evidence_in_rejection(verdict.error()))
      feed_evidence(*kind, meta.source, *advert);
    return;
  }
  if (receive_.uses_ah() && !accept_ah(meta, payload, *advert)) return;
  if (auto kind =
          vrrp::evidence_in_advert(state_, params_.primary_address, advert->priority, meta.source))
    feed_evidence(*kind, meta.source, *advert);
  if (advert->priority == 0) ++counters_.priority_zero_received;
  feed(vrrp::AdvertReceived{std::move(*advert), meta.source});
}

bool InstanceRunner::accept_ah(const proto::PacketMeta& meta, std::span<const uint8_t> payload,
                               const proto::Advert& advert) {
  if (auto why = vrrp::check_ah_advert(meta, payload, proto::ah_key(advert_.auth_pass),
                                       spec_.instance.unicast(), ah_sequence_)) {
    count_drop(*why);
    return false;
  }
  const uint32_t sequence = meta.ah->header.sequence;
  if (state_.state != vrrp::State::Master) {
    ah_sequence_.clear_cycle();
    return true;
  }
  // keepalived's MASTER: a lower-priority advert (or an equal one from a
  // lower address) makes it jump past that router's number; a higher one
  // takes over and the counter is no longer stuck.
  const bool lower = advert.priority < state_.priority ||
                     (advert.priority == state_.priority && meta.source < params_.primary_address);
  if (lower)
    ah_sequence_.sync_past(sequence);
  else
    ah_sequence_.clear_cycle();
  return true;
}

void InstanceRunner::on_foreign_vrid(const proto::Advert& advert, const IpAddress& source) {
  feed_evidence(vrrp::EvidenceKind::VridMismatch, source, advert);
}

void InstanceRunner::feed_evidence(vrrp::EvidenceKind kind, const IpAddress& source,
                                   const proto::Advert& advert) {
  vrrp::SplitBrainEvidence e;
  e.kind = kind;
  e.source = source;
  e.vrid = advert.vrid;
  e.priority = advert.priority;
  feed_evidence(std::move(e));
}

void InstanceRunner::on_guard_evidence(const vrrp::SplitBrainEvidence& evidence) {
  feed_evidence(evidence);
}

void InstanceRunner::feed_evidence(vrrp::SplitBrainEvidence evidence) {
  if (evidence.first_seen_usec == 0) evidence.first_seen_usec = realtime_usec();
  if (evidence.last_seen_usec == 0) evidence.last_seen_usec = evidence.first_seen_usec;
  MonoTime now = monotonic_now();
  auto edge = split_brain_.feed(evidence, now);
  if (edge == vrrp::SplitBrainEdge::None && split_brain_.active() &&
      (!evidence_published_ || now - *evidence_published_ >= kEvidenceRepublish)) {
    evidence_published_ = now;
    if (on_change_) on_change_(*this);
  }
  apply_split_brain_edge(edge);
}

void InstanceRunner::apply_split_brain_edge(vrrp::SplitBrainEdge edge) {
  arm_split_brain_tick();
  if (edge == vrrp::SplitBrainEdge::None) return;
  evidence_published_ = monotonic_now();
  if (edge == vrrp::SplitBrainEdge::Started) {
    std::string what;
    for (const auto& e : split_brain_.evidence()) {
      if (!what.empty()) what += "; ";
      what += vrrp::describe(e);
    }
    log_warning(name() + ": split brain: " + what,
                {{"INSTANCE", name()}, {"SPLIT_BRAIN", "1"}, {"EVIDENCE", what}});
  } else {
    log_notice(name() + ": split brain over", {{"INSTANCE", name()}, {"SPLIT_BRAIN", "0"}});
  }
  if (on_change_) on_change_(*this);
}

void InstanceRunner::arm_split_brain_tick() {
  auto deadline = split_brain_.next_deadline();
  if (!deadline) {
    split_brain_timer_->cancel();
    return;
  }
  split_brain_timer_->arm(*deadline - monotonic_now());
}

void InstanceRunner::set_tracked(std::string_view key, bool up, std::string_view description) {
  if (!daemon::set_tracked(tracked_, key, up, description)) return;
  recompute_priority();
}

void InstanceRunner::set_tracked_value(std::string_view key, int64_t value) {
  if (!daemon::set_tracked_value(tracked_, key, value)) return;
  recompute_priority();
}

bool InstanceRunner::has_source() const {
  for (const auto& object : tracked_)
    if (object.key == kSourceAddressKey) return object.up;
  return true;
}

void InstanceRunner::lose_source(std::string_view why) {
  set_tracked(kSourceAddressKey, false, why);
}

void InstanceRunner::change_source(const IpAddress& source) {
  if (!has_source()) set_tracked(kSourceAddressKey, true, "source address " + source.to_string());
  if (source == spec_.placement.source) return;
  log_notice(name() + ": source address " + spec_.placement.source.to_string() + " -> " +
                 source.to_string(),
             {{"INSTANCE", name()}});
  spec_.placement.source = source;
  params_.primary_address = source;
  advert_ = advert_identity(spec_);
  if (context_.guard_sync) {
    if (auto r = context_.guard_sync->update(guard_instance()); !r)
      log_warning(name() + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
  }
}

void InstanceRunner::recompute_priority() {
  PriorityVerdict next = effective_priority(spec_.instance.priority, tracked_);
  if (next == verdict_) return;
  PriorityVerdict previous = std::exchange(verdict_, next);
  bool changed = false;
  if (next.priority != previous.priority) {
    log_info(name() + ": effective priority " + std::to_string(previous.priority) + " -> " +
                 std::to_string(next.priority),
             {{"INSTANCE", name()}, {"PRIORITY", std::to_string(next.priority)}});
    if (context_.guard_sync) {
      if (auto r = context_.guard_sync->update(guard_instance()); !r)
        log_warning(name() + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
    }
    // Announced in the state it happened in, before whatever it leads to
    // (keepalived's vrrp_set_effective_priority).
    if (spec_.instance.notify_priority_changes && context_.notifier)
      context_.notifier->notify(spec_.instance,
                                state_.state == vrrp::State::Master ? InstanceEvent::MasterPriority
                                                                    : InstanceEvent::BackupPriority,
                                next.priority);
    feed(vrrp::PriorityChanged{next.priority});
    changed = true;
  }
  if (next.faulted() != previous.faulted()) {
    feed(vrrp::FaultChanged{next.faulted(), next.faulted() ? join(next.fault_reasons, ", ")
                                                           : std::string("tracked objects up")});
    changed = true;
  } else if (next.fault_reasons != previous.fault_reasons) {
    changed = true;
  }
  if (changed && on_change_) on_change_(*this);
}

void InstanceRunner::resign(Usec hold) {
  feed(vrrp::Resign{hold});
}

void InstanceRunner::count_drop(proto::DropReason reason) {
  ++counters_.drops[reason];
  log_debug(name() + ": dropped an advert: " + std::string(to_string(reason)),
            {{"INSTANCE", name()}});
}

bool InstanceRunner::lists_any_of(const std::vector<IpAddress>& addresses) const {
  for (const auto& vip : spec_.instance.virtual_addresses) {
    for (const auto& a : addresses) {
      if (vip.prefix.address == a) return true;
    }
  }
  return false;
}

ports::InstanceSnapshot InstanceRunner::snapshot() const {
  ports::InstanceSnapshot s = configured_snapshot(spec_);
  s.state = state_.state;
  s.effective_priority = verdict_.priority;
  s.master_address = state_.master_address;
  s.last_transition_usec = last_transition_realtime_usec_;
  s.last_transition_reason = last_transition_reason_;
  if (state_.state == vrrp::State::Fault) s.fault_reasons = verdict_.fault_reasons;
  s.counters = counters_;
  s.split_brain = split_brain_.active();
  s.evidence = split_brain_.evidence();
  return s;
}

ports::GuardInstance InstanceRunner::guard_instance() const {
  return daemon::guard_instance(spec_, receive_, verdict_.priority);
}

HeldInstance InstanceRunner::held() const {
  return held_instance(spec_, started_units_);
}

}  // namespace keepvip::daemon
