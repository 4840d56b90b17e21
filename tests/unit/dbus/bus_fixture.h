// A BusService on a private session bus plus a client connection on the same
// event loop; the client's calls are asynchronous and the loop is pumped
// until the service answers.
#pragma once

#include <gtest/gtest.h>
#include <systemd/sd-bus.h>

#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/sd_owners.h"
#include "dbus/bus_service.h"
#include "fake_control.h"
#include "private_bus.h"

namespace keepvip::testing {

struct Reply {
  MessagePtr message;
  bool error() const { return sd_bus_message_is_method_error(message.get(), nullptr) > 0; }
  std::string error_name() const {
    const sd_bus_error* e = sd_bus_message_get_error(message.get());
    return e && e->name ? e->name : "";
  }
  std::string error_message() const {
    const sd_bus_error* e = sd_bus_message_get_error(message.get());
    return e && e->message ? e->message : "";
  }
};

class BusFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!PrivateBus::available()) GTEST_SKIP() << "dbus-daemon not installed";
    auto bus = PrivateBus::start_session();
    ASSERT_TRUE(bus) << bus.error().describe();
    private_bus_ = std::make_unique<PrivateBus>(std::move(*bus));
    setenv("DBUS_SESSION_BUS_ADDRESS", private_bus_->address().c_str(), 1);
    sd_event* e = nullptr;
    ASSERT_GE(sd_event_new(&e), 0);
    loop_.reset(e);
    auto service = dbus::BusService::open(loop_.get(), control_, dbus::BusKind::User);
    ASSERT_TRUE(service) << service.error().describe();
    service_ = std::move(*service);
    sd_bus* c = nullptr;
    ASSERT_GE(sd_bus_open_user(&c), 0);
    client_.reset(c);
    ASSERT_GE(sd_bus_attach_event(client_.get(), loop_.get(), 0), 0);
  }

  void TearDown() override {
    client_.reset();
    service_.reset();
    loop_.reset();
    private_bus_.reset();
  }

  template <typename... Args>
  Reply call(const std::string& path, const char* interface, const char* member,
             const char* types = nullptr, Args... args) {
    sd_bus_message* m = nullptr;
    EXPECT_GE(sd_bus_message_new_method_call(client_.get(), &m, dbus::kBusName, path.c_str(),
                                             interface, member),
              0);
    MessagePtr msg(m);
    if (types) {
      EXPECT_GE(sd_bus_message_append(msg.get(), types, args...), 0);
    }
    Reply reply;
    sd_bus_slot* slot = nullptr;
    EXPECT_GE(sd_bus_call_async(
                  client_.get(), &slot, msg.get(),
                  [](sd_bus_message* r, void* userdata, sd_bus_error*) {
                    static_cast<Reply*>(userdata)->message.reset(sd_bus_message_ref(r));
                    return 0;
                  },
                  &reply, 5'000'000),
              0);
    SlotPtr owner(slot);
    EXPECT_TRUE(pump_until(loop_.get(), [&] { return reply.message != nullptr; }))
        << "no reply to " << member;
    return reply;
  }

  Reply get_property(const std::string& path, const char* interface, const char* property) {
    return call(path, "org.freedesktop.DBus.Properties", "Get", "ss", interface, property);
  }

  std::string get_string(const std::string& path, const char* interface, const char* property) {
    Reply r = get_property(path, interface, property);
    const char* s = nullptr;
    EXPECT_FALSE(r.error()) << r.error_name();
    EXPECT_GE(sd_bus_message_read(r.message.get(), "v", "s", &s), 0) << property;
    return s ? s : "";
  }

  FakeControl control_;
  std::unique_ptr<PrivateBus> private_bus_;
  EventPtr loop_;
  std::unique_ptr<dbus::BusService> service_;
  BusPtr client_;
};

}  // namespace keepvip::testing
