#include "config/interpret_timing.h"

#include <string>

#include "config/values.h"

namespace keepvip::config::detail {
namespace {

constexpr Usec kSecond{1'000'000};
// keepalived's defaults (vrrp.h), which vrrp_min_garp replaces only where
// nothing was set before it.
constexpr unsigned kDefaultGarpRepeat = 5;
constexpr Usec kDefaultGarpDelay{5'000'000};
constexpr Usec kDefaultGarpRefresh{0};
constexpr unsigned kDefaultGarpRefreshRepeat = 1;
// keepalived reads whole seconds into a microsecond count (UINT_MAX / TIMER_HZ).
constexpr int64_t kMaxGarpDelaySeconds = 4294;
constexpr int64_t kMaxUnsigned = 4294967295;
constexpr int64_t kMaxInt = 2147483647;

// "must be greater than 0, setting to 1", as keepalived answers a 0.
std::optional<unsigned> repeat_at_least_one(Reader& r, const Node& n) {
  auto v = r.integer(n, 0, kMaxUnsigned);
  if (!v) return std::nullopt;
  if (*v == 0) {
    r.diags().warning(n.args.front().where, n.keyword.text,
                      "must be greater than 0; setting to 1, as keepalived does");
    return 1u;
  }
  return static_cast<unsigned>(*v);
}

// keepalived: "garp_extra_if [all] DELAY" (in any order); the instance
// allows 0..86400, global_defs 1..86400.
struct ExtraIf {
  Usec delay{0};
  bool all = false;
};
std::optional<ExtraIf> extra_if(Reader& r, const Node& n, int64_t min_delay) {
  if (n.keyword.text == "vmac_garp_intvl" || n.keyword.text == "vrrp_vmac_garp_intvl") {
    const std::string modern =
        n.keyword.text == "vmac_garp_intvl" ? "garp_extra_if" : "vrrp_garp_extra_if";
    r.diags().warning(n.keyword.where, n.keyword.text,
                      "deprecated; please use \"" + modern + "\" (as keepalived says)");
  }
  ExtraIf out;
  std::optional<int64_t> delay;
  for (const Token& arg : n.args) {
    if (arg.text == "all") {
      out.all = true;
      continue;
    }
    auto v = parse_integer(arg.text, min_delay, 86400);
    if (!v) {
      r.diags().error(arg.where, n.keyword.text, v.error());
      return std::nullopt;
    }
    delay = *v;
  }
  if (!delay) {
    r.diags().error(n.keyword.where, n.keyword.text,
                    "expected a delay in seconds (" + std::to_string(min_delay) +
                        "..86400), optionally with 'all'; ignored, as keepalived does");
    return std::nullopt;
  }
  out.delay = *delay * kSecond;
  return out;
}

bool plain_line(Reader& r, const Node& line, const Node& block) {
  if (line.keyword.kind != TokenKind::Word) return false;
  if (!line.has_block) return true;
  r.diags().error(line.open_brace, block.keyword.text,
                  "entries of " + block.keyword.text + " take no '{' block");
  return false;
}

}  // namespace

// ---- global_defs ------------------------------------------------------------

void vrrp_garp_master_refresh_repeat(Reader& r, const Node& n, Global& g) {
  if (auto v = repeat_at_least_one(r, n)) g.vrrp_garp_master_refresh_repeat = *v;
}
void vrrp_garp_lower_prio_repeat(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 0, kMaxInt)) g.vrrp_garp_lower_prio_repeat = static_cast<unsigned>(*v);
}
void vrrp_garp_lower_prio_delay(Reader& r, const Node& n, Global& g) {
  if (auto v = r.integer(n, 0, kMaxGarpDelaySeconds)) g.vrrp_garp_lower_prio_delay = *v * kSecond;
}
// One GARP/NA per VIP on becoming MASTER, no second burst, no refresh; only
// the values still at their defaults change, so a keyword before it wins
// and one after it overrides it (global_parser.c vrrp_min_garp_handler).
void vrrp_min_garp(Reader& r, const Node& n, Global& g) {
  auto on = r.on_off(n);
  if (!on || !*on) return;
  if (g.vrrp_garp_master_repeat == static_cast<int>(kDefaultGarpRepeat))
    g.vrrp_garp_master_repeat = 1;
  if (g.vrrp_garp_master_refresh == kDefaultGarpRefresh) g.vrrp_garp_master_refresh = Usec{0};
  if (g.vrrp_garp_master_refresh_repeat == kDefaultGarpRefreshRepeat)
    g.vrrp_garp_master_refresh_repeat = 0;
  if (g.vrrp_garp_master_delay == kDefaultGarpDelay) g.vrrp_garp_master_delay = Usec{0};
}
// keepalived: 0.001 s .. UINT_MAX us, and a note from a minute on.
void vrrp_startup_delay(Reader& r, const Node& n, Global& g) {
  auto v = r.seconds(n, Usec{1000}, Usec{kMaxUnsigned});
  if (!v) return;
  g.vrrp_startup_delay = *v;
  if (*v >= 60 * kSecond) {
    r.diags().warning(n.args.front().where, n.keyword.text,
                      "the vrrp_startup_delay is very large - " + n.args.front().text + " seconds");
  }
}
// Read and checked, then "accepted, not used" until keepvip has VMAC.
void vrrp_garp_extra_if(Reader& r, const Node& n, Global& g) {
  accept_keepalived_keyword(r, n, "global_defs");
  if (auto v = extra_if(r, n, 1)) {
    g.vrrp_garp_extra_if = v->delay;
    g.vrrp_garp_extra_if_all = g.vrrp_garp_extra_if_all || v->all;
  }
}

