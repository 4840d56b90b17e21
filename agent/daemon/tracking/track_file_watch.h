// A track_file followed through inotify on the event loop. The directory is
// watched, not the file, so that a file written in place (close after
// write), moved in or out (an atomic replace by rename), created or deleted
// is seen, as keepalived watches it (IN_CLOSE_WRITE | IN_DELETE | IN_MOVE).
// A file moved away or deleted reads as 0. Reports each change of value.
#pragma once

#include <systemd/sd-event.h>

#include <cstdint>
#include <memory>
#include <string>

#include "common/fd.h"
#include "common/result.h"
#include "config/config.h"
#include "daemon/loop/event_loop.h"
#include "daemon/tracking/health_check.h"

namespace keepvip::daemon {

class TrackFileWatch final : public ValueCheck {
 public:
  // `initialise`: apply the file's init_file (only when keepvipd starts).
  static Result<std::unique_ptr<TrackFileWatch>> create(sd_event* loop,
                                                        const config::TrackFile& file,
                                                        bool initialise, ValueCallback on_change);
  int64_t value() const override { return value_; }

 private:
  TrackFileWatch() = default;
  void on_readable();
  void set(int64_t value);

  std::string name_;
  std::string path_;  // resolved
  std::string leaf_;  // the file's name inside the watched directory
  UniqueFd inotify_;
  int watch_descriptor_ = -1;
  std::unique_ptr<IoWatch> watch_;
  int64_t value_ = 0;
  ValueCallback on_change_;
};

// init_file: writes "VALUE\n" to the file if it is missing, or always with
// "overwrite" (which refuses a path that is not a regular file).
Result<> initialise_track_file(const config::TrackFile& file);

}  // namespace keepvip::daemon
