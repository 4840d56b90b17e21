// Fakes for the ports only the supervisor uses: sockets it opens per
// (interface, family), checks it starts (scripts, reference probes) and
// link events. Each records what was done, so tests can assert that a
// reload started, kept or stopped exactly what it should, and nothing else.
#pragma once

#include <sys/eventfd.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "common/fd.h"
#include "daemon/supervisor/ports.h"
#include "daemon/tracking/health_check.h"
#include "fakes.h"

namespace keepvip::daemon::testing {

// An fd that is never readable, for the event loop to watch.
inline UniqueFd quiet_fd() {
  return UniqueFd(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
}

// The sockets the supervisor has open, by (ifindex, family), and every
// advert sent through them.
struct FakeSockets {
  struct Socket : net::AdvertSocket {
    Socket(FakeSockets& sockets, std::pair<int, Family> channel) : owner(sockets), key(channel) {
      ++owner.open[key];
      owner.events.push_back("open " + std::to_string(key.first));
    }
    ~Socket() override {
      --owner.open[key];
      owner.events.push_back("close " + std::to_string(key.first));
    }
    int fd() const override { return fd_.get(); }
    Result<std::optional<net::Received>> receive() override {
      return std::optional<net::Received>{};
    }
    Result<> send(std::span<const uint8_t> payload, const IpAddress& destination,
                  const std::optional<IpAddress>& source, std::optional<uint8_t> ttl) override {
      owner.sent.push_back({{payload.begin(), payload.end()}, destination, source, ttl});
      owner.events.push_back("send " + std::to_string(key.first));
      return {};
    }
    FakeSockets& owner;
    std::pair<int, Family> key;
    UniqueFd fd_ = quiet_fd();
  };

  OpenAdvertSocket opener() {
    return [this](int ifindex, Family family) -> Result<std::unique_ptr<net::AdvertSocket>> {
      ++opened;
      return std::unique_ptr<net::AdvertSocket>(
          std::make_unique<Socket>(*this, std::pair{ifindex, family}));
    };
  }
  // How many are open now, over every key.
  int live() const {
    int n = 0;
    for (const auto& [key, count] : open) n += count;
    return n;
  }

  std::map<std::pair<int, Family>, int> open;
  int opened = 0;
  std::vector<SentAdvert> sent;
  std::vector<std::string> events;  // "open 2", "send 2", "close 2"
};

// Checks that run nothing: a test says their verdict. Named by script name
// or, for probes, "reference <address>".
struct FakeChecks {
  struct Check : HealthCheck {
    Check(FakeChecks& checks, std::string check, VerdictCallback on_verdict)
        : owner(checks), name(std::move(check)) {
      owner.started.push_back(name);
      owner.callbacks[name] = std::move(on_verdict);
    }
    ~Check() override {
      owner.stopped.push_back(name);
      owner.callbacks.erase(name);
    }
    bool up() const override { return owner.verdicts[name]; }
    FakeChecks& owner;
    std::string name;
  };

  CheckFactories factories() {
    CheckFactories f;
    f.script = [this](const config::Script& s,
                      VerdictCallback cb) -> Result<std::unique_ptr<HealthCheck>> {
      return std::unique_ptr<HealthCheck>(std::make_unique<Check>(*this, s.name, std::move(cb)));
    };
    f.reference = [this](const config::Arbitration& a,
                         VerdictCallback cb) -> Result<std::unique_ptr<HealthCheck>> {
      return std::unique_ptr<HealthCheck>(
          std::make_unique<Check>(*this, "reference " + a.reference.to_string(), std::move(cb)));
    };
    return f;
  }
  // A verdict flip, reported as a check reports one.
  void report(const std::string& name, bool up) {
    verdicts[name] = up;
    if (callbacks.count(name)) callbacks[name](up);
  }

  std::map<std::string, bool> verdicts;  // what up() says; false until set
  std::map<std::string, VerdictCallback> callbacks;
  std::vector<std::string> started, stopped;
};

// Process events a test queues, and the processes a scan finds.
struct FakeProcessEvents : ports::ProcessEvents {
  Result<> watch_names(const std::vector<std::string>& names) override {
    watched = names;
    return {};
  }
  Result<std::vector<ports::RunningProcess>> scan() override {
    ++scans;
    return running;
  }
  int fd() const override { return fd_.get(); }
  std::vector<ports::ProcessEvent> take(size_t) override {
    uint64_t n = 0;
    (void)!::read(fd_.get(), &n, sizeof n);
    return std::exchange(pending, {});
  }
  ports::ProcessEventCounters counters() const override { return {}; }
  void push(ports::ProcessEvent event) {
    pending.push_back(std::move(event));
    uint64_t one = 1;
    (void)!::write(fd_.get(), &one, sizeof one);
  }

  std::vector<std::string> watched;
  std::vector<ports::RunningProcess> running;
  std::vector<ports::ProcessEvent> pending;
  int scans = 0;
  UniqueFd fd_ = quiet_fd();
};

// Link events a test queues; the supervisor reads them when the loop runs.
struct FakeLinks : net::LinkEventSource {
  int fd() const override { return fd_.get(); }
  Result<> drain_links(const LinkCallback& on_link, const AddressCallback& on_address) override {
    uint64_t n = 0;
    (void)!::read(fd_.get(), &n, sizeof n);
    auto events = std::exchange(pending, {});
    for (const auto& e : events) {
      if (const auto* link = std::get_if<net::LinkEvent>(&e)) on_link(*link);
      if (const auto* address = std::get_if<net::AddressEvent>(&e)) on_address(*address);
    }
    return {};
  }
  void push(net::LinkEvent event) { queue(std::move(event)); }
  void push(net::AddressEvent event) { queue(std::move(event)); }
  std::vector<std::variant<net::LinkEvent, net::AddressEvent>> pending;
  UniqueFd fd_ = quiet_fd();

 private:
  template <typename Event>
  void queue(Event event) {
    pending.emplace_back(std::move(event));
    uint64_t one = 1;
    (void)!::write(fd_.get(), &one, sizeof one);
  }
};

}  // namespace keepvip::daemon::testing
