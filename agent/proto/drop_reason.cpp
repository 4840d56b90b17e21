#include "proto/drop_reason.h"

namespace keepvip::proto {

std::string_view to_string(DropReason reason) {
  switch (reason) {
    case DropReason::FamilyMismatch:
      return "family-mismatch";
    case DropReason::VridMismatch:
      return "vrid-mismatch";
    case DropReason::AhIcvMismatch:
      return "ah-icv-mismatch";
    case DropReason::AhSpiMismatch:
      return "ah-spi-mismatch";
    case DropReason::AhSequenceReplay:
      return "ah-sequence-replay";
    case DropReason::BadIpHeader:
      return "bad-ip-header";
    default:
      return kv_drop_reason_name(static_cast<unsigned>(reason));
  }
}

}  // namespace keepvip::proto
