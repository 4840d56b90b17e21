// keyword_proofs.cpp against the keyword table and the test sources: every
// keyword of the VRRP side has a proof, no proof is of a keyword the table
// does not have (or of the LVS side), a used keyword's proof is not one of
// the table-driven tests (they prove warnings, errors and skips), and every
// proof names a test that exists, so the documentation never points at a
// test that is gone.
#include "keyword_proofs.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace keepvip::config::proofs {
namespace {

namespace fs = std::filesystem;
using detail::KnownKeyword;

const fs::path kSource = KEEPVIP_SOURCE_DIR;

std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string where(std::string_view block, std::string_view name) {
  return "'" + std::string(name) + "' (" + (block.empty() ? "top level" : std::string(block)) + ")";
}

bool identifier_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

// The "Suite.Name" of every TEST, TEST_F and TEST_P that opens a line of `text`.
void add_gtest_names(const std::string& text, std::set<std::string>& names) {
  for (size_t at = text.find("TEST"); at != std::string::npos; at = text.find("TEST", at + 1)) {
    if (at > 0 && text[at - 1] != '\n') continue;
    size_t i = at + 4;
    if (text.compare(i, 2, "_F") == 0 || text.compare(i, 2, "_P") == 0) i += 2;
    auto skip_space = [&] {
      while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    };
    auto identifier = [&] {
      size_t from = i;
      while (i < text.size() && identifier_char(text[i])) ++i;
      return text.substr(from, i - from);
    };
    if (i >= text.size() || text[i++] != '(') continue;
    skip_space();
    std::string suite = identifier();
    skip_space();
    if (suite.empty() || i >= text.size() || text[i++] != ',') continue;
    skip_space();
    std::string name = identifier();
    skip_space();
    if (name.empty() || i >= text.size() || text[i] != ')') continue;
    names.insert(suite + "." + name);
  }
}

const std::set<std::string>& gtest_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(kSource / "tests")) {
      if (entry.is_regular_file() && entry.path().extension() == ".cpp") {
        add_gtest_names(read(entry.path()), found);
      }
    }
    return found;
  }();
  return names;
}

// The CTest names the tests tree declares: add_test(NAME ...), and one
// integration.THEME per theme of tests/integration/CMakeLists.txt with its
// test_THEME.py.
const std::set<std::string>& ctest_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(kSource / "tests")) {
      if (entry.path().filename() != "CMakeLists.txt") continue;
      std::string text = read(entry.path());
      const std::string add = "add_test(NAME ";
      for (size_t at = text.find(add); at != std::string::npos; at = text.find(add, at + 1)) {
        size_t from = at + add.size();
        size_t to = text.find_first_of(" \n)", from);
        found.insert(text.substr(from, to - from));
      }
    }
    std::istringstream themes(read(kSource / "tests/integration/CMakeLists.txt"));
    bool in_list = false;
    for (std::string line; std::getline(themes, line);) {
      if (line.starts_with("set(KEEPVIP_INTEGRATION_THEMES")) {
        in_list = true;
      } else if (in_list && line.starts_with(")")) {
        in_list = false;
      } else if (in_list) {
        size_t from = line.find_first_not_of(' ');
        std::string theme = from == std::string::npos
                                ? ""
                                : line.substr(from, line.find_first_of(" #", from) - from);
        if (!theme.empty() &&
            fs::exists(kSource / "tests/integration" / ("test_" + theme + ".py"))) {
          found.insert("integration." + theme);
        }
      }
    }
    return found;
  }();
  return names;
}

// "test_FILE.py::Class.test_method": the file is in tests/integration, and
// the method is defined in that class.
bool python_test_exists(std::string_view test) {
  size_t colons = test.find("::");
  size_t dot = test.rfind('.');
  if (colons == std::string_view::npos || dot == std::string_view::npos || dot < colons) {
    return false;
  }
  fs::path file = kSource / "tests/integration" / std::string(test.substr(0, colons));
  std::string klass(test.substr(colons + 2, dot - colons - 2));
  std::string method(test.substr(dot + 1));
  if (!method.starts_with("test_") || !fs::exists(file)) return false;
  std::istringstream lines(read(file));
  bool in_class = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("class ")) {
      std::string name = line.substr(6);
      in_class = name.substr(0, name.find_first_of("(:")) == klass;
    } else if (in_class && line.starts_with("    def " + method + "(")) {
      return true;
    }
  }
  return false;
}

