#include "daemon/tracking/process_quorum.h"

#include <gtest/gtest.h>

namespace keepvip::daemon {
namespace {

using Kind = ports::ProcessEvent::Kind;
constexpr Usec kSecond{1'000'000};

config::TrackedProcess named(std::string comm) {
  config::TrackedProcess p;
  p.name = "proc";
  p.process = std::move(comm);
  return p;
}

ports::ProcessEvent exec(int32_t pid, std::string comm) {
  return {Kind::Exec, pid, 0, comm, comm + std::string(1, '\0')};
}
ports::ProcessEvent exit_of(int32_t pid) {
  return {Kind::Exit, pid, 0, "", ""};
}
ports::ProcessEvent fork_of(int32_t parent, int32_t child) {
  return {Kind::Fork, child, parent, "", ""};
}
ports::ProcessEvent rename(int32_t pid, std::string comm) {
  return {Kind::Rename, pid, 0, std::move(comm), ""};
}

struct Harness {
  explicit Harness(config::TrackedProcess spec)
      : quorum(std::move(spec), [this](bool up) { flips.push_back(up); }) {}
  ProcessQuorum quorum;
  std::vector<bool> flips;
};

TEST(ProcessQuorum, StartsFromTheScanWithoutReporting) {
  Harness h(named("sleep"));
  h.quorum.initialise({{10, "sleep", ""}, {11, "bash", ""}});
  EXPECT_TRUE(h.quorum.up());
  EXPECT_EQ(h.quorum.count(), 1u);
  EXPECT_TRUE(h.flips.empty());
  Harness none(named("sleep"));
  none.quorum.initialise({{11, "bash", ""}});
  EXPECT_FALSE(none.quorum.up());
}

TEST(ProcessQuorum, ExitLosesAndExecGainsWithoutDelays) {
  Harness h(named("sleep"));
  h.quorum.initialise({{10, "sleep", ""}});
  h.quorum.on_event(exit_of(10), Usec{0});
  EXPECT_EQ(h.flips, std::vector<bool>{false});
  h.quorum.on_event(exec(12, "sleep"), Usec{0});
  EXPECT_EQ(h.flips, (std::vector<bool>{false, true}));
  h.quorum.on_event(exit_of(99), Usec{0});  // never counted
  EXPECT_EQ(h.flips.size(), 2u);
}

TEST(ProcessQuorum, QuorumAndQuorumMax) {
  auto spec = named("w");
  spec.quorum = 2;
  spec.quorum_max = 3;
  Harness h(spec);
  h.quorum.initialise({{1, "w", ""}});
  EXPECT_FALSE(h.quorum.up());
  h.quorum.on_event(exec(2, "w"), Usec{0});
  EXPECT_TRUE(h.quorum.up());
  h.quorum.on_event(exec(3, "w"), Usec{0});
  EXPECT_TRUE(h.quorum.up());
  h.quorum.on_event(exec(4, "w"), Usec{0});  // four is more than quorum_max
  EXPECT_FALSE(h.quorum.up());
  h.quorum.on_event(exit_of(4), Usec{0});
  EXPECT_TRUE(h.quorum.up());
  h.quorum.on_event(exit_of(3), Usec{0});
  h.quorum.on_event(exit_of(2), Usec{0});
  EXPECT_FALSE(h.quorum.up());
  EXPECT_EQ(h.flips, (std::vector<bool>{true, false, true, false}));
}

TEST(ProcessQuorum, QuorumMaxZeroMeansNoneMayRun) {
  auto spec = named("bad");
  spec.quorum = 0;
  spec.quorum_max = 0;
  Harness h(spec);
  h.quorum.initialise({});
  EXPECT_TRUE(h.quorum.up());
  h.quorum.on_event(exec(5, "bad"), Usec{0});
  EXPECT_FALSE(h.quorum.up());
  h.quorum.on_event(exit_of(5), Usec{0});
  EXPECT_TRUE(h.quorum.up());
}

TEST(ProcessQuorum, TerminateDelayWaitsAndARestartCancelsIt) {
  auto spec = named("d");
  spec.terminate_delay = 2 * kSecond;
  Harness h(spec);
  h.quorum.initialise({{1, "d", ""}});
  h.quorum.on_event(exit_of(1), Usec{0});
  EXPECT_TRUE(h.quorum.up());
  ASSERT_TRUE(h.quorum.due());
  EXPECT_EQ(*h.quorum.due(), 2 * kSecond);
  h.quorum.on_event(exec(2, "d"), kSecond);  // restarted within the delay
  EXPECT_FALSE(h.quorum.due());
  EXPECT_TRUE(h.flips.empty());
  h.quorum.on_event(exit_of(2), 3 * kSecond);
  h.quorum.expire(4 * kSecond);  // too early
  EXPECT_TRUE(h.quorum.up());
  h.quorum.expire(5 * kSecond);
  EXPECT_FALSE(h.quorum.up());
  EXPECT_EQ(h.flips, std::vector<bool>{false});
}

TEST(ProcessQuorum, ForkDelayAppliesToForksNotToExecs) {
  auto spec = named("f");
  spec.fork_delay = kSecond;
  Harness h(spec);
  h.quorum.initialise({{1, "other", ""}});
  h.quorum.on_event(exec(2, "f"), Usec{0});
  EXPECT_EQ(h.flips, std::vector<bool>{true});  // an exec is counted at once
  h.quorum.on_event(exit_of(2), Usec{0});
  EXPECT_EQ(h.flips, (std::vector<bool>{true, false}));
  // Not counted parent: its child is not either.
  h.quorum.on_event(fork_of(1, 3), Usec{0});
  EXPECT_EQ(h.quorum.count(), 0u);
  h.quorum.on_event(exec(4, "f"), Usec{0});
  h.quorum.on_event(exit_of(4), Usec{0});
  h.flips.clear();
  // A counted process forks after the quorum was lost: the child counts after fork_delay.
  auto spec2 = named("f");
  spec2.fork_delay = kSecond;
  spec2.quorum = 2;
  Harness g(spec2);
  g.quorum.initialise({{7, "f", ""}});
  g.quorum.on_event(fork_of(7, 8), Usec{0});
  EXPECT_EQ(g.quorum.count(), 2u);
  EXPECT_FALSE(g.quorum.up());
  g.quorum.expire(kSecond);
  EXPECT_TRUE(g.quorum.up());
  // An exit while a fork delay runs cancels it: the verdict follows at once.
  g.quorum.on_event(exit_of(8), 2 * kSecond);
  EXPECT_FALSE(g.quorum.up());
  g.quorum.on_event(fork_of(7, 9), 3 * kSecond);
  g.quorum.on_event(exit_of(9), 3 * kSecond);
  EXPECT_FALSE(g.quorum.due());
  EXPECT_EQ(g.flips, (std::vector<bool>{true, false}));
}

TEST(ProcessQuorum, RenameCountsForNameMatchingOnly) {
  Harness h(named("newname"));
  h.quorum.initialise({{1, "oldname", ""}});
  h.quorum.on_event(rename(1, "newname"), Usec{0});
  EXPECT_TRUE(h.quorum.up());
  h.quorum.on_event(rename(1, "other"), Usec{0});
  EXPECT_FALSE(h.quorum.up());
  auto full = named("/bin/x");
  full.full_command = true;
  Harness f(full);
  f.quorum.initialise({{1, "x", "/bin/x\0"}});
  EXPECT_TRUE(f.quorum.up());
  f.quorum.on_event(rename(1, "other"), Usec{0});
  EXPECT_TRUE(f.quorum.up());
}

TEST(ProcessQuorum, ExecOfAnotherImageStopsCountingWithoutDelay) {
  auto spec = named("a");
  spec.terminate_delay = kSecond;
  Harness h(spec);
  h.quorum.initialise({{1, "a", ""}});
  h.quorum.on_event(exec(1, "b"), Usec{0});
  EXPECT_FALSE(h.quorum.up());
  h.quorum.on_event(exec(2, "a"), Usec{0});
  h.quorum.on_event(exec(2, "a"), Usec{0});  // counted once
  EXPECT_EQ(h.quorum.count(), 1u);
}

TEST(ProcessQuorum, RecountAfterLostEvents) {
  auto spec = named("r");
  spec.terminate_delay = kSecond;
  Harness h(spec);
  h.quorum.initialise({{1, "r", ""}});
  h.quorum.recount({{1, "r", ""}, {2, "r", ""}}, Usec{0});  // same side of the quorum
  EXPECT_TRUE(h.flips.empty());
  h.quorum.recount({}, Usec{0});
  EXPECT_TRUE(h.quorum.up());  // waits terminate_delay
  h.quorum.expire(kSecond);
  EXPECT_EQ(h.flips, std::vector<bool>{false});
  h.quorum.recount({{5, "r", ""}}, 2 * kSecond);
  EXPECT_EQ(h.flips, (std::vector<bool>{false, true}));
}

}  // namespace
}  // namespace keepvip::daemon
