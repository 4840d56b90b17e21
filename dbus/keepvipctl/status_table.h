// Renders `keepvipctl status`: one aligned row per instance.
#pragma once

#include <string>
#include <vector>

#include "keepvipctl/api_client.h"

namespace keepvip::ctl {

std::string render_status_table(const std::vector<InstanceRow>& rows);

// Renders `keepvipctl split-brain`: per instance, whether it sees a split
// brain and each piece of evidence with its first and last sighting
// (local time).
std::string render_split_brain(const std::vector<InstanceRow>& rows);

}  // namespace keepvip::ctl
