// The seam for mail alerts: the daemon decides what to say and to whom
// (daemon/mail/), a sender delivers it without blocking the event loop
// (agent/mail/ over libcurl in keepvipd, a fake in tests).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"

namespace keepvip::ports {

// One message, ready for the wire: the envelope and the text after DATA.
struct OutgoingMail {
  std::string server;  // IP address or host name
  uint16_t port = 25;
  std::string helo_name;
  std::string from;
  std::vector<std::string> to;
  Usec timeout{30'000'000};  // to connect, and for each reply
  std::string text;          // headers, blank line, body; CRLF line ends
  std::string subject;       // for the logs
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Queues `mail`; the outcome is logged, never reported back (as keepalived:
  // an alert that cannot be delivered is not retried).
  virtual void send(ports::OutgoingMail mail) = 0;
};

}  // namespace keepvip::ports
