#include "mail/curl_mail_sender.h"

#include <sys/epoll.h>

#include <algorithm>
#include <cstring>
#include <string>

#include "common/log.h"
#include "mail/smtp_outcome.h"

namespace keepvip::mail {

// One alert on its way: the easy handle and what it reads from.
struct CurlMailSender::Delivery {
  ports::OutgoingMail mail;
  CURL* easy = nullptr;
  curl_slist* recipients = nullptr;
  size_t sent = 0;  // bytes of mail.text handed to libcurl
  char error[CURL_ERROR_SIZE] = {};

  ~Delivery() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(recipients);
  }

  static size_t read_text(char* buffer, size_t size, size_t count, void* self) {
    auto* d = static_cast<Delivery*>(self);
    const size_t n = std::min(size * count, d->mail.text.size() - d->sent);
    std::memcpy(buffer, d->mail.text.data() + d->sent, n);
    d->sent += n;
    return n;
  }
};

namespace {

std::string smtp_url(const ports::OutgoingMail& mail) {
  const bool v6 = mail.server.find(':') != std::string::npos;
  // The path is the name libcurl greets the server with (EHLO, then HELO).
  return "smtp://" + (v6 ? "[" + mail.server + "]" : mail.server) + ":" +
         std::to_string(mail.port) + "/" + mail.helo_name;
}

// libcurl's setters, checked once: they fail only on a bad option or no memory.
template <typename T>
bool set(CURL* easy, CURLoption option, T value) {
  return curl_easy_setopt(easy, option, value) == CURLE_OK;
}

}  // namespace

CurlMailSender::CurlMailSender(sd_event* loop) : loop_(loop) {}

Result<std::unique_ptr<CurlMailSender>> CurlMailSender::create(sd_event* loop) {
  // Once per process, before any handle; keepvipd is single-threaded here.
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return unexpected(Error{EIO, "cannot initialise libcurl"});
  std::unique_ptr<CurlMailSender> sender(new CurlMailSender(loop));
  sender->multi_ = curl_multi_init();
  if (!sender->multi_) return unexpected(Error{ENOMEM, "cannot create a libcurl multi handle"});
  curl_multi_setopt(sender->multi_, CURLMOPT_SOCKETFUNCTION, &CurlMailSender::on_socket);
  curl_multi_setopt(sender->multi_, CURLMOPT_SOCKETDATA, sender.get());
  curl_multi_setopt(sender->multi_, CURLMOPT_TIMERFUNCTION, &CurlMailSender::on_timer);
  curl_multi_setopt(sender->multi_, CURLMOPT_TIMERDATA, sender.get());
  sd_event_source* timer = nullptr;
  int r = sd_event_add_time(loop, &timer, CLOCK_MONOTONIC, UINT64_MAX, 1000,
                            &CurlMailSender::on_time, sender.get());
  if (r < 0) return unexpected(Error{-r, "cannot create the mail timer"});
  sender->timer_.reset(timer);
  sd_event_source_set_enabled(timer, SD_EVENT_OFF);
  sd_event_source_set_description(timer, "smtp-timer");
  return sender;
}

CurlMailSender::~CurlMailSender() {
  for (auto& [easy, delivery] : sending_) {
    log_warning("SMTP alert \"" + delivery->mail.subject + "\" to " +
                server_pair(delivery->mail.server, delivery->mail.port) +
                " not sent: keepvipd is stopping");
    curl_multi_remove_handle(multi_, easy);
  }
  for (const auto& mail : waiting_)
    log_warning("SMTP alert \"" + mail.subject + "\" not sent: keepvipd is stopping");
  sending_.clear();
  if (multi_) curl_multi_cleanup(multi_);
}

void CurlMailSender::send(ports::OutgoingMail mail) {
  if (sending_.size() < kMaxSending) {
    start(std::move(mail));
    return;
  }
  waiting_.push_back(std::move(mail));
  if (waiting_.size() > kMaxWaiting) {
    log_warning("SMTP alert \"" + waiting_.front().subject +
                "\" dropped: " + std::to_string(kMaxSending) + " alerts are being sent and " +
                std::to_string(kMaxWaiting) + " wait");
    waiting_.pop_front();
  }
}

