#include "config/definitions.h"

#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <random>
#include <utility>

namespace keepvip::config::detail {
namespace {

using Byte = MappedText::Byte;

bool name_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool name_char(int c) {
  return name_start(c) || (c >= '0' && c <= '9');
}

// A "$NAME" or "${NAME [PARAMS]}" following a '$', read from the bytes still
// to be scanned (the next one last).
struct Reference {
  bool matched = false;
  std::string name;
  std::string params;           // "1 10" in ${_RANDOM 1 10}
  size_t length = 0;            // bytes after the '$'
  bool at_end = false;          // nothing follows it on the line
  bool bad_terminator = false;  // "$NAME/24": a name, not ended as keepalived requires
};

Reference read_reference(const std::vector<Byte>& rest) {
  auto at = [&](size_t i) -> int {
    return i < rest.size() ? static_cast<unsigned char>(rest[rest.size() - 1 - i].c) : -1;
  };
  Reference r;
  bool braces = at(0) == '{';
  size_t i = braces ? 1 : 0;
  if (!name_start(at(i))) return r;
  while (name_char(at(i))) r.name += static_cast<char>(at(i++));
  if (braces) {
    // keepalived: blanks and digits may follow the name (parameters), but
    // not end it.
    std::string params;
    while (at(i) == ' ' || (at(i) >= '0' && at(i) <= '9')) params += static_cast<char>(at(i++));
    size_t first = params.find_first_not_of(' ');
    if (first != std::string::npos) {
      if (params.back() == ' ') return r;
      r.params = params.substr(first);
    }
    if (at(i) != '}') return r;
    r.length = i + 1;
  } else {
    int c = at(i);
    if (c >= 0 && c != ' ' && c != '\t' && c != ',' && c != ')') {
      r.bad_terminator = true;
      return r;
    }
    r.length = i;
  }
  r.matched = true;
  r.at_end = r.length == rest.size();
  return r;
}

// std::random_device in a statically linked libstdc++ built on glibc 2.36
// calls arc4random, which RHEL 9's glibc 2.34 lacks; getrandom is 2.25.
uint64_t random_seed() {
  uint64_t seed = 0;
  if (::getrandom(&seed, sizeof seed, GRND_NONBLOCK) != static_cast<ssize_t>(sizeof seed))
    seed = static_cast<uint64_t>(::time(nullptr)) ^ static_cast<uint64_t>(::getpid());
  return seed;
}

std::string random_value(std::string_view params) {
  long bounds[2] = {0, 32767};
  size_t n = 0;
  const char* p = params.data();
  const char* end = params.data() + params.size();
  while (p < end && n < 2) {
    while (p < end && *p == ' ') ++p;
    auto [next, ec] = std::from_chars(p, end, bounds[n]);
    if (ec != std::errc{}) break;
    p = next;
    ++n;
  }
  long low = std::min(bounds[0], bounds[1]);
  long high = std::max(bounds[0], bounds[1]);
  static std::mt19937_64 generator{random_seed()};
  return std::to_string(std::uniform_int_distribution<long>(low, high)(generator));
}

bool starts_sequence(std::string_view value) {
  size_t first = value.find_first_not_of(" \t");
  return first != std::string_view::npos && value[first] == '~';
}

}  // namespace

TextOrigin definition_line_origin(const SourceLocation& use, const std::string& name,
                                  const MappedText& line, std::vector<std::string> inside) {
  SourceLocation at = line.location(0);
  TextOrigin origin;
  origin.kind = TextOrigin::Kind::Expansion;
  origin.where = use;
  origin.where.expansion =
      note("in $" + name + " at " + at.file.str() + ":" + std::to_string(at.line), use.expansion);
  origin.inside = std::move(inside);
  return origin;
}

bool ExpansionBudget::spend(size_t bytes) {
  if (bytes > left_) {
    left_ = 0;
    return false;
  }
  left_ -= bytes;
  return true;
}

Definitions::Definitions(std::string config_id,
                         std::function<std::string(const std::string&)> directory_of)
    : config_id_(std::move(config_id)), directory_of_(std::move(directory_of)) {}

void Definitions::define(std::shared_ptr<const Definition> definition) {
  std::string name = definition->name;
  user_[std::move(name)] = std::move(definition);
}

struct Definitions::Value {
  std::shared_ptr<const Definition> definition;  // a user definition
  std::string text;                              // a predefined one
};

bool Definitions::lookup(std::string_view name, std::string_view params, const SourceLocation& use,
                         Value& value) const {
  if (auto found = user_.find(name); found != user_.end()) {
    if (!params.empty()) return false;
    value.definition = found->second;
    return true;
  }
  if (name == "_RANDOM") {
    value.text = random_value(params);
    return true;
  }
  if (!params.empty()) return false;
  if (name == "_PWD") {
    value.text = directory_of_ ? directory_of_(use.file) : std::string(".");
  } else if (name == "_INSTANCE") {
    value.text = config_id_;
  } else if (name == "_HASH") {
    value.text = "#";
  } else if (name == "_BANG") {
    value.text = "!";
  } else {
    return false;
  }
  return true;
}

Definitions::Expanded Definitions::expand(MappedText& line, const ExpansionLimits& limits,
                                          ExpansionBudget& budget, DiagnosticSink& diags) const {
  Expanded result;
  if (line.text().find('$') == std::string::npos) return result;
  std::vector<TextOrigin> origins = line.origins();
  // Bytes still to scan, the next one last: a value pushed here is scanned
  // again before the rest of the line, as keepalived rescans it.
  std::vector<Byte> pending;
  pending.reserve(line.size());
  for (size_t i = line.size(); i-- > 0;) pending.push_back(line.byte(i));
  std::vector<Byte> out;
  out.reserve(line.size());

  while (!pending.empty()) {
    Byte dollar = pending.back();
    pending.pop_back();
    if (dollar.c != '$') {
      out.push_back(dollar);
      continue;
    }
    Reference ref = read_reference(pending);
    SourceLocation use = locate(origins[dollar.origin], dollar.column);
    if (!ref.matched) {
      if (ref.bad_terminator && user_.count(ref.name) != 0) {
        diags.warning(use, "$" + ref.name,
                      "not replaced: $NAME is replaced only before a blank, ',' or ')' or at "
                      "the end of the line (as in keepalived); write ${" +
                          ref.name + "} here");
      }
      out.push_back(dollar);
      continue;
    }
    Value value;
    if (!lookup(ref.name, ref.params, use, value)) {
      out.push_back(dollar);
      continue;
    }
    const std::string display = "$" + ref.name;
    if (value.definition && value.definition->multiline && !ref.at_end) {
      diags.warning(use, display,
                    "not replaced: a multi-line definition is expanded only at the end of a "
                    "line (as in keepalived)");
      out.push_back(dollar);
      continue;
    }
    std::vector<std::string> inside = origins[dollar.origin].inside;
    if (std::find(inside.begin(), inside.end(), ref.name) != inside.end()) {
      std::string via;
      for (auto it = std::find(inside.begin(), inside.end(), ref.name) + 1; it != inside.end();
           ++it)
        via += (via.empty() ? " (via $" : ", $") + *it;
      if (!via.empty()) via += ")";
      diags.error(use, display,
                  "expands to text that uses " + display + " again" + via +
                      ": the expansion would never end");
      result.failed = true;
      return result;
    }
    if (inside.size() >= limits.max_nesting) {
      diags.error(use, display,
                  "definitions expanded inside one another more than " +
                      std::to_string(limits.max_nesting) + " levels deep");
      result.failed = true;
      return result;
    }
    inside.push_back(ref.name);
    pending.resize(pending.size() - ref.length);

    TextOrigin made;
    std::vector<Byte> bytes;
    auto index = static_cast<uint32_t>(origins.size());
    auto column = static_cast<uint32_t>(use.column);
    const Definition* definition = value.definition.get();
    if (definition && definition->multiline) {
      const MappedText& first = definition->lines.front();
      made = definition_line_origin(use, ref.name, first, inside);
      for (size_t i = 0; i < first.size(); ++i) bytes.push_back({first[i], index, column});
      result.pending.push_back(PendingLines{value.definition, use, std::move(inside)});
    } else {
      made.kind = TextOrigin::Kind::Expansion;
      made.inside = std::move(inside);
      made.where = use;
      std::string own = "from " + display;
      if (definition) own += ", defined at " + definition->defined_at.to_string();
      made.where.expansion = note(std::move(own), use.expansion);
      const std::string& text = definition ? definition->value : value.text;
      for (char c : text) bytes.push_back({c, index, column});
    }
    if (!budget.spend(bytes.size() + kExpansionCost)) {
      diags.error(use, display,
                  "expansion makes more than " + std::to_string(budget.max()) +
                      " bytes of text in all; the rest of the configuration is not read");
      result.failed = true;
      return result;
    }
    if (out.size() + pending.size() + bytes.size() > limits.max_line_bytes) {
      diags.error(use, display,
                  "the line grows longer than " + std::to_string(limits.max_line_bytes) +
                      " bytes when " + display + " is expanded");
      result.failed = true;
      return result;
    }
    origins.push_back(std::move(made));
    result.changed = true;
    std::string_view first_text =
        definition && definition->multiline
            ? std::string_view(definition->lines.front().text())
            : std::string_view(definition ? definition->value : value.text);
    if (starts_sequence(first_text)) {
      // keepalived stops here: the line is read again as a ~SEQ / ~LST.
      out.insert(out.end(), bytes.begin(), bytes.end());
      out.insert(out.end(), pending.rbegin(), pending.rend());
      pending.clear();
      break;
    }
    pending.insert(pending.end(), bytes.rbegin(), bytes.rend());
  }
  line = MappedText::assemble(std::move(origins), out);
  return result;
}

}  // namespace keepvip::config::detail
