#include "daemon/reference_probe.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <array>
#include <cstring>

#include "common/log.h"
#include "daemon/icmp_echo.h"

namespace keepvip::daemon {

ReferenceProbe::ReferenceProbe(const config::Arbitration& arbitration, uint16_t id,
                               VerdictCallback on_verdict)
    : arbitration_(arbitration),
      id_(id),
      health_(arbitration.rise, arbitration.fall, /*init_fail=*/true),
      on_verdict_(std::move(on_verdict)) {}

Result<std::unique_ptr<ReferenceProbe>> ReferenceProbe::create(
    sd_event* loop, const config::Arbitration& arbitration, uint16_t id,
    VerdictCallback on_verdict) {
  std::unique_ptr<ReferenceProbe> p(new ReferenceProbe(arbitration, id, std::move(on_verdict)));
  Family family = arbitration.reference.family();
  // Raw sockets (CAP_NET_RAW, which the agent has anyway): unprivileged ping
  // sockets depend on net.ipv4.ping_group_range, off by default.
  int fd = family == Family::V4
               ? ::socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP)
               : ::socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
  if (fd < 0) return last_os_error("open an ICMP socket for reference_ip");
  p->socket_.reset(fd);
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
  ++seq_;
  auto request = build_echo_request(arbitration_.reference.family(), id_, seq_);
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
  for (;;) {
    sockaddr_storage from{};
    socklen_t len = sizeof from;
    ssize_t n = ::recvfrom(socket_.get(), buffer.data(), buffer.size(), 0,
                           reinterpret_cast<sockaddr*>(&from), &len);
    if (n < 0) return;  // EAGAIN: drained
    auto reply = parse_echo_reply(arbitration_.reference.family(),
                                  std::span<const uint8_t>(buffer.data(), static_cast<size_t>(n)));
    if (!reply || reply->id != id_ || reply->seq != seq_ || !outstanding_) continue;
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
