// Attaching to a real interface: a veth pair in a namespace of its own
// (kvbpf-<pid>). XDP native first, tc ingress when XDP is taken; nothing of
// ours left after detach, after the guard is destroyed, or after a crash
// followed by a restart.
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/if_link.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>

#include "drop_names.h"
#include "guard/bpf_guard.h"
#include "guard/bpf_owners.h"
#include "guard/null_guard.h"
#include "packet_builder.h"

namespace keepvip::test {
namespace {

std::string run(const std::string& command) {
  std::string out;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return out;
  std::array<char, 512> buf{};
  while (std::fgets(buf.data(), buf.size(), p)) out += buf.data();
  ::pclose(p);
  return out;
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// A trivial XDP program attached the legacy way, standing in for someone
// else's program that occupies the interface's XDP hook.
class ForeignXdp {
 public:
  explicit ForeignXdp(int ifindex) : ifindex_(ifindex) {
    bpf_insn insns[2] = {};
    insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;  // r0 = XDP_PASS
    insns[0].imm = XDP_PASS;
    insns[1].code = BPF_JMP | BPF_EXIT;
    fd_ = bpf_prog_load(BPF_PROG_TYPE_XDP, "kv_foreign", "GPL", insns, 2, nullptr);
    if (fd_ >= 0) attached_ = bpf_xdp_attach(ifindex_, fd_, XDP_FLAGS_DRV_MODE, nullptr) == 0;
  }
  ~ForeignXdp() {
    if (attached_) bpf_xdp_detach(ifindex_, XDP_FLAGS_DRV_MODE, nullptr);
    if (fd_ >= 0) ::close(fd_);
  }
  ForeignXdp(const ForeignXdp&) = delete;
  ForeignXdp& operator=(const ForeignXdp&) = delete;
  bool attached() const { return attached_; }

 private:
  int ifindex_;
  int fd_ = -1;
  bool attached_ = false;
};

// A tc egress program on the peer that pushes an 802.1Q tag the way a VLAN
// interface on a NIC with tx VLAN offload does: beside the frame
// (skb->vlan_tci), not in it. The veth hands it to kvbpf0 like a NIC with rx
// VLAN offload, so XDP there sees an untagged frame.
class TagPusher {
 public:
  explicit TagPusher(int ifindex) {
    bpf_insn insns[5] = {};
    insns[0].code = BPF_ALU64 | BPF_MOV | BPF_K;  // r2 = htons(ETH_P_8021Q)
    insns[0].dst_reg = BPF_REG_2;
    insns[0].imm = 0x0081;
    insns[1].code = BPF_ALU64 | BPF_MOV | BPF_K;  // r3 = VLAN 100
    insns[1].dst_reg = BPF_REG_3;
    insns[1].imm = 100;
    insns[2].code = BPF_JMP | BPF_CALL;  // bpf_skb_vlan_push(skb, proto, tci)
    insns[2].imm = BPF_FUNC_skb_vlan_push;
    insns[3].code = BPF_ALU64 | BPF_MOV | BPF_K;  // r0 = TC_ACT_OK
    insns[4].code = BPF_JMP | BPF_EXIT;
    fd_ = bpf_prog_load(BPF_PROG_TYPE_SCHED_CLS, "kv_tag_push", "GPL", insns, 5, nullptr);
    if (fd_ < 0) return;
    auto filter = guard::TcFilter::attach(fd_, ifindex, guard::TcDirection::Egress);
    if (filter) filter_.emplace(std::move(*filter));
  }
  ~TagPusher() {
    filter_.reset();
    if (fd_ >= 0) ::close(fd_);
  }
  TagPusher(const TagPusher&) = delete;
  TagPusher& operator=(const TagPusher&) = delete;
  bool attached() const { return filter_.has_value(); }

 private:
  int fd_ = -1;
  std::optional<guard::TcFilter> filter_;
};

class GuardAttachTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root to create namespaces and attach BPF";
    if (!contains(run("ip -V"), "iproute2")) GTEST_SKIP() << "iproute2 not installed";
    ns_ = "kvbpf-" + std::to_string(::getpid());
    ASSERT_EQ(run("ip netns add " + ns_), "");
    created_ = true;
    ASSERT_EQ(run("ip -n " + ns_ + " link add kvbpf0 type veth peer name kvbpf1"), "");
    ASSERT_EQ(run("ip -n " + ns_ + " link set kvbpf0 up"), "");
    ASSERT_EQ(run("ip -n " + ns_ + " link set kvbpf1 up"), "");
    // A veth strips VLAN tags like a NIC with rx VLAN offload; the tests
    // here are about the plain XDP/tc choice, VlanOffload* below about that.
    if (!contains(run("ethtool --version"), "ethtool")) GTEST_SKIP() << "ethtool not installed";
    ASSERT_EQ(
        run("ip netns exec " + ns_ + " ethtool -K kvbpf0 rxvlan off rx-vlan-stag-hw-parse off"),
        "");
    // This thread (and anything it forks) now lives in the namespace.
    home_ = ::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    ASSERT_GE(home_, 0);
    int ns = ::open(("/run/netns/" + ns_).c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(ns, 0);
    ASSERT_EQ(::setns(ns, CLONE_NEWNET), 0);
    ::close(ns);
    ifindex_ = static_cast<int>(if_nametoindex("kvbpf0"));
    ASSERT_GT(ifindex_, 0);
  }

  void TearDown() override {
    if (home_ >= 0) {
      EXPECT_EQ(::setns(home_, CLONE_NEWNET), 0);
      ::close(home_);
    }
    if (created_) run("ip netns del " + ns_);
  }

  std::unique_ptr<guard::BpfGuard> load() {
    auto g = guard::BpfGuard::load();
    EXPECT_TRUE(g) << g.error().describe();
    return g ? std::move(*g) : nullptr;
  }

  std::string link() { return run("ip -n " + ns_ + " -d link show dev kvbpf0"); }
  std::string tc(const char* direction) {
    return run("tc -n " + ns_ + " filter show dev kvbpf0 " + direction);
  }
  bool any_xdp() { return contains(link(), "prog/xdp"); }
  // VRID 51 on kvbpf0: PASS "secret", VIP 192.0.2.10, we are 192.0.2.50.
  ports::GuardInstance vrid_51() const {
    ports::GuardInstance inst;
    inst.ifindex = ifindex_;
    inst.receive.vrid = 51;
    inst.receive.auth_pass = "secret";
    inst.priority = 100;
    inst.receive.local_address = *IpAddress::parse("192.0.2.50");
    inst.own_addresses = {inst.receive.local_address};
    inst.receive.vips = {*IpAddress::parse("192.0.2.10")};
    inst.vips = inst.receive.vips;
    return inst;
  }
  bool our_tc(const char* direction) { return contains(tc(direction), "handle 0x4b56"); }

  std::string ns_;
  bool created_ = false;
  int home_ = -1;
  int ifindex_ = 0;
};

// With rx VLAN offload the program asks the driver for the tag it took off:
// bound to the device, as the kfunc requires.
TEST_F(GuardAttachTest, VlanOffloadGetsTheDeviceBoundProgram) {
  ASSERT_EQ(run("ip netns exec " + ns_ + " ethtool -K kvbpf0 rxvlan on"), "");
  auto guard = load();
  ASSERT_TRUE(guard);
  auto mode = guard->attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode) << mode.error().describe();
  if (ports::describe(*mode) == "tc, rx VLAN offload hides the tags from XDP")
    GTEST_SKIP() << "this kernel or driver gives XDP no VLAN tags (Linux 6.8+ veth does)";
  EXPECT_EQ(ports::describe(*mode), "xdp-native, VLAN tags from the driver");
  EXPECT_TRUE(contains(link(), "prog/xdp ")) << link();
  EXPECT_FALSE(our_tc("ingress"));
  guard->detach_all();
  EXPECT_FALSE(any_xdp()) << link();
}

TEST_F(GuardAttachTest, NativeXdpOnVethThenNothingLeftAfterDetach) {
  auto guard = load();
  ASSERT_TRUE(guard);
  auto mode = guard->attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode) << mode.error().describe();
  EXPECT_EQ(ports::describe(*mode), "xdp-native");
  EXPECT_TRUE(contains(link(), "prog/xdp ")) << link();
  EXPECT_FALSE(our_tc("ingress")) << "XDP works: no tc ingress filter";
  EXPECT_TRUE(our_tc("egress")) << tc("egress");
  EXPECT_EQ(ports::describe(*guard->attach(ifindex_, "kvbpf0")), "xdp-native")
      << "attaching twice is a no-op";

