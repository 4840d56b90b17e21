#include "daemon/publish/publisher.h"

#include "common/atomic_file.h"
#include "common/log.h"
#include "daemon/loop/sd_notify.h"
#include "daemon/publish/dump_files.h"
#include "daemon/publish/state_file.h"
#include "daemon/publish/status_summary.h"

namespace keepvip::daemon {

void Publisher::all_changed(const std::vector<ports::InstanceSnapshot>& all,
                            const std::vector<HeldInstance>& held) {
  if (sink_) sink_->instances_reset(all);
  record(held);
}

void Publisher::one_changed(const ports::InstanceSnapshot& changed,
                            const std::vector<ports::InstanceSnapshot>& all,
                            const std::vector<HeldInstance>& held, bool with_status) {
  if (sink_) sink_->instance_updated(changed);
  record(held);
  if (with_status) notify_status(status_summary(all));
}

void Publisher::record(const std::vector<HeldInstance>& held) {
  std::string text = format_state(held);
  if (text == last_record_) return;
  if (auto r = write_state_file(runtime_dir_, held); !r) {
    log_warning("cannot record held VIPs: " + r.error().describe());
    return;
  }
  last_record_ = std::move(text);
}

void Publisher::ready(const std::vector<ports::InstanceSnapshot>& all) {
  notify_ready(status_summary(all));
}

void Publisher::reloading() {
  notify_reloading();
}

void Publisher::stopping() {
  notify_stopping();
}

namespace {

const std::string& or_default(const std::string& configured, const std::string& fallback) {
  return configured.empty() ? fallback : configured;
}

}  // namespace

void Publisher::dump_data(const char* signal_name, const DumpView& view) {
  write_dump(or_default(view.global->state_dump_file, kKeepalivedDataFile), "instance data",
             signal_name, keepalived_data(view));
}

void Publisher::dump_json(const char* signal_name, const DumpView& view) {
  write_dump(or_default(view.global->json_dump_file, kKeepalivedJsonFile), "instance data as JSON",
             signal_name, keepalived_json(view));
}

void Publisher::dump_keepalived_stats(const char* signal_name, const DumpView& view) {
  write_dump(or_default(view.global->stats_dump_file, kKeepalivedStatsFile), "instance statistics",
             signal_name, keepalived_stats(view));
}

void Publisher::dump_stats(const char* signal_name, const std::vector<ports::RouterCounters>& guard,
                           const std::vector<ports::InstanceSnapshot>& all) {
  write_dump(kStatsFile, "counters", signal_name, format_stats(guard, all, monotonic_now()));
}

void Publisher::write_dump(const std::string& file, const std::string& what,
                           const char* signal_name, const std::string& text) {
  std::string path = file.starts_with('/') ? file : runtime_dir_ + "/" + file;
  log_info("writing " + what + " to " + path + " (" + signal_name + ")");
  if (auto r = write_file_atomically(path, text, 0644); !r)
    log_warning("cannot write " + what + ": " + r.error().describe());
}

}  // namespace keepvip::daemon
