#include "daemon/tracking/track_file_watch.h"

#include <sys/inotify.h>
#include <sys/stat.h>

#include <climits>
#include <cstring>

#include "common/atomic_file.h"
#include "common/log.h"
#include "daemon/tracking/track_file_value.h"

namespace keepvip::daemon {

Result<> initialise_track_file(const config::TrackFile& file) {
  if (file.init == config::TrackFile::Init::None) return {};
  struct stat st {};
  bool exists = ::stat(file.path.c_str(), &st) == 0;
  if (exists && file.init == config::TrackFile::Init::Overwrite && !S_ISREG(st.st_mode))
    return logic_error("Cannot initialise track file " + file.name + " - it is not a regular file");
  // keepalived 2.2.8 writes even without "overwrite", against its own manual;
  // 2.3.3 fixed that ("don't overwrite track file at startup unless
  // configured to"), and keepvip does as the manual and 2.3 do.
  if (exists && file.init != config::TrackFile::Init::Overwrite) return {};
  if (auto r = write_file_atomically(file.path, std::to_string(file.init_value) + "\n", 0644); !r)
    return logic_error("Unable to initialise track file " + file.name + ": " +
                       r.error().describe());
  return {};
}

Result<std::unique_ptr<TrackFileWatch>> TrackFileWatch::create(sd_event* loop,
                                                               const config::TrackFile& file,
                                                               bool initialise,
                                                               ValueCallback on_change) {
  if (initialise) {
    if (auto r = initialise_track_file(file); !r) log_error(r.error().describe());
  }
  auto resolved = resolve_track_file_path(file.path);
  if (!resolved)
    return logic_error("Track file directory for " + file.name + " does not exist (" + file.path +
                       ")");
  std::unique_ptr<TrackFileWatch> w(new TrackFileWatch());
  w->name_ = file.name;
  w->path_ = *resolved;
  auto slash = w->path_.rfind('/');
  w->leaf_ = w->path_.substr(slash + 1);
  std::string directory = slash == 0 ? "/" : w->path_.substr(0, slash);
  w->inotify_.reset(::inotify_init1(IN_NONBLOCK | IN_CLOEXEC));
  if (!w->inotify_) return last_os_error("track_file " + file.name + ": inotify_init1");
  w->watch_descriptor_ = ::inotify_add_watch(w->inotify_.get(), directory.c_str(),
                                             IN_CLOSE_WRITE | IN_DELETE | IN_MOVE);
  if (w->watch_descriptor_ < 0)
    return last_os_error("track_file " + file.name + ": cannot watch " + directory);
  auto watch = IoWatch::create(
      loop, w->inotify_.get(), [raw = w.get()] { raw->on_readable(); }, "track_file " + file.name);
  if (!watch) return unexpected(watch.error());
  w->watch_ = std::move(*watch);
  // Read before the callback is set: the first value is taken, not reported.
  w->value_ = read_track_file_value(w->path_).value_or(0);
  w->on_change_ = std::move(on_change);
  return w;
}

void TrackFileWatch::set(int64_t value) {
  if (value == value_) return;
  value_ = value;
  if (on_change_) on_change_(value);
}

void TrackFileWatch::on_readable() {
  alignas(inotify_event) char buffer[4096];
  for (;;) {
    ssize_t n = ::read(inotify_.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // EAGAIN: drained
    for (char* at = buffer; at < buffer + n;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        // Events were lost: the file's content is the truth.
        if (auto v = read_track_file_value(path_)) set(*v);
        continue;
      }
      if ((event->mask & IN_ISDIR) || event->wd != watch_descriptor_ || event->len == 0 ||
          leaf_ != event->name)
        continue;
      if (event->mask & (IN_MOVED_FROM | IN_DELETE)) {
        set(0);  // gone: as keepalived, the value is 0
      } else if (auto v = read_track_file_value(path_)) {
        set(*v);
      }
    }
  }
}

}  // namespace keepvip::daemon
