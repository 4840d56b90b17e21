// A ports::Control that records what it was asked and answers as told.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ports/status.h"

namespace keepvip::testing {

class FakeControl : public ports::Control {
 public:
  std::vector<ports::InstanceSnapshot> instances;
  Result<> next_result;  // returned by the next request
  std::vector<std::string> requests;
  std::vector<std::string> tracking;                    // instances unit_failed() reports
  std::map<std::string, ports::InstanceCounters> live;  // live_counters() answers

  std::vector<ports::InstanceSnapshot> snapshot() const override { return instances; }
  Result<> reload() override {
    requests.push_back("reload");
    return next_result;
  }
  Result<> resign(std::string_view instance, Usec hold) override {
    requests.push_back("resign " + std::string(instance) + " " + std::to_string(hold.count()));
    return next_result;
  }
  Result<> set_fault(std::string_view instance, bool faulted, std::string_view reason) override {
    requests.push_back("set_fault " + std::string(instance) + " " + (faulted ? "1" : "0") + " " +
                       std::string(reason));
    return next_result;
  }
  Result<std::vector<std::string>> unit_failed(std::string_view unit,
                                               std::string_view reason) override {
    requests.push_back("unit_failed " + std::string(unit) + " " + std::string(reason));
    if (!next_result) return unexpected(next_result.error());
    return tracking;
  }
  std::optional<ports::InstanceCounters> live_counters(std::string_view instance) const override {
    auto it = live.find(std::string(instance));
    if (it == live.end()) return std::nullopt;
    return it->second;
  }
};

}  // namespace keepvip::testing
