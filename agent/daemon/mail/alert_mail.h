// keepalived's VRRP mail alerts (vrrp_notify.c, smtp.c), as values: which
// transitions send mail, their subject and body, and the message text.
// Pure: the caller supplies the host name and the time.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "daemon/scripts/notify.h"
#include "ports/mail.h"

namespace keepvip::daemon {

struct Alert {
  std::string subject;  // "[router_id] VRRP Instance VI_1 - Entering MASTER state"
  std::string body;     // "=> VRRP Instance is now owning VRRP VIPs <="
};

// Whether `instance` sends mail: its own smtp_alert, else global_defs
// smtp_alert_vrrp, else smtp_alert, else not; and only with recipients and
// a server.
bool sends_mail(const config::Global& global, const config::Instance& instance);

// The alert for entering `state`; nullopt when keepalived sends none
// (FAULT under no_email_faults). `router_id` is the configured one or,
// unset, the host name, as keepalived defaults it.
std::optional<Alert> instance_alert(const config::Global& global, std::string_view router_id,
                                    std::string_view instance, NotifyState state);

// The message keepalived writes after DATA: Date (local time, RFC 822),
// From, Subject, "X-Mailer: Keepalived", To (the recipients, comma
// separated), a blank line, the body and one more empty line.
std::string alert_text(const config::Mail& mail, std::string_view from, const Alert& alert,
                       std::time_t now);

// Envelope and text. Defaults as keepalived's: from root@HOST (the account
// keepvipd runs as), HELO HOST.
ports::OutgoingMail outgoing_mail(const config::Mail& mail, std::string_view host_name,
                                  std::string_view user, const Alert& alert, std::time_t now);

}  // namespace keepvip::daemon
