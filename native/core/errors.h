// Errors of the Lamina core.
//
// The core never aborts: bad input and broken invariants throw lamina::Error, which the addon
// turns into a JavaScript Error. LAMINA_CHECK is for conditions a caller can get wrong (the
// message says what to fix); LAMINA_ASSERT is for internal invariants (the message names the
// expression, file and line).
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace lamina {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

[[noreturn]] void throw_assert(const char* expression, const char* file, int line);

// Builds a message from any streamable parts: error_message("expected ", n, " but got ", m).
template <typename... Parts>
std::string error_message(const Parts&... parts) {
  std::ostringstream out;
  (out << ... << parts);
  return out.str();
}

}  // namespace lamina

#define LAMINA_CHECK(condition, ...)                                \
  do {                                                              \
    if (!(condition)) {                                             \
      throw ::lamina::Error(::lamina::error_message(__VA_ARGS__));  \
    }                                                               \
  } while (0)

#define LAMINA_ASSERT(condition)                                    \
  do {                                                              \
    if (!(condition)) {                                             \
      ::lamina::throw_assert(#condition, __FILE__, __LINE__);       \
    }                                                               \
  } while (0)
