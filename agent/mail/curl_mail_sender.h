// Delivers mail alerts over SMTP with libcurl's multi interface, driven by
// the daemon's sd-event loop (its sockets and its one timer become event
// sources), so no thread is started and nothing blocks: a transition never
// waits for a mail server, even one that does not answer.
//
// Bounded: at most kMaxSending deliveries run at once and kMaxWaiting wait
// behind them; beyond that the oldest waiting alert is dropped, with a log
// line, so a flapping instance cannot grow memory without bound. Each alert
// is tried once, as keepalived does; the outcome is logged in keepalived's
// words (smtp_outcome.h).
#pragma once

#include <curl/curl.h>
#include <systemd/sd-event.h>

#include <deque>
#include <map>
#include <memory>

#include "common/result.h"
#include "common/sd_owners.h"
#include "ports/mail.h"

namespace keepvip::mail {

class CurlMailSender final : public ports::MailSender {
 public:
  static constexpr size_t kMaxSending = 4;
  static constexpr size_t kMaxWaiting = 16;

  static Result<std::unique_ptr<CurlMailSender>> create(sd_event* loop);
  ~CurlMailSender() override;
  CurlMailSender(const CurlMailSender&) = delete;
  CurlMailSender& operator=(const CurlMailSender&) = delete;

  void send(ports::OutgoingMail mail) override;
  size_t sending() const { return sending_.size(); }
  size_t waiting() const { return waiting_.size(); }

 private:
  struct Delivery;
  explicit CurlMailSender(sd_event* loop);

  void start(ports::OutgoingMail mail);
  void finish_done();  // logs and frees ended deliveries, starts waiting ones
  void act(curl_socket_t socket, int events);

  static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  static int on_io(sd_event_source* source, int fd, uint32_t revents, void* self);
  static int on_time(sd_event_source* source, uint64_t usec, void* self);

  sd_event* loop_;
  CURLM* multi_ = nullptr;
  EventSourcePtr timer_;
  std::map<curl_socket_t, EventSourcePtr> sockets_;
  std::map<CURL*, std::unique_ptr<Delivery>> sending_;
  std::deque<ports::OutgoingMail> waiting_;
};

}  // namespace keepvip::mail
