#include "config/script_host.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <vector>

#include "config/program_check.h"

namespace keepvip::config {
namespace {

std::vector<char> lookup_buffer() {
  long size = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  long group_size = ::sysconf(_SC_GETGR_R_SIZE_MAX);
  if (group_size > size) size = group_size;
  return std::vector<char>(size > 0 ? static_cast<size_t>(size) : 16384);
}

class SystemScriptHost final : public ScriptHost {
 public:
  Account self() const override {
    Account a{"", ::geteuid(), ::getegid()};
    struct passwd pw;
    struct passwd* found = nullptr;
    auto buffer = lookup_buffer();
    if (::getpwuid_r(a.uid, &pw, buffer.data(), buffer.size(), &found) == 0 && found)
      a.user = found->pw_name;
    else
      a.user = "uid " + std::to_string(a.uid);
    return a;
  }

  Result<Account> find_account(const std::string& user, const std::string& group) const override {
    auto buffer = lookup_buffer();
    struct passwd pw;
    struct passwd* found_user = nullptr;
    int r = ::getpwnam_r(user.c_str(), &pw, buffer.data(), buffer.size(), &found_user);
    if (r != 0) return os_error(r, "cannot look user '" + user + "' up");
    if (!found_user) return logic_error("user '" + user + "' does not exist");
    Account a{user, found_user->pw_uid, found_user->pw_gid};
    if (group.empty()) return a;
    struct group gr;
    struct group* found_group = nullptr;
    r = ::getgrnam_r(group.c_str(), &gr, buffer.data(), buffer.size(), &found_group);
    if (r != 0) return os_error(r, "cannot look group '" + group + "' up");
    if (!found_group) return logic_error("group '" + group + "' does not exist");
    a.gid = found_group->gr_gid;
    return a;
  }

  ProgramReport inspect(const std::string& first_word, const Account& as) const override {
    std::string search_path;
    if (const char* path = ::getenv("PATH")) {
      search_path = path;
    } else {
      search_path.resize(::confstr(_CS_PATH, nullptr, 0));
      ::confstr(_CS_PATH, search_path.data(), search_path.size());
      if (!search_path.empty()) search_path.pop_back();  // the terminating NUL
    }
    std::vector<char> cwd(4096);
    std::string here = ::getcwd(cwd.data(), cwd.size()) ? cwd.data() : "/";
    return inspect_program(first_word, as, search_path, here);
  }

  std::string redirection_shell() const override {
    return ::access("/bin/bash", X_OK) == 0 ? "/bin/bash" : "/bin/sh";
  }
};

}  // namespace

const ScriptHost& system_script_host() {
  static const SystemScriptHost host;
  return host;
}

}  // namespace keepvip::config
