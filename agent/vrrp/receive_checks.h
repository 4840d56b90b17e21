// The receive checks of RFC 3768 §7.1 / RFC 9568 §7.1 that need an
// instance's configuration (the packet-level ones live in proto/advert.h).
// The daemon runs these after decode_advert and before step(); a rejected
// advert never reaches the state machine and is counted under
// to_string(reason).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "common/expected.h"
#include "common/ip_address.h"
#include "config/config.h"
#include "proto/advert.h"

namespace keepvip::vrrp {

enum class RejectReason : uint8_t {
  OwnAdvert,            // our own advert looped back to us
  FamilyMismatch,       // an IPv4 advert for an IPv6 instance or the reverse
  VridMismatch,         // another virtual router's advert
  VersionMismatch,      // v2 advert for a v3 instance or the reverse
  AuthTypeMismatch,     // v2: PASS expected and none given, or the reverse, or AH
  AuthMismatch,         // v2: wrong password (the seed's "received an invalid passwd!")
  IntervalMismatch,     // v2: Adver Int differs from ours
  AddressListMismatch,  // the advert's VIPs are not ours
};

// Stable short names for counters and logs: "own-advert", "family-mismatch",
// "vrid-mismatch", "version-mismatch", "auth-type-mismatch", "auth-mismatch",
// "interval-mismatch", "address-list-mismatch".
std::string_view to_string(RejectReason reason);

// What the checks need to know besides the configuration.
struct ReceiveContext {
  // The address we send from on this instance's link (InstanceRunner's
  // Params::primary_address).
  IpAddress local_address;
  // The master we currently follow: InstanceState::master_address.
  std::optional<IpAddress> current_master;
  // global_defs vrrp_skip_check_adv_addr.
  bool skip_check_adv_addr = false;
};

using ReceiveVerdict = Expected<void, RejectReason>;

// Accepts the advert (has_value()) or says why it must be dropped.
ReceiveVerdict check_received_advert(const config::Instance& instance, const proto::Advert& advert,
                                     const IpAddress& source, const ReceiveContext& context);

}  // namespace keepvip::vrrp
