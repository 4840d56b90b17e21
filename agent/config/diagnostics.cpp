#include "config/diagnostics.h"

#include <algorithm>
#include <utility>

namespace keepvip::config::detail {
namespace {

// Diagnostics quote user text; control characters in it must not reach a
// terminal or the journal as such.
std::string printable(std::string text, size_t max_size) {
  if (text.size() > max_size) text = text.substr(0, max_size) + "...";
  for (char& c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return text;
}

}  // namespace

void DiagnosticSink::error(const SourceLocation& where, std::string keyword, std::string message) {
  add(Severity::Error, where, std::move(keyword), std::move(message));
}

void DiagnosticSink::warning(const SourceLocation& where, std::string keyword,
                             std::string message) {
  add(Severity::Warning, where, std::move(keyword), std::move(message));
}

void DiagnosticSink::warning_once(const std::string& once_key, const SourceLocation& where,
                                  std::string keyword, std::string message) {
  if (!once_.insert(once_key).second) return;
  warning(where, std::move(keyword), std::move(message));
}

void DiagnosticSink::note_file(const std::string& file, const SourceLocation* include_site) {
  // A file included twice sorts at its first inclusion.
  if (file_prefix_.count(file) != 0) return;
  file_prefix_[file] = include_site ? order_key(*include_site) : OrderKey{};
}

DiagnosticSink::OrderKey DiagnosticSink::order_key(const SourceLocation& where) const {
  OrderKey key;
  if (auto found = file_prefix_.find(where.file); found != file_prefix_.end()) key = found->second;
  key.push_back(where.line);
  key.push_back(where.column);
  return key;
}

void DiagnosticSink::add(Severity severity, const SourceLocation& where, std::string keyword,
                         std::string message) {
  if (severity == Severity::Error) ++errors_;
  if (entries_.size() >= kMaxDiagnostics) {
    ++dropped_;
    dropped_error_ = dropped_error_ || severity == Severity::Error;
    return;
  }
  entries_.push_back(Diagnostic{severity, where, printable(std::move(keyword), 64),
                                printable(std::move(message), 1024)});
}

std::vector<Diagnostic> DiagnosticSink::take_sorted() {
  std::vector<std::pair<OrderKey, Diagnostic>> keyed;
  keyed.reserve(entries_.size());
  for (auto& d : entries_) keyed.emplace_back(order_key(d.where), std::move(d));
  entries_.clear();
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Diagnostic> out;
  out.reserve(keyed.size());
  for (auto& [key, d] : keyed) out.push_back(std::move(d));
  if (dropped_ != 0) {
    // An error among the dropped ones must still show as one: callers count
    // errors in the list to tell a usable configuration.
    out.push_back(Diagnostic{dropped_error_ ? Severity::Error : Severity::Warning, out.back().where,
                             "", std::to_string(dropped_) + " more diagnostics not shown"});
    dropped_ = 0;
  }
  return out;
}

}  // namespace keepvip::config::detail
