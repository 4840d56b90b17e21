// The vrrp_instance keywords that decide what a peer sees on the wire
// (config/wire_settings.h), read as keepalived 2.2.8 reads them.
#pragma once

#include <optional>

#include "config/interpret.h"

namespace keepvip::config::detail {

void v3_checksum_as_v2(Reader& r, const Node& n, InstanceDraft& d);
void unicast_ttl(Reader& r, const Node& n, InstanceDraft& d);
void unicast_fault_no_peer(Reader& r, const Node& n, InstanceDraft& d);
// "ADDRESS [min_ttl N] [max_ttl M]" of a unicast_peer entry: the range when
// an option is given (keepalived then checks the source of every advert, as
// check_unicast_src does).
std::optional<PeerTtlRange> peer_ttl_range(Reader& r, const Node& entry, const IpAddress& peer);
// After the block is read: the group, checksum form and TTL as keepalived
// settles them (vrrp_complete_instance), with its warnings.
void settle_wire(InstanceDraft& d, const Global& global, DiagnosticSink& diags);

}  // namespace keepvip::config::detail
