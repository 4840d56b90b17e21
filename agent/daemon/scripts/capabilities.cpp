#include "daemon/scripts/capabilities.h"

#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

namespace keepvip::daemon {
namespace {

// The kernel numbers capabilities up to 63 in two 32-bit words; a
// capability past its last one makes PR_CAPBSET_DROP fail with EINVAL.
constexpr int kMaxCapability = 63;

struct CapabilitySets {
  uint64_t effective = 0;
  uint64_t permitted = 0;
  uint64_t inheritable = 0;
};

int get_sets(CapabilitySets& sets) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (::syscall(SYS_capget, &header, data) != 0) return errno;
  auto join = [](uint32_t low, uint32_t high) { return (uint64_t{high} << 32) | low; };
  sets.effective = join(data[0].effective, data[1].effective);
  sets.permitted = join(data[0].permitted, data[1].permitted);
  sets.inheritable = join(data[0].inheritable, data[1].inheritable);
  return 0;
}

int set_sets(const CapabilitySets& sets) {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  for (int word = 0; word < 2; ++word) {
    int shift = 32 * word;
    data[word].effective = static_cast<uint32_t>(sets.effective >> shift);
    data[word].permitted = static_cast<uint32_t>(sets.permitted >> shift);
    data[word].inheritable = static_cast<uint32_t>(sets.inheritable >> shift);
  }
  return ::syscall(SYS_capset, &header, data) == 0 ? 0 : errno;
}

}  // namespace

uint64_t script_capability_ceiling(uint64_t daemon_permitted) {
  return (capability_bit(CAP_NET_ADMIN) | capability_bit(CAP_NET_RAW)) & daemon_permitted;
}

uint64_t own_permitted_capabilities() {
  CapabilitySets sets;
  return get_sets(sets) == 0 ? sets.permitted : 0;
}

int bound_capabilities(uint64_t ceiling) {
  for (int cap = 0; cap <= kMaxCapability; ++cap) {
    if (ceiling & capability_bit(cap)) continue;
    if (::prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0) continue;
    if (errno == EINVAL) break;  // past the kernel's last capability
    // Without CAP_SETPCAP nothing can be dropped; that only matters if the
    // capability is there and a root exec would hand it back.
    if (::prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 && ::geteuid() == 0) return EPERM;
  }
  return 0;
}

int limit_capabilities(uint64_t ceiling) {
  CapabilitySets sets;
  if (int r = get_sets(sets); r != 0) return r;
  sets.permitted &= ceiling;
  sets.effective &= ceiling;
  sets.inheritable = 0;
  if (int r = set_sets(sets); r != 0) return r;
  // Kernels before 4.3 have no ambient set, so nothing to clear.
  if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL)
    return errno;
  return 0;
}

}  // namespace keepvip::daemon
