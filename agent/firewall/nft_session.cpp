#include "firewall/nft_session.h"

#include <nftables/libnftables.h>

#include "firewall/nft_script.h"

namespace keepvip::firewall {

void NftSession::Free::operator()(nft_ctx* ctx) const {
  nft_ctx_free(ctx);
}

Result<NftSession> NftSession::open() {
  nft_ctx* ctx = nft_ctx_new(NFT_CTX_DEFAULT);
  if (!ctx) return logic_error("nftables: cannot create a libnftables context");
  NftSession session(ctx);
  // Kept in memory, so a failure can be reported in one log line.
  if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0)
    return logic_error("nftables: cannot buffer libnftables output");
  return session;
}

Result<> NftSession::run(const std::string& script) {
  if (nft_run_cmd_from_buffer(ctx_.get(), script.c_str()) == 0) return {};
  std::string said = nft_ctx_get_error_buffer(ctx_.get());
  while (!said.empty() && said.back() == '\n') said.pop_back();
  return logic_error("nftables: " + (said.empty() ? std::string("the change was refused") : said));
}

Result<> remove_drop_tables(NftSession& session, const std::string& table) {
  return session.run(removal_script(Family::V4, table) + removal_script(Family::V6, table));
}

}  // namespace keepvip::firewall
