#include "mail/smtp_outcome.h"

#include <curl/curl.h>

#include <array>
#include <utility>

namespace keepvip::mail {
namespace {

// keepalived names the step that got the unexpected reply; libcurl says it
// in its error text ("RCPT failed: 550"), from which the step is read.
std::string_view failed_command(std::string_view curl_message) {
  constexpr std::array<std::pair<std::string_view, std::string_view>, 5> kSteps{{
      {"MAIL failed", "MAIL"},
      {"RCPT failed", "RCPT"},
      {"DATA failed", "DATA"},
      {"Got unexpected smtp-server response", "(E)SMTP"},
      {"Remote access denied", "HELO"},
  }};
  for (const auto& [text, command] : kSteps)
    if (curl_message.starts_with(text)) return command;
  return {};
}

}  // namespace

std::string server_pair(std::string_view server, unsigned port) {
  return "[" + std::string(server) + "]:" + std::to_string(port);
}

std::string describe_failure(const SmtpOutcome& outcome, std::string_view server) {
  const std::string at(server);
  switch (outcome.curl_code) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
      return "SMTP connection ERROR to " + at + ".";
    case CURLE_OPERATION_TIMEDOUT:
      if (!outcome.connected) return "Timeout opening connection to remote SMTP server " + at + ".";
      return "Timeout reading data to remote SMTP server " + at + ".";
    case CURLE_GOT_NOTHING:
      return "Remote SMTP server " + at + " has closed the connection.";
    default:
      break;
  }
  if (outcome.response_code > 0) {
    std::string_view command = failed_command(outcome.curl_message);
    if (!command.empty())
      return "Error processing " + std::string(command) + " cmd on SMTP server " + at +
             ". SMTP status code = " + std::to_string(outcome.response_code);
  }
  std::string why = outcome.curl_message.empty()
                        ? curl_easy_strerror(static_cast<CURLcode>(outcome.curl_code))
                        : outcome.curl_message;
  return "Error sending SMTP alert to " + at + ": " + why + ".";
}

}  // namespace keepvip::mail
