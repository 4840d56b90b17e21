#include "daemon/runtime_files.h"

#include <signal.h>
#include <unistd.h>

#include <fstream>

namespace keepvip::daemon {

std::string pid_file_path(const std::string& runtime_dir) {
  return runtime_dir + "/keepvipd.pid";
}
std::string stats_file_path(const std::string& runtime_dir) {
  return runtime_dir + "/stats";
}

Result<> write_pid_file(const std::string& runtime_dir) {
  std::string path = pid_file_path(runtime_dir);
  std::ofstream out(path, std::ios::trunc);
  out << getpid() << '\n';
  out.close();
  if (!out) return logic_error("cannot write " + path);
  return {};
}

void remove_pid_file(const std::string& runtime_dir) {
  // Only our own: a newer agent may have taken the directory over.
  auto pid = running_agent(runtime_dir);
  if (pid && *pid == getpid()) ::unlink(pid_file_path(runtime_dir).c_str());
}

std::optional<pid_t> running_agent(const std::string& runtime_dir) {
  std::ifstream in(pid_file_path(runtime_dir));
  pid_t pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  if (kill(pid, 0) != 0 && errno != EPERM) return std::nullopt;
  // A recycled pid belongs to some other program: check the name.
  std::ifstream comm("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  if (!std::getline(comm, name) || name != "keepvipd") return std::nullopt;
  // A killed agent not yet reaped by its parent is a zombie: not running.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close = line.rfind(')');
  if (close != std::string::npos && close + 2 < line.size() && line[close + 2] == 'Z')
    return std::nullopt;
  return pid;
}

}  // namespace keepvip::daemon
