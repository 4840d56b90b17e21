#include "config/keepalived_keywords.h"

#include <algorithm>
#include <array>

namespace keepvip::config::detail {
namespace {

using enum Support;

// The areas of keepvip named in "accepted, not used" warnings.
constexpr std::string_view kLvs = "LVS";
constexpr std::string_view kVmac = "VMAC";
constexpr std::string_view kTrackers = "trackers";
constexpr std::string_view kSyncGroups = "sync groups";
constexpr std::string_view kRoutes = "routes";
constexpr std::string_view kVrrpOptions = "VRRP options";
constexpr std::string_view kFirewall = "firewall";
constexpr std::string_view kLvsMail = "LVS: mail about real servers waits for it";
constexpr std::string_view kBfd = "BFD";
constexpr std::string_view kSnmp = "SNMP";
constexpr std::string_view kLinkbeat =
    "keepvip follows every link's carrier over netlink, as keepalived does without linkbeat";
constexpr std::string_view kGarpExtraIf =
    "VMAC: it sends on the base interface of a use_vmac instance, and keepvip has no VMAC yet";
constexpr std::string_view kGarpGroups = "gratuitous ARP groups";
constexpr std::string_view kNotify = "notify";
constexpr std::string_view kNotifyFifo = "notify FIFO";
constexpr std::string_view kDumps = "dumps";
constexpr std::string_view kScripts = "scripts";
constexpr std::string_view kProcess =
    "process settings: set them in the keepvipd unit (Nice=, CPUAffinity=, LimitRTTIME=, UMask=)";
constexpr std::string_view kBuffers = "socket buffers: keepvip sizes its own";
constexpr std::string_view kReload =
    "reload: keepvipd checks every reload and keeps the running configuration when it fails";
constexpr std::string_view kOldChecksum =
    "keepvip sends and accepts VRRP checksums as the RFCs define them, as keepalived does by "
    "default: peers that need the old form cannot be reached";

constexpr auto kKeywords = std::to_array<KnownKeyword>({
    {"", "global_defs", Used, "", "1.3.5"},
    {"", "vrrp_script", Used, "", "1.3.5"},
    {"", "vrrp_instance", Used, "", "1.3.5"},
    {"", "vrrp_sync_group", Skipped, kSyncGroups, "1.3.5"},
    {"", "virtual_server", Skipped, kLvs, "1.3.5"},
    {"", "virtual_server_group", Skipped, kLvs, "1.3.5"},
    {"", "SSL", Skipped, kLvs, "1.3.5"},
    {"", "static_ipaddress", Skipped, kRoutes, "1.3.5"},
    {"", "static_routes", Used, "", "1.3.5"},
    {"", "static_rules", Used, "", "1.3.5"},
    {"", "vrrp_track_process", Used, "", "2.0.11"},
    {"", "vrrp_track_file", Used, "", "2.0.0"},
    {"", "track_file", Used, "", "2.1.0"},
    {"", "track_group", Skipped, kTrackers, "2.0.3"},
    {"", "linkbeat_interfaces", Unused, kLinkbeat, "2.0.13"},
    {"", "interface_up_down_delays", Used, "", "2.2.3"},
    {"", "garp_group", Skipped, kGarpGroups, "1.3.5"},
    {"", "bfd_instance", Skipped, kBfd, "2.0.0"},
    {"", "net_namespace", Unused,
     "namespaces: keepvipd runs in the network namespace it is started in; start it in the one "
     "named here, with NetworkNamespacePath=/run/netns/NAME in its unit",
     "1.3.5"},
    {"", "net_namespace_ipvs", Unused, kLvs, "2.1.0"},
    {"", "namespace_with_ipsets", Unused, kFirewall, "1.3.5"},
    {"", "use_pid_dir", Unused, "process settings: keepvipd runs as one process per --runtime-dir",
     "1.3.5"},
    {"", "instance", Unused, "process settings: keepvipd runs as one process per --runtime-dir",
     "1.3.5"},
    {"", "child_wait_time", Unused,
     "process settings: keepvipd runs as one process per --runtime-dir", "2.0.0"},
    {"", "linkbeat_use_polling", Unused, kLinkbeat, "1.3.5"},
    {"global_defs", "router_id", Used, "", "1.3.5"},
    {"global_defs", "vrrp_version", Used, "", "1.3.5"},
    {"global_defs", "script_user", Used, "", "1.3.5"},
    {"global_defs", "enable_script_security", Used, "", "1.3.5"},
    {"global_defs", "vrrp_strict", Used, "", "1.3.5"},
    {"global_defs", "vrrp_skip_check_adv_addr", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_interval", Used, "", "1.3.5"},
    {"global_defs", "vrrp_gna_interval", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_master_delay", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_master_repeat", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_master_refresh", Used, "", "1.3.5"},
    {"global_defs", "vrrp_mcast_group4", Used, "", "1.3.5"},
    {"global_defs", "vrrp_mcast_group6", Used, "", "1.3.5"},
    {"global_defs", "v3_checksum_as_v2", Used, "", "2.2.8"},
    {"global_defs", "notification_email", Used, "", "1.3.5"},
    {"global_defs", "notification_email_from", Used, "", "1.3.5"},
    {"global_defs", "smtp_server", Used, "", "1.3.5"},
    {"global_defs", "smtp_connect_timeout", Used, "", "1.3.5"},
    {"global_defs", "smtp_helo_name", Used, "", "1.3.5"},
    {"global_defs", "smtp_alert", Used, "", "2.0.0"},
    {"global_defs", "smtp_alert_vrrp", Used, "", "2.0.0"},
    {"global_defs", "smtp_alert_checker", Unused, kLvsMail, "2.0.0"},
    {"global_defs", "no_email_faults", Used, "", "2.0.0"},
    {"global_defs", "no_checker_emails", Unused, kLvsMail, "2.0.0"},
    {"global_defs", "lvs_timeouts", Unused, kLvs, "1.3.5"},
    {"global_defs", "lvs_flush", Unused, kLvs, "1.3.5"},
    {"global_defs", "lvs_flush_on_stop", Unused, kLvs, "2.2.0"},
    {"global_defs", "lvs_flush_onstop", Unused, kLvs, "2.0.15"},
    {"global_defs", "lvs_sync_daemon", Unused, kLvs, "1.3.5"},
    {"global_defs", "lvs_netlink_cmd_rcv_bufs", Unused, kLvs, "2.0.0"},
    {"global_defs", "lvs_netlink_cmd_rcv_bufs_force", Unused, kLvs, "2.0.0"},
    {"global_defs", "lvs_netlink_monitor_rcv_bufs", Unused, kLvs, "2.0.0"},
    {"global_defs", "lvs_netlink_monitor_rcv_bufs_force", Unused, kLvs, "2.0.0"},
    {"global_defs", "lvs_notify_fifo", Unused, kLvs, "1.3.6"},
    {"global_defs", "lvs_notify_fifo_script", Unused, kLvs, "1.3.6"},
    {"global_defs", "lvs_process_name", Unused, kLvs, "2.0.16"},
    {"global_defs", "checker_process_name", Unused, kLvs, "2.2.0"},
    {"global_defs", "checker_priority", Unused, kLvs, "1.3.5"},
    {"global_defs", "checker_no_swap", Unused, kLvs, "1.3.5"},
    {"global_defs", "checker_rt_priority", Unused, kLvs, "2.0.0"},
    {"global_defs", "checker_cpu_affinity", Unused, kLvs, "2.0.17"},
    {"global_defs", "checker_rlimit_rttime", Unused, kLvs, "2.1.0"},
    {"global_defs", "checker_rlimit_rtime", Unused, kLvs, "2.0.0"},
    {"global_defs", "checker_log_all_failures", Unused, kLvs, "2.0.11"},
    {"global_defs", "nftables_ipvs", Unused, kLvs, "2.2.2"},
    {"global_defs", "nftables_ipvs_priority", Unused, kLvs, "2.2.2"},
    {"global_defs", "nftables_ipvs_start_fwmark", Unused, kLvs, "2.2.2"},
    {"global_defs", "rs_init_notifies", Unused, kLvs, "2.0.0"},
    {"global_defs", "bfd_process_name", Unused, kBfd, "2.0.16"},
    {"global_defs", "bfd_priority", Unused, kBfd, "2.0.0"},
    {"global_defs", "bfd_no_swap", Unused, kBfd, "2.0.0"},
    {"global_defs", "bfd_rt_priority", Unused, kBfd, "2.0.0"},
    {"global_defs", "bfd_cpu_affinity", Unused, kBfd, "2.0.17"},
    {"global_defs", "bfd_rlimit_rttime", Unused, kBfd, "2.1.0"},
    {"global_defs", "bfd_rlimit_rtime", Unused, kBfd, "2.0.0"},
    {"global_defs", "enable_snmp_vrrp", Unused, kSnmp, "2.0.0"},
    {"global_defs", "enable_snmp_keepalived", Unused, kSnmp, "1.3.5"},
    {"global_defs", "enable_snmp_rfc", Unused, kSnmp, "1.3.5"},
    {"global_defs", "enable_snmp_rfcv2", Unused, kSnmp, "1.3.5"},
    {"global_defs", "enable_snmp_rfcv3", Unused, kSnmp, "1.3.5"},
    {"global_defs", "enable_snmp_checker", Unused, kSnmp, "1.3.5"},
    {"global_defs", "enable_traps", Unused, kSnmp, "1.3.5"},
    {"global_defs", "snmp_socket", Unused, kSnmp, "1.3.5"},
    {"global_defs", "snmp_rs_stats_update_interval", Unused, kSnmp, "2.3.0"},
    {"global_defs", "snmp_vs_stats_update_interval", Unused, kSnmp, "2.3.0"},
    {"global_defs", "enable_dbus", Unused,
     "keepalived's D-Bus service; keepvip's is org.keepvip1, always on", "1.3.5"},
    {"global_defs", "dbus_service_name", Unused,
     "keepalived's D-Bus service; keepvip's is org.keepvip1, always on", "1.3.7"},
    {"global_defs", "dbus_no_interface_name", Unused,
     "keepalived's D-Bus service; keepvip's is org.keepvip1, always on", "2.3.0"},
    {"global_defs", "vrrp_iptables", Unused, kFirewall, "1.3.5"},
    {"global_defs", "vrrp_ipsets", Unused, kFirewall, "1.3.5"},
    {"global_defs", "nftables", Used, "", "2.0.11"},
    {"global_defs", "nftables_priority", Used, "", "2.0.11"},
    {"global_defs", "nftables_ifindex", Used, "", "2.0.11"},
    {"global_defs", "nftables_counters", Used, "", "2.0.11"},
    {"global_defs", "process_names", Unused, kProcess, "2.0.16"},
    {"global_defs", "process_name", Unused, kProcess, "2.0.16"},
    {"global_defs", "vrrp_process_name", Unused, kProcess, "2.0.16"},
    {"global_defs", "vrrp_priority", Unused, kProcess, "1.3.5"},
    {"global_defs", "vrrp_no_swap", Unused, kProcess, "1.3.5"},
    {"global_defs", "vrrp_rt_priority", Unused, kProcess, "2.0.0"},
    {"global_defs", "vrrp_cpu_affinity", Unused, kProcess, "2.0.17"},
    {"global_defs", "vrrp_rlimit_rttime", Unused, kProcess, "2.1.0"},
    {"global_defs", "vrrp_rlimit_rtime", Unused, kProcess, "2.0.0"},
    {"global_defs", "umask", Unused, kProcess, "2.0.9"},
    {"global_defs", "vrrp_netlink_cmd_rcv_bufs", Unused, kBuffers, "2.0.0"},
    {"global_defs", "vrrp_netlink_cmd_rcv_bufs_force", Unused, kBuffers, "2.0.0"},
    {"global_defs", "vrrp_netlink_monitor_rcv_bufs", Unused, kBuffers, "2.0.0"},
    {"global_defs", "vrrp_netlink_monitor_rcv_bufs_force", Unused, kBuffers, "2.0.0"},
    {"global_defs", "process_monitor_rcv_bufs", Unused, kBuffers, "2.0.11"},
    {"global_defs", "process_monitor_rcv_bufs_force", Unused, kBuffers, "2.0.11"},
    {"global_defs", "vrrp_rx_bufs_policy", Unused, kBuffers, "2.0.3"},
    {"global_defs", "vrrp_rx_bufs_multiplier", Unused, kBuffers, "2.0.3"},
    {"global_defs", "notify_fifo", Used, "", "1.3.6"},
    {"global_defs", "notify_fifo_script", Used, "", "1.3.6"},
    {"global_defs", "vrrp_notify_fifo", Used, "", "1.3.6"},
    {"global_defs", "vrrp_notify_fifo_script", Used, "", "1.3.6"},
    {"global_defs", "fifo_write_vrrp_states_on_reload", Used, "", "2.2.5"},
    {"global_defs", "vrrp_notify_priority_changes", Used, "", "2.0.16"},
    {"global_defs", "state_dump_file", Used, "", "2.3.3"},
    {"global_defs", "stats_dump_file", Used, "", "2.3.3"},
    {"global_defs", "json_dump_file", Used, "", "2.3.3"},
    {"global_defs", "json_version", Used, "", "2.2.8"},
    {"global_defs", "data_use_instance", Unused, kDumps, "2.2.3"},
    {"global_defs", "reload_check_config", Unused, kReload, "2.2.0"},
    {"global_defs", "reload_time_file", Unused, kReload, "2.1.0"},
    {"global_defs", "reload_repeat", Unused, kReload, "2.1.0"},
    {"global_defs", "reload_file", Unused, kReload, "2.2.0"},
    {"global_defs", "config_save_dir", Unused, kReload, "2.2.3"},
    {"global_defs", "tmp_config_directory", Unused, kReload, "2.2.0"},
    {"global_defs", "vmac_prefix", Unused, kVmac, "2.2.0"},
    {"global_defs", "vmac_addr_prefix", Unused, kVmac, "2.2.0"},
    {"global_defs", "vrrp_vmac_garp_intvl", Unused, kGarpExtraIf, "2.2.0"},
    {"global_defs", "vrrp_garp_extra_if", Unused, kGarpExtraIf, "2.2.3"},
    {"global_defs", "vrrp_garp_master_refresh_repeat", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_lower_prio_delay", Used, "", "1.3.5"},
    {"global_defs", "vrrp_garp_lower_prio_repeat", Used, "", "1.3.5"},
    {"global_defs", "vrrp_min_garp", Used, "", "2.0.12"},
    {"global_defs", "vrrp_down_timer_adverts", Used, "", "2.2.3"},
    {"global_defs", "vrrp_lower_prio_no_advert", Used, "", "1.3.5"},
    {"global_defs", "vrrp_higher_prio_send_advert", Used, "", "1.3.5"},
    {"global_defs", "vrrp_owner_ignore_adverts", Unused, kVrrpOptions, "2.3.3"},
    {"global_defs", "vrrp_startup_delay", Used, "", "2.0.14"},
    {"global_defs", "vrrp_delay_after_boot", Unused, kVrrpOptions, "2.4.0"},
    {"global_defs", "log_unknown_vrids", Unused, kVrrpOptions, "2.0.16"},
    {"global_defs", "max_auto_priority", Unused, kVrrpOptions, "2.1.0"},
    {"global_defs", "min_auto_priority_delay", Unused, kVrrpOptions, "2.1.0"},
    {"global_defs", "dynamic_interfaces", Unused, kVrrpOptions, "2.0.0"},
    {"global_defs", "default_interface", Unused, kVrrpOptions, "1.3.5"},
    {"global_defs", "disable_local_igmp", Unused, kVrrpOptions, "2.2.0"},
    {"global_defs", "vrrp_check_unicast_src", Used, "", "1.3.5"},
    {"global_defs", "startup_script", Unused, kScripts, "2.1.0"},
    {"global_defs", "startup_script_timeout", Unused, kScripts, "2.1.0"},
    {"global_defs", "shutdown_script", Unused, kScripts, "2.1.0"},
    {"global_defs", "shutdown_script_timeout", Unused, kScripts, "2.1.0"},
    {"global_defs", "use_symlink_paths", Unused, kScripts, "2.3.0"},
    {"global_defs", "include_check", Unused,
     "include: keepvip's include already errors on a missing file; includew and includeb check "
     "more",
     "2.2.0"},
    {"global_defs", "random_seed", Unused, "keepvip does not make ${_RANDOM} reproducible",
     "2.0.15"},
    {"global_defs", "iproute_etc_dir", Unused, kRoutes, "2.3.2"},
    {"global_defs", "iproute_usr_dir", Unused, kRoutes, "2.3.2"},
    {"vrrp_instance", "state", Used, "", "1.3.5"},
    {"vrrp_instance", "interface", Used, "", "1.3.5"},
    {"vrrp_instance", "virtual_router_id", Used, "", "1.3.5"},
    {"vrrp_instance", "priority", Used, "", "1.3.5"},
    {"vrrp_instance", "advert_int", Used, "", "1.3.5"},
    {"vrrp_instance", "version", Used, "", "1.3.5"},
    {"vrrp_instance", "nopreempt", Used, "", "1.3.5"},
    {"vrrp_instance", "preempt", Used, "", "1.3.5"},
    {"vrrp_instance", "preempt_delay", Used, "", "1.3.5"},
    {"vrrp_instance", "authentication", Used, "", "1.3.5"},
    {"vrrp_instance", "virtual_ipaddress", Used, "", "1.3.5"},
    {"vrrp_instance", "virtual_ipaddress_excluded", Used, "", "1.3.5"},
    {"vrrp_instance", "no_virtual_ipaddress", Used, "", "2.2.8"},
    {"vrrp_instance", "unicast_src_ip", Used, "", "1.3.5"},
    {"vrrp_instance", "mcast_src_ip", Used, "", "1.3.5"},
    {"vrrp_instance", "unicast_peer", Used, "", "1.3.5"},
    // Options of a unicast_peer entry ("ADDRESS min_ttl N max_ttl M").
    {"unicast_peer", "min_ttl", Used, "", "2.1.0"},
    {"unicast_peer", "max_ttl", Used, "", "2.1.0"},
    {"vrrp_instance", "native_ipv6", Used, "", "1.3.5"},
    {"vrrp_instance", "strict_mode", Used, "", "1.3.5"},
    {"vrrp_instance", "track_interface", Used, "", "1.3.5"},
    {"vrrp_instance", "track_script", Used, "", "1.3.5"},
    {"vrrp_instance", "notify_master", Used, "", "1.3.5"},
    {"vrrp_instance", "notify_backup", Used, "", "1.3.5"},
    {"vrrp_instance", "notify_fault", Used, "", "1.3.5"},
    {"vrrp_instance", "notify_stop", Used, "", "1.3.5"},
    {"vrrp_instance", "notify", Used, "", "1.3.5"},
    {"vrrp_instance", "garp_master_delay", Used, "", "1.3.5"},
    {"vrrp_instance", "garp_master_repeat", Used, "", "1.3.5"},
    {"vrrp_instance", "garp_master_refresh", Used, "", "1.3.5"},
    {"vrrp_instance", "mcast_dst_ip", Used, "", "2.2.5"},
    {"vrrp_instance", "old_unicast_checksum", Refused, kOldChecksum, "1.3.7"},
    {"vrrp_instance", "v3_checksum_as_v2", Used, "", "2.2.8"},
    {"vrrp_instance", "auth_hmac", Refused,
     "HMAC authentication (keepalived 2.4) is not implemented: its peers would drop every advert "
     "keepvip sent",
     "2.4.0"},
    {"vrrp_instance", "use_vmac", Unused, kVmac, "1.3.5"},
    {"vrrp_instance", "use_vmac_addr", Unused, kVmac, "2.2.0"},
    {"vrrp_instance", "vmac_xmit_base", Unused, kVmac, "1.3.5"},
    {"vrrp_instance", "use_ipvlan", Unused, kVmac, "2.0.17"},
    {"vrrp_instance", "garp_extra_if", Unused, kGarpExtraIf, "2.2.3"},
    {"vrrp_instance", "vmac_garp_intvl", Unused, kGarpExtraIf, "2.2.0"},
    {"vrrp_instance", "check_unicast_src", Used, "", "2.1.0"},
    {"vrrp_instance", "skip_check_adv_addr", Used, "", "1.3.5"},
    {"vrrp_instance", "unicast_ttl", Used, "", "2.1.0"},
    {"vrrp_instance", "unicast_fault_no_peer", Used, "", "2.2.5"},
    {"vrrp_instance", "track_file", Used, "", "2.0.0"},
    {"vrrp_instance", "track_process", Used, "", "2.0.11"},
    {"vrrp_instance", "track_bfd", Refused,
     "keepvip runs no BFD speaker: the session would never come up, so the instance could never "
     "fail over on it; follow the peer with reference_ip or a vrrp_script instead",
     "2.0.0"},
    {"vrrp_instance", "track_src_ip", Unused, kTrackers, "2.0.0"},
    {"vrrp_instance", "dont_track_primary", Used, "", "1.3.5"},
    {"vrrp_instance", "linkbeat_use_polling", Unused, kLinkbeat, "2.0.0"},
    {"vrrp_instance", "virtual_routes", Used, "", "1.3.5"},
    {"vrrp_instance", "virtual_rules", Used, "", "1.3.5"},
    {"vrrp_instance", "vrf", Unused, kRoutes, "2.2.5"},
    {"vrrp_instance", "accept", Used, "", "1.3.5"},
    {"vrrp_instance", "no_accept", Used, "", "1.3.5"},
    {"vrrp_instance", "notify_deleted", Used, "", "2.1.0"},
    {"vrrp_instance", "notify_master_rx_lower_pri", Used, "", "2.0.6"},
    {"vrrp_instance", "notify_priority_changes", Used, "", "2.0.16"},
    {"vrrp_instance", "smtp_alert", Used, "", "1.3.5"},
    {"vrrp_instance", "lvs_sync_daemon_interface", Unused, kLvs, "1.3.5"},
    {"vrrp_instance", "promote_secondaries", Unused, kVrrpOptions, "1.3.5"},
    {"vrrp_instance", "debug", Unused, kVrrpOptions, "1.3.5"},
    {"vrrp_instance", "garp_master_refresh_repeat", Used, "", "1.3.5"},
    {"vrrp_instance", "garp_lower_prio_delay", Used, "", "1.3.5"},
    {"vrrp_instance", "garp_lower_prio_repeat", Used, "", "1.3.5"},
    {"vrrp_instance", "down_timer_adverts", Used, "", "2.2.3"},
    {"vrrp_instance", "lower_prio_no_advert", Used, "", "1.3.5"},
    {"vrrp_instance", "higher_prio_send_advert", Used, "", "1.3.5"},
    {"vrrp_instance", "owner_ignore_adverts", Unused, kVrrpOptions, "2.3.3"},
    {"vrrp_instance", "kernel_rx_buf_size", Unused, kVrrpOptions, "2.0.3"},
    {"vrrp_instance", "timer_expired_backup", Used, "", "2.2.8"},
    {"vrrp_instance", "thread_timer_expired", Used, "", "2.3.2"},
    {"authentication", "auth_type", Used, "", "1.3.5"},
    {"authentication", "auth_pass", Used, "", "1.3.5"},
    {"vrrp_script", "script", Used, "", "1.3.5"},
    {"vrrp_script", "interval", Used, "", "1.3.5"},
    {"vrrp_script", "timeout", Used, "", "1.3.5"},
    {"vrrp_script", "weight", Used, "", "1.3.5"},
    {"vrrp_script", "rise", Used, "", "1.3.5"},
    {"vrrp_script", "fall", Used, "", "1.3.5"},
    {"vrrp_script", "user", Used, "", "1.3.5"},
    {"vrrp_script", "init_fail", Used, "", "1.3.5"},
    {"vrrp_sync_group", "global_tracking", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "group", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "notify", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "notify_backup", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "notify_fault", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "notify_master", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "notify_priority_changes", Skipped, kSyncGroups, "2.2.0"},
    {"vrrp_sync_group", "notify_stop", Skipped, kSyncGroups, "2.0.0"},
    {"vrrp_sync_group", "smtp_alert", Skipped, kSyncGroups, "1.3.5"},
    {"vrrp_sync_group", "sync_group_tracking_weight", Skipped, kSyncGroups, "2.0.0"},
    {"vrrp_sync_group", "track_bfd", Skipped, kSyncGroups, "2.0.0"},
    {"vrrp_sync_group", "track_file", Skipped, kSyncGroups, "2.0.0"},
    {"vrrp_sync_group", "track_interface", Skipped, kSyncGroups, "2.0.0"},
    {"vrrp_sync_group", "track_process", Skipped, kSyncGroups, "2.0.11"},
    {"vrrp_sync_group", "track_script", Skipped, kSyncGroups, "2.0.0"},
    {"garp_group", "garp_interval", Skipped, kGarpGroups, "1.3.5"},
    {"garp_group", "gna_interval", Skipped, kGarpGroups, "1.3.5"},
    {"garp_group", "interface", Skipped, kGarpGroups, "1.3.5"},
    {"garp_group", "interfaces", Skipped, kGarpGroups, "1.3.5"},
    {"track_file", "file", Used, "", "2.1.0"},
    {"track_file", "init_file", Used, "", "2.1.0"},
    {"track_file", "weight", Used, "", "2.1.0"},
    {"vrrp_track_file", "file", Used, "", "2.0.0"},
    {"vrrp_track_file", "init_file", Used, "", "2.0.0"},
    {"vrrp_track_file", "weight", Used, "", "2.0.0"},
    {"vrrp_track_process", "delay", Used, "", "2.0.11"},
    {"vrrp_track_process", "fork_delay", Used, "", "2.0.16"},
    {"vrrp_track_process", "full_command", Used, "", "2.0.11"},
    {"vrrp_track_process", "param_match", Used, "", "2.0.16"},
    {"vrrp_track_process", "process", Used, "", "2.0.11"},
    {"vrrp_track_process", "quorum", Used, "", "2.0.11"},
    {"vrrp_track_process", "quorum_max", Used, "", "2.0.16"},
    {"vrrp_track_process", "terminate_delay", Used, "", "2.0.16"},
    {"vrrp_track_process", "weight", Used, "", "2.0.11"},
    {"track_group", "group", Skipped, kTrackers, "2.0.3"},
    {"SSL", "ca", Skipped, kLvs, "1.3.5"},
    {"SSL", "certificate", Skipped, kLvs, "1.3.5"},
    {"SSL", "key", Skipped, kLvs, "1.3.5"},
    {"SSL", "password", Skipped, kLvs, "1.3.5"},
    {"virtual_server", "real_server", Skipped, kLvs, "1.3.5"},
    {"virtual_server", "sorry_server", Skipped, kLvs, "1.3.5"},
    {"real_server", "TCP_CHECK", Skipped, kLvs, "1.3.5"},
    {"real_server", "HTTP_GET", Skipped, kLvs, "1.3.5"},
    {"real_server", "SSL_GET", Skipped, kLvs, "1.3.5"},
    {"real_server", "SMTP_CHECK", Skipped, kLvs, "1.3.5"},
    {"real_server", "DNS_CHECK", Skipped, kLvs, "1.3.5"},
    {"real_server", "MISC_CHECK", Skipped, kLvs, "1.3.5"},
    {"real_server", "BFD_CHECK", Skipped, kLvs, "2.0.0"},
    {"real_server", "PING_CHECK", Skipped, kLvs, "2.1.0"},
    {"real_server", "FILE_CHECK", Skipped, kLvs, "2.1.0"},
    {"real_server", "UDP_CHECK", Skipped, kLvs, "2.1.0"},
});

}  // namespace

std::span<const KnownKeyword> keepalived_keywords() {
  return kKeywords;
}

const KnownKeyword* find_keepalived_keyword(std::string_view block, std::string_view name) {
  auto found = std::find_if(kKeywords.begin(), kKeywords.end(), [&](const KnownKeyword& k) {
    return k.block == block && k.name == name;
  });
  return found == kKeywords.end() ? nullptr : &*found;
}

std::vector<std::string_view> keepalived_keywords_in(std::string_view block) {
  std::vector<std::string_view> names;
  for (const auto& k : kKeywords) {
    if (k.block == block) names.push_back(k.name);
  }
  return names;
}

std::vector<std::string_view> blocks_knowing(std::string_view name, std::string_view block) {
  std::vector<std::string_view> blocks;
  for (const auto& k : kKeywords) {
    if (k.name == name && k.block != block &&
        std::find(blocks.begin(), blocks.end(), k.block) == blocks.end()) {
      blocks.push_back(k.block);
    }
  }
  return blocks;
}

}  // namespace keepvip::config::detail
