// Fakes for the kernel-facing seams the executor uses: they record what the
// daemon asked for, so tests assert on VIP changes, adverts and GARPs.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/announce.h"
#include "net/netlink.h"
#include "net/vrrp_socket.h"
#include "ports/firewall.h"
#include "ports/guard.h"
#include "ports/routes.h"
#include "ports/unit_health.h"

namespace keepvip::daemon::testing {

// Also the route table, logging into the same list so that the order of
// address and route changes shows ("add route ...", "remove rule ...").
struct FakeNetlink : net::NetlinkOps, ports::RouteTable {
  Result<> add_route(const config::Route& r) override {
    log.push_back("add route " + config::to_string(r));
    return {};
  }
  Result<> remove_route(const config::Route& r) override {
    log.push_back("remove route " + config::to_string(r));
    return {};
  }
  Result<> add_rule(const config::Rule& r) override {
    log.push_back("add rule " + config::to_string(r));
    return {};
  }
  Result<> remove_rule(const config::Rule& r) override {
    log.push_back("remove rule " + config::to_string(r));
    return {};
  }

  std::map<int, std::vector<IpPrefix>> addresses;  // what the "kernel" holds
  std::vector<std::string> log;                    // "add 2 192.0.2.100/32", "remove ..."
  std::map<std::string, int> interfaces{{"eth0", 2}, {"eth1", 3}};

  Result<> add_address(int ifindex, const IpPrefix& p) override {
    log.push_back("add " + std::to_string(ifindex) + " " + p.to_string());
    addresses[ifindex].push_back(p);
    return {};
  }
  Result<> add_labelled_address(int ifindex, const IpPrefix& p, std::string_view label) override {
    log.push_back("add " + std::to_string(ifindex) + " " + p.to_string() + " label " +
                  std::string(label));
    addresses[ifindex].push_back(p);
    return {};
  }
  Result<> remove_address(int ifindex, const IpPrefix& p) override {
    log.push_back("remove " + std::to_string(ifindex) + " " + p.to_string());
    std::erase(addresses[ifindex], p);
    return {};
  }
  Result<std::vector<IpPrefix>> list_addresses(int ifindex) override { return addresses[ifindex]; }
  Result<int> interface_index(std::string_view name) override {
    auto it = interfaces.find(std::string(name));
    if (it != interfaces.end()) return it->second;
    return os_error(ENODEV, "no interface " + std::string(name));
  }
  Result<std::string> interface_name(int ifindex) override {
    return ifindex == 2 ? std::string("eth0") : std::string("eth1");
  }
  Result<bool> link_is_up(int) override { return true; }
  Result<net::MacAddress> mac_address(int) override { return net::MacAddress{}; }
  // What primary_address() finds, by interface: 192.0.2.1 unless a test
  // sets it; nullopt: no usable address.
  std::map<int, std::optional<IpAddress>> sources;
  Result<IpAddress> primary_address(int ifindex, Family, std::span<const IpAddress>) override {
    auto it = sources.find(ifindex);
    if (it == sources.end()) return *IpAddress::parse("192.0.2.1");
    if (!it->second) return os_error(EADDRNOTAVAIL, "no usable address");
    return *it->second;
  }
};

struct FakeAnnouncer : net::AnnounceOps {
  std::vector<std::pair<int, IpAddress>> sent;
  Result<> announce(int ifindex, const IpAddress& vip) override {
    sent.emplace_back(ifindex, vip);
    return {};
  }
};

struct SentAdvert {
  std::vector<uint8_t> payload;
  IpAddress destination;
  std::optional<IpAddress> source;
  std::optional<uint8_t> ttl;
};

struct FakeSender : net::AdvertSender {
  std::vector<SentAdvert> sent;
  Result<> send(std::span<const uint8_t> payload, const IpAddress& destination,
                const std::optional<IpAddress>& source, std::optional<uint8_t> ttl) override {
    sent.push_back({{payload.begin(), payload.end()}, destination, source, ttl});
    return {};
  }
  std::vector<SentAdvert> sent_ipv4;  // auth_type AH: whole IPv4 packets
  Result<> send_ipv4_packet(std::span<const uint8_t> packet,
                            const IpAddress& destination) override {
    sent_ipv4.push_back({{packet.begin(), packet.end()}, destination, std::nullopt, std::nullopt});
    return {};
  }
};

struct FakeGuard : ports::Guard {
  std::vector<vrrp::State> roles;
  std::vector<std::vector<ports::GuardInstance>> configured;  // every configure() call
  std::vector<int> attached, detached;                        // every ifindex, in order
  Result<ports::GuardAttachment> attach(int ifindex, const std::string&) override {
    attached.push_back(ifindex);
    return ports::GuardAttachment{ports::GuardMode::XdpNative, ""};
  }
  Result<> configure(const std::vector<ports::GuardInstance>& instances) override {
    configured.push_back(instances);
    return {};
  }
  Result<> set_role(int, uint8_t, Family, vrrp::State state) override {
    roles.push_back(state);
    return {};
  }
  std::vector<std::optional<IpAddress>> masters;  // every set_master() call
  Result<> set_master(int, uint8_t, Family, const std::optional<IpAddress>& master) override {
    masters.push_back(master);
    return {};
  }
  std::vector<ports::RouterCounters> counters() const override { return {}; }
  int event_fd() const override { return -1; }
  void drain(const EvidenceCallback&) override {}
  void detach(int ifindex) override { detached.push_back(ifindex); }
  void detach_all() override {}
};

// systemd as track_unit sees it: a table of unit states the test sets, and
// a record of refresh() calls. refresh() reports the unit's state through
// the callback, as the D-Bus implementation does once it has read it again.
struct FakeUnitHealth : ports::UnitHealth {
  std::map<std::string, bool> healthy;
  std::vector<std::string> refreshed;
  Callback callback;