  guard->detach_all();
  EXPECT_FALSE(any_xdp()) << link();
  EXPECT_FALSE(our_tc("egress")) << tc("egress");

  // The destructor detaches too.
  ASSERT_TRUE(guard->attach(ifindex_, "kvbpf0"));
  EXPECT_TRUE(any_xdp());
  guard.reset();
  EXPECT_FALSE(any_xdp()) << link();
  EXPECT_FALSE(our_tc("egress")) << tc("egress");
}

TEST_F(GuardAttachTest, DetachLeavesOneInterfaceAndKeepsTheOther) {
  // A reload that moved every instance off kvbpf0 (its peer kvbpf1 stays used).
  auto guard = load();
  ASSERT_TRUE(guard);
  int other = static_cast<int>(if_nametoindex("kvbpf1"));
  ASSERT_GT(other, 0);
  ASSERT_TRUE(guard->attach(ifindex_, "kvbpf0"));
  ASSERT_TRUE(guard->attach(other, "kvbpf1"));
  guard->detach(ifindex_);
  EXPECT_FALSE(any_xdp()) << link();
  EXPECT_FALSE(our_tc("egress")) << tc("egress");
  std::string kept = run("ip -n " + ns_ + " -d link show dev kvbpf1");
  EXPECT_TRUE(contains(kept, "prog/xdp")) << kept;
  ASSERT_TRUE(guard->attach(ifindex_, "kvbpf0")) << "attaching again after detach";
  EXPECT_TRUE(any_xdp()) << link();
}

