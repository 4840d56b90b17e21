// Logging: structured journal entries when the agent runs under systemd
// (JOURNAL_STREAM names our stderr), plain "level: message key=value" lines on
// stderr otherwise. Fields are upper-case journal field names, e.g.
//   log_info("VI_1: BACKUP -> MASTER", {{"INSTANCE", "VI_1"}, {"NEW_STATE", "MASTER"}});
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace keepvip {

enum class LogLevel { Error = 3, Warning = 4, Notice = 5, Info = 6, Debug = 7 };

std::optional<LogLevel> parse_log_level(std::string_view name);

using LogField = std::pair<std::string_view, std::string>;

enum class LogSink { Auto, Stderr, Journal };

// Auto picks the journal when stderr is connected to it.
void log_setup(LogLevel max_level, LogSink sink = LogSink::Auto);
bool log_enabled(LogLevel level);
void log(LogLevel level, std::string_view message, std::initializer_list<LogField> fields = {});

inline void log_error(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::Error, m, f);
}
inline void log_warning(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::Warning, m, f);
}
inline void log_notice(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::Notice, m, f);
}
inline void log_info(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::Info, m, f);
}
inline void log_debug(std::string_view m, std::initializer_list<LogField> f = {}) {
  log(LogLevel::Debug, m, f);
}

}  // namespace keepvip
