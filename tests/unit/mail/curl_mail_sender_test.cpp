// CurlMailSender on a real sd-event loop against loopback servers: it never
// blocks, holds a bounded number of alerts, and ends a silent exchange at
// the timeout.
#include "mail/curl_mail_sender.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace keepvip::mail {
namespace {

// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the
// connection, and the server never says a word.
class SilentServer {
 public:
  SilentServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a), 0);
    EXPECT_EQ(listen(fd_, 64), 0);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentServer() { close(fd_); }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

ports::OutgoingMail mail_to(uint16_t port, int n, Usec timeout) {
  ports::OutgoingMail m;
  m.server = "127.0.0.1";
  m.port = port;
  m.helo_name = "test";
  m.from = "keepvip@example.org";
  m.to = {"ops@example.org"};
  m.timeout = timeout;
  m.text = "Subject: " + std::to_string(n) + "\r\n\r\nbody\r\n\r\n";
  m.subject = std::to_string(n);
  return m;
}

class CurlMailSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    sd_event* e = nullptr;
    ASSERT_GE(sd_event_new(&e), 0);
    loop_.reset(e);
    auto sender = CurlMailSender::create(loop_.get());
    ASSERT_TRUE(sender) << sender.error().describe();
    sender_ = std::move(*sender);
  }
  // Runs the loop until `done` or `limit` passes; returns the time it ran.
  std::chrono::milliseconds run_until(const std::function<bool()>& done,
                                      std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    while (!done() && std::chrono::steady_clock::now() - start < limit)
      sd_event_run(loop_.get(), 10'000);
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 start);
  }
  EventPtr loop_;
  std::unique_ptr<CurlMailSender> sender_;
};

TEST_F(CurlMailSenderTest, SendReturnsAtOnceAndTheQueueIsBounded) {
  SilentServer server;
  const size_t total = CurlMailSender::kMaxSending + CurlMailSender::kMaxWaiting + 5;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < total; ++i)
    sender_->send(mail_to(server.port(), static_cast<int>(i), Usec{30'000'000}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  EXPECT_EQ(sender_->sending(), CurlMailSender::kMaxSending);
  EXPECT_EQ(sender_->waiting(), CurlMailSender::kMaxWaiting);  // the 5 oldest waiting dropped
}

TEST_F(CurlMailSenderTest, ASilentServerIsGivenUpAtTheTimeoutAndTheNextMailStarts) {
  SilentServer server;
  for (int i = 0; i < static_cast<int>(CurlMailSender::kMaxSending) + 1; ++i)
    sender_->send(mail_to(server.port(), i, Usec{1'000'000}));
  EXPECT_EQ(sender_->waiting(), 1u);
  // The first four time out waiting for the greeting; the fifth then starts.
  auto took = run_until([&] { return sender_->waiting() == 0; }, std::chrono::seconds(10));
  EXPECT_EQ(sender_->waiting(), 0u);
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::milliseconds(5000));
  run_until([&] { return sender_->sending() == 0; }, std::chrono::seconds(10));
  EXPECT_EQ(sender_->sending(), 0u);
}

TEST_F(CurlMailSenderTest, ARefusedConnectionEndsTheDelivery) {
  uint16_t port = 0;
  {
    SilentServer closed;  // a port nobody listens on once this is gone
    port = closed.port();
  }
  sender_->send(mail_to(port, 1, Usec{5'000'000}));
  auto took = run_until([&] { return sender_->sending() == 0; }, std::chrono::seconds(5));
  EXPECT_EQ(sender_->sending(), 0u);
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

}  // namespace
}  // namespace keepvip::mail
