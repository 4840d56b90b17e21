// The guard's drop counters by name, as D-Bus and --stats show them: what
// the tables in these tests are written in.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "proto/drop_reason.h"

namespace keepvip::testing {

inline std::map<std::string, uint64_t> by_name(const proto::DropCounts& drops) {
  std::map<std::string, uint64_t> named;
  for (const auto& [reason, count] : drops) named[std::string(to_string(reason))] = count;
  return named;
}

}  // namespace keepvip::testing
