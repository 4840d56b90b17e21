#include "firewall/nft_firewall.h"

#include "common/log.h"

namespace keepvip::firewall {

Result<std::unique_ptr<NftFirewall>> NftFirewall::open(const config::Nftables& settings) {
  auto session = NftSession::open();
  if (!session) return unexpected(session.error());
  if (auto r = remove_drop_tables(*session, settings.table); !r) return unexpected(r.error());
  return std::unique_ptr<NftFirewall>(new NftFirewall(std::move(*session), settings));
}

NftFirewall::~NftFirewall() {
  for (Family family : {Family::V4, Family::V6}) {
    if (installed(family).empty()) continue;
    if (auto r = session_.run(removal_script(family, settings_.table)); !r)
      log_warning(r.error().describe());
  }
}

Dropped NftFirewall::wanted(Family family) const {
  Dropped out;
  for (const auto& [name, addresses] : by_instance_)
    for (const auto& a : addresses)
      if (a.address.family() == family) out.insert(a);
  return out;
}

Result<> NftFirewall::set_dropped(const std::string& instance, const config::Nftables& settings,
                                  std::vector<ports::DroppedAddress> addresses) {
  auto it = by_instance_.find(instance);
  const bool unchanged = it == by_instance_.end() ? addresses.empty() : it->second == addresses;
  if (unchanged && settings == settings_) return {};
  std::string script;
  if (settings != settings_) {
    // A reload changed the tables themselves: the old ones go in the same
    // transaction that builds the new ones.
    for (Family family : {Family::V4, Family::V6})
      if (!installed(family).empty()) script += removal_script(family, settings_.table);
    ipv4_.clear();
    ipv6_.clear();
  }
  auto previous = by_instance_;
  if (addresses.empty())
    by_instance_.erase(instance);
  else
    by_instance_[instance] = std::move(addresses);
  Dropped next[2] = {wanted(Family::V4), wanted(Family::V6)};
  for (Family family : {Family::V4, Family::V6}) {
    const Dropped& after = next[family == Family::V4 ? 0 : 1];
    if (after != installed(family) || settings != settings_)
      script += change_script(family, settings, installed(family), after);
  }
  if (!script.empty()) {
    if (auto r = session_.run(script); !r) {
      by_instance_ = std::move(previous);
      if (settings != settings_) {
        // The old tables are still there (the transaction failed whole).
        ipv4_ = wanted(Family::V4);
        ipv6_ = wanted(Family::V6);
      }
      return r;
    }
  }
  settings_ = settings;
  ipv4_ = std::move(next[0]);
  ipv6_ = std::move(next[1]);
  return {};
}

}  // namespace keepvip::firewall
