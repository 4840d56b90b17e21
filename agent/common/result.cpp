#include "common/result.h"

#include <cstring>

namespace keepvip {

std::string Error::describe() const {
  if (errnum == 0) return context;
  return context + ": " + std::strerror(errnum);
}

}  // namespace keepvip
