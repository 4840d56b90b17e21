#include "daemon/loop/sd_notify.h"

#include <systemd/sd-daemon.h>
#include <time.h>

namespace keepvip::daemon {

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
