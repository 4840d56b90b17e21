#include "daemon/instances/advert_dispatch.h"

#include "common/log.h"
#include "daemon/instances/instance_runner.h"

namespace keepvip::daemon {
namespace {

// A flood must not starve timers: read at most this many packets per wakeup;
// sd-event calls us again while more are queued.
constexpr int kMaxPacketsPerWakeup = 64;

}  // namespace

Result<std::unique_ptr<AdvertChannel>> AdvertChannel::open(
    sd_event* loop, std::unique_ptr<net::AdvertSocket> socket, std::string description,
    Instances instances) {
  std::unique_ptr<AdvertChannel> channel(
      new AdvertChannel(std::move(socket), description, std::move(instances)));
  AdvertChannel* self = channel.get();
  auto watch = IoWatch::create(
      loop, channel->socket_->fd(), [self] { self->drain(false); }, std::move(description));
  if (!watch) return unexpected(watch.error());
  channel->watch_ = std::move(*watch);
  return channel;
}

Result<> AdvertChannel::enable_ah(sd_event* loop) {
  if (ah_watch_) return {};
  if (auto r = socket_->enable_ah(); !r) return r;
  auto watch = IoWatch::create(
      loop, socket_->ah_fd(), [this] { drain(true); }, description_ + " (AH)");
  if (!watch) return unexpected(watch.error());
  ah_watch_ = std::move(*watch);
  return {};
}

void AdvertChannel::drain(bool ah) {
  for (int n = 0; n < kMaxPacketsPerWakeup; ++n) {
    auto packet = ah ? socket_->receive_ah() : socket_->receive();
    if (!packet) {
      if (packet.error().errnum == 0) {
        log_debug("dropped a malformed VRRP packet: " + packet.error().context);
        continue;
      }
      log_warning("VRRP socket: " + packet.error().describe());
      return;
    }
    if (!*packet) return;
    dispatch(**packet);
  }
}

void AdvertChannel::dispatch(const net::Received& packet) {
  if (packet.payload.size() < 2) return;
  uint8_t vrid = packet.payload[1];
  auto instances = instances_();
  bool multicast = packet.meta.destination.is_multicast();
  // The socket joins every group of the link's instances; as keepalived's
  // socket bound to its group, an instance hears only adverts sent to its own.
  if (multicast) {
    std::erase_if(instances, [&](const InstanceRunner* runner) {
      return !runner->config().unicast() && runner->multicast_group() != packet.meta.destination;
    });
  }
  if (InstanceRunner* runner = receiver_for(instances, vrid, multicast)) {
    runner->on_packet(packet.meta, packet.payload);
    return;
  }
  // Not ours: only interesting if it claims one of our VIPs.
  proto::DecodeOptions options;
  options.check_ttl = false;
  options.check_link_local_source = false;
  auto advert = proto::decode_advert(packet.meta, packet.payload, options);
  if (!advert) return;
  for (InstanceRunner* runner : instances) {
    if (runner->lists_any_of(advert->addresses))
      runner->on_foreign_vrid(*advert, packet.meta.source);
  }
}

}  // namespace keepvip::daemon
