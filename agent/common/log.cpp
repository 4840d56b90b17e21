#include "common/log.h"

#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace keepvip {
namespace {

LogLevel g_max_level = LogLevel::Info;
bool g_journal = false;

// systemd sets JOURNAL_STREAM=<dev>:<inode> for services whose stderr goes to
// the journal; comparing it with our stderr avoids logging twice when a
// service's child runs us with stderr redirected elsewhere.
bool stderr_is_journal() {
  const char* env = std::getenv("JOURNAL_STREAM");
  if (!env) return false;
  unsigned long long dev = 0, ino = 0;
  if (std::sscanf(env, "%llu:%llu", &dev, &ino) != 2) return false;
  struct stat st {};
  if (fstat(2, &st) != 0) return false;
  return st.st_dev == dev && st.st_ino == ino;
}

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Error:
      return "error";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Notice:
      return "notice";
    case LogLevel::Info:
      return "info";
    case LogLevel::Debug:
      return "debug";
  }
  return "?";
}

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view name) {
  if (name == "error" || name == "err") return LogLevel::Error;
  if (name == "warning" || name == "warn") return LogLevel::Warning;
  if (name == "notice") return LogLevel::Notice;
  if (name == "info") return LogLevel::Info;
  if (name == "debug") return LogLevel::Debug;
  return std::nullopt;
}

void log_setup(LogLevel max_level, LogSink sink) {
  g_max_level = max_level;
  g_journal = sink == LogSink::Journal || (sink == LogSink::Auto && stderr_is_journal());
}

bool log_enabled(LogLevel level) {
  return level <= g_max_level;
}

void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields) {
  if (!log_enabled(level)) return;
  if (g_journal) {
    std::vector<std::string> lines;
    lines.reserve(fields.size() + 2);
    lines.push_back("MESSAGE=" + std::string(message));
    lines.push_back("PRIORITY=" + std::to_string(static_cast<int>(level)));
    for (const auto& [key, value] : fields) lines.push_back(std::string(key) + "=" + value);
    std::vector<iovec> iov;
    iov.reserve(lines.size());
    for (auto& l : lines) iov.push_back({l.data(), l.size()});
    sd_journal_sendv(iov.data(), static_cast<int>(iov.size()));
    return;
  }
  std::string line = std::string(level_name(level)) + ": " + std::string(message);
  for (const auto& [key, value] : fields) {
    line += ' ';
    line += key;
    line += '=';
    line += value;
  }
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

}  // namespace keepvip
