// Sends keepalived's mail alert when an instance enters MASTER, BACKUP or
// FAULT or stops (vrrp_notify.c's vrrp_smtp_notifier): only for instances
// whose smtp_alert settles to on, and not twice in a row for the same state.
// Delivery is the sender's (ports::MailSender): this only decides and
// formats, so a transition never waits for mail.
#pragma once

#include <ctime>
#include <functional>
#include <map>
#include <string>

#include "config/config.h"
#include "daemon/scripts/notify.h"
#include "ports/mail.h"

namespace keepvip::daemon {

// Who the alerts come from when the configuration does not say.
struct MailIdentity {
  std::string host_name;  // router_id, HELO name and From domain by default
  std::string user;       // the From local part by default
};
// The host's name and the account keepvipd runs as.
MailIdentity local_mail_identity();

class MailAlerts {
 public:
  using Clock = std::function<std::time_t()>;
  MailAlerts(ports::MailSender* sender, MailIdentity identity, Clock clock = nullptr);

  void on_state(const config::Global& global, const config::Instance& instance, NotifyState state);

 private:
  ports::MailSender* sender_;
  MailIdentity identity_;
  Clock clock_;
  std::map<std::string, NotifyState> last_mailed_;  // by instance
};

}  // namespace keepvip::daemon
