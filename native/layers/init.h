// Weight initialisation with Lasagne's definitions. Draws come from one Rng(seed, init stream)
// in layer order, W then b, elements in storage order: uniform draws lo + (hi - lo) * u in
// double rounded to float32, normal draws mean + std * normal(); constants draw nothing.
#pragma once

#include <cstddef>

#include "native/core/rng.h"

namespace lamina {

enum class InitKind {
  kGlorotUniform,
  kGlorotNormal,
  kHeUniform,
  kHeNormal,
  kNormal,
  kUniform,
  kConstant,
};

struct InitSpec {
  InitKind kind = InitKind::kConstant;
  double gain = 1.0;
  double mean = 0.0, std = 0.01;
  double low = 0.0, high = 0.0;
  double value = 0.0;
};

// Fills count values. Fans: dense fan_in = inputs, fan_out = units; conv fan_in = C*FH*FW,
// fan_out = K*FH*FW.
void init_fill(const InitSpec& spec, int fan_in, int fan_out, float* values, size_t count,
               Rng& rng);

}  // namespace lamina
