// Runs every registered kernel test: `lamina_kernel_tests [filter]` runs the tests whose name
// contains filter. Ends with "N passed, M failed"; exits non-zero when any failed.
#include <cstdio>
#include <cstring>
#include <exception>

#include "native/test/harness.h"

namespace lamina_test {

std::vector<TestCase>& registry() {
  static std::vector<TestCase> tests;
  return tests;
}

double largest_difference(const float* actual, const float* expected, size_t n, size_t* where) {
  double worst = 0.0;
  *where = 0;
  for (size_t i = 0; i < n; ++i) {
    double difference = std::fabs(static_cast<double>(actual[i]) - expected[i]) /
                        (1.0 + std::fabs(static_cast<double>(expected[i])));
    if (!(difference <= worst)) {
      worst = std::isnan(difference) ? INFINITY : difference;
      *where = i;
    }
  }
  return worst;
}

}  // namespace lamina_test

int main(int argc, char** argv) {
  const char* filter = argc > 1 ? argv[1] : "";
  int passed = 0;
  int failed = 0;
  for (const auto& test : lamina_test::registry()) {
    if (std::strstr(test.name, filter) == nullptr) continue;
    try {
      test.body();
      ++passed;
      std::printf("ok    %s\n", test.name);
    } catch (const lamina_test::Failure& failure) {
      ++failed;
      std::printf("FAIL  %s\n      %s\n", test.name, failure.message.c_str());
    } catch (const std::exception& error) {
      ++failed;
      std::printf("FAIL  %s\n      unexpected exception: %s\n", test.name, error.what());
    }
  }
  std::printf("%d passed, %d failed\n", passed, failed);
  return failed == 0 ? 0 : 1;
}
