// keepalived's preprocessor: '@ID' conditional lines, $NAME definitions and
// their expansion, ~SEQ / ~LST repetition, multi-line definitions, and the
// positions and bounds of everything they make.
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <string>
#include <vector>

#include "config/parser.h"
#include "parse_helpers.h"

namespace keepvip::config {
namespace {

using testing::dump;
using testing::parse;

std::vector<std::string> vips(const Instance& i) {
  std::vector<std::string> out;
  for (const auto& v : i.virtual_addresses) out.push_back(v.prefix.to_string());
  return out;
}

std::string instance(const std::string& name, const std::string& body) {
  return "vrrp_instance " + name + " {\n" + body + "}\n";
}

const std::string kBody =
    " interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n  192.0.2.10\n }\n";

// --- '@ID' lines -----------------------------------------------------------

const std::string kConditional = R"(global_defs {
    @main   router_id main_router
    @backup router_id backup_router
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    @main priority 150
    @^main priority 100
    unicast_peer {
        @^main    192.0.2.1
        @^backup  192.0.2.2
        @^backup2 192.0.2.3
    }
    virtual_ipaddress {
        192.0.2.10
    }
}
)";

TEST(Conditional, LinesApplyOnlyForTheirConfigurationId) {
  auto main = parse(kConditional, "main");
  ASSERT_TRUE(main.ok()) << dump(main);
  EXPECT_EQ(main.config->global.router_id, "main_router");
  const Instance& m = main.config->instances[0];
  EXPECT_EQ(m.priority, 150);
  ASSERT_EQ(m.unicast_peers.size(), 2u);  // as keepalived.conf(5)'s example
  EXPECT_EQ(m.unicast_peers[0].to_string(), "192.0.2.2");
  EXPECT_EQ(m.unicast_peers[1].to_string(), "192.0.2.3");

  auto backup = parse(kConditional, "backup");
  ASSERT_TRUE(backup.ok()) << dump(backup);
  EXPECT_EQ(backup.config->global.router_id, "backup_router");
  EXPECT_EQ(backup.config->instances[0].priority, 100);
  EXPECT_EQ(backup.config->instances[0].unicast_peers.size(), 2u);

  auto other = parse(kConditional, "other");
  ASSERT_TRUE(other.ok()) << dump(other);
  EXPECT_EQ(other.config->global.router_id, "");
  EXPECT_EQ(other.config->instances[0].unicast_peers.size(), 3u);
}

TEST(Conditional, TokensKeepTheirColumnsAfterThePrefix) {
  auto r = parse("vrrp_instance VI_1 {\n" + kBody + "    @main priority 300\n}\n");
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:7:20");
  EXPECT_EQ(r.diagnostics[0].keyword, "priority");
}

TEST(Conditional, PrefixAloneDropsTheLine) {
  // keepalived ignores "@ID" with nothing after it, whatever the id.
  auto r = parse(instance("VI_1", kBody + " @main\n @^other\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
}

TEST(Conditional, DefaultIdIsTheShortHostNameAsInKeepalived) {
  utsname name{};
  ASSERT_EQ(::uname(&name), 0);
  std::string node = name.nodename;
  EXPECT_EQ(default_config_id(), node.substr(0, node.find('.')));
  testing::MemoryFiles files;
  auto r = parse_text("global_defs {\n @" + default_config_id() + " router_id here\n}\n", "t.conf",
                      ParseOptions{}, files);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->global.router_id, "here");
}

TEST(Conditional, IncludeOnAConditionalLine) {
  testing::MemoryFiles files;
  files.add("main.conf", instance("VI_1", kBody + " priority 111\n"));
  files.add("backup.conf", instance("VI_1", kBody + " priority 99\n"));
  auto r = parse("@main include main.conf\n@backup include backup.conf\n", "backup", files);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances.at(0).priority, 99);
}

// --- $NAME definitions --------------------------------------------------------

