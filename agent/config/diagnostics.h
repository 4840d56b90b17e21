// Collects the parser's diagnostics and returns them in file order, with
// includes in the place they were included from.
#pragma once

#include <cstddef>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "config/config.h"

namespace keepvip::config::detail {

class DiagnosticSink {
 public:
  void error(const SourceLocation& where, std::string keyword, std::string message);
  void warning(const SourceLocation& where, std::string keyword, std::string message);
  // Warns only the first time `once_key` is reported (e.g. one "not handled"
  // warning per kind of block, however many blocks the file has).
  void warning_once(const std::string& once_key, const SourceLocation& where, std::string keyword,
                    std::string message);

  // Records that `file` was included from `include_site`, so that its
  // diagnostics sort where the include statement stands. The main file is
  // noted with no site.
  void note_file(const std::string& file, const SourceLocation* include_site);
  // Counts every error, including those past the display limit.
  size_t error_count() const { return errors_; }

  // A broken file (say, a megabyte of '}') stops producing diagnostics here.
  static constexpr size_t kMaxDiagnostics = 1000;

  // Diagnostics sorted into file order (stable: equal positions keep the
  // order they were reported in).
  std::vector<Diagnostic> take_sorted();

 private:
  // Position of a location in the expanded text: the include sites leading to
  // its file, then its own line and column, compared lexicographically.
  using OrderKey = std::vector<int>;
  OrderKey order_key(const SourceLocation& where) const;
  void add(Severity severity, const SourceLocation& where, std::string keyword,
           std::string message);

  std::vector<Diagnostic> entries_;
  std::map<std::string, OrderKey> file_prefix_;
  std::set<std::string> once_;
  size_t errors_ = 0;
  size_t dropped_ = 0;
  bool dropped_error_ = false;
};

}  // namespace keepvip::config::detail
