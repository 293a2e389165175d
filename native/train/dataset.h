// A dataset in the compact form the core trains on: n samples of input_size values, kept as
// uint8 (scaled by 1/255 as each batch is drawn) or float32 (used as given), with class
// labels (classification) or target rows (regression). The core owns a copy of the data.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "native/core/thread-pool.h"

namespace lamina {

struct Dataset {
  int n = 0;
  size_t input_size = 0;
  std::vector<uint8_t> bytes;    // n x input_size, or empty
  std::vector<float> floats;     // n x input_size, or empty
  std::vector<int32_t> labels;   // n class labels, or empty
  std::vector<float> targets;    // n x target_size, or empty
  size_t target_size = 0;

  // Writes the inputs of samples order[0 .. count) (or first .. first + count when order is
  // null) into out [count, input_size]; bytes become byte / 255 rounded to float32. Blocks of
  // samples go to the pool's threads when there is a pool.
  void load_inputs(const uint32_t* order, int first, int count, float* out,
                   ThreadPool* pool = nullptr) const;

  // Checks sizes against the network and the loss; throws naming the dataset (`what`).
  void check(const std::string& what, size_t network_inputs) const;
};

// byte / 255 rounded to float32, for every byte value.
float scaled_byte(uint8_t value);

}  // namespace lamina
