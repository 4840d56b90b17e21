#include "ports/guard.h"

namespace keepvip::ports {

std::string_view to_string(GuardMode mode) {
  switch (mode) {
    case GuardMode::XdpNative:
      return "xdp-native";
    case GuardMode::XdpGeneric:
      return "xdp-generic";
    case GuardMode::Tc:
      return "tc";
    case GuardMode::None:
      break;
  }
  return "none";
}

std::string describe(const GuardAttachment& attachment) {
  std::string text(to_string(attachment.mode));
  if (!attachment.detail.empty()) text += ", " + attachment.detail;
  return text;
}

}  // namespace keepvip::ports