TEST_F(GuardAttachTest, FallsBackToTcWhenXdpIsTakenAndLeavesTheOtherProgramAlone) {
  ForeignXdp foreign(ifindex_);
  ASSERT_TRUE(foreign.attached());
  auto guard = load();
  ASSERT_TRUE(guard);
  auto mode = guard->attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode) << mode.error().describe();
  EXPECT_EQ(ports::describe(*mode), "tc");
  EXPECT_TRUE(our_tc("ingress")) << tc("ingress");
  EXPECT_TRUE(our_tc("egress")) << tc("egress");
  guard->detach_all();
  EXPECT_FALSE(our_tc("ingress")) << tc("ingress");
  EXPECT_FALSE(our_tc("egress")) << tc("egress");
  EXPECT_TRUE(contains(link(), "kv_foreign")) << "someone else's XDP program stays";
}

// Runs `attach` in a child that is then SIGKILLed, as in a crash.
void crash_after_attach(int ifindex) {
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto g = guard::BpfGuard::load();
    if (!g || !(*g)->attach(ifindex, "kvbpf0")) ::_exit(1);
    ::raise(SIGKILL);
    ::_exit(2);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "child status " << status;
}

TEST_F(GuardAttachTest, CrashLeavesNoXdpProgram) {
  crash_after_attach(ifindex_);
  EXPECT_FALSE(any_xdp()) << "the bpf_link died with the process: " << link();
  // tc filters outlive the process; the next start replaces and then removes them.
  EXPECT_TRUE(our_tc("egress"));
  auto guard = load();
  ASSERT_TRUE(guard);
  ASSERT_TRUE(guard->attach(ifindex_, "kvbpf0"));
  guard.reset();
  EXPECT_FALSE(any_xdp());
  EXPECT_FALSE(our_tc("egress")) << tc("egress");
}

