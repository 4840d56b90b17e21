#include "daemon/sd_notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

namespace keepvip::daemon {

std::string status_summary(const std::vector<ports::InstanceSnapshot>& instances) {
  if (instances.empty()) return "no instances";
  std::string out =
      std::to_string(instances.size()) + (instances.size() == 1 ? " instance: " : " instances: ");
  for (size_t i = 0; i < instances.size(); ++i) {
    if (i) out += ", ";
    out += instances[i].name + " " + std::string(vrrp::to_string(instances[i].state));
    if (instances[i].split_brain) out += " (split brain)";
  }
  return out;
}

void notify_ready(const std::string& status) {
  sd_notify(0, ("READY=1\nSTATUS=" + status).c_str());
}

void notify_status(const std::string& status) {
  sd_notify(0, ("STATUS=" + status).c_str());
}

void notify_reloading() {
  // Since systemd 253, Type=notify-reload wants MONOTONIC_USEC with RELOADING;
  // older managers ignore the extra field.
  struct timespec ts {};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  auto usec = static_cast<unsigned long long>(ts.tv_sec) * 1'000'000ULL +
              static_cast<unsigned long long>(ts.tv_nsec) / 1000ULL;
  sd_notify(0, ("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(usec)).c_str());
}

void notify_stopping() {
  sd_notify(0, "STOPPING=1");
}

}  // namespace keepvip::daemon
