// One libnftables context: runs nft scripts (nft_script.h) as one
// transaction each, over a netlink socket of the calling process. A call is
// synchronous and takes a few milliseconds (the kernel answers a batch at
// once); keepvipd makes one per MASTER transition of an instance without
// accept, so the event loop is not held up noticeably.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"

struct nft_ctx;

namespace keepvip::firewall {

class NftSession {
 public:
  static Result<NftSession> open();
  // The whole script applies or nothing does; the error says what nft said.
  Result<> run(const std::string& script);

 private:
  struct Free {
    void operator()(nft_ctx* ctx) const;
  };
  explicit NftSession(nft_ctx* ctx) : ctx_(ctx) {}
  std::unique_ptr<nft_ctx, Free> ctx_;
};

// `keepvipd --release` and a start after a crash: the tables (ip and ip6)
// named `table`, gone.
Result<> remove_drop_tables(NftSession& session, const std::string& table);

}  // namespace keepvip::firewall
