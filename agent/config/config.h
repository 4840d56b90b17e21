// The configuration model: what keepvipd runs from, independent of the
// keepalived.conf text it was read from. The parser (parser.h) fills it; the
// daemon, the BPF guard and the D-Bus service only read it.
//
// Extensions beyond keepalived's dialect are marked "keepvip extension" and
// documented in docs/keepvip.conf.5.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/ip_address.h"
#include "common/time.h"
#include "config/routes.h"
#include "config/wire_settings.h"

namespace keepvip::config {

// The name of a configuration file, shared by every location in it: a file
// yields up to millions of tokens, and each must not carry its own copy of a
// name that may be thousands of bytes long (an include path).
class FileName {
 public:
  FileName() = default;
  FileName(std::string name)  // NOLINT(google-explicit-constructor): a name is a name
      : name_(std::make_shared<const std::string>(std::move(name))) {}
  FileName(const char* name) : FileName(std::string(name)) {}  // NOLINT

  const std::string& str() const { return name_ ? *name_ : empty(); }
  operator const std::string&() const { return str(); }  // NOLINT
  friend bool operator==(const FileName& a, const FileName& b) {
    return a.name_ == b.name_ || a.str() == b.str();
  }
  friend bool operator==(const FileName& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const FileName& a, const char* b) { return a.str() == b; }

 private:
  static const std::string& empty() {
    static const std::string none;
    return none;
  }
  std::shared_ptr<const std::string> name_;
};

// Where text made by keepalived's preprocessor came from: "from $PRIO,
// defined at a.conf:3:1", "~SEQ(N) with $N=4". Nested expansions chain to
// the one they happened inside of; the nodes are shared, so every token of
// an expansion costs one pointer.
struct ExpansionNote {
  std::string text;
  std::shared_ptr<const ExpansionNote> outer;
  // All of the chain, innermost first: "from $PRIO, defined at a.conf:3:1, in $VI at a.conf:9".
  std::string to_string() const;
};

// Where a construct was written; every diagnostic and every reference carries one.
struct SourceLocation {
  SourceLocation() = default;
  SourceLocation(FileName file_name, int line_no, int column_no,
                 std::shared_ptr<const ExpansionNote> expanded_from = nullptr)
      : file(std::move(file_name)),
        line(line_no),
        column(column_no),
        expansion(std::move(expanded_from)) {}

