#include "config/parser.h"

#include <algorithm>

#include "config/diagnostics.h"
#include "config/include.h"
#include "config/interpret.h"
#include "config/preprocess.h"
#include "config/reader.h"
#include "config/settle_scripts.h"
#include "config/syntax_tree.h"
#include "config/validate.h"

namespace keepvip::config {

size_t ParseResult::error_count() const {
  return static_cast<size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const auto& d) { return d.severity == Severity::Error; }));
}

size_t ParseResult::warning_count() const {
  return diagnostics.size() - error_count();
}

std::string default_config_id() {
  return detail::default_config_id();
}

ParseResult parse_text(std::string_view text, const std::string& file_name,
                       const ParseOptions& options, const FileSource& files) {
  detail::DiagnosticSink diags;
  detail::SourceLimits limits;
  ParseResult result;
  if (text.size() > limits.max_file_bytes) {
    diags.error(SourceLocation{file_name, 1, 1}, "",
                "file larger than " + std::to_string(limits.max_file_bytes) + " bytes; not read");
    result.diagnostics = diags.take_sorted();
    return result;
  }
  auto source = detail::load_source(text, file_name, files, diags, limits,
                                    options.config_id.value_or(default_config_id()));
  auto tree = detail::build_tree(std::move(source.tokens), diags);
  detail::Reader reader(diags);
  auto drafts = detail::interpret(reader, tree);
  Config config = detail::validate(std::move(drafts), options.probe.interface_exists, diags);
  detail::settle_scripts(config, options.probe.scripts, diags);
  config.files = std::move(source.files);
  if (diags.error_count() == 0) result.config = std::move(config);
  result.diagnostics = diags.take_sorted();
  return result;
}

ParseResult parse_file(const std::string& path, const ParseOptions& options,
                       const FileSource& files) {
  auto content = files.read(path, detail::SourceLimits{}.max_file_bytes);
  if (!content) {
    ParseResult result;
    result.diagnostics.push_back(
        Diagnostic{Severity::Error, SourceLocation{path, 0, 0}, "",
                   "cannot read configuration: " + content.error().describe()});
    return result;
  }
  return parse_text(*content, path, options, files);
}

ParseResult parse_text(std::string_view text, const std::string& file_name,
                       const ParseOptions& options) {
  return parse_text(text, file_name, options, system_files());
}

ParseResult parse_file(const std::string& path, const ParseOptions& options) {
  return parse_file(path, options, system_files());
}

}  // namespace keepvip::config
