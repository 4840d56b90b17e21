// Reads a keepalived.conf-dialect configuration into the model of config.h.
//
//   auto result = keepvip::config::parse_file("/etc/keepvip/keepvip.conf");
//   for (const auto& d : result.diagnostics) log(d.to_string());
//   if (!result.ok()) return 1;
//   run(*result.config);
//
// Errors make the configuration unusable; warnings (ignored keepalived
// keywords, skipped LVS blocks, missing interfaces...) do not. The keywords,
// defaults and keepvip extensions are documented in docs/keepvip.conf.5.md.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "config/file_source.h"
#include "config/script_host.h"

namespace keepvip::config {

struct HostProbe {  // what validation may ask about the host; empty = don't ask
  std::function<bool(const std::string&)> interface_exists;
  // Script users and programs (settle_scripts.h). Without it no script is
  // settled, and an unsettled script never runs: keepvipd and --check pass
  // system_script_host().
  const ScriptHost* scripts = nullptr;
};

struct ParseOptions {
  ParseOptions(HostProbe host = {}, std::optional<std::string> id = std::nullopt)  // NOLINT
      : probe(std::move(host)), config_id(std::move(id)) {}

  HostProbe probe;
  // keepalived's -i / --config-id: "@ID" lines apply when ID is this, "@^ID"
  // lines when it is not. Unset: the host name up to its first '.', as in
  // keepalived (default_config_id()).
  std::optional<std::string> config_id;
};

// The short host name: keepalived's default configuration id.
std::string default_config_id();

struct ParseResult {
  std::optional<Config> config;         // set iff there is no Severity::Error diagnostic
  std::vector<Diagnostic> diagnostics;  // errors and warnings, in file order
  bool ok() const { return config.has_value(); }
  size_t error_count() const;
  size_t warning_count() const;
};

ParseResult parse_file(const std::string& path, const ParseOptions& options = {});
ParseResult parse_text(std::string_view text, const std::string& file_name,
                       const ParseOptions& options = {});

// As above, reaching included files through `files` instead of the file
// system (tests, fuzzing).
ParseResult parse_file(const std::string& path, const ParseOptions& options,
                       const FileSource& files);
ParseResult parse_text(std::string_view text, const std::string& file_name,
                       const ParseOptions& options, const FileSource& files);

}  // namespace keepvip::config
