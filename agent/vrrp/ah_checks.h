// The receive checks of an auth_type AH advert that need the key and the
// sequence counter, run after the shared checks (receive_checks.h) accepted
// it: keepalived 2.2.8's vrrp_in_chk_ipsecah, in its order — ICV, SPI,
// sequence number. Only an advert that passes all three moves the counter.
#pragma once

#include <optional>
#include <span>

#include "common/ip_address.h"
#include "proto/advert.h"
#include "proto/ipsec_ah.h"
#include "vrrp/ah_sequence.h"

namespace keepvip::vrrp {

// nullopt: accepted (and `sequence` took its number); else why it is dropped.
std::optional<proto::DropReason> check_ah_advert(const proto::PacketMeta& meta,
                                                 std::span<const uint8_t> vrrp,
                                                 const proto::AhKey& key, bool unicast,
                                                 AhSequence& sequence);

}  // namespace keepvip::vrrp