  FileName file;
  int line = 0;    // 1-based
  int column = 0;  // 1-based, in bytes
  // Text made by keepalived's preprocessor is reported where it was used;
  // this says where it came from (empty for text as written).
  std::shared_ptr<const ExpansionNote> expansion;
  std::string to_string() const;  // "file:line:column"
};

struct VirtualAddress {
  IpPrefix prefix;    // "192.0.2.10/24"; host length when no /N was given
  std::string dev;    // "dev eth1"; empty = the instance's interface
  std::string label;  // "label eth0:1", accepted for compatibility
  SourceLocation where;
};

// What a script runs and as whom, settled against the host when the
// configuration is validated (HostProbe::scripts, script_security.h). A
// script without it was never checked and is never run.
struct ResolvedScript {
  // The command split into words (command_line.h); the first is the absolute
  // path of the file that was checked.
  std::vector<std::string> argv;
  std::string user;  // the account, for logs
  uint32_t uid = 0;
  uint32_t gid = 0;
  friend bool operator==(const ResolvedScript&, const ResolvedScript&) = default;
};

// vrrp_script NAME { ... }
struct Script {
  std::string name;
  std::string command;  // the "script" line, unquoted; run without a shell
  Usec interval{1'000'000};
  Usec timeout{0};  // 0 = same as interval (keepalived's default)
  int weight = 0;   // -253..253; 0 = failure puts tracking instances in FAULT
  bool weight_reverse = false;
  int rise = 1;
  int fall = 1;
  std::string user;  // "user NAME [GROUP]"; empty = global script_user
  std::string group;
  bool init_fail = false;
  SourceLocation where;       // the name
  SourceLocation command_at;  // the "script" line's command
  SourceLocation user_at;     // the "user" line's name
  std::optional<ResolvedScript> resolved;
};

// vrrp_track_process NAME { ... }: how many processes of a name run.
enum class ParamMatch { None, Exact, Partial, Initial };
struct TrackedProcess {
  std::string name;
  std::string process;              // comm, or argv[0] with full_command
  std::vector<std::string> params;  // after the process on the "process" line
  ParamMatch param_match = ParamMatch::None;
  bool full_command = false;  // match /proc/PID/cmdline, not comm
  int weight = 0;             // -254..254; 0 = quorum lost puts trackers in FAULT
  bool weight_reverse = false;
  unsigned quorum = 1;
  unsigned quorum_max = 0xffffffffU;  // keepalived's UINT_MAX: no maximum
  Usec fork_delay{0};
  Usec terminate_delay{0};
  SourceLocation where;  // the name
};

// A reference from an instance to something it follows, with an optional
// weight override (track_script / track_interface / track_unit entries).
struct Track {
  std::string name;
  std::optional<int> weight;  // unset = the tracked object's own weight (or FAULT)
  // "reverse" / "noreverse" after the weight; unset = the tracked object's
  // own (a vrrp_script's "weight N reverse"), else not reversed.
  std::optional<bool> reverse;
  SourceLocation where;
};

// track_file NAME { ... } (vrrp_track_file is keepalived's older name): a
// file holding a number that moves the priority of the instances tracking
// it by number x weight, or faults them (weight 0), as keepalived does.
struct TrackFile {
  std::string name;
  std::string path;  // the "file" line
  int weight = 1;    // -254..254; keepalived's default is 1
  bool weight_reverse = false;
  // init_file [VALUE] [overwrite]: written once when keepvipd starts (never
  // on a reload, never by --check): if the file is missing, or always with
  // "overwrite".
  enum class Init { None, Create, Overwrite };
  Init init = Init::None;
  int init_value = 0;
  SourceLocation where;    // the name
  SourceLocation path_at;  // the "file" line's path
};

enum class InitialState { Backup, Master };

// VRRPv2 authentication, numbered as the advert's Auth Type field (RFC 2338).
enum class AuthType : uint8_t { None = 0, Pass = 1, Ah = 2 };

// keepvip extension: arbitration against a reference address (the gateway).
// When it stops answering the node gives up or refuses mastership.
struct Arbitration {
  IpAddress reference;  // "reference_ip 192.0.2.1"
  Usec interval{1'000'000};
  int fall = 3;  // consecutive misses before the reference counts as lost
  int rise = 2;
  SourceLocation where;
};

// keepalived's "notify_master COMMAND USER [GROUP]": who a notify script runs
// as. An empty user means global_defs script_user.
struct RunAs {
  std::string user;
  std::string group;  // empty: the user's primary group
  friend bool operator==(const RunAs&, const RunAs&) = default;
};

// One notify_* line.
struct NotifyScript {
  std::string command;  // as keepalived reads it, split into words when run; empty = none
  RunAs run_as;
  SourceLocation where;    // the command
  SourceLocation user_at;  // the user after it, if any
  std::optional<ResolvedScript> resolved;
  bool empty() const { return command.empty(); }
};

// global_defs notify_fifo / vrrp_notify_fifo PATH [USER [GROUP]]: a FIFO
// keepvipd writes a line to on every state change (keepalived's format), and
// the *_script that reads it, started with the FIFO's path as its argument.
struct NotifyFifo {
  std::string path;  // empty = none
  std::string user;  // owner of a FIFO keepvipd creates; empty = keepvipd's own
  std::string group;
  SourceLocation where;
  NotifyScript script;  // notify_fifo_script / vrrp_notify_fifo_script
  friend bool operator==(const NotifyFifo& a, const NotifyFifo& b) {
    return a.path == b.path && a.user == b.user && a.group == b.group &&
           a.script.command == b.script.command && a.script.run_as == b.script.run_as &&
           a.script.resolved == b.script.resolved;
  }
};

struct Instance {
  std::string name;
  InitialState state = InitialState::Backup;
  std::string interface;
  uint8_t vrid = 0;                 // 1..255
  uint8_t priority = 100;           // 1..255 (255 = address owner)
  Usec advert_interval{1'000'000};  // v2: whole seconds; v3: centisecond steps
  uint8_t version = 2;              // 2 or 3; default from global_defs vrrp_version
  bool preempt = true;              // cleared by "nopreempt"
  Usec preempt_delay{0};
  // VRRPv2 only. auth_pass is the secret of both kinds: PASS sends its first
  // 8 bytes, AH (IPv4 only) keys HMAC-MD5 with them. No auth_pass: none.
  std::optional<std::string> auth_pass;
  AuthType auth_type = AuthType::Pass;  // what auth_pass is for
  // Empty only with no_virtual_ipaddress, or for VRRPv2 with a warning (as
  // keepalived): the address is then moved by notify scripts, or not at all.
  std::vector<VirtualAddress> virtual_addresses;
  std::vector<VirtualAddress> excluded_addresses;  // virtual_ipaddress_excluded
  std::vector<Route> virtual_routes;               // present while MASTER
  std::vector<Rule> virtual_rules;
  std::optional<IpAddress> unicast_src_ip;
  std::vector<IpAddress> unicast_peers;  // non-empty = unicast mode
  bool check_unicast_src = false;        // accept adverts only from unicast_peers
  bool skip_check_adv_addr = false;      // or global_defs vrrp_skip_check_adv_addr
  bool dont_track_primary = false;       // the instance's interface going down is no fault
  InstanceWire wire;                     // multicast group, checksum form, unicast TTLs
  std::vector<Track> track_interfaces;
  std::vector<Track> track_scripts;
  std::vector<Track> track_units;         // keepvip extension: systemd units
  std::vector<Track> track_processes;     // vrrp_track_process names
  std::vector<Track> track_files;         // track_file entries, weights -254..254
  std::vector<std::string> master_units;  // keepvip extension: started on MASTER, stopped otherwise
  std::optional<Arbitration> arbitration;  // keepvip extension
  Usec split_brain_quiet{10'000'000};      // keepvip extension: alarm clears after this quiet time
  NotifyScript notify_master;
  NotifyScript notify_backup;
  NotifyScript notify_fault;
  NotifyScript notify_stop;
  NotifyScript notify;  // called with: INSTANCE name state priority
  // notify_deleted [COMMAND]: an instance a reload removes announces DELETED
  // (and runs COMMAND, if any) instead of FAULT, keepalived's old default.
  bool notify_deleted = false;
  NotifyScript notify_deleted_script;
  NotifyScript notify_master_rx_lower_pri;  // run by a MASTER hearing a lower priority
  // FIFO lines MASTER_PRIORITY / BACKUP_PRIORITY when the effective priority
  // changes; unset in the file: global_defs vrrp_notify_priority_changes.
  bool notify_priority_changes = false;
  std::optional<bool> smtp_alert;     // unset: global_defs smtp_alert_vrrp, then smtp_alert
  Usec garp_master_delay{5'000'000};  // second burst this long after becoming MASTER; 0 = none
  int garp_master_repeat = 5;         // GARPs per burst
  Usec garp_master_refresh{0};        // periodic refresh while MASTER; 0 = none
  unsigned garp_master_refresh_repeat = 1;  // GARPs per refresh
  // As MASTER, on an advert of lower priority: this many GARPs at once, and
  // as many again after the delay (0 = no second burst). Unset in the file:
  // global_defs' values (themselves garp_master_repeat/delay by default).
  unsigned garp_lower_prio_repeat = 5;
  Usec garp_lower_prio_delay{5'000'000};
  // garp_extra_if [all] DELAY: with use_vmac, GARPs on the base interface
  // (every one with "all") every DELAY while MASTER. 0 = none. Read, not yet
  // used: keepvip has no VMAC.
  Usec garp_extra_if{0};
  bool garp_extra_if_all = false;
  // As MASTER, answer a lower-priority advert with one of ours (false) or
  // stay silent (true); answer a higher-priority one before stepping down.
  bool lower_prio_no_advert = false;
  bool higher_prio_send_advert = false;
  unsigned down_timer_adverts = 3;  // adverts missed before a backup takes over
  // timer_expired_backup: a MASTER whose event loop was stalled so long that
  // a backup of this priority has taken over steps down; 0 = off.
  uint8_t highest_other_priority = 0;
  // accept / no_accept, settled as keepalived does (validate.cpp): false
  // makes keepvipd drop traffic to the VIPs while MASTER (nftables, see
  // Nftables below), as RFC 3768/5798 want of a router that is not the
  // address owner.
  bool accept = true;
  bool strict = false;  // strict_mode, else global_defs vrrp_strict
  SourceLocation where;

