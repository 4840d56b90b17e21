#include "daemon/mail/mail_alerts.h"

#include <pwd.h>
#include <unistd.h>

#include "daemon/mail/alert_mail.h"

namespace keepvip::daemon {

MailIdentity local_mail_identity() {
  MailIdentity identity;
  // keepalived also asks the resolver for the canonical name; that lookup
  // can block, so keepvip uses the node name as it is.
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) == 0) identity.host_name = name;
  if (identity.host_name.empty()) identity.host_name = "localhost";
  if (const passwd* account = getpwuid(getuid())) identity.user = account->pw_name;
  if (identity.user.empty()) identity.user = "root";
  return identity;
}

MailAlerts::MailAlerts(ports::MailSender* sender, MailIdentity identity, Clock clock)
    : sender_(sender), identity_(std::move(identity)), clock_(std::move(clock)) {
  if (!clock_) clock_ = [] { return std::time(nullptr); };
}

void MailAlerts::on_state(const config::Global& global, const config::Instance& instance,
                          NotifyState state) {
  if (!sender_ || !sends_mail(global, instance)) return;
  // keepalived's last_email_state: the same state is not mailed twice in a
  // row (a FAULT left unmailed under no_email_faults does not count).
  auto last = last_mailed_.find(instance.name);
  if (last != last_mailed_.end() && last->second == state) return;
  const std::string router_id = global.router_id.empty() ? identity_.host_name : global.router_id;
  auto alert = instance_alert(global, router_id, instance.name, state);
  if (!alert) return;
  // A stopped or deleted instance starts again from nothing, as keepalived's
  // new one.
  if (state == NotifyState::Stop || state == NotifyState::Deleted)
    last_mailed_.erase(instance.name);
  else
    last_mailed_[instance.name] = state;
  sender_->send(outgoing_mail(global.mail, identity_.host_name, identity_.user, *alert, clock_()));
}

}  // namespace keepvip::daemon
