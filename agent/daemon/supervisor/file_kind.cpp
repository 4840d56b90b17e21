#include "daemon/supervisor/file_kind.h"

#include <set>

#include "common/log.h"
#include "daemon/tracking/tracking.h"

namespace keepvip::daemon {

std::unique_ptr<ValueCheck> FileKind::start(Spec& file) {
  if (!checks_.file) return nullptr;
  std::string key = file_key(file.name);
  auto check = checks_.file(file, initialise_,
                            [report = report_, key](int64_t value) { report(key, value); });
  if (!check) {
    log_error(check.error().describe());
    return nullptr;
  }
  return std::move(*check);
}

std::vector<config::TrackFile> tracked_files(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& instance : config.instances)
    for (const auto& t : instance.track_files)
      if (config.track_files.count(t.name)) names.insert(t.name);
  std::vector<config::TrackFile> files;
  for (const auto& name : names) files.push_back(config.track_files.at(name));
  return files;
}

}  // namespace keepvip::daemon
