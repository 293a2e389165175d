#include "native/train/dataset.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "native/core/errors.h"

namespace lamina {
namespace {

// The same rounding as Math.fround(byte / 255) in the TypeScript backend.
const std::array<float, 256>& byte_table() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> values{};
    for (int i = 0; i < 256; ++i) values[i] = static_cast<float>(i / 255.0);
    return values;
  }();
  return table;
}

}  // namespace

float scaled_byte(uint8_t value) { return byte_table()[value]; }

void Dataset::load_inputs(const uint32_t* order, int first, int count, float* out,
                          ThreadPool* pool) const {
  const std::array<float, 256>& table = byte_table();
  constexpr int kBlock = 16;
  parallel_for(pool, (count + kBlock - 1) / kBlock, [&](int block, int) {
    const int end = std::min(count, (block + 1) * kBlock);
    for (int s = block * kBlock; s < end; ++s) {
      size_t sample = order != nullptr ? order[s] : static_cast<size_t>(first + s);
      float* row = out + static_cast<size_t>(s) * input_size;
      if (!bytes.empty()) {
        const uint8_t* source = bytes.data() + sample * input_size;
        for (size_t i = 0; i < input_size; ++i) row[i] = table[source[i]];
      } else {
        std::memcpy(row, floats.data() + sample * input_size, sizeof(float) * input_size);
      }
    }
  });
}

void Dataset::check(const std::string& what, size_t network_inputs) const {
  LAMINA_CHECK(n >= 1, what, ": expected at least one sample but received n = ", n);
  LAMINA_CHECK(input_size == network_inputs, what, ": expected ", network_inputs,
               " input values per sample (the input layer's size) but received ", input_size);
  size_t expected = static_cast<size_t>(n) * input_size;
  size_t received = bytes.empty() ? floats.size() : bytes.size();
  LAMINA_CHECK(received == expected, what, ".x: expected ", expected, " values (n = ", n,
               " samples of ", input_size, ") but received ", received);
}

}  // namespace lamina
