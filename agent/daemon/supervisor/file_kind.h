// Tracked files as a kind of the supervisor's one reconcile (reconcile.h):
// the track_files some instance tracks, each watched once (keepalived
// forgets the ones nothing tracks). A watch is kept across a reload while
// its path stays the same, and rebuilt when the path changes; weights live
// in the instances (their settings fingerprint), not in the watch.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "config/config.h"
#include "daemon/tracking/health_check.h"

namespace keepvip::daemon {

class FileKind {
 public:
  using Key = std::string;
  using Spec = config::TrackFile;
  using Object = ValueCheck;
  // Every instance tracking the file hears it (by tracking key).
  using Report = std::function<void(const std::string& key, int64_t value)>;

  FileKind(const CheckFactories& checks, Report report)
      : checks_(checks), report_(std::move(report)) {}

  Key key(const Spec& file) const { return file.name; }
  std::string identity(const Spec& file) const { return file.path; }
  std::unique_ptr<ValueCheck> start(Spec& file);
  void stop(ValueCheck&) {}

  // init_file applies to the files started by keepvipd's first
  // configuration only: as keepalived, a reload never writes them.
  void started() { initialise_ = false; }

 private:
  const CheckFactories& checks_;
  Report report_;
  bool initialise_ = true;
};

// The track_files some instance of `config` tracks, each once.
std::vector<config::TrackFile> tracked_files(const config::Config& config);

}  // namespace keepvip::daemon
