#include "net/netlink_message.h"

namespace keepvip::net::detail {

namespace {
constexpr size_t align4(size_t n) {
  return (n + 3) & ~size_t{3};
}
}  // namespace

MessageWriter::MessageWriter(uint16_t type, uint16_t flags, uint32_t seq) {
  nlmsghdr header{};
  header.nlmsg_type = type;
  header.nlmsg_flags = flags;
  header.nlmsg_seq = seq;
  header.nlmsg_pid = 0;  // to the kernel
  put_struct(header);
}

void MessageWriter::append(std::span<const std::byte> bytes) {
  auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  bytes_.insert(bytes_.end(), p, p + bytes.size());
  pad();
}

void MessageWriter::pad() {
  bytes_.resize(align4(bytes_.size()), 0);
}

void MessageWriter::put_attribute(uint16_t type, std::span<const uint8_t> data) {
  nlattr attr{};
  attr.nla_len = static_cast<uint16_t>(NLA_HDRLEN + data.size());
  attr.nla_type = type;
  auto header = std::as_bytes(std::span{&attr, 1});
  auto* p = reinterpret_cast<const uint8_t*>(header.data());
  bytes_.insert(bytes_.end(), p, p + header.size());
  bytes_.insert(bytes_.end(), data.begin(), data.end());
  pad();
}

std::vector<uint8_t> MessageWriter::finish() && {
  auto len = static_cast<uint32_t>(bytes_.size());
  std::memcpy(bytes_.data() + offsetof(nlmsghdr, nlmsg_len), &len, sizeof len);
  return std::move(bytes_);
}

std::vector<MessageView> split_messages(std::span<const uint8_t> buffer) {
  std::vector<MessageView> messages;
  while (auto header = read_struct<nlmsghdr>(buffer)) {
    size_t len = header->nlmsg_len;
    if (len < NLMSG_HDRLEN || len > buffer.size()) break;
    messages.push_back(
        {*header, buffer.subspan(NLMSG_HDRLEN, len - NLMSG_HDRLEN), buffer.first(len)});
    buffer = buffer.subspan(std::min(align4(len), buffer.size()));
  }
  return messages;
}

void for_each_attribute(std::span<const uint8_t> attributes,
                        const std::function<void(uint16_t, std::span<const uint8_t>)>& fn) {
  while (auto attr = read_struct<nlattr>(attributes)) {
    size_t len = attr->nla_len;
    if (len < NLA_HDRLEN || len > attributes.size()) break;
    fn(static_cast<uint16_t>(attr->nla_type & NLA_TYPE_MASK),
       attributes.subspan(NLA_HDRLEN, len - NLA_HDRLEN));
    attributes = attributes.subspan(std::min(align4(len), attributes.size()));
  }
}

}  // namespace keepvip::net::detail
