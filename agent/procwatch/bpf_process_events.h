// The kernel side of vrrp_track_process (ports::ProcessEvents): the BPF
// programs of bpf/process_events.bpf.c on the exec, exit, fork and
// task_rename tracepoints, their ring buffer, and the task iterator that
// lists the running processes. Loaded when a first name is watched, so a
// configuration without vrrp_track_process runs no program on every exec.
// Owns everything it loads: destroying it detaches every program.
#pragma once

#include <deque>
#include <memory>

#include "common/result.h"
#include "ports/process_events.h"

struct process_events_bpf;
struct ring_buffer;

namespace keepvip::procwatch {

class BpfProcessEvents final : public ports::ProcessEvents {
 public:
  // Finds keepvipd's pid namespace; loads nothing yet.
  static Result<std::unique_ptr<BpfProcessEvents>> open();
  BpfProcessEvents(const BpfProcessEvents&) = delete;
  BpfProcessEvents& operator=(const BpfProcessEvents&) = delete;
  ~BpfProcessEvents() override;

  Result<> watch_names(const std::vector<std::string>& names) override;
  Result<std::vector<ports::RunningProcess>> scan() override;
  int fd() const override;
  std::vector<ports::ProcessEvent> take(size_t max) override;
  ports::ProcessEventCounters counters() const override;

  // Once loaded: whether a scan reads command lines in the kernel
  // (bpf_copy_from_user_task, Linux 5.18) or from /proc.
  bool scans_args_in_kernel() const { return args_in_kernel_; }

 private:
  BpfProcessEvents() = default;
  Result<> load_and_attach();
  static int on_event(void* self, void* data, size_t size);

  process_events_bpf* skel_ = nullptr;
  ring_buffer* ring_ = nullptr;
  bool args_in_kernel_ = false;
  uint32_t pidns_inum_ = 0;
  uint32_t pidns_level_ = 0;
  std::deque<ports::ProcessEvent> queue_;
};

}  // namespace keepvip::procwatch
