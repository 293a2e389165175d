#include "native/core/rng.h"

#include <cmath>

namespace lamina {
namespace {

uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

uint32_t splitmix32(uint32_t& state) {
  state += 0x9E3779B9u;
  uint32_t z = state;
  z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
  z = (z ^ (z >> 13)) * 0xC2B2AE35u;
  return z ^ (z >> 16);
}

}  // namespace

Rng::Rng(uint32_t seed, uint32_t stream) {
  uint32_t mix = seed ^ (stream * 0x85EBCA6Bu);
  for (uint32_t& word : state_) word = splitmix32(mix);
  // xoshiro must not start from all zeros; splitmix32 output makes that practically impossible,
  // but one fixed word keeps it impossible.
  if ((state_[0] | state_[1] | state_[2] | state_[3]) == 0) state_[0] = 1;
}

uint32_t Rng::next_u32() {
  uint32_t result = rotl(state_[1] * 5u, 7) * 9u;
  uint32_t t = state_[1] << 9;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 11);
  return result;
}

float Rng::uniform() { return static_cast<float>(next_u32() >> 8) * (1.0f / 16777216.0f); }

void Rng::fill_uniform(float* out, size_t count) {
  uint32_t s0 = state_[0], s1 = state_[1], s2 = state_[2], s3 = state_[3];
  for (size_t i = 0; i < count; ++i) {
    uint32_t result = rotl(s1 * 5u, 7) * 9u;
    uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] = static_cast<float>(result >> 8) * (1.0f / 16777216.0f);
  }
  state_[0] = s0;
  state_[1] = s1;
  state_[2] = s2;
  state_[3] = s3;
}

double Rng::uniform53() {
  double high = static_cast<double>(next_u32() >> 5);  // 27 bits
  double low = static_cast<double>(next_u32() >> 6);   // 26 bits
  return (high * 67108864.0 + low) / 9007199254740992.0;
}

uint32_t Rng::below(uint32_t n) { return static_cast<uint32_t>(std::floor(uniform53() * n)); }

double Rng::normal() {
  double u1 = 1.0 - uniform53();  // (0, 1]
  double u2 = uniform53();
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
}

}  // namespace lamina
