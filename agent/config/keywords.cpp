#include "config/keywords.h"

#include <algorithm>
#include <array>
#include <vector>

namespace keepvip::config::detail {
namespace {

template <size_t N>
bool contains(const std::array<std::string_view, N>& table, std::string_view word) {
  return std::find(table.begin(), table.end(), word) != table.end();
}

// From keepalived 2.2.7's global_parser.c, minus what keepvip handles.
constexpr auto kUnusedGlobal =
    std::to_array<std::string_view>({"process_names",
                                     "process_name",
                                     "vrrp_process_name",
                                     "checker_process_name",
                                     "lvs_process_name",
                                     "bfd_process_name",
                                     "smtp_helo_name",
                                     "smtp_alert",
                                     "startup_script",
                                     "startup_script_timeout",
                                     "shutdown_script",
                                     "shutdown_script_timeout",
                                     "max_auto_priority",
                                     "min_auto_priority_delay",
                                     "smtp_alert_vrrp",
                                     "smtp_alert_checker",
                                     "checker_log_all_failures",
                                     "dynamic_interfaces",
                                     "no_email_faults",
                                     "default_interface",
                                     "disable_local_igmp",
                                     "lvs_timeouts",
                                     "lvs_flush",
                                     "lvs_flush_on_stop",
                                     "lvs_flush_onstop",
                                     "lvs_sync_daemon",
                                     "vrrp_mcast_group4",
                                     "vrrp_mcast_group6",
                                     "vrrp_garp_master_refresh_repeat",
                                     "vrrp_garp_lower_prio_delay",
                                     "vrrp_garp_lower_prio_repeat",
                                     "vrrp_down_timer_adverts",
                                     "vrrp_min_garp",
                                     "vrrp_garp_extra_if",
                                     "vrrp_vmac_garp_intvl",
                                     "vrrp_lower_prio_no_advert",
                                     "vrrp_higher_prio_send_advert",
                                     "vrrp_iptables",
                                     "vrrp_ipsets",
                                     "nftables",
                                     "nftables_priority",
                                     "nftables_ifindex",
                                     "nftables_ipvs",
                                     "nftables_ipvs_priority",
                                     "nftables_ipvs_start_fwmark",
                                     "nftables_counters",
                                     "v3_checksum_as_v2",
                                     "vrrp_priority",
                                     "vrrp_no_swap",
                                     "vrrp_rt_priority",
                                     "vrrp_cpu_affinity",
                                     "vrrp_rlimit_rttime",
                                     "vrrp_rlimit_rtime",
                                     "notify_fifo",
                                     "notify_fifo_script",
                                     "vrrp_notify_fifo",
                                     "vrrp_notify_fifo_script",
                                     "vrrp_notify_priority_changes",
                                     "fifo_write_vrrp_states_on_reload",
                                     "lvs_notify_fifo",
                                     "lvs_notify_fifo_script",
                                     "checker_priority",
                                     "checker_no_swap",
                                     "checker_rt_priority",
                                     "checker_cpu_affinity",
                                     "checker_rlimit_rttime",
                                     "checker_rlimit_rtime",
                                     "bfd_priority",
                                     "bfd_no_swap",
                                     "bfd_rt_priority",
                                     "bfd_cpu_affinity",
                                     "bfd_rlimit_rttime",
                                     "bfd_rlimit_rtime",
                                     "snmp_socket",
                                     "enable_traps",
                                     "enable_snmp_vrrp",
                                     "enable_snmp_keepalived",
                                     "enable_snmp_rfc",
                                     "enable_snmp_rfcv2",
                                     "enable_snmp_rfcv3",
                                     "enable_snmp_checker",
                                     "enable_dbus",
                                     "dbus_service_name",
                                     "vrrp_netlink_cmd_rcv_bufs",
                                     "vrrp_netlink_cmd_rcv_bufs_force",
                                     "vrrp_netlink_monitor_rcv_bufs",
                                     "vrrp_netlink_monitor_rcv_bufs_force",
                                     "process_monitor_rcv_bufs",
                                     "process_monitor_rcv_bufs_force",
                                     "lvs_netlink_cmd_rcv_bufs",
                                     "lvs_netlink_cmd_rcv_bufs_force",
                                     "lvs_netlink_monitor_rcv_bufs",
                                     "lvs_netlink_monitor_rcv_bufs_force",
                                     "rs_init_notifies",
                                     "no_checker_emails",
                                     "vrrp_rx_bufs_policy",
                                     "vrrp_rx_bufs_multiplier",
                                     "vrrp_startup_delay",
                                     "log_unknown_vrids",
                                     "vmac_prefix",
                                     "vmac_addr_prefix",
                                     "umask",
                                     "random_seed",
                                     "reload_check_config",
                                     "reload_time_file",
                                     "reload_repeat",
                                     "reload_file",
                                     "include_check",
                                     "config_save_dir",
                                     "tmp_config_directory",
                                     "data_use_instance"});

// Top-level keepalived statements (outside any block) that keepvip ignores.
constexpr auto kUnusedTopLevel = std::to_array<std::string_view>(
    {"linkbeat_use_polling", "net_namespace", "net_namespace_ipvs", "namespace_with_ipsets",
     "use_pid_dir", "instance", "child_wait_time"});

constexpr auto kMail = std::to_array<std::string_view>(
    {"notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout"});

// From keepalived 2.2.7's vrrp_parser.c (vrrp_instance), minus what keepvip handles.
constexpr auto kUnusedInstance = std::to_array<std::string_view>({"use_vmac",
                                                                  "use_vmac_addr",
                                                                  "vmac_xmit_base",
                                                                  "use_ipvlan",
                                                                  "unicast_fault_no_peer",
                                                                  "old_unicast_checksum",
                                                                  "native_ipv6",
                                                                  "vrf",
                                                                  "dont_track_primary",
                                                                  "track_file",
                                                                  "track_process",
                                                                  "track_bfd",
                                                                  "mcast_dst_ip",
                                                                  "track_src_ip",
                                                                  "unicast_ttl",
                                                                  "promote_secondaries",
                                                                  "linkbeat_use_polling",
                                                                  "virtual_routes",
                                                                  "virtual_rules",
                                                                  "accept",
                                                                  "no_accept",
                                                                  "skip_check_adv_addr",
                                                                  "strict_mode",
                                                                  "debug",
                                                                  "notify_deleted",
                                                                  "notify_master_rx_lower_pri",
                                                                  "smtp_alert",
                                                                  "notify_priority_changes",
                                                                  "lvs_sync_daemon_interface",
                                                                  "garp_master_refresh_repeat",
                                                                  "garp_lower_prio_delay",
                                                                  "garp_lower_prio_repeat",
                                                                  "down_timer_adverts",
                                                                  "garp_extra_if",
                                                                  "vmac_garp_intvl",
                                                                  "lower_prio_no_advert",
                                                                  "higher_prio_send_advert",
                                                                  "kernel_rx_buf_size",
                                                                  "sync_group_tracking_weight",
                                                                  "global_tracking"});

constexpr auto kVipOptionsWithValue = std::to_array<std::string_view>(
    {"brd", "broadcast", "scope", "preferred_lft", "metric", "track_group"});
constexpr auto kVipFlags = std::to_array<std::string_view>(
    {"no_track", "home", "-nodad", "nodad", "noprefixroute", "autojoin"});

constexpr auto kUnhandledBlocks = std::to_array<std::string_view>({"virtual_server",
                                                                   "virtual_server_group",
                                                                   "real_server",
                                                                   "sorry_server",
                                                                   "TCP_CHECK",
                                                                   "HTTP_GET",
                                                                   "SSL_GET",
                                                                   "SMTP_CHECK",
                                                                   "DNS_CHECK",
                                                                   "MISC_CHECK",
                                                                   "BFD_CHECK",
                                                                   "PING_CHECK",
                                                                   "FILE_CHECK",
                                                                   "UDP_CHECK",
                                                                   "SSL",
                                                                   "bfd_instance",
                                                                   "vrrp_sync_group",
                                                                   "static_ipaddress",
                                                                   "static_routes",
                                                                   "static_rules",
                                                                   "linkbeat_interfaces",
                                                                   "garp_group",
                                                                   "track_group",
                                                                   "vrrp_track_process",
                                                                   "vrrp_track_file",
                                                                   "track_file",
                                                                   "interface_up_down_delays"});

size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + cost});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

