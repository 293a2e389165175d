#include "native/layers/layer.h"

namespace lamina {

float* Scratch::floats(int slot, size_t count) {
  std::vector<float>& buffer = buffers_[slot];
  if (buffer.size() < count) buffer.resize(count);
  return buffer.data();
}

const float** Scratch::pointers(int slot, size_t count) {
  std::vector<const float*>& table = tables_[slot];
  if (table.size() < count) table.resize(count);
  return table.data();
}

size_t Layer::param_count() const {
  size_t count = 0;
  for (const ParamView& view : param_views()) count += view.size;
  return count;
}

void Layer::reserve(LayerBuffers&, int) const {}
const float* Layer::preactivation(const ForwardPass&) const { return nullptr; }
void Layer::begin_forward(const ForwardPass&, Rng*) const {}
void Layer::begin_backward(const BackwardPass&) const {}
void Layer::finish_gradient(const float* const*, int, float*) const {}

}  // namespace lamina
