#include "procwatch/bpf_process_events.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "common/fd.h"
#include "common/log.h"
#include "common/read_file.h"
#include "process_events_shared.h"
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#include "process_events.skel.h"
#pragma GCC diagnostic pop

namespace keepvip::procwatch {
namespace {

struct PidNamespace {
  uint32_t inum = 0;
  uint32_t level = 0;
};

// Ours: its inode, and its depth (one NSpid entry per level).
Result<PidNamespace> own_pid_namespace() {
  struct stat st {};
  if (::stat("/proc/self/ns/pid", &st) != 0) return last_os_error("stat /proc/self/ns/pid");
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("NSpid:", 0) != 0) continue;
    std::istringstream fields(line.substr(6));
    uint32_t entries = 0;
    std::string pid;
    while (fields >> pid) ++entries;
    if (entries == 0) break;
    return PidNamespace{static_cast<uint32_t>(st.st_ino), entries - 1};
  }
  return logic_error("read the pid namespace level from /proc/self/status (no NSpid line)");
}

std::string bounded(const char* text, size_t max) {
  return std::string(text, ::strnlen(text, max));
}

ports::ProcessEvent decode(const kv_proc_event& e) {
  ports::ProcessEvent event;
  switch (e.kind) {
    case KV_PROC_EXIT:
      event.kind = ports::ProcessEvent::Kind::Exit;
      break;
    case KV_PROC_FORK:
      event.kind = ports::ProcessEvent::Kind::Fork;
      break;
    case KV_PROC_RENAME:
      event.kind = ports::ProcessEvent::Kind::Rename;
      break;
    default:
      event.kind = ports::ProcessEvent::Kind::Exec;
      break;
  }
  event.pid = e.pid;
  event.parent = e.parent;
  event.comm = bounded(e.comm, sizeof e.comm);
  event.cmdline.assign(e.args, std::min<size_t>(e.args_len, sizeof e.args));
  return event;
}

// What /proc/PID/cmdline says, bounded as the kernel side bounds it; empty
// when hidepid= hides the process from us.
std::string proc_cmdline(int32_t pid) {
  UniqueFd fd(::open(("/proc/" + std::to_string(pid) + "/cmdline").c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd) return {};
  std::string text(KV_PROC_ARGS_LEN, '\0');
  ssize_t n = ::read(fd.get(), text.data(), text.size());
  text.resize(n > 0 ? static_cast<size_t>(n) : 0);
  return text;
}

Result<process_events_bpf*> load(const PidNamespace& ns, bool args_in_kernel) {
  process_events_bpf* skel = process_events_bpf__open();
  if (!skel) return last_os_error("open the process event BPF programs");
  skel->rodata->target_pidns_inum = ns.inum;
  skel->rodata->target_pidns_level = ns.level;
  bpf_program__set_autoload(skel->progs.scan_tasks_with_args, args_in_kernel);
  bpf_program__set_autoload(skel->progs.scan_tasks, !args_in_kernel);
  if (process_events_bpf__load(skel) != 0) {
    int err = errno;
    process_events_bpf__destroy(skel);
    return os_error(err, "load the process event BPF programs");
  }
  return skel;
}

}  // namespace

Result<std::unique_ptr<BpfProcessEvents>> BpfProcessEvents::open() {
  auto ns = own_pid_namespace();
  if (!ns) return unexpected(ns.error());
  std::unique_ptr<BpfProcessEvents> self(new BpfProcessEvents());
  self->pidns_inum_ = ns->inum;
  self->pidns_level_ = ns->level;
  return self;
}

Result<> BpfProcessEvents::load_and_attach() {
  if (skel_) return {};
  const PidNamespace ns{pidns_inum_, pidns_level_};
  // The iterator that reads command lines needs bpf_copy_from_user_task
  // (Linux 5.18); without it, a scan reads them from /proc.
  auto skel = load(ns, true);
  if (skel) {
    args_in_kernel_ = true;
  } else {
    skel = load(ns, false);
    if (!skel) return unexpected(skel.error());
    log_info(
        "track_process: this kernel has no bpf_copy_from_user_task; command lines of "
        "running processes are read from /proc at a scan");
  }
  skel_ = *skel;
  if (process_events_bpf__attach(skel_) != 0) {
    int err = errno;
    process_events_bpf__destroy(std::exchange(skel_, nullptr));
    return os_error(err, "attach the process event BPF programs");
  }
  ring_ =
      ring_buffer__new(bpf_map__fd(skel_->maps.events), &BpfProcessEvents::on_event, this, nullptr);
  if (!ring_) {
    int err = errno;
    process_events_bpf__destroy(std::exchange(skel_, nullptr));
    return os_error(err, "read the process event ring buffer");
  }
  return {};
}

