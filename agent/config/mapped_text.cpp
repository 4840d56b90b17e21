#include "config/mapped_text.h"

#include <utility>

namespace keepvip::config::detail {

std::shared_ptr<const ExpansionNote> note(std::string text,
                                          std::shared_ptr<const ExpansionNote> outer) {
  return std::make_shared<const ExpansionNote>(ExpansionNote{std::move(text), std::move(outer)});
}

namespace {

// `chain` with `outermost` added at its far end (a copy: nodes are shared).
std::shared_ptr<const ExpansionNote> add_outermost(
    const std::shared_ptr<const ExpansionNote>& chain,
    const std::shared_ptr<const ExpansionNote>& outermost) {
  if (!chain) return outermost;
  return note(chain->text, add_outermost(chain->outer, outermost));
}

}  // namespace

MappedText MappedText::from_source(std::string_view text, const FileName& file, int line,
                                   int first_column) {
  MappedText out;
  out.text_ = std::string(text);
  TextOrigin origin;
  origin.where = SourceLocation{file, line, first_column};
  out.origins_.push_back(std::move(origin));
  out.sources_.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    out.sources_.push_back({0, static_cast<uint32_t>(first_column + static_cast<int>(i))});
  }
  return out;
}

const TextOrigin& MappedText::origin(size_t offset) const {
  if (sources_.empty()) {
    static const TextOrigin none;
    return origins_.empty() ? none : origins_.front();
  }
  return origins_[sources_[offset < sources_.size() ? offset : sources_.size() - 1].origin];
}

SourceLocation locate(const TextOrigin& origin, uint32_t column) {
  if (origin.kind == TextOrigin::Kind::Expansion) return origin.where;
  SourceLocation at = origin.where;
  at.column = static_cast<int>(column);
  return at;
}

SourceLocation MappedText::location(size_t offset) const {
  const TextOrigin& o = origin(offset);
  if (sources_.empty()) return o.where;
  bool past_end = offset >= sources_.size();
  return locate(o, sources_[past_end ? sources_.size() - 1 : offset].column + (past_end ? 1 : 0));
}

void MappedText::erase(size_t from, size_t to) {
  text_.erase(from, to - from);
  sources_.erase(sources_.begin() + static_cast<std::ptrdiff_t>(from),
                 sources_.begin() + static_cast<std::ptrdiff_t>(to));
}

MappedText MappedText::slice(size_t from, size_t to) const {
  MappedText out = *this;
  out.erase(to, out.size());
  out.erase(0, from);
  return out;
}

void MappedText::add_note(std::string_view text) {
  auto outermost = note(std::string(text), nullptr);
  for (auto& o : origins_) o.where.expansion = add_outermost(o.where.expansion, outermost);
}

uint32_t MappedText::add_origin(TextOrigin origin) {
  origins_.push_back(std::move(origin));
  return static_cast<uint32_t>(origins_.size() - 1);
}

MappedText MappedText::assemble(std::vector<TextOrigin> origins, const std::vector<Byte>& bytes) {
  MappedText out;
  out.origins_ = std::move(origins);
  out.text_.reserve(bytes.size());
  out.sources_.reserve(bytes.size());
  for (const Byte& b : bytes) {
    out.text_ += b.c;
    out.sources_.push_back({b.origin, b.column});
  }
  return out;
}

Decommented decomment(std::string_view line) {
  Decommented d;
  d.end = line.size();
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == '\\' && i + 1 < line.size() &&
               (line[i + 1] == '#' || line[i + 1] == '!')) {
      ++i;
    } else if (!quoted && (c == '#' || c == '!')) {
      d.end = i;
      break;
    }
  }
  while (d.begin < d.end && is_blank(line[d.begin])) ++d.begin;
  while (d.end > d.begin && is_blank(line[d.end - 1])) --d.end;
  // keepalived pairs a '\' with the byte after it; one left over at the end
  // (an odd run of them) continues the line, also inside quotes.
  size_t run = 0;
  while (run < d.end - d.begin && line[d.end - 1 - run] == '\\') ++run;
  if (run % 2 == 1) {
    d.continued = true;
    --d.end;
    while (d.end > d.begin && is_blank(line[d.end - 1])) --d.end;
  }
  return d;
}

bool decomment(MappedText& text) {
  Decommented d = decomment(text.text());
  text.erase(d.end, text.size());
  text.erase(0, d.begin);
  return d.continued;
}

}  // namespace keepvip::config::detail
