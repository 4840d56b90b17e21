#include "daemon/scripts/notify_fifo.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "common/log.h"

namespace keepvip::daemon {

std::string notify_fifo_line(std::string_view instance, std::string_view what, uint8_t priority) {
  return "INSTANCE \"" + std::string(instance) + "\" " + std::string(what) + " " +
         std::to_string(priority) + "\n";
}

namespace {

// The owner asked for; -1 keeps keepvipd's own.
std::pair<uid_t, gid_t> owner(const config::NotifyFifo& fifo) {
  uid_t uid = static_cast<uid_t>(-1);
  gid_t gid = static_cast<gid_t>(-1);
  if (!fifo.user.empty()) {
    if (const passwd* pw = ::getpwnam(fifo.user.c_str())) {
      uid = pw->pw_uid;
      gid = pw->pw_gid;
    } else {
      log_warning("notify fifo " + fifo.path + ": no user " + fifo.user);
    }
  }
  if (!fifo.group.empty()) {
    if (const group* gr = ::getgrnam(fifo.group.c_str()))
      gid = gr->gr_gid;
    else
      log_warning("notify fifo " + fifo.path + ": no group " + fifo.group);
  }
  return {uid, gid};
}

}  // namespace

Result<std::unique_ptr<NotifyFifo>> NotifyFifo::open(sd_event* loop, const config::NotifyFifo& fifo,
                                                     std::string kind) {
  std::unique_ptr<NotifyFifo> f(new NotifyFifo());
  f->config_ = fifo;
  f->kind_ = std::move(kind);
  if (::mkfifo(fifo.path.c_str(), S_IRUSR | S_IWUSR | S_IRGRP | S_IROTH) == 0) {
    f->created_ = true;
    auto [uid, gid] = owner(fifo);
    if ((uid != static_cast<uid_t>(-1) || gid != static_cast<gid_t>(-1)) &&
        ::chown(fifo.path.c_str(), uid, gid) != 0)
      log_warning("Failed to set uid:gid for fifo " + fifo.path);
  } else if (errno != EEXIST) {
    return last_os_error("Unable to create " + f->kind_ + " " + fifo.path);
  }
  if (fifo.script.resolved) {
    ScriptLaunch launch = launch_for(*fifo.script.resolved);
    launch.argv.push_back(fifo.path);
    // A reader runs as long as its FIFO: no timeout to speak of.
    launch.timeout = Usec{10LL * 365 * 24 * 3600 * 1'000'000};
    launch.ends_with_agent = true;
    std::string what = f->kind_ + "_script " + fifo.script.command;
    auto child = ChildProcess::spawn(
        loop, launch, ChildProcess::OnRelease::Stop,
        [what](const ExitStatus& status) { log_info(what + " ended: " + status.describe()); });
    if (child)
      f->script_ = std::move(*child);
    else
      log_error(what + ": " + child.error().describe());
  }
  f->fd_.reset(::open(fifo.path.c_str(), O_RDWR | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW));
  if (!f->fd_) return last_os_error("Unable to open " + f->kind_ + " " + fifo.path);
  struct stat st {};
  if (::fstat(f->fd_.get(), &st) != 0 || !S_ISFIFO(st.st_mode))
    return logic_error(f->kind_ + " " + fifo.path + " is not a FIFO");
  return f;
}

NotifyFifo::~NotifyFifo() {
  // The reader is told first (keepalived sends it SIGTERM before it closes).
  script_.reset();
  // Removed before it is closed, as keepalived does, so that a reader that
  // reopens the FIFO when it is closed does not reopen this one.
  if (created_) ::unlink(config_.path.c_str());
}

void NotifyFifo::write(std::string_view line) {
  // A line up to PIPE_BUF bytes is written whole or not at all.
  ssize_t n = ::write(fd_.get(), line.data(), line.size());
  if (n == static_cast<ssize_t>(line.size())) return;
  if (++dropped_ == 1 || dropped_ % 100 == 0)
    log_warning(kind_ + " " + config_.path + ": nobody reads it and it is full; " +
                std::to_string(dropped_) + " line(s) dropped");
}

namespace {

void reconfigure(sd_event* loop, std::unique_ptr<NotifyFifo>& current,
                 const config::NotifyFifo& wanted, const char* kind) {
  if (current && current->config() == wanted) return;
  current.reset();
  if (wanted.path.empty()) return;
  auto fifo = NotifyFifo::open(loop, wanted, kind);
  if (!fifo) {
    log_error(fifo.error().describe());
    return;
  }
  current = std::move(*fifo);
}

}  // namespace

void NotifyFifos::configure(sd_event* loop, const config::Global& global) {
  reconfigure(loop, notify_, global.notify_fifo, "notify_fifo");
  reconfigure(loop, vrrp_, global.vrrp_notify_fifo, "vrrp_notify_fifo");
}

void NotifyFifos::write(std::string_view line) {
  if (notify_) notify_->write(line);
  if (vrrp_) vrrp_->write(line);
}

}  // namespace keepvip::daemon
