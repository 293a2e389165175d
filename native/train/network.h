// A sequential network: its layers in order, their parameters and gradients (one flat array
// each, layer by layer, W then b), and the forward and backward passes over a batch.
//
// Buffers live in a Workspace sized once for a batch capacity: the output of each layer, the
// gradient with respect to it (training only), each layer's own buffers, per-thread scratch
// and per-chunk partial gradients. Reshape, flatten and input layers share their input's
// memory. Consecutive per-sample layers (conv, pooling, dropout, nonlinearity) run as one job
// of the workspace's thread pool, sample by sample; dense layers split the whole batch over
// the pool themselves between those jobs, so no parallel work ever nests in another.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "native/layers/layer.h"
#include "native/train/spec.h"

namespace lamina {

struct Workspace {
  int capacity = 0;
  bool gradients = false;
  std::vector<std::vector<float>> value_storage;
  std::vector<float*> values;        // per layer: its output [capacity, out_size]
  std::vector<std::vector<float>> gradient_storage;
  std::vector<float*> gradients_of;  // per layer: d loss / d output, or nullptr
  std::vector<LayerBuffers> buffers;
  std::vector<Scratch> scratch;      // one per thread
  std::vector<std::vector<float>> partials;  // per layer: kGradientChunks partial gradients
  ThreadPool* pool = nullptr;        // set by the caller; null runs everything on one thread
};

class Network {
 public:
  // Backward passes split a batch into this many chunks, each with its own partial gradient,
  // whatever the thread count, so results only depend on the data.
  static constexpr int kGradientChunks = 16;

  explicit Network(const NetworkSpec& spec);

  const NetworkSpec& spec() const { return spec_; }
  int layer_count() const { return static_cast<int>(layers_.size()); }
  const Layer& layer(int index) const { return *layers_[index]; }
  // The index of the layer with this name, or -1.
  int find_layer(const std::string& name) const;
  size_t input_size() const { return layers_.front()->out_size; }
  size_t output_size() const { return layers_.back()->out_size; }

  std::vector<float>& params() { return params_; }
  const std::vector<float>& params() const { return params_; }
  std::vector<float>& grads() { return grads_; }
  size_t param_offset(int layer) const { return param_offsets_[layer]; }

  // Fills every parameter from Rng(seed, init stream): layers in order, W then b.
  void init_params(uint32_t seed);

  // Sizes a workspace for batches of up to capacity samples (with gradient buffers when
  // gradients is true) and attaches the pool (may be null). Reuses it when it already fits.
  void prepare(Workspace& workspace, int capacity, bool gradients, ThreadPool* pool) const;

  // Where the batch input goes: [capacity, input_size].
  float* input(Workspace& workspace) const { return workspace.values[0]; }
  const float* output(const Workspace& workspace, int layer) const {
    return workspace.values[layer];
  }

  // Runs layers 1 .. last on the n samples in input(). Training draws dropout masks from
  // dropout_rng and keeps what backward needs.
  void forward(Workspace& workspace, int n, bool training, Rng* dropout_rng, int last) const;

  // The last layer's values before its final softmax (after a forward pass), or nullptr.
  const float* output_preactivation(Workspace& workspace, int n) const;

  // Where the loss writes its gradient: [n, output_size].
  float* output_gradient(Workspace& workspace) const { return workspace.gradients_of.back(); }

  // Backpropagates the gradient in output_gradient() (with respect to the last layer's
  // pre-activation when preactivation is true) and writes grads().
  void backward(Workspace& workspace, int n, bool preactivation);

 private:
  bool is_alias(int layer) const;

  NetworkSpec spec_;
  std::vector<std::unique_ptr<Layer>> layers_;
  std::vector<size_t> param_offsets_;
  std::vector<bool> needs_gradient_;  // d loss / d output of the layer is needed
  std::vector<float> params_, grads_;
};

}  // namespace lamina
