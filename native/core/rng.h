// The one random number generator of Lamina, written identically in lib/rng.ts.
//
// Algorithm: xoshiro128** (32-bit words), its four words of state filled by splitmix32 from
// (seed, stream). Everything random in training draws from it: weight init, shuffling, dropout
// masks, augmentation. Both backends derive the same streams from the same seed, so the same
// seed gives the same numbers in C++ and in TypeScript:
//   uniform()      (next_u32() >> 8) * 2^-24, a float in [0, 1), exact in float and double
//   uniform53()    53 random bits / 2^53, a double in [0, 1)
//   below(n)       floor(uniform53() * n), an integer in [0, n)
//   normal()       Box-Muller on two uniform53() draws (transcendentals may differ in the last
//                  bit between libm and V8, so normal draws agree to ~1e-15, not bit for bit)
//   shuffle(a, n)  Fisher-Yates from the end: for i = n-1 .. 1 swap a[i], a[below(i + 1)]
#pragma once

#include <cstddef>
#include <cstdint>

namespace lamina {

// Stream numbers, so that one seed feeds independent sequences.
enum RngStream : uint32_t {
  kStreamInit = 1,
  kStreamShuffle = 2,
  kStreamDropout = 3,
  kStreamAugment = 4,
  kStreamSplit = 5,
};

class Rng {
 public:
  explicit Rng(uint32_t seed, uint32_t stream = 0);

  uint32_t next_u32();
  float uniform();
  double uniform53();
  uint32_t below(uint32_t n);
  double normal();

  // Writes count uniform() draws to out, in order: the same values as calling uniform() count
  // times, several times faster (the state stays in registers).
  void fill_uniform(float* out, size_t count);

  template <typename T>
  void shuffle(T* items, uint32_t count) {
    for (uint32_t i = count; i > 1; --i) {
      uint32_t j = below(i);
      T swap = items[i - 1];
      items[i - 1] = items[j];
      items[j] = swap;
    }
  }

 private:
  uint32_t state_[4];
};

}  // namespace lamina