TEST(Definitions, ReplaceNameAndBracedName) {
  auto r = parse("$IF=eth1\n$PRIO=120\n$NET=192.0.2\n" +
                 instance("VI_1",
                          " interface $IF\n virtual_router_id 51\n priority $PRIO\n"
                          " virtual_ipaddress {\n  ${NET}.10/24 dev $IF\n }\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_TRUE(r.diagnostics.empty()) << dump(r);
  const Instance& i = r.config->instances[0];
  EXPECT_EQ(i.interface, "eth1");
  EXPECT_EQ(i.priority, 120);
  EXPECT_EQ(vips(i), std::vector<std::string>{"192.0.2.10/24"});
  EXPECT_EQ(i.virtual_addresses[0].dev, "eth1");
}

TEST(Definitions, ReplacedTextIsReadAgainAtUseAsInKeepalived) {
  // keepalived.conf(5): replacement happens at use, and its result is scanned again.
  auto r = parse(
      "$ADDRESS_BASE=192.0.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=2\n"
      "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n"
      "  ${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=0\n  ${ADDRESS_BASE}.101/32\n }\n}\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(vips(r.config->instances[0]),
            (std::vector<std::string>{"192.0.2.100/32", "192.0.0.101/32"}));
}

TEST(Definitions, UndefinedNamesStayAsWritten) {
  auto r = parse(instance("VI_1", kBody + " notify_master \"/bin/echo $UNDEFINED ${HOME}\"\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.command, "/bin/echo $UNDEFINED ${HOME}");
}

TEST(Definitions, NameGluedToTextIsNotReplacedAndSaysHowToWriteIt) {
  auto r = parse("$NET=192.0.2\n" + instance("VI_1",
                                             " interface eth0\n virtual_router_id 51\n"
                                             " virtual_ipaddress {\n  $NET.10\n }\n"));
  EXPECT_FALSE(r.ok());
  ASSERT_GE(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:6:3");
  EXPECT_EQ(r.diagnostics[0].severity, Severity::Warning);
  EXPECT_NE(r.diagnostics[0].message.find("write ${NET} here"), std::string::npos) << dump(r);
}

TEST(Definitions, ADefinitionMayHoldAConditional) {
  auto r = parse("$IF_MAIN=@main\n" + instance("VI_1", kBody + " $IF_MAIN priority 240\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].priority, 240);
  auto other =
      parse("$IF_MAIN=@main\n" + instance("VI_1", kBody + " $IF_MAIN priority 240\n"), "backup");
  ASSERT_TRUE(other.ok()) << dump(other);
  EXPECT_EQ(other.config->instances[0].priority, 100);
}

TEST(Definitions, ConditionalDefinitions) {
  std::string text = "@main $PRIORITY=240\n@backup $PRIORITY=200\n" +
                     instance("VI_0", kBody + " priority $PRIORITY\n");
  EXPECT_EQ(parse(text, "main").config->instances[0].priority, 240);
  EXPECT_EQ(parse(text, "backup").config->instances[0].priority, 200);
}

TEST(Definitions, PredefinedNames) {
  testing::MemoryFiles files;
  auto r = parse_text("$X=1\n" + instance("VI_1", kBody + " notify_master \"${_INSTANCE} ${_HASH} "
                                                          "${_BANG} ${_RANDOM 7 7} ${_PWD}\"\n"),
                      "/etc/keepvip/t.conf", ParseOptions{{}, "node1"}, files);
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.command, "node1 # ! 7 /etc/keepvip");
}

TEST(Definitions, ErrorInExpandedTextIsReportedAtTheUseWithTheDefinition) {
  auto r = parse("$PRIO=300\n" + instance("VI_1", kBody + " priority $PRIO\n"));
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "t.conf:8:11: error: priority: expected an integer in 1..255, got '300' "
            "(from $PRIO, defined at t.conf:1:1)");
}

TEST(Definitions, SelfReferenceIsAnErrorAtTheUse) {
  auto direct = parse("$A=x $A\n" + instance("VI_1", kBody + " priority $A\n"));
  EXPECT_FALSE(direct.ok());
  ASSERT_FALSE(direct.diagnostics.empty());
  EXPECT_EQ(direct.diagnostics[0].where.line, 8);
  EXPECT_EQ(direct.diagnostics[0].where.column, 11);
  EXPECT_NE(direct.diagnostics[0].message.find("uses $A again"), std::string::npos) << dump(direct);

  auto loop = parse("$A=$B\n$B=$C\n$C=$A\n" + instance("VI_1", kBody + " priority $A\n"));
  EXPECT_FALSE(loop.ok());
  ASSERT_FALSE(loop.diagnostics.empty());
  EXPECT_NE(loop.diagnostics[0].message.find("uses $A again (via $B, $C)"), std::string::npos)
      << dump(loop);
  EXPECT_EQ(loop.diagnostics[0].where.line, 10);
}

TEST(Definitions, ExponentialExpansionIsBoundedAndReported) {
  std::string text = "$L0=xxxxxxxxxxxxxxxx\n";
  for (int i = 1; i <= 30; ++i) {
    text += "$L" + std::to_string(i) + "=${L" + std::to_string(i - 1) + "}${L" +
            std::to_string(i - 1) + "}\n";
  }
  text += instance("VI_1", kBody + " notify_master $L30\n");
  auto r = parse(text);
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].where.line, 38) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("longer than 65536 bytes"), std::string::npos) << dump(r);
}

TEST(Definitions, DeepNestingIsBoundedAndReported) {
  std::string text;
  for (int i = 0; i < 1000; ++i) {
    text += "$D" + std::to_string(i) + "=${D" + std::to_string(i + 1) + "}\n";
  }
  text += "$D1000=1\n" + instance("VI_1", kBody + " priority $D0\n");
  auto r = parse(text);
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_EQ(r.diagnostics[0].where.line, 1008) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("more than 32 levels deep"), std::string::npos)
      << dump(r);
  // 32 levels still expand.
  std::string shallow;
  for (int i = 0; i < 31; ++i) {
    shallow += "$D" + std::to_string(i) + "=${D" + std::to_string(i + 1) + "}\n";
  }
  shallow += "$D31=120\n" + instance("VI_1", kBody + " priority $D0\n");
  auto fine = parse(shallow);
  ASSERT_TRUE(fine.ok()) << dump(fine);
  EXPECT_EQ(fine.config->instances[0].priority, 120);
}

TEST(Definitions, TrailingBackslashOutsideADefinitionWarns) {
  auto r = parse(instance("VI_1", kBody + " priority 120 \\\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].priority, 120);
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_NE(r.diagnostics[0].message.find("continues only a $NAME= definition"), std::string::npos);
}

// --- multi-line definitions ---------------------------------------------------

const std::string kMultiLine = R"($INSTANCE= \
vrrp_instance VI_${NUM} { \
    interface eth0 \
    virtual_router_id ${NUM}1 \
    @high priority 130 \
    @low priority 120 \
    ! a comment inside does not end it
    advert_int 1 \
    virtual_ipaddress { \
        192.0.2.${NUM}/24 \
    } \
}

$NUM=1
$INSTANCE
$NUM=2
$INSTANCE
)";

TEST(MultiLine, DefinitionMakesBlocksAtEachUse) {
  auto r = parse(kMultiLine, "high");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.config->instances.size(), 2u);
  EXPECT_EQ(r.config->instances[0].name, "VI_1");
  EXPECT_EQ(r.config->instances[0].vrid, 11);
  EXPECT_EQ(r.config->instances[0].priority, 130);
  EXPECT_EQ(vips(r.config->instances[1]), std::vector<std::string>{"192.0.2.2/24"});
  EXPECT_EQ(parse(kMultiLine, "low").config->instances[1].priority, 120);
}

