#include "daemon/tracking/reference_probe.h"

#include <linux/icmp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/random.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include "common/log.h"

namespace keepvip::daemon {
namespace {

// A flood must not starve timers and the watchdog: read at most this many
// replies per wakeup (as the VRRP sockets do); sd-event calls again while
// more are queued, after the other sources had their turn.
constexpr int kMaxRepliesPerWakeup = 64;

// Unpredictable bytes: a flooder who cannot see our requests must not be
// able to guess what a reply has to carry.
template <typename T>
void fill_random(T& value) {
  auto* bytes = reinterpret_cast<uint8_t*>(&value);
  size_t done = 0;
  while (done < sizeof value) {
    ssize_t n = ::getrandom(bytes + done, sizeof value - done, 0);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      break;  // not expected on Linux >= 3.17 once booted
    }
    done += static_cast<size_t>(n);
  }
}

// Only echo replies reach the queue: destination unreachables, redirects,
// other hosts' echo requests and the rest never wake the loop.
Result<> accept_echo_replies_only(int fd, Family family) {
  if (family == Family::V4) {
    icmp_filter filter{};
    filter.data = ~(1U << ICMP_ECHOREPLY);  // the bits of the types to drop
    if (::setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, sizeof filter) != 0)
      return last_os_error("set ICMP_FILTER on the reference_ip socket");
  } else {
    icmp6_filter filter{};
    ICMP6_FILTER_SETBLOCKALL(&filter);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &filter);
    if (::setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filter, sizeof filter) != 0)
      return last_os_error("set ICMP6_FILTER on the reference_ip socket");
  }
  return {};
}

}  // namespace

ReferenceProbe::ReferenceProbe(const config::Arbitration& arbitration, VerdictCallback on_verdict)
    : arbitration_(arbitration),
      health_(arbitration.rise, arbitration.fall, /*init_fail=*/true),
      on_verdict_(std::move(on_verdict)) {}

Result<std::unique_ptr<ReferenceProbe>> ReferenceProbe::create(
    sd_event* loop, const config::Arbitration& arbitration, VerdictCallback on_verdict) {
  std::unique_ptr<ReferenceProbe> p(new ReferenceProbe(arbitration, std::move(on_verdict)));
  fill_random(p->request_.id);
  fill_random(p->request_.seq);
  Family family = arbitration.reference.family();
  // Raw sockets (CAP_NET_RAW, which the agent has anyway): unprivileged ping
  // sockets depend on net.ipv4.ping_group_range, off by default.
  int fd = family == Family::V4
               ? ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP)
               : ::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  if (fd < 0) return last_os_error("open an ICMP socket for reference_ip");
  p->socket_.reset(fd);
  if (auto r = accept_echo_replies_only(fd, family); !r) return unexpected(r.error());
  ReferenceProbe* self = p.get();
  auto watch = IoWatch::create(
      loop, fd, [self] { self->on_readable(); }, "reference probe");
  if (!watch) return unexpected(watch.error());
  p->watch_ = std::move(*watch);
  auto timer = Timer::create(
      loop, [self] { self->probe(); }, "reference probe");
  if (!timer) return unexpected(timer.error());
  p->timer_ = std::move(*timer);
  p->timer_->arm(Usec{0});
  return p;
}

void ReferenceProbe::probe() {
  timer_->arm(arbitration_.interval);
  if (outstanding_) record(false);
  ++request_.seq;
  fill_random(request_.cookie);
  auto request = build_echo_request(arbitration_.reference.family(), request_);
  sockaddr_storage to{};
  socklen_t len = 0;
  auto bytes = arbitration_.reference.bytes();
  if (arbitration_.reference.is_v4()) {
    auto* sin = reinterpret_cast<sockaddr_in*>(&to);
    sin->sin_family = AF_INET;
    std::memcpy(&sin->sin_addr, bytes.data(), 4);
    len = sizeof(sockaddr_in);
  } else {
    auto* sin6 = reinterpret_cast<sockaddr_in6*>(&to);
    sin6->sin6_family = AF_INET6;
    std::memcpy(&sin6->sin6_addr, bytes.data(), 16);
    len = sizeof(sockaddr_in6);
  }
  outstanding_ = true;
  if (::sendto(socket_.get(), request.data(), request.size(), 0, reinterpret_cast<sockaddr*>(&to),
               len) < 0) {
    log_debug(
        last_os_error("probe reference " + arbitration_.reference.to_string()).error.describe());
  }
}

void ReferenceProbe::on_readable() {
  std::array<uint8_t, 1500> buffer{};
  for (int read = 0; read < kMaxRepliesPerWakeup; ++read) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    ssize_t n = ::recvfrom(socket_.get(), buffer.data(), buffer.size(), 0,
                           reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return;  // EAGAIN: drained
    if (!outstanding_ ||
        !answers(arbitration_.reference.family(),
                 std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)), request_))
      continue;
    std::optional<IpAddress> source;
    if (from.ss_family == AF_INET) {
      const auto* sin = reinterpret_cast<const sockaddr_in*>(&from);
      source = IpAddress::from_bytes(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&sin->sin_addr), 4));
    } else if (from.ss_family == AF_INET6) {
      const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(&from);
      source = IpAddress::from_bytes(
          std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(&sin6->sin6_addr), 16));
    }
    if (source != arbitration_.reference) continue;
    outstanding_ = false;
    record(true);
  }
}

void ReferenceProbe::record(bool answered) {
  if (!health_.record(answered)) return;
  log_notice("reference " + arbitration_.reference.to_string() +
                 (health_.up() ? " answers again" : " lost"),
             {{"REFERENCE", arbitration_.reference.to_string()}});
  if (on_verdict_) on_verdict_(health_.up());
}

}  // namespace keepvip::daemon
