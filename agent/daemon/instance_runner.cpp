#include "daemon/instance_runner.h"

#include <time.h>

#include "common/log.h"
#include "daemon/tracking.h"
#include "vrrp/receive_checks.h"
#include "vrrp/timers.h"

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

// Receive-check rejections that mean someone on the link runs our VRID with
// another configuration: split-brain evidence while we are MASTER.
std::optional<vrrp::EvidenceKind> evidence_kind(vrrp::RejectReason reason) {
  switch (reason) {
    case vrrp::RejectReason::AuthMismatch:
    case vrrp::RejectReason::AuthTypeMismatch:
      return vrrp::EvidenceKind::AuthMismatch;
    case vrrp::RejectReason::VersionMismatch:
      return vrrp::EvidenceKind::VersionMismatch;
    case vrrp::RejectReason::IntervalMismatch:
      return vrrp::EvidenceKind::IntervalMismatch;
    default:
      return std::nullopt;
  }
}

}  // namespace

InstanceRunner::InstanceRunner(const RunnerContext& context, const config::Instance& instance,
                               const InstancePlacement& placement, ChangeCallback on_change)
    : context_(context),
      instance_(instance),
      placement_(placement),
      on_change_(std::move(on_change)),
      split_brain_(instance.split_brain_quiet) {}

Result<std::unique_ptr<InstanceRunner>> InstanceRunner::create(const RunnerContext& context,
                                                               const config::Config& config,
                                                               const config::Instance& instance,
                                                               const InstancePlacement& placement,
                                                               ChangeCallback on_change) {
  std::unique_ptr<InstanceRunner> r(
      new InstanceRunner(context, instance, placement, std::move(on_change)));
  InstanceRunner* self = r.get();
  for (auto id : {vrrp::TimerId::Advert, vrrp::TimerId::MasterDown, vrrp::TimerId::PreemptDelay}) {
    auto timer = Timer::create(
        context.loop, [self, id] { self->feed(vrrp::TimerExpired{id}); },
        instance.name + " " + timer_name(id));
    if (!timer) return unexpected(timer.error());
    r->timers_[timer_index(id)] = std::move(*timer);
  }
  auto announce = AnnounceSchedule::create(
      context.loop, [self] { self->announce_round(); }, instance.name);
  if (!announce) return unexpected(announce.error());
  r->announce_ = std::move(*announce);
  auto split_timer = Timer::create(
      context.loop,
      [self] { self->apply_split_brain_edge(self->split_brain_.tick(monotonic_now())); },
      instance.name + " split-brain quiet");
  if (!split_timer) return unexpected(split_timer.error());
  r->split_brain_timer_ = std::move(*split_timer);

  r->params_.vrid = instance.vrid;
  r->params_.version = instance.version;
  r->params_.family = instance.family();
  r->params_.advert_interval = instance.advert_interval;
  r->params_.preempt = instance.preempt;
  r->params_.preempt_delay = instance.preempt_delay;
  r->params_.start_as_master = instance.state == config::InitialState::Master;
  r->params_.primary_address = placement.source;
  r->state_.master_adver_interval = instance.advert_interval;
  r->tracked_ = tracked_objects(config, instance);
  r->apply_settings(config);
  r->verdict_ = effective_priority(instance.priority, r->tracked_);
  r->state_.priority = r->verdict_.priority;
  r->state_.faulted = r->verdict_.faulted();
  return r;
}

void InstanceRunner::apply_settings(const config::Config& config) {
  AnnounceSettings a;
  a.repeat = instance_.garp_master_repeat;
  a.gap = params_.family == Family::V4 ? config.global.vrrp_garp_interval
                                       : config.global.vrrp_gna_interval;
  a.second_burst_delay = instance_.garp_master_delay;
  a.refresh = instance_.garp_master_refresh;
  announce_->set_settings(a);
  receive_ = vrrp::receive_profile(instance_, config.global, placement_.source);
  split_brain_.set_quiet(instance_.split_brain_quiet);
}

void InstanceRunner::start() {
  feed(vrrp::Start{});
}

void InstanceRunner::shutdown() {
  uint8_t priority = state_.priority;
  feed(vrrp::Shutdown{});
  announce_->stop();
  for (auto& t : timers_) t->cancel();
  split_brain_timer_->cancel();
  if (context_.notifier) context_.notifier->notify(instance_, NotifyState::Stop, priority);
}

