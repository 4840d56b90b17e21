// The shipped policy (dbus/org.keepvip1.conf) on a private bus configured like
// the system bus: a non-root caller may read properties and introspect, but
// may not call methods or own the name. Needs root (to own the name and to
// switch to uid 65534); skips otherwise.
#include <gmock/gmock.h>
#include <grp.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "common/sd_owners.h"
#include "dbus/bus_service.h"
#include "fake_control.h"
#include "private_bus.h"

#ifndef KEEPVIP_DBUS_POLICY
#error "KEEPVIP_DBUS_POLICY must name the shipped policy file"
#endif
#ifndef KEEPVIPCTL_PATH
#error "KEEPVIPCTL_PATH must name the keepvipctl binary"
#endif

namespace keepvip::testing {
namespace {

using ::testing::HasSubstr;

constexpr uid_t kNobody = 65534;

// The default policy of Debian's and Fedora's system.conf, then ours.
const char* kSystemLikePolicy = R"(
  <policy context="default">
    <allow user="*"/>
    <deny own="*"/>
    <deny send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
    <allow send_destination="org.freedesktop.DBus" send_interface="org.freedesktop.DBus"/>
    <allow send_destination="org.freedesktop.DBus"
           send_interface="org.freedesktop.DBus.Introspectable"/>
  </policy>
  <include>)" KEEPVIP_DBUS_POLICY R"(</include>
)";

class PolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (geteuid() != 0) GTEST_SKIP() << "needs root: owns org.keepvip1 and switches to uid 65534";
    if (access("/usr/bin/setpriv", X_OK) != 0) GTEST_SKIP() << "setpriv not installed";
    if (!PrivateBus::available()) GTEST_SKIP() << "dbus-daemon not installed";
    auto bus = PrivateBus::start("system", kSystemLikePolicy);
    ASSERT_TRUE(bus) << bus.error().describe();
    bus_ = std::make_unique<PrivateBus>(std::move(*bus));
    // The caller runs as nobody: it must reach the socket.
    ASSERT_EQ(chmod(bus_->directory().c_str(), 0755), 0);
    setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_->address().c_str(), 1);
    sd_event* e = nullptr;
    ASSERT_GE(sd_event_new(&e), 0);
    loop_.reset(e);
    auto service = dbus::BusService::open(loop_.get(), control_, dbus::BusKind::System);
    ASSERT_TRUE(service) << service.error().describe();
    service_ = std::move(*service);
    ports::InstanceSnapshot vi1;
    vi1.name = "VI_1";
    vi1.state = vrrp::State::Master;
    service_->instances_reset({vi1});
  }

  void TearDown() override {
    service_.reset();
    loop_.reset();
    bus_.reset();
  }

  ProcessResult as_nobody(std::vector<std::string> argv) {
    std::vector<std::string> full = {"setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                                     "--"};
    full.insert(full.end(), argv.begin(), argv.end());
    return run_process(loop_.get(), full, {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_->address()});
  }

  FakeControl control_;
  std::unique_ptr<PrivateBus> bus_;
  EventPtr loop_;
  std::unique_ptr<dbus::BusService> service_;
};

TEST_F(PolicyTest, NonRootReadsProperties) {
  auto r = as_nobody({"busctl", "--system", "get-property", dbus::kBusName, dbus::kManagerPath,
                      dbus::kManagerInterface, "Version"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "s \"0.1.0\"\n");

  auto state =
      as_nobody({"busctl", "--system", "get-property", dbus::kBusName,
                 dbus::BusService::instance_path("VI_1"), dbus::kInstanceInterface, "State"});
  EXPECT_EQ(state.exit_code, 0) << state.err;
  EXPECT_EQ(state.out, "s \"MASTER\"\n");

  auto tree = as_nobody({"busctl", "--system", "introspect", dbus::kBusName, dbus::kManagerPath});
  EXPECT_EQ(tree.exit_code, 0) << tree.err;
  EXPECT_THAT(tree.out, HasSubstr(".Reload"));

  auto listing = as_nobody({"busctl", "--system", "--list", "tree", dbus::kBusName});
  EXPECT_EQ(listing.exit_code, 0) << listing.err;
  EXPECT_THAT(listing.out, HasSubstr(dbus::BusService::instance_path("VI_1")));

  auto status = as_nobody({KEEPVIPCTL_PATH, "status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("VI_1"));
}

TEST_F(PolicyTest, NonRootMethodCallIsDenied) {
  auto r = as_nobody({"busctl", "--system", "call", dbus::kBusName, dbus::kManagerPath,
                      dbus::kManagerInterface, "Reload"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("ccess denied")) << r.err;

  auto ctl = as_nobody({KEEPVIPCTL_PATH, "resign", "VI_1"});
  EXPECT_EQ(ctl.exit_code, 1) << ctl.err;
  EXPECT_THAT(ctl.err, HasSubstr("org.freedesktop.DBus.Error.AccessDenied"));
  EXPECT_TRUE(control_.requests.empty()) << "a denied call must not reach the daemon";
}

TEST_F(PolicyTest, RootMayCallMethods) {
  auto r = run_process(loop_.get(), {KEEPVIPCTL_PATH, "resign", "VI_1", "--hold", "2"},
                       {"DBUS_SYSTEM_BUS_ADDRESS=" + bus_->address()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(control_.requests, ::testing::ElementsAre("resign VI_1 2000000"));
}

TEST_F(PolicyTest, NonRootCannotOwnTheName) {
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (setgroups(0, nullptr) < 0 || setresgid(kNobody, kNobody, kNobody) < 0 ||
        setresuid(kNobody, kNobody, kNobody) < 0)
      _exit(2);
    sd_bus* raw = nullptr;
    if (sd_bus_open_system(&raw) < 0) _exit(3);
    BusPtr bus(raw);
    int r = sd_bus_request_name(bus.get(), "org.keepvip1", SD_BUS_NAME_QUEUE);
    _exit(r == -EACCES ? 0 : 1);
  }
  int status = 0;
  ASSERT_TRUE(pump_until(loop_.get(), [&] { return waitpid(pid, &status, WNOHANG) == pid; }));
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0) << "1: name request was not denied; 2/3: setup failed";
}

}  // namespace
}  // namespace keepvip::testing
