// The layer interface of the core, shared by every layer family.
//
// Shape letters, used by every file of native/layers:
//   N batch   C input channels   H, W input height and width   K filters (output channels)
//   OH, OW output height and width   FH, FW filter height and width   I inputs   U units
// Tensors are float32, row-major, NCHW; one sample's values are contiguous.
//
// A layer computes on a range of samples [begin, end) of a batch. Layers that are
// per_sample() can be called on disjoint ranges from several threads at once; the network
// runs consecutive per-sample layers of a batch in one parallel region. Other layers (dense,
// which hands the whole batch to GEMM) are called once with the whole batch.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "native/core/rng.h"
#include "native/core/thread-pool.h"
#include "native/layers/activation.h"
#include "native/layers/init.h"

namespace lamina {

// Memory of one thread, grown on demand and reused from batch to batch.
class Scratch {
 public:
  static constexpr int kSlots = 8;
  // A buffer of at least count floats; slots are independent buffers (0 .. kSlots - 1).
  float* floats(int slot, size_t count);
  // A table of at least count row pointers (slots 0 .. kSlots - 1).
  const float** pointers(int slot, size_t count);

 private:
  std::vector<float> buffers_[kSlots];
  std::vector<const float*> tables_[kSlots];
};

// One learnable tensor of a layer, a view into the layer's parameters (W then b).
struct ParamView {
  std::string name;        // "W" or "b"
  std::vector<int> shape;  // dense W [I, U], conv W [K, C, FH, FW], b [U] or [K]
  size_t offset;           // from the start of the layer's parameters
  size_t size;
  bool penalized;          // L1/L2 penalties apply (W only)
  InitSpec init;
  int fan_in, fan_out;
};

// What a layer keeps for one batch capacity: dropout masks or pre-activations (floats),
// indices of maxima (ints), and its weights transposed for the backward pass.
struct LayerBuffers {
  std::vector<float> floats;
  std::vector<int32_t> ints;
  std::vector<float> packed_backward;
};

// The arguments of a forward pass over a batch of n samples.
struct ForwardPass {
  int n;
  const float* x;         // [N, in_size]
  float* y;               // [N, out_size]
  const float* params;    // the layer's parameters, W then b (nullptr when it has none)
  LayerBuffers* buffers;
  bool training;
  ThreadPool* pool;       // for layers that split a whole batch themselves (dense); may be null
  Scratch* scratch;       // one per thread of the pool (or one without a pool)
};

// The arguments of a backward pass. The layer writes dx (when not null) and its parameter
// gradient (grad, same layout as the parameters; per-sample layers get a partial of their own
// for each range of samples, which finish_gradient adds up).
struct BackwardPass {
  int n;
  const float* x;
  const float* y;
  float* dy;                 // [N, out_size]; the layer may overwrite it
  float* dx;                 // [N, in_size], or nullptr when no earlier layer needs it
  const float* params;
  LayerBuffers* buffers;
  bool dy_is_preactivation;  // dy is already the gradient with respect to f's input
  ThreadPool* pool;
  Scratch* scratch;
};

class Layer {
 public:
  virtual ~Layer() = default;

  std::string name;
  std::vector<int> input_shape, output_shape;  // one sample, no batch dimension
  size_t in_size = 0, out_size = 0;

  // The layer's learnable tensors, W then b.
  virtual std::vector<ParamView> param_views() const { return {}; }
  size_t param_count() const;

  // The nonlinearity applied last (kLinear for layers that have none).
  virtual Nonlinearity nonlinearity() const { return Nonlinearity::kLinear; }

  // The values before the final softmax of the last forward pass ([N, out_size]), for the
  // fused cross-entropy; nullptr when the layer does not end with a softmax.
  virtual const float* preactivation(const ForwardPass& pass) const;

  // Whether forward and backward may run on disjoint sample ranges concurrently.
  virtual bool per_sample() const { return true; }
  // Whether the layer's work is large enough to deserve a parallel region.
  virtual bool heavy() const { return false; }

  // Sizes the layer's buffers for batches of up to capacity samples.
  virtual void reserve(LayerBuffers& buffers, int capacity) const;

  // Runs on the calling thread before forward of a batch (dropout draws its masks here).
  virtual void begin_forward(const ForwardPass& pass, Rng* dropout_rng) const;
  virtual void forward(const ForwardPass& pass, int begin, int end, Scratch& scratch) const = 0;

  // Runs on the calling thread before backward of a batch (weights are transposed here).
  virtual void begin_backward(const BackwardPass& pass) const;
  // grad: where to write (per-sample layers: add) the parameter gradient of these samples.
  virtual void backward(const BackwardPass& pass, int begin, int end, float* grad,
                        Scratch& scratch) const = 0;

  // Per-sample layers with parameters: size of one partial gradient, and the sum of count
  // partials into the gradient (layout of the parameters). Partials start at zero.
  virtual size_t partial_size() const { return 0; }
  virtual void finish_gradient(const float* const* partials, int count, float* grad) const;
};

}  // namespace lamina
