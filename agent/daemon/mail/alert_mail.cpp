#include "daemon/mail/alert_mail.h"

namespace keepvip::daemon {

bool sends_mail(const config::Global& global, const config::Instance& instance) {
  if (!global.mail.enabled()) return false;
  if (instance.smtp_alert) return *instance.smtp_alert;
  if (global.mail.alert_vrrp) return *global.mail.alert_vrrp;
  return global.mail.alert.value_or(false);
}

std::optional<Alert> instance_alert(const config::Global& global, std::string_view router_id,
                                    std::string_view instance, NotifyState state) {
  std::string_view subject;
  std::string_view body;
  switch (state) {
    case NotifyState::Master:
      subject = "Entering MASTER state";
      body = "=> VRRP Instance is now owning VRRP VIPs <=";
      break;
    case NotifyState::Backup:
      subject = "Entering BACKUP state";
      body = "=> VRRP Instance is no longer owning VRRP VIPs <=";
      break;
    case NotifyState::Fault:
      if (global.mail.no_email_faults) return std::nullopt;
      subject = "Entering FAULT state";
      body = "=> VRRP Instance is no longer owning VRRP VIPs <=";
      break;
    case NotifyState::Stop:
      subject = "Stopping";
      body = "=> VRRP Instance stopping <=";
      break;
    case NotifyState::Deleted:
      subject = "Deleted";
      body = "=> VRRP Deleted at reload <=";
      break;
  }
  Alert alert;
  alert.subject = "[" + std::string(router_id) + "] VRRP Instance " + std::string(instance) +
                  " - " + std::string(subject);
  alert.body = body;
  return alert;
}

std::string alert_text(const config::Mail& mail, std::string_view from, const Alert& alert,
                       std::time_t now) {
  std::tm local{};
  localtime_r(&now, &local);
  char date[80];
  std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S %z", &local);
  std::string to;
  for (const auto& address : mail.to) {
    if (!to.empty()) to += ", ";
    to += address;
  }
  // keepalived ends the body with CRLF and then sends CRLF.CRLF, so the
  // message it delivers ends with an empty line; ours does too.
  return "Date: " + std::string(date) + "\r\nFrom: " + std::string(from) +
         "\r\nSubject: " + alert.subject + "\r\nX-Mailer: Keepalived\r\nTo: " + to + "\r\n\r\n" +
         alert.body + "\r\n\r\n";
}

ports::OutgoingMail outgoing_mail(const config::Mail& mail, std::string_view host_name,
                                  std::string_view user, const Alert& alert, std::time_t now) {
  ports::OutgoingMail out;
  out.server = mail.server;
  out.port = mail.port;
  out.helo_name = mail.helo_name.empty() ? std::string(host_name) : mail.helo_name;
  out.from = mail.from.empty() ? std::string(user) + "@" + std::string(host_name) : mail.from;
  out.to = mail.to;
  out.timeout = mail.connect_timeout;
  out.text = alert_text(mail, out.from, alert, now);
  out.subject = alert.subject;
  return out;
}

}  // namespace keepvip::daemon
