// A failed delivery is logged as keepalived 2.2.8's smtp.c logs it.
#include "mail/smtp_outcome.h"

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace keepvip::mail {
namespace {

std::string line(int code, long reply, bool connected, std::string message = {}) {
  return describe_failure({code, reply, connected, std::move(message)},
                          server_pair("2001:db8::25", 25));
}

TEST(SmtpOutcome, ServerPairAsKeepalived) {
  EXPECT_EQ(server_pair("192.0.2.25", 25), "[192.0.2.25]:25");
  EXPECT_EQ(server_pair("2001:db8::25", 2525), "[2001:db8::25]:2525");
}

TEST(SmtpOutcome, KeepalivedsWordsPerFailure) {
  EXPECT_EQ(line(CURLE_OPERATION_TIMEDOUT, 0, false),
            "Timeout opening connection to remote SMTP server [2001:db8::25]:25.");
  EXPECT_EQ(line(CURLE_OPERATION_TIMEDOUT, 250, true),
            "Timeout reading data to remote SMTP server [2001:db8::25]:25.");
  EXPECT_EQ(line(CURLE_COULDNT_CONNECT, 0, false), "SMTP connection ERROR to [2001:db8::25]:25.");
  EXPECT_EQ(line(CURLE_GOT_NOTHING, 0, true),
            "Remote SMTP server [2001:db8::25]:25 has closed the connection.");
  EXPECT_EQ(line(CURLE_SEND_ERROR, 550, true, "RCPT failed: 550"),
            "Error processing RCPT cmd on SMTP server [2001:db8::25]:25. SMTP status code = 550");
  EXPECT_EQ(line(CURLE_SEND_ERROR, 451, true, "MAIL failed: 451"),
            "Error processing MAIL cmd on SMTP server [2001:db8::25]:25. SMTP status code = 451");
  EXPECT_EQ(line(CURLE_WEIRD_SERVER_REPLY, 554, true, "Got unexpected smtp-server response: 554"),
            "Error processing (E)SMTP cmd on SMTP server [2001:db8::25]:25. SMTP status code = "
            "554");
}

TEST(SmtpOutcome, OtherFailuresSayWhatLibcurlSaid) {
  EXPECT_EQ(line(CURLE_RECV_ERROR, 0, true, "Connection reset"),
            "Error sending SMTP alert to [2001:db8::25]:25: Connection reset.");
}

}  // namespace
}  // namespace keepvip::mail