bool test_exists(std::string_view test) {
  if (test.find(".py::") != std::string_view::npos) return python_test_exists(test);
  std::string name(test);
  return gtest_names().contains(name) || ctest_names().contains(name);
}

TEST(KeywordProofs, EveryVrrpSideKeywordHasOne) {
  for (const KnownKeyword& k : detail::keepalived_keywords()) {
    if (vrrp_side(k) && !find_keyword_proof(k.block, k.name)) {
      ADD_FAILURE() << "keyword " << where(k.block, k.name) << " has no proof: add {\"" << k.block
                    << "\", \"" << k.name
                    << "\", \"Suite.Test\"} to tests/unit/config/keyword_proofs.cpp";
    }
  }
}

TEST(KeywordProofs, EachIsOfAVrrpSideKeywordOfTheTableOnce) {
  std::set<std::pair<std::string_view, std::string_view>> seen;
  for (const KeywordProof& p : keyword_proofs()) {
    const KnownKeyword* k = detail::find_keepalived_keyword(p.block, p.name);
    if (!k) {
      ADD_FAILURE() << "keyword_proofs.cpp proves " << where(p.block, p.name)
                    << ", which agent/config/keepalived_keywords.cpp does not have";
    } else if (!vrrp_side(*k)) {
      ADD_FAILURE() << "keyword_proofs.cpp proves " << where(p.block, p.name)
                    << ", which is on the LVS side (documented as lists, without proofs)";
    }
    if (!seen.emplace(p.block, p.name).second) {
      ADD_FAILURE() << "keyword_proofs.cpp proves " << where(p.block, p.name) << " twice";
    }
  }
}

TEST(KeywordProofs, EachNamesATestThatExists) {
  ASSERT_GT(gtest_names().size(), 500u) << "no TEST found under " << kSource / "tests";
  ASSERT_TRUE(ctest_names().contains("integration.interop")) << "no integration theme found";
  for (const KeywordProof& p : keyword_proofs()) {
    if (!test_exists(p.test)) {
      ADD_FAILURE() << "the proof of " << where(p.block, p.name) << " names '" << p.test
                    << "', which is no test: not a TEST/TEST_F/TEST_P Suite.Name under tests/, "
                       "a CTest name, or a test_FILE.py::Class.test_method of tests/integration";
    }
  }
}

// The table-driven tests only prove a warning, an error or a skip: a keyword
// that becomes used needs the test that exercises what it does.
TEST(KeywordProofs, AUsedKeywordsProofTestsWhatItDoes) {
  const std::set<std::string_view> table_driven = {
      "KeepalivedKeywords.EachDoesWhatTheTableSaysWhereKeepalivedExpectsIt",
      "KeepalivedKeywords.EveryKeywordOfASkippedBlockGoesWithIt"};
  for (const KeywordProof& p : keyword_proofs()) {
    const KnownKeyword* k = detail::find_keepalived_keyword(p.block, p.name);
    if (k && k->support == detail::Support::Used && table_driven.contains(p.test)) {
      ADD_FAILURE() << "keyword " << where(p.block, p.name) << " is used, but its proof '" << p.test
                    << "' only proves the warning, error or skip of a keyword keepvip does not "
                       "use: name the test that exercises it in keyword_proofs.cpp";
    }
  }
}

// The checker itself: what it must find, and what it must not.
TEST(KeywordProofs, TheCheckerKnowsEachKindOfTestName) {
  EXPECT_TRUE(test_exists("KeywordProofs.EachNamesATestThatExists"));
  EXPECT_TRUE(test_exists("corpus.keepalived_configurations"));
  EXPECT_TRUE(test_exists("integration.advert_answers"));
  EXPECT_TRUE(test_exists("test_auth.py::PassAuthentication.test_keepvip_sends_its_password"));
  EXPECT_FALSE(test_exists("KeywordProofs.NoSuchTest"));
  EXPECT_FALSE(test_exists("integration.no_such_theme"));
  EXPECT_FALSE(test_exists("test_auth.py::PassAuthentication.test_no_such_method"));
  EXPECT_FALSE(test_exists("test_auth.py::NoSuchClass.test_keepvip_sends_its_password"));
  EXPECT_FALSE(
      test_exists("test_no_such_file.py::PassAuthentication.test_keepvip_sends_its_password"));
}

}  // namespace
}  // namespace keepvip::config::proofs