  // The family of an instance without virtual addresses (no_virtual_ipaddress):
  // from its unicast addresses or native_ipv6, else IPv4, as in keepalived.
  Family address_family = Family::V4;

  bool unicast() const { return !unicast_peers.empty(); }
  // keepalived's vrrp_handle_accept_mode: the address owner never drops.
  bool drops_vip_traffic() const { return !accept && priority != 255; }
  // The family of the instance's VIPs (the parser keeps one), or address_family.
  Family family() const;
};

// keepalived's mail alerts (global_defs). Mail is sent only when
// notification_email lists someone and smtp_server is set.
struct Mail {
  std::vector<std::string> to;  // notification_email { }
  std::string from;             // notification_email_from; empty: user@hostname
  // smtp_server: an IP address or a host name, and port (25 unless given).
  std::string server;
  uint16_t port = 25;
  std::string helo_name;             // smtp_helo_name; empty: the hostname
  Usec connect_timeout{30'000'000};  // smtp_connect_timeout, also each reply's bound
  // smtp_alert and smtp_alert_vrrp; unset: no mail unless the instance asks.
  std::optional<bool> alert;
  std::optional<bool> alert_vrrp;
  bool no_email_faults = false;  // no mail for FAULT transitions
  bool enabled() const { return !to.empty() && !server.empty(); }
};
// global_defs notify_fifo / vrrp_notify_fifo PATH [USER [GROUP]]: a FIFO
// keepvipd writes a line to on every state change (keepalived's format).

// global_defs nftables [TABLE], nftables_priority, nftables_ifindex,
// nftables_counters: the tables (families ip and ip6) that drop traffic to
// the VIPs of MASTER instances without accept. Named keepvip unless given,
// so that a keepalived on the same host (whose tables are "keepalived" and
// which deletes them when it starts) and keepvip never share one.
struct Nftables {
  std::string table = "keepvip";
  int priority = -1;      // the base chains' hook priority
  bool ifindex = false;   // link-local VIPs matched by interface index, never by name
  bool counters = false;  // a counter on each drop rule
  friend bool operator==(const Nftables&, const Nftables&) = default;
};

struct Global {
  std::string router_id;
  uint8_t vrrp_version = 2;
  std::string script_user;   // empty: keepalived_script if that user exists, else keepvipd's own
  std::string script_group;  // empty: script_user's primary group
  SourceLocation script_user_at;
  bool enable_script_security = false;
  // keepvip extension: a notify script still running after this is ended,
  // with everything it started (keepalived has no limit).
  Usec notify_script_timeout{60'000'000};
  bool vrrp_strict = false;
  Nftables nftables;
  std::optional<SourceLocation> nftables_at;  // the "nftables" line, if any
  bool vrrp_skip_check_adv_addr = false;
  bool vrrp_check_unicast_src = false;  // check_unicast_src for every instance
  GlobalWire wire;                      // vrrp_mcast_group4/6, v3_checksum_as_v2
  Usec vrrp_garp_interval{0};           // gap between GARPs of one burst
  Usec vrrp_gna_interval{0};            // gap between unsolicited NAs of one burst
  int vrrp_garp_master_repeat = 5;
  Usec vrrp_garp_master_delay{5'000'000};
  Usec vrrp_garp_master_refresh{0};
  unsigned vrrp_garp_master_refresh_repeat = 1;
  // Unset: vrrp_garp_master_repeat / vrrp_garp_master_delay (validate.cpp).
  std::optional<unsigned> vrrp_garp_lower_prio_repeat;
  std::optional<Usec> vrrp_garp_lower_prio_delay;
  Usec vrrp_garp_extra_if{0};  // garp_extra_if for every instance; needs VMAC
  bool vrrp_garp_extra_if_all = false;
  // The instances stay deaf BACKUPs this long after keepvipd starts (not
  // after a reload), as keepalived's vrrp_startup_delay.
  Usec vrrp_startup_delay{0};
  bool linkbeat_use_polling = false;  // top-level keyword; read, not used
  bool vrrp_lower_prio_no_advert = false;
  bool vrrp_higher_prio_send_advert = false;
  unsigned vrrp_down_timer_adverts = 3;
  // keepalived 2.3's paths for what SIGUSR1, SIGUSR2 and SIGRTMIN+2 write;
  // empty: keepalived.data, keepalived.stats, keepalived.json in the
  // runtime directory.
  std::string state_dump_file;
  std::string stats_dump_file;
  std::string json_dump_file;
  unsigned json_version = 1;  // 2: keepalived.json is {"vrrp": [...], "track_process": [...]}
  Mail mail;
  NotifyFifo notify_fifo;
  NotifyFifo vrrp_notify_fifo;
  bool vrrp_notify_priority_changes = false;
  // After a reload, a FIFO line with the state of every instance that kept
  // it (those that changed state have just written theirs).
  bool fifo_write_vrrp_states_on_reload = false;
};

// interface_up_down_delays { IFNAME DOWN_DELAY [UP_DELAY] }: how long a
// link must stay down (up) before the instances following it hear of it.
struct InterfaceDelays {
  Usec down{0};
  Usec up{0};
  SourceLocation where;
};

// linkbeat_interfaces { IFNAME [MII|ETHTOOL|IOCTL] }: read, not used
// (keepvip follows the carrier over netlink).
struct LinkbeatInterface {
  std::string name;
  std::string type;  // "", "MII", "ETHTOOL" or "IOCTL"
  SourceLocation where;
};

enum class Severity { Warning, Error };

struct Diagnostic {
  Severity severity = Severity::Error;
  SourceLocation where;
  std::string keyword;  // the keyword at fault, e.g. "priority"
  std::string message;  // what was expected, e.g. "expected an integer in 1..255, got 300"
  // "file:line:column: error: priority: expected ..." — the form every tool
  // prints; " (from $PRIO, defined at ...)" follows for expanded text.
  std::string to_string() const;
};

struct Config {
  Global global;
  std::map<std::string, Script> scripts;                    // by name
  std::map<std::string, TrackedProcess> processes;          // vrrp_track_process, by name
  std::map<std::string, TrackFile> track_files;             // track_file, by name
  std::vector<Instance> instances;                          // in file order
  std::map<std::string, InterfaceDelays> interface_delays;  // by interface name
  std::vector<LinkbeatInterface> linkbeat_interfaces;
  std::vector<Route> static_routes;  // present while keepvipd runs
  std::vector<Rule> static_rules;
  std::vector<std::string> files;  // every file read, includes included ones
};

}  // namespace keepvip::config