void CurlMailSender::start(ports::OutgoingMail mail) {
  auto delivery = std::make_unique<Delivery>();
  delivery->mail = std::move(mail);
  const ports::OutgoingMail& m = delivery->mail;
  const std::string at = server_pair(m.server, m.port);
  CURL* easy = curl_easy_init();
  if (!easy) {
    log_warning("SMTP alert \"" + m.subject + "\" to " + at + " not sent: out of memory");
    return;
  }
  delivery->easy = easy;
  for (const auto& to : m.to)
    delivery->recipients = curl_slist_append(delivery->recipients, ("<" + to + ">").c_str());
  const long timeout_ms = static_cast<long>(m.timeout.count() / 1000);
  const long timeout_s = std::max<long>(1, timeout_ms / 1000);
  // keepalived bounds the connection and then each reply by the timeout;
  // the whole exchange is at most one bound per step (greeting, HELO,
  // MAIL, each RCPT, DATA, the text, QUIT).
  const long steps = 6 + static_cast<long>(m.to.size());
  const std::string url = smtp_url(m);
  const std::string from = "<" + m.from + ">";
  bool ok = delivery->recipients && set(easy, CURLOPT_URL, url.c_str()) &&
            set(easy, CURLOPT_MAIL_FROM, from.c_str()) &&
            set(easy, CURLOPT_MAIL_RCPT, delivery->recipients) && set(easy, CURLOPT_UPLOAD, 1L) &&
            set(easy, CURLOPT_READFUNCTION, &Delivery::read_text) &&
            set(easy, CURLOPT_READDATA, delivery.get()) &&
            set(easy, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(m.text.size())) &&
            set(easy, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms) &&
            set(easy, CURLOPT_SERVER_RESPONSE_TIMEOUT, timeout_s) &&
            set(easy, CURLOPT_TIMEOUT_MS, timeout_ms * steps) && set(easy, CURLOPT_NOSIGNAL, 1L) &&
            set(easy, CURLOPT_ERRORBUFFER, delivery->error) &&
            set(easy, CURLOPT_PRIVATE, delivery.get());
  if (!ok || curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    log_warning("SMTP alert \"" + m.subject + "\" to " + at + " not sent: libcurl refused it");
    return;
  }
  log_debug("sending SMTP alert \"" + m.subject + "\" to " + at);
  sending_.emplace(easy, std::move(delivery));
}

void CurlMailSender::finish_done() {
  int left = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &left)) {
    if (message->msg != CURLMSG_DONE) continue;
    auto it = sending_.find(message->easy_handle);
    if (it == sending_.end()) continue;
    Delivery& d = *it->second;
    if (message->data.result == CURLE_OK) {
      log_info("SMTP alert successfully sent.");
    } else {
      SmtpOutcome outcome;
      outcome.curl_code = message->data.result;
      curl_easy_getinfo(d.easy, CURLINFO_RESPONSE_CODE, &outcome.response_code);
      curl_off_t connect_time = 0;
      curl_easy_getinfo(d.easy, CURLINFO_CONNECT_TIME_T, &connect_time);
      outcome.connected = connect_time > 0;
      outcome.curl_message = d.error;
      log_warning(describe_failure(outcome, server_pair(d.mail.server, d.mail.port)));
    }
    curl_multi_remove_handle(multi_, d.easy);
    sending_.erase(it);
  }
  while (sending_.size() < kMaxSending && !waiting_.empty()) {
    ports::OutgoingMail next = std::move(waiting_.front());
    waiting_.pop_front();
    start(std::move(next));
  }
}

void CurlMailSender::act(curl_socket_t socket, int events) {
  int running = 0;
  curl_multi_socket_action(multi_, socket, events, &running);
  finish_done();
}

int CurlMailSender::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) {
  auto* sender = static_cast<CurlMailSender*>(self);
  if (what == CURL_POLL_REMOVE) {
    sender->sockets_.erase(socket);
    return 0;
  }
  uint32_t events = 0;
  if (what & CURL_POLL_IN) events |= EPOLLIN;
  if (what & CURL_POLL_OUT) events |= EPOLLOUT;
  auto it = sender->sockets_.find(socket);
  if (it != sender->sockets_.end()) {
    sd_event_source_set_io_events(it->second.get(), events);
    return 0;
  }
  sd_event_source* source = nullptr;
  int r = sd_event_add_io(sender->loop_, &source, socket, events, &CurlMailSender::on_io, sender);
  if (r < 0) {
    log_warning(Error{-r, "cannot watch the SMTP connection"}.describe());
    return -1;  // libcurl ends the transfer with an error
  }
  sd_event_source_set_description(source, "smtp-socket");
  sender->sockets_.emplace(socket, EventSourcePtr(source));
  return 0;
}

int CurlMailSender::on_timer(CURLM*, long timeout_ms, void* self) {
  auto* sender = static_cast<CurlMailSender*>(self);
  sd_event_source* timer = sender->timer_.get();
  if (timeout_ms < 0) {
    sd_event_source_set_enabled(timer, SD_EVENT_OFF);
    return 0;
  }
  uint64_t now = 0;
  sd_event_now(sender->loop_, CLOCK_MONOTONIC, &now);
  sd_event_source_set_time(timer, now + static_cast<uint64_t>(timeout_ms) * 1000);
  sd_event_source_set_enabled(timer, SD_EVENT_ONESHOT);
  return 0;
}

int CurlMailSender::on_io(sd_event_source*, int fd, uint32_t revents, void* self) {
  int events = 0;
  if (revents & EPOLLIN) events |= CURL_CSELECT_IN;
  if (revents & EPOLLOUT) events |= CURL_CSELECT_OUT;
  if (revents & (EPOLLERR | EPOLLHUP)) events |= CURL_CSELECT_ERR;
  static_cast<CurlMailSender*>(self)->act(fd, events);
  return 0;
}

int CurlMailSender::on_time(sd_event_source*, uint64_t, void* self) {
  static_cast<CurlMailSender*>(self)->act(CURL_SOCKET_TIMEOUT, 0);
  return 0;
}

}  // namespace keepvip::mail
