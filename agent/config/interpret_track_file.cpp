// track_file NAME { ... } and its older name vrrp_track_file NAME { ... }
#include <array>

#include "config/interpret.h"
#include "config/values.h"

namespace keepvip::config::detail {
namespace {

struct TrackFileDraft {
  TrackFile file;
  bool has_path = false;
  bool has_weight = false;
};

void file(Reader& r, const Node& n, TrackFileDraft& d) {
  const Token* path = r.arg(n, 0, "the path of the file to track");
  if (!path) return;
  r.at_most(n, 1);
  if (d.has_path) {
    r.diags().error(path->where, "file",
                    "file already set for track_file '" + d.file.name + "' (at " +
                        d.file.path_at.to_string() + ")");
    return;
  }
  d.file.path = path->text;
  d.file.path_at = path->where;
  d.has_path = true;
}

void weight(Reader& r, const Node& n, TrackFileDraft& d) {
  const Token* value = r.arg(n, 0, "a weight in -254..254");
  if (!value) return;
  if (d.has_weight) {
    r.diags().error(value->where, "weight",
                    "weight already set for track_file '" + d.file.name + "'");
    return;
  }
  auto parsed = parse_integer(value->text, -254, 254);
  if (!parsed) {
    r.diags().error(value->where, "weight", parsed.error());
    return;
  }
  d.file.weight = static_cast<int>(*parsed);
  d.has_weight = true;
  if (n.args.size() > 1) {
    if (n.args[1].text == "reverse") {
      d.file.weight_reverse = true;
    } else {
      r.diags().error(n.args[1].where, "weight",
                      "expected 'reverse' or nothing after the weight, got '" +
                          n.args[1].text.substr(0, 64) + "'");
    }
  }
  r.at_most(n, 2);
}

// "init_file [VALUE] [overwrite]", in either order as keepalived reads it.
void init_file(Reader& r, const Node& n, TrackFileDraft& d) {
  d.file.init = TrackFile::Init::Create;
  d.file.init_value = 0;
  for (const Token& word : n.args) {
    if (word.text == "overwrite") {
      d.file.init = TrackFile::Init::Overwrite;
      continue;
    }
    auto value = parse_integer(word.text, -254, 254);
    if (!value) {
      r.diags().error(
          word.where, "init_file",
          "expected a value in -254..254 or 'overwrite', got '" + word.text.substr(0, 64) + "'");
      continue;
    }
    d.file.init_value = static_cast<int>(*value);
  }
}

constexpr auto kRules = std::to_array<KeywordRule<TrackFileDraft>>({
    {"file", Shape::Statement, &file},
    {"weight", Shape::Statement, &weight},
    {"init_file", Shape::Statement, &init_file},
});

}  // namespace

void read_track_file(Reader& reader, const Node& node, Drafts& drafts) {
  const std::string& block = node.keyword.text;
  const Token* name = reader.arg(node, 0, "a name: " + block + " NAME { ... }");
  if (!name) return;
  reader.at_most(node, 1);
  if (block == "vrrp_track_file") {
    reader.diags().warning(node.keyword.where, block,
                           "\"vrrp_track_file\" is deprecated, please use \"track_file\" (as "
                           "keepalived says)");
  }
  for (const auto& existing : drafts.track_files) {
    if (existing.name == name->text) {
      reader.diags().error(name->where, block,
                           "duplicate track_file '" + name->text + "' (first defined at " +
                               existing.where.to_string() + ")");
      return;
    }
  }
  TrackFileDraft draft;
  draft.file.name = name->text;
  draft.file.where = name->where;
  dispatch<TrackFileDraft>(reader, node.children, draft, kRules, block, nullptr);
  if (!draft.has_path) {
    reader.diags().error(name->where, block, "track_file '" + name->text + "' has no 'file' line");
    return;
  }
  drafts.track_files.push_back(std::move(draft.file));
}

}  // namespace keepvip::config::detail
