// A minimal std::expected for C++20 toolchains (clang 14 for the fuzzers, and
// RHEL 9's gcc 11 lack <expected>). Same spelling as the standard type for the
// subset keepvip uses, so moving to std::expected later is a rename.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace keepvip {

template <typename E>
struct Unexpected {
  E error;
};
template <typename E>
Unexpected(E) -> Unexpected<E>;

template <typename E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}

template <typename T, typename E>
class [[nodiscard]] Expected {
 public:
  Expected() requires std::is_default_constructible_v<T> : v_(std::in_place_index<0>) {}
  Expected(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit like std
  template <typename G>
  Expected(Unexpected<G> u) : v_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }
  T& value() & { return assert(has_value()), std::get<0>(v_); }
  const T& value() const& { return assert(has_value()), std::get<0>(v_); }
  T&& value() && { return assert(has_value()), std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  E& error() & { return assert(!has_value()), std::get<1>(v_); }
  const E& error() const& { return assert(!has_value()), std::get<1>(v_); }
  template <typename U>
  T value_or(U&& fallback) const& {
    return has_value() ? std::get<0>(v_) : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> v_;
};

template <typename E>
class [[nodiscard]] Expected<void, E> {
 public:
  Expected() = default;
  template <typename G>
  Expected(Unexpected<G> u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const { assert(ok_); }
  E& error() & { return assert(!ok_), error_; }
  const E& error() const& { return assert(!ok_), error_; }

 private:
  E error_{};
  bool ok_ = true;
};

}  // namespace keepvip
