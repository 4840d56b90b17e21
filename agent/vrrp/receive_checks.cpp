// Instance-level receive checks, in keepalived 2.2.7's order
// (vrrp_check_packet in vrrp/vrrp.c): version, authentication, interval,
// address list. VRID and family come first because keepalived finds the
// instance by them before it checks anything else.
#include "vrrp/receive_checks.h"

#include <algorithm>
#include <array>

#include "vrrp/timers.h"

namespace keepvip::vrrp {
namespace {

constexpr uint8_t kAuthNone = 0;
constexpr uint8_t kAuthPass = 1;
constexpr size_t kPasswordBytes = 8;

// keepalived keeps auth_pass in an 8-byte NUL-padded field and compares the
// whole field, so only the first 8 characters count on either side.
std::array<char, kPasswordBytes> password_field(std::string_view text) {
  std::array<char, kPasswordBytes> field{};
  std::copy_n(text.begin(), std::min(text.size(), kPasswordBytes), field.begin());
  return field;
}

ReceiveVerdict check_auth(const config::Instance& instance, const proto::Advert& advert) {
  const uint8_t expected_type = instance.auth_pass ? kAuthPass : kAuthNone;
  if (advert.auth_type != expected_type) return unexpected(RejectReason::AuthTypeMismatch);
  if (instance.auth_pass &&
      password_field(*instance.auth_pass) != password_field(advert.auth_data)) {
    return unexpected(RejectReason::AuthMismatch);
  }
  return {};
}

// The VIPs an instance advertises: those of the advert's family.
bool same_address_list(const config::Instance& instance, const proto::Advert& advert,
                       Family family) {
  size_t ours = 0;
  for (const config::VirtualAddress& vip : instance.virtual_addresses) {
    if (vip.prefix.address.family() != family) continue;
    ++ours;
    if (std::find(advert.addresses.begin(), advert.addresses.end(), vip.prefix.address) ==
        advert.addresses.end()) {
      return false;
    }
  }
  return ours == advert.addresses.size();
}

std::optional<Family> instance_family(const config::Instance& instance) {
  if (instance.virtual_addresses.empty()) return std::nullopt;
  return instance.virtual_addresses.front().prefix.address.family();
}

}  // namespace

std::string_view to_string(RejectReason reason) {
  switch (reason) {
    case RejectReason::OwnAdvert:
      return "own-advert";
    case RejectReason::FamilyMismatch:
      return "family-mismatch";
    case RejectReason::VridMismatch:
      return "vrid-mismatch";
    case RejectReason::VersionMismatch:
      return "version-mismatch";
    case RejectReason::AuthTypeMismatch:
      return "auth-type-mismatch";
    case RejectReason::AuthMismatch:
      return "auth-mismatch";
    case RejectReason::IntervalMismatch:
      return "interval-mismatch";
    case RejectReason::AddressListMismatch:
      return "address-list-mismatch";
  }
  return "unknown";
}

ReceiveVerdict check_received_advert(const config::Instance& instance, const proto::Advert& advert,
                                     const IpAddress& source, const ReceiveContext& context) {
  // Multicast loopback or a unicast peer list that names ourselves.
  if (source == context.local_address) return unexpected(RejectReason::OwnAdvert);
  const std::optional<Family> family = instance_family(instance);
  if (family && source.family() != *family) return unexpected(RejectReason::FamilyMismatch);
  if (advert.vrid != instance.vrid) return unexpected(RejectReason::VridMismatch);
  if (advert.version != instance.version) return unexpected(RejectReason::VersionMismatch);

  if (advert.version == 2) {
    if (ReceiveVerdict auth = check_auth(instance, advert); !auth) return auth;
    // RFC 3768 §7.1: v2 routers must agree on the interval (v3 backups learn it).
    if (from_centiseconds(advert.interval_cs) != instance.advert_interval) {
      return unexpected(RejectReason::IntervalMismatch);
    }
  }

  // RFC 3768/9568 §7.1 make this check a MAY and still accept an owner's
  // (priority 255) advert that fails it. keepalived 2.2.7 is stricter, and we
  // follow it so mixed clusters agree on which adverts count: a mismatch is
  // always dropped (vrrp_check_packet returns VRRP_PACKET_KO and counts
  // addr_list_err), vrrp_strict or not. The only exception is
  // vrrp_skip_check_adv_addr, which skips the check for adverts from the
  // master we already follow (vrrp_state_backup).
  const bool from_current_master = context.current_master && *context.current_master == source;
  if (!(context.skip_check_adv_addr && from_current_master) &&
      !same_address_list(instance, advert, source.family())) {
    return unexpected(RejectReason::AddressListMismatch);
  }
  return {};
}

}  // namespace keepvip::vrrp