TEST_F(GuardAttachTest, RestartAfterCrashReplacesTheStaleTcFilter) {
  ForeignXdp foreign(ifindex_);
  ASSERT_TRUE(foreign.attached());
  crash_after_attach(ifindex_);
  ASSERT_TRUE(our_tc("ingress")) << "the crashed run's filter is still there";

  auto guard = load();
  ASSERT_TRUE(guard);
  auto mode = guard->attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode) << mode.error().describe();
  EXPECT_EQ(ports::describe(*mode), "tc");
  auto filters = tc("ingress");
  size_t ours = 0;
  for (size_t at = 0; (at = filters.find("handle 0x4b56", at)) != std::string::npos; ++at) ++ours;
  EXPECT_EQ(ours, 1u) << "replaced, not stacked: " << filters;
  guard.reset();
  EXPECT_FALSE(our_tc("ingress")) << tc("ingress");
}

TEST_F(GuardAttachTest, RestartWithoutTheGuardRemovesTheCrashedRunsFilters) {
  ForeignXdp foreign(ifindex_);
  ASSERT_TRUE(foreign.attached());
  crash_after_attach(ifindex_);
  ASSERT_TRUE(our_tc("ingress")) << "the crashed run's filter is still there";
  ASSERT_TRUE(our_tc("egress"));

  guard::NullGuard none;  // keepvipd --no-bpf
  auto mode = none.attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode);
  EXPECT_EQ(ports::describe(*mode), "none");
  EXPECT_FALSE(our_tc("ingress")) << "no filtering by the old configuration: " << tc("ingress");
  EXPECT_FALSE(our_tc("egress")) << tc("egress");
}