TEST(MultiLine, ErrorInsideIsReportedAtTheUseAndThePlaceInTheDefinition) {
  std::string text = kMultiLine;
  text.replace(text.find("$NUM=2"), 6, "$NUM=99");
  auto r = parse(text, "high");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "t.conf:17:1: error: virtual_router_id: expected an integer in 1..255, got '991' "
            "(from $NUM, defined at t.conf:16:1, in $INSTANCE at t.conf:4)");
}

TEST(MultiLine, EmptyLineEndsItAndDefinitionsInsideApplyAtUse) {
  auto r = parse("$VIP= \\\n  $LAST=$N \\\n  192.0.2.$N\n\n" +
                 instance("VI_1",
                          " interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n"
                          "$N=7\n$VIP\n$N=8\n$VIP\n }\n notify_master $LAST\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(vips(r.config->instances[0]),
            (std::vector<std::string>{"192.0.2.7/32", "192.0.2.8/32"}));
  EXPECT_EQ(r.config->instances[0].notify_master.command, "8");
}

TEST(MultiLine, UsedBeforeOtherTextItStaysAsWrittenWithAWarning) {
  auto r = parse("$M= \\\n a \\\n b\n" + instance("VI_1", kBody + " notify_master $M x\n"));
  ASSERT_TRUE(r.ok()) << dump(r);
  EXPECT_EQ(r.config->instances[0].notify_master.command, "$M");
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.diagnostics[0].message.find("only at the end of a line"), std::string::npos);
}

TEST(MultiLine, SelfUseIsAnError) {
  auto r = parse("$M= \\\n vrrp_script s { \\\n $M \\\n }\n$M\n");
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.diagnostics[0].message.find("uses $M again"), std::string::npos) << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.line, 5);
}

// --- ~SEQ and ~LST --------------------------------------------------------------

std::string vip_block(const std::string& lines) {
  return instance(
      "VI_1", " interface eth0\n virtual_router_id 51\n virtual_ipaddress {\n" + lines + " }\n");
}

