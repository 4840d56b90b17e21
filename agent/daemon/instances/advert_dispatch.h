// One VRRP socket per (interface, family), shared by every instance on it.
// When the socket is readable, each packet goes to the instance that owns
// its VRID (read from the payload before decoding, so decode can use that
// instance's options); packets for VRIDs nobody here owns are checked for
// our VIPs (the seed's virtual_router_id mismatch) and otherwise ignored.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "common/result.h"
#include "daemon/loop/event_loop.h"
#include "net/vrrp_socket.h"

namespace keepvip::daemon {

class InstanceRunner;

// Which of `instances` (anything with vrid() and config().unicast()) gets a
// packet for `vrid`: a multicast and a unicast instance may share a VRID on
// one interface (keepalived keeps them apart too), so the destination says
// whose it is. Without an instance of the packet's kind, one of the other
// kind gets it and counts why it does not take it. nullptr: nobody's VRID.
template <typename Runner>
Runner* receiver_for(const std::vector<Runner*>& instances, uint8_t vrid, bool multicast) {
  Runner* other_kind = nullptr;
  for (Runner* runner : instances) {
    if (runner->vrid() != vrid) continue;
    if (runner->config().unicast() != multicast) return runner;
    if (!other_kind) other_kind = runner;
  }
  return other_kind;
}

class AdvertChannel {
 public:
  // Returns the instances on this channel; looked up per packet so reloads
  // never leave a stale pointer behind.
  using Instances = std::function<std::vector<InstanceRunner*>()>;

  // `socket` is the VRRP socket of one (interface, family).
  static Result<std::unique_ptr<AdvertChannel>> open(sd_event* loop,
                                                     std::unique_ptr<net::AdvertSocket> socket,
                                                     std::string description, Instances instances);
  AdvertChannel(const AdvertChannel&) = delete;
  AdvertChannel& operator=(const AdvertChannel&) = delete;

  net::AdvertSender& sender() { return *socket_; }
  // auth_type AH: opens the socket's AH socket and reads it too. Idempotent.
  Result<> enable_ah(sd_event* loop);
  // Listens on `group` too (an instance's mcast_dst_ip or vrrp_mcast_group4/6).
  Result<> join_group(const IpAddress& group) { return socket_->join_group(group); }

 private:
  AdvertChannel(std::unique_ptr<net::AdvertSocket> socket, std::string description,
                Instances instances)
      : socket_(std::move(socket)),
        description_(std::move(description)),
        instances_(std::move(instances)) {}
  // Reads the VRRP socket, or (ah) the AH socket of auth_type AH instances.
  void drain(bool ah);
  void dispatch(const net::Received& packet);

  std::unique_ptr<net::AdvertSocket> socket_;
  std::string description_;
  Instances instances_;
  std::unique_ptr<IoWatch> watch_;
  std::unique_ptr<IoWatch> ah_watch_;
};

}  // namespace keepvip::daemon
