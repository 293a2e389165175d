#include "native/layers/dense.h"

#include <algorithm>
#include <cstring>

#include "native/core/tile-gemm.h"

namespace lamina {
namespace {

// Samples per block of the forward pass and the input gradient; input rows per block of the
// weight gradient (a multiple of the 6-row tile).
constexpr int kSampleBlock = 16;
constexpr int kInputBlock = 48;

int blocks(int count, int size) { return (count + size - 1) / size; }

}  // namespace

DenseLayer::DenseLayer(const DenseConfig& config) : config_(config) {}

std::vector<ParamView> DenseLayer::param_views() const {
  const int inputs = config_.inputs, units = config_.units;
  size_t weights = static_cast<size_t>(inputs) * units;
  std::vector<ParamView> views;
  views.push_back({"W", {inputs, units}, 0, weights, true, config_.w_init, inputs, units});
  if (config_.has_bias) {
    views.push_back({"b", {units}, weights, static_cast<size_t>(units), false, config_.b_init,
                     inputs, units});
  }
  return views;
}

void DenseLayer::reserve(LayerBuffers& buffers, int capacity) const {
  if (config_.nonlinearity == Nonlinearity::kSoftmax) {
    buffers.floats.assign(static_cast<size_t>(capacity) * config_.units, 0.0f);
  }
}

const float* DenseLayer::preactivation(const ForwardPass& pass) const {
  return config_.nonlinearity == Nonlinearity::kSoftmax ? pass.buffers->floats.data() : nullptr;
}

// x [N, I] -> y [N, U]
void DenseLayer::forward(const ForwardPass& pass, int begin, int end, Scratch&) const {
  const int inputs = config_.inputs, units = config_.units;
  const float* w = pass.params;
  const float* bias = config_.has_bias ? w + static_cast<size_t>(inputs) * units : nullptr;
  const bool softmax = config_.nonlinearity == Nonlinearity::kSoftmax;
  parallel_for(pass.pool, blocks(end - begin, kSampleBlock), [&](int block, int) {
    const int first = begin + block * kSampleBlock;
    const int rows = std::min(kSampleBlock, end - first);
    float* y = pass.y + static_cast<size_t>(first) * units;

    // Step 1: z = x W + b.
    small_gemm(rows, units, inputs, pass.x + static_cast<size_t>(first) * inputs, inputs, w,
               units, 0.0f, y, units);
    if (bias != nullptr) {
      for (int i = 0; i < rows; ++i) {
        float* row = y + static_cast<size_t>(i) * units;
        for (int j = 0; j < units; ++j) row[j] += bias[j];
      }
    }

    // Step 2: y = f(z), keeping z before a softmax for the fused cross-entropy.
    if (softmax) {
      std::memcpy(pass.buffers->floats.data() + static_cast<size_t>(first) * units, y,
                  sizeof(float) * rows * units);
    }
    activation_forward(config_.nonlinearity, y, rows, units);
  });
}

// W [I, U] -> W^T [U, I], for the input gradient.
void DenseLayer::begin_backward(const BackwardPass& pass) const {
  if (pass.dx == nullptr) return;
  const int inputs = config_.inputs, units = config_.units;
  std::vector<float>& transposed = pass.buffers->packed_backward;
  transposed.resize(static_cast<size_t>(inputs) * units);
  parallel_for(pass.pool, blocks(inputs, kInputBlock), [&](int block, int) {
    const int first = block * kInputBlock, last = std::min(inputs, first + kInputBlock);
    for (int i = first; i < last; ++i) {
      const float* row = pass.params + static_cast<size_t>(i) * units;
      for (int j = 0; j < units; ++j) transposed[static_cast<size_t>(j) * inputs + i] = row[j];
    }
  });
}

// dy [N, U] -> dx [N, I], dW [I, U], db [U]
void DenseLayer::backward(const BackwardPass& pass, int begin, int end, float* grad,
                          Scratch&) const {
  const int inputs = config_.inputs, units = config_.units;
  const int n = end - begin;
  const float* x = pass.x + static_cast<size_t>(begin) * inputs;
  float* dz = pass.dy + static_cast<size_t>(begin) * units;

  // Step 1: dz = dy * f'(z) and dx = dz W^T, by blocks of samples.
  parallel_for(pass.pool, blocks(n, kSampleBlock), [&](int block, int) {
    const int first = block * kSampleBlock;
    const int rows = std::min(kSampleBlock, n - first);
    float* dz_block = dz + static_cast<size_t>(first) * units;
    if (!pass.dy_is_preactivation) {
      activation_backward(config_.nonlinearity,
                          pass.y + static_cast<size_t>(begin + first) * units, dz_block, rows,
                          units);
    }
    if (pass.dx != nullptr) {
      small_gemm(rows, inputs, units, dz_block, units, pass.buffers->packed_backward.data(),
                 inputs, 0.0f, pass.dx + static_cast<size_t>(begin + first) * inputs, inputs);
    }
  });

  // Step 2: dW = x^T dz by blocks of input rows (each block transposes its strip of x);
  // db = column sums of dz in the first block.
  parallel_for(pass.pool, blocks(inputs, kInputBlock), [&](int block, int thread) {
    const int first = block * kInputBlock;
    const int rows = std::min(kInputBlock, inputs - first);
    float* strip = pass.scratch[thread].floats(0, static_cast<size_t>(rows) * n);
    for (int s = 0; s < n; ++s) {
      const float* row = x + static_cast<size_t>(s) * inputs + first;
      for (int i = 0; i < rows; ++i) strip[static_cast<size_t>(i) * n + s] = row[i];
    }
    small_gemm(rows, units, n, strip, n, dz, units, 0.0f,
               grad + static_cast<size_t>(first) * units, units);
    if (block == 0 && config_.has_bias) {
      float* db = grad + static_cast<size_t>(inputs) * units;
      std::fill(db, db + units, 0.0f);
      for (int s = 0; s < n; ++s) {
        const float* row = dz + static_cast<size_t>(s) * units;
        for (int j = 0; j < units; ++j) db[j] += row[j];
      }
    }
  });
}

template <typename T>
void dense_forward_reference(const DenseConfig& config, int n, const T* x, const T* w,
                             const T* b, T* y) {
  const int inputs = config.inputs, units = config.units;
  for (int s = 0; s < n; ++s) {
    for (int u = 0; u < units; ++u) {
      double sum = b != nullptr ? static_cast<double>(b[u]) : 0.0;
      for (int i = 0; i < inputs; ++i) {
        sum += static_cast<double>(x[static_cast<size_t>(s) * inputs + i]) *
               w[static_cast<size_t>(i) * units + u];
      }
      y[static_cast<size_t>(s) * units + u] = static_cast<T>(sum);
    }
  }
}

template <typename T>
void dense_backward_reference(const DenseConfig& config, int n, const T* x, const T* w,
                              const T* dz, T* dx, T* dw, T* db) {
  const int inputs = config.inputs, units = config.units;
  for (int i = 0; i < inputs; ++i) {
    for (int u = 0; u < units; ++u) {
      double sum = 0.0;
      for (int s = 0; s < n; ++s) {
        sum += static_cast<double>(x[static_cast<size_t>(s) * inputs + i]) *
               dz[static_cast<size_t>(s) * units + u];
      }
      dw[static_cast<size_t>(i) * units + u] = static_cast<T>(sum);
    }
  }
  if (db != nullptr) {
    for (int u = 0; u < units; ++u) {
      double sum = 0.0;
      for (int s = 0; s < n; ++s) sum += dz[static_cast<size_t>(s) * units + u];
      db[u] = static_cast<T>(sum);
    }
  }
  if (dx != nullptr) {
    for (int s = 0; s < n; ++s) {
      for (int i = 0; i < inputs; ++i) {
        double sum = 0.0;
        for (int u = 0; u < units; ++u) {
          sum += static_cast<double>(dz[static_cast<size_t>(s) * units + u]) *
                 w[static_cast<size_t>(i) * units + u];
        }
        dx[static_cast<size_t>(s) * inputs + i] = static_cast<T>(sum);
      }
    }
  }
}

template void dense_forward_reference<float>(const DenseConfig&, int, const float*,
                                             const float*, const float*, float*);
template void dense_forward_reference<double>(const DenseConfig&, int, const double*,
                                              const double*, const double*, double*);
template void dense_backward_reference<float>(const DenseConfig&, int, const float*,
                                              const float*, const float*, float*, float*,
                                              float*);
template void dense_backward_reference<double>(const DenseConfig&, int, const double*,
                                               const double*, const double*, double*, double*,
                                               double*);

}  // namespace lamina
