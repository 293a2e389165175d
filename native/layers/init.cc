#include "native/layers/init.h"

#include <cmath>

namespace lamina {
namespace {

void fill_uniform(double low, double high, float* values, size_t count, Rng& rng) {
  for (size_t i = 0; i < count; ++i) {
    double u = rng.uniform();
    values[i] = static_cast<float>(low + (high - low) * u);
  }
}

void fill_normal(double mean, double std, float* values, size_t count, Rng& rng) {
  for (size_t i = 0; i < count; ++i) values[i] = static_cast<float>(mean + std * rng.normal());
}

}  // namespace

void init_fill(const InitSpec& spec, int fan_in, int fan_out, float* values, size_t count,
               Rng& rng) {
  double fans = static_cast<double>(fan_in) + fan_out;
  switch (spec.kind) {
    case InitKind::kGlorotUniform: {
      double limit = spec.gain * std::sqrt(6.0 / fans);
      fill_uniform(-limit, limit, values, count, rng);
      return;
    }
    case InitKind::kGlorotNormal:
      fill_normal(0.0, spec.gain * std::sqrt(2.0 / fans), values, count, rng);
      return;
    case InitKind::kHeUniform: {
      double limit = spec.gain * std::sqrt(3.0 / fan_in);
      fill_uniform(-limit, limit, values, count, rng);
      return;
    }
    case InitKind::kHeNormal:
      fill_normal(0.0, spec.gain * std::sqrt(1.0 / fan_in), values, count, rng);
      return;
    case InitKind::kNormal:
      fill_normal(spec.mean, spec.std, values, count, rng);
      return;
    case InitKind::kUniform:
      fill_uniform(spec.low, spec.high, values, count, rng);
      return;
    case InitKind::kConstant:
      for (size_t i = 0; i < count; ++i) values[i] = static_cast<float>(spec.value);
      return;
  }
}

}  // namespace lamina
