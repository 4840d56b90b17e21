// How a delivery ended, in the words keepalived's smtp.c logs: a mail alert
// is tried once, and a failure is one log line naming the server.
#pragma once

#include <string>
#include <string_view>

namespace keepvip::mail {

// "[192.0.2.25]:25", "[2001:db8::25]:2525": keepalived's inet_sockaddrtopair.
std::string server_pair(std::string_view server, unsigned port);

struct SmtpOutcome {
  int curl_code = 0;         // CURLcode
  long response_code = 0;    // the last SMTP reply code, 0: none
  bool connected = false;    // the TCP connection was made
  std::string curl_message;  // the transfer's error buffer ("MAIL failed: 550")
};

// The line to log for a failed delivery (curl_code != CURLE_OK).
std::string describe_failure(const SmtpOutcome& outcome, std::string_view server_pair);

}  // namespace keepvip::mail
