// Everything the daemon tells the outside about its instances, in one
// place: the StatusSink (the D-Bus service, attached once it is up), the
// crash hand-over record (RUNTIME_DIR/state, state_file.h), systemd's
// READY/STATUS/RELOADING/STOPPING (sd_notify.h) and the files keepalived's
// signals ask for (dump_files.h). The supervisor decides when; this decides
// how, and never reaches back into the daemon.
#pragma once

#include <string>
#include <vector>

#include "daemon/instances/instance_spec.h"
#include "daemon/publish/keepalived_dumps.h"
#include "ports/guard.h"
#include "ports/status.h"

namespace keepvip::daemon {

class Publisher {
 public:
  explicit Publisher(std::string runtime_dir) : runtime_dir_(std::move(runtime_dir)) {}

  // nullptr: nobody to tell (no bus yet, or no more).
  void attach(ports::StatusSink* sink) { sink_ = sink; }

  // The instance set changed (start, reload): every publisher gets all of it.
  void all_changed(const std::vector<ports::InstanceSnapshot>& all,
                   const std::vector<HeldInstance>& held);
  // One instance changed; STATUS too unless `with_status` is false (stopping).
  void one_changed(const ports::InstanceSnapshot& changed,
                   const std::vector<ports::InstanceSnapshot>& all,
                   const std::vector<HeldInstance>& held, bool with_status);
  // Only the crash hand-over record: written before a VIP is added, so that
  // a SIGKILL at any point leaves a record covering every address. Skipped
  // when it would say what it already says.
  void record(const std::vector<HeldInstance>& held);

  void ready(const std::vector<ports::InstanceSnapshot>& all);
  void reloading();
  void stopping();

  // What keepalived's signals write, in its layouts (keepalived_dumps.h),
  // named in the log by `signal_name`: SIGUSR1 keepalived.data, SIGRTMIN+2
  // keepalived.json, SIGUSR2 keepalived.stats; in the runtime directory
  // unless state_dump_file, json_dump_file, stats_dump_file say where.
  void dump_data(const char* signal_name, const DumpView& view);
  void dump_json(const char* signal_name, const DumpView& view);
  void dump_keepalived_stats(const char* signal_name, const DumpView& view);
  // keepvip's own counters (`keepvipd --stats` reads them), the kernel
  // guard's included.
  void dump_stats(const char* signal_name, const std::vector<ports::RouterCounters>& guard,
                  const std::vector<ports::InstanceSnapshot>& all);

 private:
  // `path` relative: in the runtime directory.
  void write_dump(const std::string& path, const std::string& what, const char* signal_name,
                  const std::string& text);

  std::string runtime_dir_;
  ports::StatusSink* sink_ = nullptr;
  std::string last_record_;
};

}  // namespace keepvip::daemon