BpfProcessEvents::~BpfProcessEvents() {
  if (ring_) ring_buffer__free(ring_);
  if (skel_) process_events_bpf__destroy(skel_);
}

Result<> BpfProcessEvents::watch_names(const std::vector<std::string>& names) {
  if (!skel_ && names.empty()) return {};
  if (auto r = load_and_attach(); !r) return r;
  int map = bpf_map__fd(skel_->maps.names);
  // Replaced whole: a name no tracker uses any more stops its events.
  kv_proc_name key{};
  kv_proc_name next{};
  std::vector<kv_proc_name> old;
  void* at = nullptr;
  while (bpf_map_get_next_key(map, at, &next) == 0) {
    old.push_back(next);
    key = next;
    at = &key;
  }
  for (const auto& k : old) bpf_map_delete_elem(map, &k);
  for (const auto& name : names) {
    kv_proc_name k{};
    std::memcpy(k.name, name.data(), std::min(name.size(), sizeof k.name - 1));
    uint8_t one = 1;
    if (bpf_map_update_elem(map, &k, &one, BPF_ANY) != 0)
      return last_os_error("watch processes named '" + name + "'");
  }
  return {};
}

Result<std::vector<ports::RunningProcess>> BpfProcessEvents::scan() {
  if (auto r = load_and_attach(); !r) return unexpected(r.error());
  bpf_program* prog = args_in_kernel_ ? skel_->progs.scan_tasks_with_args : skel_->progs.scan_tasks;
  bpf_link* link = bpf_program__attach_iter(prog, nullptr);
  if (!link) return last_os_error("attach the task iterator");
  UniqueFd iter(bpf_iter_create(bpf_link__fd(link)));
  int err = errno;
  bpf_link__destroy(link);
  if (!iter) return os_error(err, "start the task iterator");
  std::vector<ports::RunningProcess> running;
  kv_proc_event e{};
  size_t have = 0;
  for (;;) {
    ssize_t n = ::read(iter.get(), reinterpret_cast<char*>(&e) + have, sizeof e - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return last_os_error("read the task iterator");
    if (n == 0) break;
    have += static_cast<size_t>(n);
    if (have < sizeof e) continue;
    have = 0;
    ports::RunningProcess p{e.pid, bounded(e.comm, sizeof e.comm), {}};
    p.cmdline = e.args_valid ? std::string(e.args, std::min<size_t>(e.args_len, sizeof e.args))
                             : proc_cmdline(e.pid);
    running.push_back(std::move(p));
  }
  return running;
}

int BpfProcessEvents::fd() const {
  return ring_ ? ring_buffer__epoll_fd(ring_) : -1;
}

int BpfProcessEvents::on_event(void* self, void* data, size_t size) {
  if (size < sizeof(kv_proc_event)) return 0;
  static_cast<BpfProcessEvents*>(self)->queue_.push_back(
      decode(*static_cast<const kv_proc_event*>(data)));
  return 0;
}

std::vector<ports::ProcessEvent> BpfProcessEvents::take(size_t max) {
  // The ring holds at most KV_PROC_RING_BYTES: one consume is bounded.
  if (queue_.empty() && ring_) ring_buffer__consume(ring_);
  std::vector<ports::ProcessEvent> out;
  while (!queue_.empty() && out.size() < max) {
    out.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  return out;
}

ports::ProcessEventCounters BpfProcessEvents::counters() const {
  ports::ProcessEventCounters c;
  if (!skel_) return c;
  int map = bpf_map__fd(skel_->maps.kv_proc_counts);
  int cpus = libbpf_num_possible_cpus();
  if (cpus <= 0) return c;
  std::vector<uint64_t> values(static_cast<size_t>(cpus));
  auto sum = [&](uint32_t index) {
    uint64_t total = 0;
    if (bpf_map_lookup_elem(map, &index, values.data()) == 0)
      for (uint64_t v : values) total += v;
    return total;
  };
  c.exec_seen = sum(KV_PC_EXEC_SEEN);
  c.exec_sent = sum(KV_PC_EXEC_SENT);
  c.exit_seen = sum(KV_PC_EXIT_SEEN);
  c.exit_sent = sum(KV_PC_EXIT_SENT);
  c.fork_seen = sum(KV_PC_FORK_SEEN);
  c.fork_sent = sum(KV_PC_FORK_SENT);
  c.rename_seen = sum(KV_PC_RENAME_SEEN);
  c.rename_sent = sum(KV_PC_RENAME_SENT);
  c.lost = sum(KV_PC_LOST);
  return c;
}

}  // namespace keepvip::procwatch
