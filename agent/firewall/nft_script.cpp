#include "firewall/nft_script.h"

#include <vector>

namespace keepvip::firewall {
namespace {

const char* family_word(Family family) {
  return family == Family::V4 ? "ip" : "ip6";
}

// nft reads table names unquoted (config/interpret_global.cpp keeps them
// to the characters it takes).
std::string table_ref(Family family, const std::string& table) {
  return std::string(family_word(family)) + " " + table;
}

enum class SetKind { Global, LinkLocalIndex, LinkLocalName };

SetKind kind_of(const ports::DroppedAddress& a) {
  if (!a.address.is_ipv6_link_local()) return SetKind::Global;
  return a.by_name ? SetKind::LinkLocalName : SetKind::LinkLocalIndex;
}

const char* set_name(SetKind kind) {
  switch (kind) {
    case SetKind::Global:
      return "vips";
    case SetKind::LinkLocalIndex:
      return "vips_link_local";
    case SetKind::LinkLocalName:
      return "vips_link_local_name";
  }
  return "vips";
}

std::string element(const ports::DroppedAddress& a) {
  switch (kind_of(a)) {
    case SetKind::Global:
      return a.address.to_string();
    case SetKind::LinkLocalIndex:
      return a.address.to_string() + " . " + std::to_string(a.ifindex);
    case SetKind::LinkLocalName:
      return a.address.to_string() + " . \"" + a.ifname + "\"";
  }
  return a.address.to_string();
}

std::vector<std::string> elements_of(const Dropped& addresses, SetKind kind) {
  std::vector<std::string> out;
  for (const auto& a : addresses)
    if (kind_of(a) == kind) out.push_back(element(a));
  return out;
}

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

bool has(const Dropped& addresses, SetKind kind) {
  return !elements_of(addresses, kind).empty();
}

std::string set_block(const char* name, const std::string& type,
                      const std::vector<std::string>& elements, bool constant = false) {
  std::string out = std::string("\tset ") + name + " {\n\t\ttype " + type + "\n";
  if (constant) out += "\t\tflags constant\n";
  if (!elements.empty()) out += "\t\telements = { " + joined(elements) + " }\n";
  return out + "\t}\n";
}

std::string chain_block(const char* name, const std::string& hook, const config::Nftables& settings,
                        const std::vector<std::string>& rules) {
  std::string out = std::string("\tchain ") + name + " {\n";
  if (!hook.empty()) {
    out += "\t\ttype filter hook " + hook + " priority " + std::to_string(settings.priority) +
           "; policy accept;\n";
  }
  for (const auto& rule : rules) out += "\t\t" + rule + "\n";
  return out + "\t}\n";
}

// keepalived puts a counter on each rule with nftables_counters.
std::string verdict(const config::Nftables& settings, const char* word) {
  return (settings.counters ? std::string("counter ") : std::string()) + word;
}

std::string ipv4_body(const config::Nftables& s, const Dropped& addresses) {
  return set_block("vips", "ipv4_addr", elements_of(addresses, SetKind::Global)) +
         chain_block("in", "input", s, {"ip daddr @vips " + verdict(s, "drop")}) +
         chain_block("out", "output", s, {"ip saddr @vips " + verdict(s, "drop")});
}

std::string ipv6_body(const config::Nftables& s, const Dropped& addresses) {
  const bool by_index = has(addresses, SetKind::LinkLocalIndex);
  const bool by_name = has(addresses, SetKind::LinkLocalName);
  std::string out = set_block("vips", "ipv6_addr", elements_of(addresses, SetKind::Global));
  out += set_block("neighbor-discovery", "icmpv6_type",
                   {"nd-neighbor-solicit", "nd-neighbor-advert"}, /*constant=*/true);
  if (by_index) {
    out += set_block("vips_link_local", "ipv6_addr . iface_index",
                     elements_of(addresses, SetKind::LinkLocalIndex));
  }
  if (by_name) {
    out += set_block("vips_link_local_name", "ipv6_addr . ifname",
                     elements_of(addresses, SetKind::LinkLocalName));
  }
  // Before "in" and "out", which jump to them.
  std::vector<std::string> in_ll, out_ll;
  if (by_index) {
    in_ll.push_back("ip6 daddr . iif @vips_link_local " + verdict(s, "drop"));
    out_ll.push_back("ip6 saddr . oif @vips_link_local " + verdict(s, "drop"));
  }
  if (by_name) {
    in_ll.push_back("ip6 daddr . iifname @vips_link_local_name " + verdict(s, "drop"));
    out_ll.push_back("ip6 saddr . oifname @vips_link_local_name " + verdict(s, "drop"));
  }
  out += chain_block("in_link_local", "", s, in_ll);
  out += chain_block("out_link_local", "", s, out_ll);
  out += chain_block("in", "input", s,
                     {"icmpv6 type @neighbor-discovery " + verdict(s, "accept"),
                      "ip6 daddr fe80::/10 " + verdict(s, "goto in_link_local"),
                      "ip6 daddr @vips " + verdict(s, "drop")});
  out += chain_block("out", "output", s,
                     {"icmpv6 type @neighbor-discovery " + verdict(s, "accept"),
                      "ip6 saddr fe80::/10 " + verdict(s, "goto out_link_local"),
                      "ip6 saddr @vips " + verdict(s, "drop")});
  return out;
}

std::string element_commands(const char* verb, Family family, const std::string& table,
                             const Dropped& addresses) {
  std::string out;
  for (SetKind kind : {SetKind::Global, SetKind::LinkLocalIndex, SetKind::LinkLocalName}) {
    auto elements = elements_of(addresses, kind);
    if (elements.empty()) continue;
    out += std::string(verb) + " element " + table_ref(family, table) + " " + set_name(kind) +
           " { " + joined(elements) + " }\n";
  }
  return out;
}

}  // namespace

std::string removal_script(Family family, const std::string& table) {
  return "add table " + table_ref(family, table) + "\ndelete table " + table_ref(family, table) +
         "\n";
}

std::string table_script(Family family, const config::Nftables& settings,
                         const Dropped& addresses) {
  std::string out = removal_script(family, settings.table);
  if (addresses.empty()) return out;
  out += "table " + table_ref(family, settings.table) + " {\n";
  out += family == Family::V4 ? ipv4_body(settings, addresses) : ipv6_body(settings, addresses);
  return out + "}\n";
}

std::string change_script(Family family, const config::Nftables& settings, const Dropped& before,
                          const Dropped& after) {
  if (before.empty() || after.empty()) return table_script(family, settings, after);
  for (SetKind kind : {SetKind::LinkLocalIndex, SetKind::LinkLocalName}) {
    if (has(before, kind) != has(after, kind)) return table_script(family, settings, after);
  }
  Dropped gone, added;
  for (const auto& a : before)
    if (!after.contains(a)) gone.insert(a);
  for (const auto& a : after)
    if (!before.contains(a)) added.insert(a);
  return element_commands("delete", family, settings.table, gone) +
         element_commands("add", family, settings.table, added);
}

}  // namespace keepvip::firewall
