// libFuzzer target for the configuration parser: any bytes as the main file.
// Includes reach a small fixed in-memory tree (a valid snippet, a file that
// includes itself, a glob), never the real file system, so runs stay fast
// and reproducible.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/parser.h"

namespace {

using keepvip::Result;
using keepvip::config::FileSource;

class FixedFiles final : public FileSource {
 public:
  Result<std::string> read(const std::string& path, size_t max_bytes) const override {
    auto found = files().find(path);
    if (found == files().end()) return keepvip::os_error(ENOENT, "open " + path);
    if (found->second.size() > max_bytes) return keepvip::os_error(EFBIG, path);
    return found->second;
  }
  Result<std::vector<std::string>> glob(const std::string& pattern) const override {
    std::vector<std::string> out;
    if (pattern == "/fuzz/*.conf") {
      for (const auto& [path, content] : files()) out.push_back(path);
    } else if (files().count(pattern) != 0) {
      out.push_back(pattern);
    }
    return out;
  }
  std::string canonical(const std::string& path) const override { return path; }

 private:
  static const std::map<std::string, std::string>& files() {
    static const std::map<std::string, std::string> tree = {
        {"/fuzz/a.conf",
         "vrrp_script s {\n script /bin/true\n}\nvrrp_instance I {\n interface eth0\n"
         " virtual_router_id 1\n virtual_ipaddress {\n  192.0.2.1\n }\n}\n"},
        {"/fuzz/loop.conf", "include loop.conf\n"},
        {"/fuzz/vips.conf", "192.0.2.2/24 dev eth1\n2001:db8::2\n"},
        {"/fuzz/defs.conf", "$N=1\n$M= \\\n 192.0.2.$N \\\n ~SEQ(I, 2) 192.0.2.$I\n\n"},
    };
    return tree;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const FixedFiles files;
  keepvip::config::HostProbe probe{[](const std::string& name) { return name == "eth0"; }};
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // A fixed configuration id: '@' lines must not depend on the host's name.
  auto result = keepvip::config::parse_text(text, "/fuzz/main.conf",
                                            keepvip::config::ParseOptions{probe, "a"}, files);
  // The contract checked on every input: a config exactly when there is no error.
  bool has_error = result.error_count() != 0;
  if (result.config.has_value() == has_error) __builtin_trap();
  for (const auto& d : result.diagnostics) (void)d.to_string();
  return 0;
}
