#include "native/train/network.h"

#include <algorithm>

#include "native/core/errors.h"
#include "native/layers/conv2d.h"
#include "native/layers/dense.h"
#include "native/layers/dropout.h"
#include "native/layers/nonlinearity.h"
#include "native/layers/pool2d.h"

namespace lamina {
namespace {

std::unique_ptr<Layer> make_layer(const LayerSpec& spec) {
  switch (spec.kind) {
    case LayerKind::kInput:
    case LayerKind::kReshape:
    case LayerKind::kFlatten:
      return std::make_unique<IdentityLayer>();
    case LayerKind::kDense: {
      DenseConfig config;
      config.inputs = static_cast<int>(shape_size(spec.input_shape));
      config.units = spec.num_units;
      config.nonlinearity = spec.nonlinearity;
      config.w_init = spec.w_init;
      config.has_bias = spec.has_bias;
      config.b_init = spec.b_init;
      return std::make_unique<DenseLayer>(config);
    }
    case LayerKind::kConv2D: {
      Conv2DConfig config;
      config.channels = spec.input_shape[0];
      config.height = spec.input_shape[1];
      config.width = spec.input_shape[2];
      config.filters = spec.num_filters;
      config.filter_h = spec.filter_size[0];
      config.filter_w = spec.filter_size[1];
      config.stride_h = spec.stride[0];
      config.stride_w = spec.stride[1];
      config.pad_h = spec.pad[0];
      config.pad_w = spec.pad[1];
      config.nonlinearity = spec.nonlinearity;
      config.w_init = spec.w_init;
      config.has_bias = spec.has_bias;
      config.b_init = spec.b_init;
      return std::make_unique<Conv2DLayer>(config);
    }
    case LayerKind::kMaxPool2D:
    case LayerKind::kAvgPool2D: {
      Pool2DConfig config;
      config.max = spec.kind == LayerKind::kMaxPool2D;
      config.channels = spec.input_shape[0];
      config.height = spec.input_shape[1];
      config.width = spec.input_shape[2];
      config.pool_h = spec.pool_size[0];
      config.pool_w = spec.pool_size[1];
      config.stride_h = spec.stride[0];
      config.stride_w = spec.stride[1];
      config.pad_h = spec.pad[0];
      config.pad_w = spec.pad[1];
      config.ignore_border = spec.ignore_border;
      config.include_padding = spec.include_padding;
      return std::make_unique<Pool2DLayer>(config);
    }
    case LayerKind::kDropout:
      return std::make_unique<DropoutLayer>(spec.p);
    case LayerKind::kNonlinearity:
      return std::make_unique<NonlinearityLayer>(spec.nonlinearity);
  }
  throw Error("internal error: unknown layer kind");
}

// Sample range of chunk c of count chunks over n samples.
int chunk_begin(int c, int count, int n) {
  return static_cast<int>(static_cast<long>(c) * n / count);
}

}  // namespace

Network::Network(const NetworkSpec& spec) : spec_(spec) {
  LAMINA_CHECK(!spec.layers.empty() && spec.layers[0].kind == LayerKind::kInput,
               "network spec: the first layer must be an input layer");
  size_t offset = 0;
  bool parameters_before = false;
  for (const LayerSpec& layer_spec : spec.layers) {
    std::unique_ptr<Layer> layer = make_layer(layer_spec);
    layer->name = layer_spec.name;
    layer->input_shape = layer_spec.input_shape;
    layer->output_shape = layer_spec.output_shape;
    layer->in_size = shape_size(layer_spec.input_shape);
    layer->out_size = shape_size(layer_spec.output_shape);
    param_offsets_.push_back(offset);
    size_t count = layer->param_count();
    offset += count;
    parameters_before = parameters_before || count > 0;
    needs_gradient_.push_back(parameters_before);
    layers_.push_back(std::move(layer));
  }
  params_.assign(offset, 0.0f);
  grads_.assign(offset, 0.0f);
}

int Network::find_layer(const std::string& name) const {
  for (int i = 0; i < layer_count(); ++i) {
    if (layers_[i]->name == name) return i;
  }
  return -1;
}

bool Network::is_alias(int layer) const {
  LayerKind kind = spec_.layers[layer].kind;
  return layer > 0 && (kind == LayerKind::kReshape || kind == LayerKind::kFlatten);
}

void Network::init_params(uint32_t seed) {
  Rng rng(seed, kStreamInit);
  for (int i = 0; i < layer_count(); ++i) {
    for (const ParamView& view : layers_[i]->param_views()) {
      init_fill(view.init, view.fan_in, view.fan_out,
                params_.data() + param_offsets_[i] + view.offset, view.size, rng);
    }
  }
}

void Network::prepare(Workspace& ws, int capacity, bool gradients, ThreadPool* pool) const {
  const int threads = pool != nullptr ? pool->size() : 1;
  if (ws.capacity >= capacity && (ws.gradients || !gradients)) {
    if (static_cast<int>(ws.scratch.size()) < threads) ws.scratch.resize(threads);
    ws.pool = pool;
    return;
  }
  const int count = layer_count();
  ws = Workspace();
  ws.capacity = capacity;
  ws.gradients = gradients;
  ws.value_storage.resize(count);
  ws.values.assign(count, nullptr);
  ws.gradient_storage.resize(count);
  ws.gradients_of.assign(count, nullptr);
  ws.buffers.resize(count);
  ws.partials.resize(count);
  ws.scratch.resize(threads);
  ws.pool = pool;

  // Step 1: outputs; aliases share their input's memory.
  for (int i = 0; i < count; ++i) {
    if (is_alias(i)) {
      ws.values[i] = ws.values[i - 1];
    } else {
      ws.value_storage[i].assign(static_cast<size_t>(capacity) * layers_[i]->out_size, 0.0f);
      ws.values[i] = ws.value_storage[i].data();
    }
    layers_[i]->reserve(ws.buffers[i], capacity);
  }
  if (!gradients) return;

  // Step 2: gradients of the outputs that backpropagation reaches (and of the last layer,
  // where the loss writes), owned by the first layer of each alias chain.
  std::vector<bool> needed(needs_gradient_);
  needed.back() = true;
  for (int i = count - 1; i > 0; --i) {
    if (is_alias(i) && needed[i]) needed[i - 1] = true;
  }
  for (int i = 0; i < count; ++i) {
    if (!needed[i]) continue;
    if (is_alias(i)) {
      ws.gradients_of[i] = ws.gradients_of[i - 1];
    } else {
      ws.gradient_storage[i].assign(static_cast<size_t>(capacity) * layers_[i]->out_size, 0.0f);
      ws.gradients_of[i] = ws.gradient_storage[i].data();
    }
    size_t partial = layers_[i]->partial_size();
    if (partial > 0) ws.partials[i].assign(partial * kGradientChunks, 0.0f);
  }
}

void Network::forward(Workspace& ws, int n, bool training, Rng* dropout_rng, int last) const {
  LAMINA_ASSERT(n <= ws.capacity && last < layer_count());
  auto pass_of = [&](int i) {
    ForwardPass pass;
    pass.n = n;
    pass.x = ws.values[i - 1];
    pass.y = ws.values[i];
    pass.params = layers_[i]->param_count() > 0 ? params_.data() + param_offsets_[i] : nullptr;
    pass.buffers = &ws.buffers[i];
    pass.training = training;
    pass.pool = ws.pool;
    pass.scratch = ws.scratch.data();
    return pass;
  };

  int i = 1;
  while (i <= last) {
    // A dense layer takes the whole batch.
    if (!layers_[i]->per_sample()) {
      ForwardPass pass = pass_of(i);
      layers_[i]->begin_forward(pass, dropout_rng);
      layers_[i]->forward(pass, 0, n, ws.scratch[0]);
      ++i;
      continue;
    }

    // A run of per-sample layers: prepare each in order, then run them sample by sample.
    int end = i;
    bool heavy = false;
    while (end <= last && layers_[end]->per_sample()) {
      if (!is_alias(end)) layers_[end]->begin_forward(pass_of(end), dropout_rng);
      heavy = heavy || layers_[end]->heavy();
      ++end;
    }
    const int first = i;
    std::vector<ForwardPass> passes;
    for (int l = first; l < end; ++l) passes.push_back(pass_of(l));
    parallel_for(heavy ? ws.pool : nullptr, n, [&](int s, int thread) {
      Scratch& scratch = ws.scratch[thread];
      for (int l = first; l < end; ++l) {
        if (!is_alias(l)) layers_[l]->forward(passes[l - first], s, s + 1, scratch);
      }
    });
    i = end;
  }
}

const float* Network::output_preactivation(Workspace& ws, int n) const {
  const int last = layer_count() - 1;
  ForwardPass pass;
  pass.n = n;
  pass.x = ws.values[last - 1];
  pass.y = ws.values[last];
  pass.params = nullptr;
  pass.buffers = &ws.buffers[last];
  pass.training = true;
  pass.pool = nullptr;
  pass.scratch = nullptr;
  return layers_[last]->preactivation(pass);
}

void Network::backward(Workspace& ws, int n, bool preactivation) {
  LAMINA_ASSERT(ws.gradients && n <= ws.capacity);
  const int last = layer_count() - 1;
  auto pass_of = [&](int i) {
    BackwardPass pass;
    pass.n = n;
    pass.x = ws.values[i - 1];
    pass.y = ws.values[i];
    pass.dy = ws.gradients_of[i];
    pass.dx = ws.gradients_of[i - 1];
    pass.params = layers_[i]->param_count() > 0 ? params_.data() + param_offsets_[i] : nullptr;
    pass.buffers = &ws.buffers[i];
    pass.dy_is_preactivation = preactivation && i == last;
    pass.pool = ws.pool;
    pass.scratch = ws.scratch.data();
    return pass;
  };

  int i = last;
  while (i >= 1) {
    if (ws.gradients_of[i] == nullptr) break;  // nothing before needs a gradient
    if (!layers_[i]->per_sample()) {
      BackwardPass pass = pass_of(i);
      layers_[i]->begin_backward(pass);
      layers_[i]->backward(pass, 0, n, grads_.data() + param_offsets_[i], ws.scratch[0]);
      --i;
      continue;
    }

    // A run of per-sample layers [begin, i], walked backwards chunk by chunk; layers with
    // parameters add into the chunk's partial gradient.
    int begin = i;
    bool heavy = false;
    while (begin >= 1 && layers_[begin]->per_sample() && ws.gradients_of[begin] != nullptr) {
      if (!is_alias(begin)) layers_[begin]->begin_backward(pass_of(begin));
      heavy = heavy || layers_[begin]->heavy();
      std::fill(ws.partials[begin].begin(), ws.partials[begin].end(), 0.0f);
      --begin;
    }
    ++begin;
    const int top = i;
    const int chunks = std::min(n, kGradientChunks);
    std::vector<BackwardPass> passes;
    for (int l = begin; l <= top; ++l) passes.push_back(pass_of(l));
    parallel_for(heavy ? ws.pool : nullptr, chunks, [&](int c, int thread) {
      Scratch& scratch = ws.scratch[thread];
      const int s0 = chunk_begin(c, chunks, n), s1 = chunk_begin(c + 1, chunks, n);
      for (int l = top; l >= begin; --l) {
        if (is_alias(l)) continue;
        size_t partial = layers_[l]->partial_size();
        float* grad = partial > 0 ? ws.partials[l].data() + partial * c : nullptr;
        layers_[l]->backward(passes[l - begin], s0, s1, grad, scratch);
      }
    });

    // Sum the partial gradients in chunk order.
    for (int l = begin; l <= top; ++l) {
      size_t partial = layers_[l]->partial_size();
      if (partial == 0) continue;
      std::vector<const float*> parts(chunks);
      for (int c = 0; c < chunks; ++c) parts[c] = ws.partials[l].data() + partial * c;
      layers_[l]->finish_gradient(parts.data(), chunks, grads_.data() + param_offsets_[l]);
    }
    i = begin - 1;
  }
}

}  // namespace lamina