  Result<> watch(const std::string& unit) override {
    if (callback) callback(unit, healthy[unit], healthy[unit] ? "active" : "failed");
    return {};
  }
  void set_callback(Callback cb) override { callback = std::move(cb); }
  std::set<std::string> refuse_start;  // start_unit fails for these
  Result<> start_unit(const std::string& unit) override {
    if (refuse_start.contains(unit)) return logic_error("cannot start " + unit);
    return {};
  }
  // With hold_jobs, start/stop jobs wait for answer_jobs(), as systemd's
  // replies would; without, they are answered at once.
  bool hold_jobs = false;
  std::vector<std::string> stopped;
  std::vector<std::function<void()>> job_waiters;
  size_t jobs_in_flight = 0;
  Result<> stop_unit(const std::string& unit) override {
    stopped.push_back(unit);
    if (hold_jobs) ++jobs_in_flight;
    return {};
  }
  void when_jobs_answered(std::function<void()> done) override {
    if (jobs_in_flight == 0) return done();
    job_waiters.push_back(std::move(done));
  }
  void answer_jobs() {
    jobs_in_flight = 0;
    auto waiters = std::move(job_waiters);
    job_waiters.clear();
    for (auto& done : waiters) done();
  }
  void refresh(const std::string& unit) override {
    refreshed.push_back(unit);
    auto it = healthy.find(unit);
    if (it != healthy.end() && callback)
      callback(unit, it->second, it->second ? "active" : "failed");
  }
};

// Records each instance's dropped addresses, and each call into `log` (the
// netlink fake's, to see the order against VIP changes): "drop VI_1
// 192.0.2.100", "drop VI_1 -" for none.
struct FakeFirewall : ports::Firewall {
  std::vector<std::string>* log = nullptr;
  std::map<std::string, std::vector<ports::DroppedAddress>> dropped;
  config::Nftables settings;
  Result<> set_dropped(const std::string& instance, const config::Nftables& s,
                       std::vector<ports::DroppedAddress> addresses) override {
    std::string line = "drop " + instance;
    for (const auto& a : addresses) line += " " + a.address.to_string();
    if (addresses.empty()) line += " -";
    if (log) log->push_back(line);
    settings = s;
    if (addresses.empty())
      dropped.erase(instance);
    else
      dropped[instance] = std::move(addresses);
    return {};
  }
};

}  // namespace keepvip::daemon::testing