void InstanceRunner::update_config(const config::Config& config, const config::Instance& instance) {
  instance_ = instance;
  // Keep what we know about objects still tracked; new ones start as
  // tracking.h says until their first report.
  auto next = tracked_objects(config, instance);
  for (auto& object : next) {
    for (const auto& old : tracked_) {
      if (old.key == object.key) object.up = old.up;
    }
  }
  tracked_ = std::move(next);
  apply_settings(config);
  recompute_priority();
  if (on_change_) on_change_(*this);
}

void InstanceRunner::feed(const vrrp::Event& event) {
  vrrp::StepResult result = vrrp::step(params_, state_, event, monotonic_now());
  const std::optional<IpAddress> followed = followed_master();
  state_ = std::move(result.state);
  if (context_.guard && followed_master() != followed) {
    auto r = context_.guard->set_master(placement_.ifindex, instance_.vrid, params_.family,
                                        followed_master());
    if (!r)
      log_warning(instance_.name + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
  }
  std::optional<vrrp::Transitioned> transition;
  for (const auto& action : result.actions) {
    if (const auto* t = std::get_if<vrrp::Transitioned>(&action)) transition = *t;
    perform(action);
  }
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
          change_addresses(true);
        } else if constexpr (std::is_same_v<A, vrrp::RemoveVirtualAddresses>) {
          announce_->stop();
          change_addresses(false);
        } else if constexpr (std::is_same_v<A, vrrp::Announce>) {
          announce_->start();
        } else if constexpr (std::is_same_v<A, vrrp::ArmTimer>) {
          timers_[timer_index(a.timer)]->arm(a.delay);
        } else if constexpr (std::is_same_v<A, vrrp::CancelTimer>) {
          timers_[timer_index(a.timer)]->cancel();
        } else if constexpr (std::is_same_v<A, vrrp::Transitioned>) {
          // Logged with its consequences in after_transition().
        }
      },
      action);
}

void InstanceRunner::send_advert(uint8_t priority) {
  if (!placement_.sender) return;
  proto::Advert advert;
  advert.version = instance_.version;
  advert.vrid = instance_.vrid;
  advert.priority = priority;
  advert.interval_cs = vrrp::to_centiseconds(instance_.advert_interval);
  for (const auto& vip : instance_.virtual_addresses)
    advert.addresses.push_back(vip.prefix.address);
  if (instance_.auth_pass && instance_.version == 2) {
    advert.auth_type = 1;
    advert.auth_data = instance_.auth_pass->substr(0, 8);
  }
  std::vector<IpAddress> destinations = instance_.unicast_peers;
  if (destinations.empty()) destinations.push_back(proto::vrrp_multicast_group(params_.family));
  for (const auto& destination : destinations) {
    auto bytes = proto::encode_advert(advert, placement_.source, destination);
    auto sent = placement_.sender->send(bytes, destination, placement_.source);
    if (!sent) {
      // Rate-limited by nature: at most one per advert interval.
      log_warning(instance_.name + ": cannot send advert: " + sent.error().describe(),
                  {{"INSTANCE", instance_.name}});
      continue;
    }
    ++counters_.adverts_sent;
  }
}