TEST(Sequence, CountsAsKeepalivedDocuments) {
  struct Case {
    std::string seq;
    std::vector<std::string> expected;
  } cases[] = {
      {"~SEQ(N, 3) 192.0.2.${N}", {"192.0.2.1/32", "192.0.2.2/32", "192.0.2.3/32"}},
      {"~SEQ(N, 5, 7) 192.0.2.${N}", {"192.0.2.5/32", "192.0.2.6/32", "192.0.2.7/32"}},
      {"~SEQ(N, 9, -4, 1) 192.0.2.${N}", {"192.0.2.9/32", "192.0.2.5/32", "192.0.2.1/32"}},
      {"~SEQ(N, 0x10, 0x10, 0x20) 192.0.2.$N", {"192.0.2.16/32", "192.0.2.32/32"}},
      {"~SEQx(N, 0x90, 0x10, 0xb0) 2001:db8::${N}",
       {"2001:db8::90/128", "2001:db8::a0/128", "2001:db8::b0/128"}},
      {"$FIRST=4\n~SEQ(N, $FIRST, 5) 192.0.2.${N}", {"192.0.2.4/32", "192.0.2.5/32"}},
      {"~SEQ(A, 1, 2) ~SEQ(B, 3, 4) 192.0.${A}.${B}",
       {"192.0.1.3/32", "192.0.1.4/32", "192.0.2.3/32", "192.0.2.4/32"}},
      {"~LST(N, 1, 20, 3) 192.0.2.${N}", {"192.0.2.1/32", "192.0.2.20/32", "192.0.2.3/32"}},
      {"~LST({A, B}, {1, 2}, {3,4}) 192.0.${A}.${B}", {"192.0.1.2/32", "192.0.3.4/32"}},
      {"~LST(A, 1, 2) ~SEQ(B, 5, 6) 192.0.${A}.${B}",
       {"192.0.1.5/32", "192.0.1.6/32", "192.0.2.5/32", "192.0.2.6/32"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.seq);
    auto r = parse(vip_block(c.seq + "\n"));
    ASSERT_TRUE(r.ok()) << dump(r);
    std::vector<std::string> got = vips(r.config->instances[0]);
    // IPv4 and IPv6 do not mix in one instance: compare what there is.
    EXPECT_EQ(got, c.expected);
  }
}

TEST(Sequence, RepeatsAMultiLineDefinition) {
  auto r = parse(
      "$I= \\\nvrrp_instance VI_${N} { \\\n interface eth0 \\\n virtual_router_id $N \\\n"
      " virtual_ipaddress { \\\n  192.0.2.$N \\\n } \\\n}\n\n~SEQ(N, 1, 4) $I\n");
  ASSERT_TRUE(r.ok()) << dump(r);
  ASSERT_EQ(r.config->instances.size(), 4u);
  EXPECT_EQ(r.config->instances[3].name, "VI_4");
  EXPECT_EQ(r.config->instances[3].vrid, 4);
}

TEST(Sequence, ErrorInARepeatedLineNamesTheValue) {
  auto r = parse(vip_block("    ~SEQ(N, 254, 256) 192.0.2.${N}\n"));
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u) << dump(r);
  EXPECT_EQ(r.diagnostics[0].to_string(),
            "t.conf:5:23: error: virtual_ipaddress: expected an IPv4 or IPv6 address[/prefix], "
            "got '192.0.2.256' (~SEQ(N) with $N=256)");
}

TEST(Sequence, MalformedRepetitionsAreErrorsAtTheirLine) {
  for (const char* bad : {"~SEQ(N, 1, 0, 5) x", "~SEQ(N 1) x", "~SEQ N, 1) x", "~SEQ(N, 1, 5 x",
                          "~SEQ(N, a) x", "~SEQx(N, -1, 5) x", "~SEQ(1N, 5) x",
                          "~LST(N, {1, 2}, 3) x", "~LST({A, B}, {1, 2, 3}) x"}) {
    SCOPED_TRACE(bad);
    auto r = parse(std::string(bad) + "\n" + instance("VI_1", kBody));
    EXPECT_FALSE(r.ok());
    ASSERT_FALSE(r.diagnostics.empty());
    EXPECT_EQ(r.diagnostics[0].where.to_string(), "t.conf:1:1") << dump(r);
  }
}

TEST(Sequence, HugeRepetitionIsBoundedAndReported) {
  auto r = parse("~SEQ(N, 1, 2000000000)\n" + instance("VI_1", kBody));
  EXPECT_FALSE(r.ok());
  ASSERT_FALSE(r.diagnostics.empty());
  EXPECT_NE(r.diagnostics[0].message.find("more than 524288 lines made"), std::string::npos)
      << dump(r);
  EXPECT_EQ(r.diagnostics[0].where.line, 1);
}

}  // namespace
}  // namespace keepvip::config
