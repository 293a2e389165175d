#include "native/layers/dropout.h"

#include <cstring>

#include "native/core/errors.h"
#include "native/core/simd.h"

namespace lamina {
namespace {

// out = mask != 0 ? in * scale : 0, the product in double rounded once.
LAMINA_VECTORIZE void apply_mask(const float* in, const float* mask, double scale, size_t count,
                                 float* out) {
  for (size_t i = 0; i < count; ++i) {
    out[i] = mask[i] != 0.0f ? static_cast<float>(in[i] * scale) : 0.0f;
  }
}

// mask[i] = draw >= p ? 1 : 0, in place (the draw, a float, compared in double).
LAMINA_VECTORIZE void keep_flags(float* mask, size_t count, double p) {
  for (size_t i = 0; i < count; ++i) mask[i] = mask[i] >= p ? 1.0f : 0.0f;
}

}  // namespace

void dropout_draw_mask(double p, Rng& rng, float* mask, size_t count) {
  rng.fill_uniform(mask, count);
  keep_flags(mask, count, p);
}

void DropoutLayer::reserve(LayerBuffers& buffers, int capacity) const {
  buffers.floats.assign(static_cast<size_t>(capacity) * out_size, 0.0f);
}

void DropoutLayer::begin_forward(const ForwardPass& pass, Rng* dropout_rng) const {
  if (!pass.training) return;
  LAMINA_ASSERT(dropout_rng != nullptr);
  dropout_draw_mask(p_, *dropout_rng, pass.buffers->floats.data(),
                    static_cast<size_t>(pass.n) * out_size);
}

// x [N, F] -> y [N, F]
void DropoutLayer::forward(const ForwardPass& pass, int begin, int end, Scratch&) const {
  const size_t first = static_cast<size_t>(begin) * out_size;
  const size_t count = static_cast<size_t>(end - begin) * out_size;
  if (!pass.training) {
    std::memcpy(pass.y + first, pass.x + first, sizeof(float) * count);
    return;
  }
  apply_mask(pass.x + first, pass.buffers->floats.data() + first, scale_, count, pass.y + first);
}

// dy [N, F] -> dx [N, F]
void DropoutLayer::backward(const BackwardPass& pass, int begin, int end, float*,
                            Scratch&) const {
  if (pass.dx == nullptr) return;
  const size_t first = static_cast<size_t>(begin) * out_size;
  const size_t count = static_cast<size_t>(end - begin) * out_size;
  apply_mask(pass.dy + first, pass.buffers->floats.data() + first, scale_, count,
             pass.dx + first);
}

}  // namespace lamina
