// Small helpers declared in config.h.
#include "config/config.h"

namespace keepvip::config {

std::string SourceLocation::to_string() const {
  return file.str() + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string ExpansionNote::to_string() const {
  // Deep nesting is cut short: the innermost few say what matters.
  constexpr int kShown = 6;
  std::string out = text;
  int shown = 1;
  for (const ExpansionNote* n = outer.get(); n; n = n->outer.get(), ++shown) {
    if (shown == kShown) return out + ", ...";
    out += ", " + n->text;
  }
  return out;
}

std::string Diagnostic::to_string() const {
  std::string out = where.to_string();
  out += severity == Severity::Error ? ": error: " : ": warning: ";
  if (!keyword.empty()) out += keyword + ": ";
  out += message;
  if (where.expansion) out += " (" + where.expansion->to_string() + ")";
  return out;
}

Family Instance::family() const {
  if (virtual_addresses.empty()) return address_family;
  return virtual_addresses.front().prefix.address.family();
}

}  // namespace keepvip::config