bool is_unused_global_keyword(std::string_view word) {
  return contains(kUnusedGlobal, word);
}
bool is_unused_top_level_keyword(std::string_view word) {
  return contains(kUnusedTopLevel, word);
}
bool is_mail_keyword(std::string_view word) {
  return contains(kMail, word);
}
bool is_unused_instance_keyword(std::string_view word) {
  return contains(kUnusedInstance, word);
}
bool is_unhandled_block(std::string_view word) {
  return contains(kUnhandledBlocks, word);
}

bool is_unused_vip_option(std::string_view word, bool& takes_value) {
  takes_value = contains(kVipOptionsWithValue, word);
  return takes_value || contains(kVipFlags, word);
}

std::string closest_keyword(std::string_view word, std::span<const std::string_view> candidates) {
  // Long words cannot be misspellings of a keyword; skip the quadratic work.
  if (word.size() > 64) return {};
  std::string_view best;
  size_t best_distance = SIZE_MAX;
  for (auto candidate : candidates) {
    size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  // Up to a third of the keyword may be wrong, but at least two edits are
  // always allowed ("priorty", "inteface").
  size_t allowed = std::max<size_t>(2, best.size() / 3);
  if (best.empty() || best_distance > allowed) return {};
  return std::string(best);
}

}  // namespace keepvip::config::detail
