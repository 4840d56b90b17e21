// The rise/fall verdict of one vrrp_script, as keepalived counts it: the
// script must fail `fall` times in a row to be declared down and succeed
// `rise` times in a row to be declared up again. Pure, so tests drive it
// with plain exit results.
#pragma once

namespace keepvip::daemon {

class ScriptHealth {
 public:
  // init_fail: start down (keepalived's "init_fail"); otherwise start up.
  ScriptHealth(int rise, int fall, bool init_fail);

  // Records one run; returns true when the verdict flipped.
  bool record(bool success);
  bool up() const { return up_; }

 private:
  int rise_;
  int fall_;
  bool up_;
  int streak_ = 0;  // consecutive results that disagree with the current verdict
};

}  // namespace keepvip::daemon
