// Renders `keepvipctl status`: one aligned row per instance.
#pragma once

#include <string>
#include <vector>

#include "keepvipctl/api_client.h"

namespace keepvip::ctl {

std::string render_status_table(const std::vector<InstanceRow>& rows);

}  // namespace keepvip::ctl
