// ports::Firewall over nftables: the union of every instance's dropped
// addresses, kept in the tables nft_script.h describes. Each change is one
// nft transaction (nft_session.h), so rules never appear half-applied.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "firewall/nft_script.h"
#include "firewall/nft_session.h"
#include "ports/firewall.h"

namespace keepvip::firewall {

class NftFirewall final : public ports::Firewall {
 public:
  // Removes the tables named in `settings` that a crashed run left (a
  // table of that name is keepvipd's: nothing else is told to use it).
  static Result<std::unique_ptr<NftFirewall>> open(const config::Nftables& settings);
  // A normal stop: the tables it made, removed.
  ~NftFirewall() override;

  Result<> set_dropped(const std::string& instance, const config::Nftables& settings,
                       std::vector<ports::DroppedAddress> addresses) override;

 private:
  NftFirewall(NftSession session, const config::Nftables& settings)
      : session_(std::move(session)), settings_(settings) {}
  Dropped wanted(Family family) const;
  Dropped& installed(Family family) { return family == Family::V4 ? ipv4_ : ipv6_; }

  NftSession session_;
  config::Nftables settings_;
  std::map<std::string, std::vector<ports::DroppedAddress>> by_instance_;
  Dropped ipv4_;  // what the kernel's tables hold
  Dropped ipv6_;
};

}  // namespace keepvip::firewall
