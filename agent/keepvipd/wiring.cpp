#include "keepvipd/wiring.h"

#include <memory>
#include <vector>

#include "common/log.h"
#include "common/sd_owners.h"
#include "daemon/loop/event_loop.h"
#include "daemon/loop/signals.h"
#include "daemon/publish/runtime_files.h"
#include "daemon/release/release.h"
#include "daemon/supervisor/host_checks.h"
#include "daemon/supervisor/ports.h"
#include "daemon/supervisor/supervisor.h"
#include "dbus/bus_service.h"
#include "dbus/systemd_units.h"
#include "dbus/unit_jobs.h"
#include "firewall/nft_firewall.h"
#include "guard/make_guard.h"
#include "mail/curl_mail_sender.h"
#include "net/announce.h"
#include "net/netlink.h"
#include "net/route_netlink.h"
#include "net/vrrp_socket.h"
#include "procwatch/bpf_process_events.h"

namespace keepvip::keepvipd {
namespace {

dbus::BusKind bus_kind(bool user_bus) {
  return user_bus ? dbus::BusKind::User : dbus::BusKind::System;
}

Result<std::unique_ptr<net::AdvertSocket>> open_vrrp_socket(int ifindex, Family family) {
  net::VrrpSocketOptions options;
  options.multicast = true;
  auto socket = net::VrrpSocket::open(ifindex, family, options);
  if (!socket) return unexpected(socket.error());
  return std::unique_ptr<net::AdvertSocket>(std::make_unique<net::VrrpSocket>(std::move(*socket)));
}

bool needs_drop_tables(const config::Config& config) {
  for (const auto& instance : config.instances)
    if (instance.drops_vip_traffic()) return true;
  return false;
}

bool relies_on_units(const config::Config& config) {
  for (const auto& instance : config.instances)
    if (!instance.track_units.empty() || !instance.master_units.empty()) return true;
  return false;
}

}  // namespace

config::ParseResult read_config(const std::string& path,
                                const std::optional<std::string>& config_id) {
  return config::parse_file(
      path, config::ParseOptions{config::HostProbe{{}, &config::system_script_host()}, config_id});
}

Result<int> run_agent(const AgentOptions& options, config::Config config) {
  // Built in this order and destroyed in reverse: everything the daemon
  // stands on outlives it.
  auto loop = daemon::new_event_loop();
  if (!loop) return unexpected(loop.error());
  auto claim = daemon::RuntimeDirClaim::claim(options.runtime_dir);
  if (!claim) return unexpected(claim.error());
  auto netlink = net::Netlink::open();
  if (!netlink) return unexpected(netlink.error());
  auto routes = net::RouteNetlink::open();
  if (!routes) return unexpected(routes.error());
  auto announcer = net::Announcer::open(*netlink);
  if (!announcer) return unexpected(announcer.error());
  // Addresses too: an instance follows its source address (keepalived's
  // "Deassigned address": no source, FAULT; another one, taken).
  auto links = net::LinkMonitor::open(/*with_addresses=*/true);
  if (!links) return unexpected(links.error());
  std::unique_ptr<ports::Guard> guard = guard::make_guard(options.bpf);
  auto units = dbus::SystemdUnits::open(loop->get(), bus_kind(options.user_bus));
  const bool needs_units = relies_on_units(config);
  auto mail = mail::CurlMailSender::create(loop->get());
  if (!mail) log_warning("mail alerts unavailable: " + mail.error().describe());
  // vrrp_track_process hears exec/exit from the kernel through BPF (the
  // proc connector does not work outside the initial network namespace).
  // Independent of --no-bpf (the guard); loaded once a process is tracked.
  std::unique_ptr<procwatch::BpfProcessEvents> processes;
  if (auto opened = procwatch::BpfProcessEvents::open())
    processes = std::move(*opened);
  else
    log_warning("track_process: " + opened.error().describe() +
                ": every tracked process counts as not running");

  // Accept mode's drop tables; a table a crashed run left is replaced now.
  std::unique_ptr<firewall::NftFirewall> drop_tables;
  if (auto opened = firewall::NftFirewall::open(config.global.nftables))
    drop_tables = std::move(*opened);
  else if (needs_drop_tables(config))
    log_warning(opened.error().describe() +
                ": instances without accept cannot drop traffic to their VIPs");

  daemon::Ports ports;
  ports.loop = loop->get();
  ports.netlink = &*netlink;
  ports.routes = &*routes;
  ports.announcer = &*announcer;
  ports.links = &*links;
  ports.guard = guard.get();
  ports.units = units ? units->get() : nullptr;
  ports.mail = mail ? mail->get() : nullptr;
  ports.processes = processes.get();
  ports.firewall = drop_tables.get();
  ports.open_socket = open_vrrp_socket;
  ports.checks = daemon::host_checks(loop->get());
  ports.read_config = [path = options.config_path, id = options.config_id] {
    return read_config(path, id);
  };
  auto agent = daemon::Supervisor::create(ports, {options.config_path, options.runtime_dir},
                                          std::move(config));
  if (!agent) return unexpected(agent.error());

  // The bus service calls the daemon back (ports::Control), so it comes after it.
  auto bus = dbus::BusService::open(loop->get(), **agent, bus_kind(options.user_bus));
  if (!bus) {
    log_notice("D-Bus API unavailable (" + bus.error().describe() +
               "): running without it; elections are not affected");
  } else {
    (*agent)->attach_status_sink(bus->get());
  }
  // Said once: without a bus the line above already covers it, unless the
  // config relies on units.
  if (!units && (bus || needs_units))
    log_warning("systemd units unavailable (" + units.error().describe() +
                "): track_unit units count as down, master_units are not started");

  auto signals = daemon::watch_signals(
      loop->get(), [&agent](daemon::AgentSignal s, const char* n) { (*agent)->on_signal(s, n); });
  if (!signals) return unexpected(signals.error());
  if (int r = sd_event_set_watchdog(loop->get(), true); r < 0)
    log_warning(Error{-r, "cannot serve the systemd watchdog"}.describe());

  (*agent)->start();
  int code = sd_event_loop(loop->get());
  if (code < 0) {
    log_error(Error{-code, "event loop failed"}.describe());
    code = 1;
  }

  signals->clear();
  (*agent)->attach_status_sink(nullptr);
  if (bus) bus->reset();
  agent->reset();
  // Leaves every interface as it was; the guard's destructor would too.
  guard->detach_all();
  return code;
}

int release(const std::string& runtime_dir, bool user_bus) {
  return daemon::release_held_vips(
      runtime_dir,
      [user_bus](const std::vector<std::string>& units) {
        return dbus::stop_units_now(bus_kind(user_bus), units);
      },
      [](const std::string& table) -> Result<> {
        auto session = firewall::NftSession::open();
        if (!session) return unexpected(session.error());
        return firewall::remove_drop_tables(*session, table);
      });
}

}  // namespace keepvip::keepvipd