// ---- vrrp_instance ----------------------------------------------------------

void garp_master_refresh_repeat(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = repeat_at_least_one(r, n)) d.garp_master_refresh_repeat = *v;
}
void garp_lower_prio_repeat(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 0, kMaxInt))
    d.garp_lower_prio_repeat = Written<unsigned>{static_cast<unsigned>(*v), n.keyword.where};
}
void garp_lower_prio_delay(Reader& r, const Node& n, InstanceDraft& d) {
  if (auto v = r.integer(n, 0, kMaxGarpDelaySeconds))
    d.garp_lower_prio_delay = Written<Usec>{*v * kSecond, n.keyword.where};
}
void garp_extra_if(Reader& r, const Node& n, InstanceDraft& d) {
  accept_keepalived_keyword(r, n, "vrrp_instance");
  if (auto v = extra_if(r, n, 0)) {
    d.instance.garp_extra_if = v->delay;
    d.instance.garp_extra_if_all = d.instance.garp_extra_if_all || v->all;
  }
}
// keepalived still honours it, with this complaint.
void instance_linkbeat_use_polling(Reader& r, const Node& n, InstanceDraft& d) {
  accept_keepalived_keyword(r, n, "vrrp_instance");
  r.flag(n);
  r.diags().warning(n.keyword.where, n.keyword.text,
                    "(" + d.instance.name +
                        ") 'linkbeat_use_polling' in vrrp instance deprecated - use "
                        "linkbeat_interfaces block (as keepalived says)");
}

// ---- top level --------------------------------------------------------------

// keepalived's alloc_if_up_down_delay: "IFNAME DOWN_DELAY [UP_DELAY]",
// seconds to the microsecond up to 255; a missing UP_DELAY is 0 (its man
// page says "the same as the down delay", its code sets 0; keepvip does
// what keepalived does).
void read_interface_up_down_delays(Reader& r, const Node& n, Drafts& drafts) {
  r.at_most(n, 0);
  for (const Node& line : n.children) {
    if (!plain_line(r, line, n)) continue;
    const std::string& ifname = line.keyword.text;
    if (line.args.empty()) {
      r.diags().warning(
          line.keyword.where, n.keyword.text,
          "no timeouts specified for " + ifname + " up/down delays; ignored, as keepalived does");
      continue;
    }
    if (line.args.size() > 2) {
      r.diags().warning(
          line.args[2].where, n.keyword.text,
          "too many parameters for " + ifname + " up/down delays; expected DOWN_DELAY [UP_DELAY]");
    }
    InterfaceDelays delays;
    delays.where = line.keyword.where;
    bool ok = true;
    for (size_t i = 0; i < std::min<size_t>(line.args.size(), 2); ++i) {
      auto v = parse_seconds(line.args[i].text, Usec{0}, 255 * kSecond);
      if (!v) {
        r.diags().error(
            line.args[i].where, n.keyword.text,
            std::string(i == 0 ? "down" : "up") + " delay for " + ifname + ": " + v.error());
        ok = false;
        break;
      }
      (i == 0 ? delays.down : delays.up) = *v;
    }
    if (ok) drafts.interface_delays[ifname] = delays;
  }
}

// keepalived's alloc_linkbeat_interface: "IFNAME [MII|ETHTOOL|IOCTL]".
void read_linkbeat_interfaces(Reader& r, const Node& n, Drafts& drafts) {
  accept_keepalived_keyword(r, n, "");
  r.at_most(n, 0);
  for (const Node& line : n.children) {
    if (!plain_line(r, line, n)) continue;
    LinkbeatInterface entry{line.keyword.text, {}, line.keyword.where};
    if (!line.args.empty()) {
      const std::string& type = line.args[0].text;
      if (type == "MII" || type == "ETHTOOL" || type == "IOCTL") entry.type = type;
      if (entry.type.empty() || line.args.size() > 1) {
        r.diags().error(line.args[entry.type.empty() ? 0 : 1].where, n.keyword.text,
                        "extra characters in linkbeat interface; expected IFNAME [MII|ETHTOOL|"
                        "IOCTL]");
      }
    }
    drafts.linkbeat_interfaces.push_back(std::move(entry));
  }
}

void read_linkbeat_use_polling(Reader& r, const Node& n, Drafts& drafts) {
  accept_keepalived_keyword(r, n, "");
  r.flag(n);
  drafts.global.linkbeat_use_polling = true;
}

}  // namespace keepvip::config::detail
