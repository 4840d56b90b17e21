// For every keyword of the VRRP side of agent/config/keepalived_keywords.cpp,
// the test that proves what the table says of it: that keepvip uses it as
// keepalived does, or warns, refuses or skips as the table says. The docs
// show the name beside the keyword; keyword_proofs_test.cpp holds the list
// to the table and to the tests that exist.
#pragma once

#include <span>
#include <string_view>

#include "config/keepalived_keywords.h"

namespace keepvip::config::proofs {

struct KeywordProof {
  std::string_view block;  // as in keepalived_keywords.cpp: "" at the top level
  std::string_view name;
  // A gtest "Suite.Name" (tests/unit, tests/bpf, tests/dbus, tests/netns), an
  // integration test "test_FILE.py::Class.test_method" (tests/integration),
  // or a CTest name ("integration.THEME", "corpus.keepalived_configurations").
  std::string_view test;
};

std::span<const KeywordProof> keyword_proofs();

// The proof for `name` in `block`, or null.
const KeywordProof* find_keyword_proof(std::string_view block, std::string_view name);

// The VRRP side is everything but LVS: the LVS blocks, and the keywords
// elsewhere whose note names LVS as the area that will use them. It is
// documented as a table with proofs; the LVS side as lists.
bool vrrp_side(const detail::KnownKeyword& k);

}  // namespace keepvip::config::proofs
