// A small test harness for the C++ kernel tests, so the core is tested without Node.
//
//   LAMINA_TEST(gemm_matches_reference) {
//     ...
//     EXPECT_TRUE(ok, "what went wrong: ", detail);
//     EXPECT_CLOSE(actual, expected, count, 1e-5, "gemm 7x13x5");
//   }
//
// Each *-test.cc file of native/test registers its tests; kernel-tests.cc runs them all and
// ends with the line "N passed, M failed".
#pragma once

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "native/core/errors.h"

namespace lamina_test {

struct TestCase {
  const char* name;
  std::function<void()> body;
};

std::vector<TestCase>& registry();

struct Register {
  Register(const char* name, std::function<void()> body) { registry().push_back({name, body}); }
};

// Thrown by a failed expectation; the runner reports it and goes on with the next test.
struct Failure {
  std::string message;
};

// Largest |a - b| / (1 + |b|) over n values; index of the worst in *where.
double largest_difference(const float* actual, const float* expected, size_t n, size_t* where);

}  // namespace lamina_test

#define LAMINA_TEST_CONCAT2(a, b) a##b
#define LAMINA_TEST_CONCAT(a, b) LAMINA_TEST_CONCAT2(a, b)

#define LAMINA_TEST(name)                                                       \
  static void lamina_test_##name();                                             \
  static ::lamina_test::Register LAMINA_TEST_CONCAT(lamina_register_, name)(    \
      #name, lamina_test_##name);                                               \
  static void lamina_test_##name()

#define EXPECT_TRUE(condition, ...)                                                      \
  do {                                                                                   \
    if (!(condition)) {                                                                  \
      throw ::lamina_test::Failure{::lamina::error_message(                              \
          __FILE__, ":", __LINE__, ": ", #condition, " is false: ", __VA_ARGS__)};       \
    }                                                                                    \
  } while (0)

// Compares n floats with a tolerance relative to (1 + |expected|); prints the largest
// difference on failure.
#define EXPECT_CLOSE(actual, expected, n, tolerance, what)                                   \
  do {                                                                                       \
    size_t lamina_where = 0;                                                                 \
    double lamina_diff =                                                                     \
        ::lamina_test::largest_difference((actual), (expected), (n), &lamina_where);         \
    if (!(lamina_diff <= (tolerance))) {                                                     \
      throw ::lamina_test::Failure{::lamina::error_message(                                  \
          __FILE__, ":", __LINE__, ": ", what, ": largest difference ", lamina_diff,         \
          " > tolerance ", (tolerance), " at index ", lamina_where, " (actual ",             \
          (actual)[lamina_where], ", expected ", (expected)[lamina_where], ")")};            \
    }                                                                                        \
  } while (0)

// Expects the statement to throw lamina::Error whose message contains the text.
#define EXPECT_THROWS(statement, text)                                                       \
  do {                                                                                       \
    bool lamina_threw = false;                                                               \
    try {                                                                                    \
      statement;                                                                             \
    } catch (const ::lamina::Error& lamina_error) {                                          \
      lamina_threw = true;                                                                   \
      std::string lamina_message = lamina_error.what();                                      \
      EXPECT_TRUE(lamina_message.find(text) != std::string::npos, "message was '",          \
                  lamina_message, "'");                                                      \
    }                                                                                        \
    EXPECT_TRUE(lamina_threw, "expected a lamina::Error containing '", text, "'");           \
  } while (0)
