#include "daemon/publish/print_stats.h"

#include <signal.h>
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <thread>

#include "daemon/publish/runtime_files.h"

namespace keepvip::daemon {
namespace {

// A stats file lists a few instances; anything this large is not one.
constexpr size_t kMaxStatsFileBytes = 1 << 20;

}  // namespace

int print_running_stats(const std::string& runtime_dir) {
  if (auto r = check_runtime_dir(runtime_dir); !r) {
    std::cerr << "keepvipd --stats: " << r.error().describe() << "\n";
    return 1;
  }
  auto pid = running_agent(runtime_dir);
  if (!pid) {
    std::cerr << "keepvipd --stats: no running keepvipd for " << runtime_dir
              << " (use --runtime-dir)\n";
    return 1;
  }
  std::string path = stats_file_path(runtime_dir);
  auto modified = [&]() -> std::chrono::nanoseconds {
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) return std::chrono::nanoseconds{0};
    return std::chrono::seconds{st.st_mtim.tv_sec} + std::chrono::nanoseconds{st.st_mtim.tv_nsec};
  };
  auto before = modified();
  if (kill(*pid, SIGUSR1) != 0) {
    std::cerr << "keepvipd --stats: cannot signal pid " << *pid << ": " << strerror(errno) << "\n";
    return 1;
  }
  for (int i = 0; i < 150 && modified() == before; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (modified() == before) {
    std::cerr << "keepvipd --stats: the agent did not answer\n";
    return 1;
  }
  auto text = read_own_file(path, kMaxStatsFileBytes);
  if (!text) {
    std::cerr << "keepvipd --stats: " << text.error().describe() << "\n";
    return 1;
  }
  std::cout << *text;
  return 0;
}

}  // namespace keepvip::daemon
