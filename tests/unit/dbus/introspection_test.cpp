// The shipped introspection XML (dbus/org.keepvip1.*.xml) must describe
// exactly what the running objects introspect to: same members, signatures,
// argument names and change-signal annotations.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "bus_fixture.h"

#ifndef KEEPVIP_DBUS_XML_DIR
#error "KEEPVIP_DBUS_XML_DIR must name the folder with the shipped XML"
#endif

namespace keepvip::testing {
namespace {

// Comments dropped, whitespace between tags removed, other runs of
// whitespace collapsed: formatting may differ, content may not.
std::string normalize(std::string xml) {
  xml = std::regex_replace(xml, std::regex("<!--[\\s\\S]*?-->"), "");
  xml = std::regex_replace(xml, std::regex(">\\s+<"), "><");
  xml = std::regex_replace(xml, std::regex("\\s+"), " ");
  xml = std::regex_replace(xml, std::regex("\\s*/>"), "/>");
  // <x a="b"></x> and <x a="b"/> say the same.
  xml = std::regex_replace(xml, std::regex("<(\\w+)([^<>]*[^/<>])></\\1>"), "<$1$2/>");
  return xml;
}

std::string interface_block(const std::string& xml, const std::string& name) {
  std::string norm = normalize(xml);
  auto start = norm.find("<interface name=\"" + name + "\">");
  if (start == std::string::npos) return "";
  auto end = norm.find("</interface>", start);
  return norm.substr(start, end + std::string("</interface>").size() - start);
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

class IntrospectionTest : public BusFixture {
 protected:
  std::string introspect(const std::string& path) {
    Reply r = call(path, "org.freedesktop.DBus.Introspectable", "Introspect");
    const char* xml = nullptr;
    EXPECT_GE(sd_bus_message_read(r.message.get(), "s", &xml), 0);
    return xml ? xml : "";
  }
};

TEST_F(IntrospectionTest, ManagerMatchesShippedXml) {
  std::string live = introspect(dbus::kManagerPath);
  std::string shipped = read_file(KEEPVIP_DBUS_XML_DIR "/org.keepvip1.Manager.xml");
  ASSERT_FALSE(shipped.empty());
  std::string want = interface_block(shipped, dbus::kManagerInterface);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(interface_block(live, dbus::kManagerInterface), want) << "live introspection:\n"
                                                                  << live;
}

TEST_F(IntrospectionTest, InstanceMatchesShippedXml) {
  ports::InstanceSnapshot s;
  s.name = "VI_1";
  service_->instances_reset({s});
  std::string live = introspect(dbus::BusService::instance_path("VI_1"));
  std::string shipped = read_file(KEEPVIP_DBUS_XML_DIR "/org.keepvip1.Instance.xml");
  ASSERT_FALSE(shipped.empty());
  std::string want = interface_block(shipped, dbus::kInstanceInterface);
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(interface_block(live, dbus::kInstanceInterface), want) << "live introspection:\n"
                                                                   << live;
}

TEST_F(IntrospectionTest, TreeListsInstancesUnderTheManager) {
  ports::InstanceSnapshot s;
  s.name = "VI_1";
  service_->instances_reset({s});
  std::string xml = introspect(dbus::kInstancePrefix);
  EXPECT_NE(xml.find("<node name=\"VI_5f1\""), std::string::npos) << xml;
}

}  // namespace
}  // namespace keepvip::testing