// Frames sent into kvbpf1 arrive on kvbpf0, where the guard runs natively.
class PeerSocket {
 public:
  explicit PeerSocket(const char* ifname) {
    fd_ = ::socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
    sockaddr_ll addr{};
    addr.sll_family = AF_PACKET;
    addr.sll_ifindex = static_cast<int>(if_nametoindex(ifname));
    if (fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~PeerSocket() {
    if (fd_ >= 0) ::close(fd_);
  }
  PeerSocket(const PeerSocket&) = delete;
  PeerSocket& operator=(const PeerSocket&) = delete;
  bool ok() const { return fd_ >= 0; }
  void send(const std::vector<uint8_t>& frame) {
    EXPECT_EQ(::send(fd_, frame.data(), frame.size(), 0), static_cast<ssize_t>(frame.size()));
  }

 private:
  int fd_ = -1;
};

Mac mac_of(const char* ifname) {
  Mac mac{};
  int sock = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ifreq req{};
  std::strncpy(req.ifr_name, ifname, IFNAMSIZ - 1);
  if (sock >= 0 && ::ioctl(sock, SIOCGIFHWADDR, &req) == 0)
    std::memcpy(mac.data(), req.ifr_hwaddr.sa_data, 6);
  if (sock >= 0) ::close(sock);
  return mac;
}

TEST_F(GuardAttachTest, AttachedGuardFiltersAndReportsRealTraffic) {
  auto guard = load();
  ASSERT_TRUE(guard);
  ASSERT_TRUE(guard->configure({vrid_51()}));
  ASSERT_TRUE(guard->attach(ifindex_, "kvbpf0"));
  PeerSocket peer("kvbpf1");
  ASSERT_TRUE(peer.ok());

  peer.send(PacketBuilder().ipv4("192.0.2.2").vrrp({.password = "secret"}).build());
  peer.send(PacketBuilder().ipv4("192.0.2.2").ttl(64).vrrp({.password = "secret"}).build());
  std::optional<ports::RouterCounters> row;
  for (int i = 0; i < 100; ++i) {
    for (auto& r : guard->counters())
      if (r.source == *IpAddress::parse("192.0.2.2")) row = r;
    if (row && row->adverts == 1 && row->drops.size() == 1) break;
    ::usleep(10'000);
  }
  ASSERT_TRUE(row) << "nothing counted on kvbpf0";
  EXPECT_EQ(row->ifindex, ifindex_);
  EXPECT_EQ(row->adverts, 1u);
  EXPECT_EQ(testing::by_name(row->drops), (std::map<std::string, uint64_t>{{"bad-ttl", 1}}));

  // ARP for our VIP: from kvbpf0's own MAC it is ours, from another it is a conflict.
  ASSERT_TRUE(guard->set_role(ifindex_, 51, Family::V4, vrrp::State::Master));
  peer.send(PacketBuilder().arp({.sender_mac = mac_of("kvbpf0")}).build());
  peer.send(PacketBuilder().arp({.sender_mac = kPeerMac}).build());
  std::vector<vrrp::SplitBrainEvidence> seen;
  for (int i = 0; i < 100 && seen.empty(); ++i) {
    ::usleep(10'000);
    guard->drain([&](uint8_t, int, const vrrp::SplitBrainEvidence& e) { seen.push_back(e); });
  }
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(vrrp::to_string(seen[0].kind), "arp-conflict");
  EXPECT_EQ(seen[0].mac, "52:54:00:00:00:02");
}

// Adverts for another VLAN arrive with their tag taken off: eth0's instance
// must neither count nor drop them (they are eth0.100's, judged there),
// while the same advert untagged is judged as usual. On XDP bound to the
// device (the driver hands the tag over), and on tc where XDP is not to be
// had (skb->vlan_present).
class StrippedTagTest : public GuardAttachTest, public ::testing::WithParamInterface<bool> {};

TEST_P(StrippedTagTest, AdvertsWithAStrippedTagAreLeftToTheirVlan) {
  ASSERT_EQ(run("ip netns exec " + ns_ + " ethtool -K kvbpf0 rxvlan on"), "");
  std::optional<ForeignXdp> foreign;
  if (GetParam()) {
    foreign.emplace(ifindex_);  // XDP taken: the guard must use tc
    ASSERT_TRUE(foreign->attached());
  }
  auto guard = load();
  ASSERT_TRUE(guard);
  ASSERT_TRUE(guard->configure({vrid_51()}));
  auto mode = guard->attach(ifindex_, "kvbpf0");
  ASSERT_TRUE(mode) << mode.error().describe();
  std::cerr << "  kvbpf0: " << ports::describe(*mode) << "\n";
  if (GetParam()) {
    EXPECT_EQ(ports::describe(*mode), "tc, rx VLAN offload hides the tags from XDP");
  }
  PeerSocket peer("kvbpf1");
  ASSERT_TRUE(peer.ok());
  auto wrong_password = [](const char* source) {
    return PacketBuilder().ipv4(source).vrrp({.password = "other"}).build();
  };
  auto row_of = [&](const char* source) {
    std::optional<ports::RouterCounters> row;
    for (auto& r : guard->counters())
      if (r.source == *IpAddress::parse(source)) row = r;
    return row;
  };
  {
    TagPusher tags(static_cast<int>(if_nametoindex("kvbpf1")));
    ASSERT_TRUE(tags.attached());
    peer.send(wrong_password("192.0.2.3"));
    ::usleep(200'000);
  }
  EXPECT_FALSE(row_of("192.0.2.3")) << "eth0's instance judged another VLAN's advert";
  peer.send(wrong_password("192.0.2.4"));
  std::optional<ports::RouterCounters> untagged;
  for (int i = 0; i < 100 && !untagged; ++i) {
    ::usleep(10'000);
    untagged = row_of("192.0.2.4");
  }
  ASSERT_TRUE(untagged) << "the untagged advert was not judged at all";
  EXPECT_EQ(testing::by_name(untagged->drops),
            (std::map<std::string, uint64_t>{{"auth-mismatch", 1}}));
}

INSTANTIATE_TEST_SUITE_P(Attachments, StrippedTagTest, ::testing::Values(false, true),
                         [](const auto& param_info) { return param_info.param ? "Tc" : "Xdp"; });

}  // namespace
}  // namespace keepvip::test