void InstanceRunner::change_addresses(bool add) {
  auto apply = [&](const config::VirtualAddress& vip) {
    int ifindex = placement_.ifindex;
    if (!vip.dev.empty()) {
      auto index = context_.netlink->interface_index(vip.dev);
      if (!index) {
        log_error(instance_.name + ": " + index.error().describe(), {{"INSTANCE", instance_.name}});
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
      log_error(instance_.name + ": " + r.error().describe(), {{"INSTANCE", instance_.name}});
    } else {
      log_info(instance_.name + ": " + (add ? "added " : "removed ") + vip.prefix.to_string(),
               {{"INSTANCE", instance_.name}, {"VIP", vip.prefix.to_string()}});
    }
  };
  for (const auto& vip : instance_.virtual_addresses) apply(vip);
  for (const auto& vip : instance_.excluded_addresses) apply(vip);
}

void InstanceRunner::announce_round() {
  auto announce = [&](const config::VirtualAddress& vip) {
    int ifindex = placement_.ifindex;
    if (!vip.dev.empty()) {
      auto index = context_.netlink->interface_index(vip.dev);
      if (!index) return;
      ifindex = *index;
    }
    auto r = context_.announcer->announce(ifindex, vip.prefix.address);
    if (!r) {
      log_warning(instance_.name + ": cannot announce " + vip.prefix.address.to_string() + ": " +
                      r.error().describe(),
                  {{"INSTANCE", instance_.name}});
    }
  };
  for (const auto& vip : instance_.virtual_addresses) announce(vip);
  for (const auto& vip : instance_.excluded_addresses) announce(vip);
}

void InstanceRunner::after_transition(const vrrp::Transitioned& t) {
  const std::string& reason = t.reason;
  log_notice(instance_.name + ": " + std::string(vrrp::to_string(t.from)) + " -> " +
                 std::string(vrrp::to_string(t.to)) + " (" + reason + ")",
             {{"INSTANCE", instance_.name},
              {"OLD_STATE", std::string(vrrp::to_string(t.from))},
              {"NEW_STATE", std::string(vrrp::to_string(t.to))},
              {"PRIORITY", std::to_string(state_.priority)},
              {"REASON", reason}});
  last_transition_realtime_usec_ = realtime_usec();
  last_transition_reason_ = reason;
  if (t.to == vrrp::State::Master) ++counters_.became_master;
  if (t.from == vrrp::State::Master) announce_->stop();

  if (context_.guard) {
    auto r = context_.guard->set_role(placement_.ifindex, instance_.vrid, params_.family, t.to);
    if (!r)
      log_warning(instance_.name + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
  }
  apply_split_brain_edge(split_brain_.set_role(t.to, monotonic_now()));

  if (context_.units) {
    for (const auto& unit : instance_.master_units) {
      Result<> r = t.to == vrrp::State::Master ? context_.units->start_unit(unit)
                                               : context_.units->stop_unit(unit);
      if (!r) log_warning(instance_.name + ": " + r.error().describe(), {{"INSTANCE", name()}});
      // The crash hand-over stops what this agent asked systemd to start,
      // nothing it merely has in its configuration.
      if (t.to == vrrp::State::Master && r) started_units_.push_back(unit);
    }
  }
  if (t.to != vrrp::State::Master) started_units_.clear();

  if (context_.notifier) {
    switch (t.to) {
      case vrrp::State::Master:
        context_.notifier->notify(instance_, NotifyState::Master, state_.priority);
        break;
      case vrrp::State::Backup:
        context_.notifier->notify(instance_, NotifyState::Backup, state_.priority);
        break;
      case vrrp::State::Fault:
        context_.notifier->notify(instance_, NotifyState::Fault, state_.priority);
        break;
      case vrrp::State::Init:
        break;  // shutdown() runs notify_stop
    }
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
  options.check_ttl = !instance_.unicast();
  options.check_link_local_source = !instance_.unicast();
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
    if (auto kind = evidence_kind(verdict.error())) {
      vrrp::SplitBrainEvidence e;
      e.kind = *kind;
      e.source = meta.source;
      e.vrid = advert->vrid;
      e.priority = advert->priority;
      feed_evidence(std::move(e));
    }
    return;
  }

  // Evidence visible from the receive path, for hosts without the BPF guard
  // (the guard reports the same things from the kernel; the tracker merges).
  if (advert->priority != 0) {
    bool outranks_us = advert->priority > state_.priority ||
                       (advert->priority == state_.priority && meta.source > placement_.source);
    if (state_.state == vrrp::State::Master && !outranks_us) {
      vrrp::SplitBrainEvidence e;
      e.kind = vrrp::EvidenceKind::ForeignMaster;
      e.source = meta.source;
      e.vrid = advert->vrid;
      e.priority = advert->priority;
      feed_evidence(std::move(e));
    } else if (state_.state == vrrp::State::Backup && state_.master_address &&
               *state_.master_address != meta.source && !outranks_us) {
      vrrp::SplitBrainEvidence e;
      e.kind = vrrp::EvidenceKind::TwoMasters;
      e.source = meta.source;
      e.vrid = advert->vrid;
      e.priority = advert->priority;
      feed_evidence(std::move(e));
    }
  }
  feed(vrrp::AdvertReceived{std::move(*advert), meta.source});
}

void InstanceRunner::on_foreign_vrid(const proto::Advert& advert, const IpAddress& source) {
  vrrp::SplitBrainEvidence e;
  e.kind = vrrp::EvidenceKind::VridMismatch;
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
  if (edge == guard::SplitBrainEdge::None && split_brain_.active() &&
      (!evidence_published_ || now - *evidence_published_ >= kEvidenceRepublish)) {
    evidence_published_ = now;
    if (on_change_) on_change_(*this);
  }
  apply_split_brain_edge(edge);
}

void InstanceRunner::apply_split_brain_edge(guard::SplitBrainEdge edge) {
  arm_split_brain_tick();
  if (edge == guard::SplitBrainEdge::None) return;
  evidence_published_ = monotonic_now();
  if (edge == guard::SplitBrainEdge::Started) {
    std::string what;
    for (const auto& e : split_brain_.evidence()) {
      if (!what.empty()) what += "; ";
      what += vrrp::describe(e);
    }
    log_warning(instance_.name + ": split brain: " + what,
                {{"INSTANCE", instance_.name}, {"SPLIT_BRAIN", "1"}, {"EVIDENCE", what}});
  } else {
    log_notice(instance_.name + ": split brain over",
               {{"INSTANCE", instance_.name}, {"SPLIT_BRAIN", "0"}});
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

void InstanceRunner::recompute_priority() {
  PriorityVerdict next = effective_priority(instance_.priority, tracked_);
  if (next == verdict_) return;
  PriorityVerdict previous = std::exchange(verdict_, next);
  bool changed = false;
  if (next.priority != previous.priority) {
    log_info(instance_.name + ": effective priority " + std::to_string(previous.priority) + " -> " +
                 std::to_string(next.priority),
             {{"INSTANCE", instance_.name}, {"PRIORITY", std::to_string(next.priority)}});
    if (context_.guard_sync) {
      if (auto r = context_.guard_sync->update(guard_instance()); !r)
        log_warning(instance_.name + ": guard: " + r.error().describe(), {{"INSTANCE", name()}});
    }
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
  log_debug(instance_.name + ": dropped an advert: " + std::string(to_string(reason)),
            {{"INSTANCE", instance_.name}});
}

bool InstanceRunner::lists_any_of(const std::vector<IpAddress>& addresses) const {
  for (const auto& vip : instance_.virtual_addresses) {
    for (const auto& a : addresses) {
      if (vip.prefix.address == a) return true;
    }
  }
  return false;
}

ports::InstanceSnapshot InstanceRunner::snapshot() const {
  ports::InstanceSnapshot s;
  s.name = instance_.name;
  s.state = state_.state;
  s.priority = instance_.priority;
  s.effective_priority = verdict_.priority;
  s.vrid = instance_.vrid;
  s.interface = instance_.interface;
  s.version = instance_.version;
  for (const auto& vip : instance_.virtual_addresses)
    s.virtual_addresses.push_back(vip.prefix.to_string());
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
  ports::GuardInstance g;
  g.ifindex = placement_.ifindex;
  g.receive = receive_;
  // Excluded addresses are not advertised but move with the instance: a
  // foreign MAC claiming one is the same conflict.
  for (const auto& vip : instance_.virtual_addresses) g.vips.push_back(vip.prefix.address);
  for (const auto& vip : instance_.excluded_addresses) g.vips.push_back(vip.prefix.address);
  g.own_addresses.push_back(placement_.source);
  g.priority = verdict_.priority;
  return g;
}

HeldInstance InstanceRunner::held() const {
  HeldInstance h;
  h.name = instance_.name;
  h.interface = instance_.interface;
  h.ifindex = placement_.ifindex;
  h.family = params_.family;
  h.version = instance_.version;
  h.vrid = instance_.vrid;
  h.interval_cs = vrrp::to_centiseconds(instance_.advert_interval);
  h.source = placement_.source;
  h.auth_pass =
      instance_.auth_pass && instance_.version == 2 ? instance_.auth_pass->substr(0, 8) : "";
  h.unicast_peers = instance_.unicast_peers;
  for (const auto& vip : instance_.virtual_addresses) h.vips.push_back(vip.prefix);
  for (const auto& vip : instance_.excluded_addresses) h.excluded.push_back(vip.prefix);
  h.master_units = started_units_;
  return h;
}

}  // namespace keepvip::daemon
