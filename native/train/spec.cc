#include "native/train/spec.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <set>

#include "native/core/errors.h"
#include "native/layers/pool2d.h"
#include "native/layers/conv2d.h"

namespace lamina {
namespace {

// Reads the fields of one JSON object, with a context for error messages.
class Fields {
 public:
  Fields(const JsonValue& object, std::string context)
      : object_(object), context_(std::move(context)) {
    if (!object.is_object()) {
      throw Error(error_message(context_, ": expected an object but received ",
                                object.describe()));
    }
  }

  const std::string& context() const { return context_; }

  const JsonValue& get(const char* name, const std::string& expected = "a value") const {
    const JsonValue* value = object_.find(name);
    if (value == nullptr) fail(name, expected, nullptr);
    return *value;
  }

  bool has(const char* name) const { return object_.find(name) != nullptr; }

  [[noreturn]] void fail(const char* name, const std::string& expected,
                         const JsonValue* received) const {
    throw Error(error_message(context_, ": expected ", expected, " for ", name,
                              " but received ",
                              received != nullptr ? received->describe() : "nothing"));
  }

  double number(const char* name, double min = -INFINITY, double max = INFINITY) const {
    std::string range = std::isinf(min) && std::isinf(max) ? std::string("a finite number")
                        : std::isinf(max) ? error_message("a number >= ", min)
                                          : error_message("a number in [", min, ", ", max, "]");
    const JsonValue& value = get(name, range);
    if (!value.is_number() || !std::isfinite(value.number()) || value.number() < min ||
        value.number() > max) {
      fail(name, range, &value);
    }
    return value.number();
  }

  int integer(const char* name, int min, int max = 1 << 30) const {
    std::string range = error_message("an integer in [", min, ", ", max, "]");
    const JsonValue& value = get(name, range);
    if (!value.is_number() || value.number() != std::floor(value.number()) ||
        value.number() < min || value.number() > max) {
      fail(name, range, &value);
    }
    return static_cast<int>(value.number());
  }

  bool boolean(const char* name) const {
    const JsonValue& value = get(name, "a boolean");
    if (!value.is_bool()) fail(name, "a boolean", &value);
    return value.boolean();
  }

  std::string string(const char* name) const {
    const JsonValue& value = get(name, "a string");
    if (!value.is_string()) fail(name, "a string", &value);
    return value.string();
  }

  std::vector<int> shape(const char* name) const {
    const JsonValue& value = get(name, "an array of positive integers");
    if (!value.is_array()) fail(name, "an array of positive integers", &value);
    std::vector<int> shape;
    for (const JsonValue& item : value.items()) {
      if (!item.is_number() || item.number() != std::floor(item.number()) ||
          item.number() < 1 || item.number() > (1 << 30)) {
        fail(name, "an array of positive integers", &value);
      }
      shape.push_back(static_cast<int>(item.number()));
    }
    if (shape.empty()) fail(name, "an array of positive integers", &value);
    return shape;
  }

  void pair(const char* name, int min, int* out) const {
    const JsonValue& value = get(name, error_message("a pair of integers >= ", min));
    if (!value.is_array() || value.items().size() != 2) {
      fail(name, error_message("a pair of integers >= ", min), &value);
    }
    for (int i = 0; i < 2; ++i) {
      const JsonValue& item = value.items()[i];
      if (!item.is_number() || item.number() != std::floor(item.number()) ||
          item.number() < min || item.number() > (1 << 30)) {
        fail(name, error_message("a pair of integers >= ", min), &value);
      }
      out[i] = static_cast<int>(item.number());
    }
  }

 private:
  const JsonValue& object_;
  std::string context_;
};

InitSpec parse_init(const Fields& layer, const char* name) {
  const JsonValue& value = layer.get(name);
  Fields fields(value, layer.context() + ", " + name);
  std::string kind = fields.string("kind");
  InitSpec init;
  if (kind == "glorot_uniform" || kind == "glorot_normal" || kind == "he_uniform" ||
      kind == "he_normal") {
    init.kind = kind == "glorot_uniform"  ? InitKind::kGlorotUniform
                : kind == "glorot_normal" ? InitKind::kGlorotNormal
                : kind == "he_uniform"    ? InitKind::kHeUniform
                                          : InitKind::kHeNormal;
    init.gain = fields.number("gain", 0.0);
  } else if (kind == "normal") {
    init.kind = InitKind::kNormal;
    init.mean = fields.number("mean");
    init.std = fields.number("std", 0.0);
  } else if (kind == "uniform") {
    init.kind = InitKind::kUniform;
    init.low = fields.number("low");
    init.high = fields.number("high");
  } else if (kind == "constant") {
    init.kind = InitKind::kConstant;
    init.value = fields.number("value");
  } else {
    throw Error(error_message(fields.context(),
                              ": expected one of 'glorot_uniform', 'glorot_normal', "
                              "'he_uniform', 'he_normal', 'normal', 'uniform', 'constant' for "
                              "kind but received '", kind, "'"));
  }
  return init;
}

LayerKind parse_kind(const Fields& fields) {
  std::string kind = fields.string("kind");
  if (kind == "input") return LayerKind::kInput;
  if (kind == "dense") return LayerKind::kDense;
  if (kind == "conv2d") return LayerKind::kConv2D;
  if (kind == "maxpool2d") return LayerKind::kMaxPool2D;
  if (kind == "avgpool2d") return LayerKind::kAvgPool2D;
  if (kind == "dropout") return LayerKind::kDropout;
  if (kind == "reshape") return LayerKind::kReshape;
  if (kind == "flatten") return LayerKind::kFlatten;
  if (kind == "nonlinearity") return LayerKind::kNonlinearity;
  throw Error(error_message(fields.context(),
                            ": expected one of 'input', 'dense', 'conv2d', 'maxpool2d', "
                            "'avgpool2d', 'dropout', 'reshape', 'flatten', 'nonlinearity' for "
                            "kind but received '", kind, "'"));
}

// Checks the layer's output shape against what the layer computes from its input shape.
void check_output(const LayerSpec& layer, const std::string& context,
                  const std::vector<int>& expected) {
  if (layer.output_shape != expected) {
    throw Error(error_message(context, ": expected outputShape ", shape_text(expected),
                              " (computed from inputShape ", shape_text(layer.input_shape),
                              ") but received ", shape_text(layer.output_shape)));
  }
}

void check_image_input(const LayerSpec& layer, const std::string& context) {
  if (layer.input_shape.size() != 3) {
    throw Error(error_message(context, ": expected an inputShape [channels, height, width] but "
                              "received ", shape_text(layer.input_shape)));
  }
}

// The most values one tensor may hold: per-sample sizes, offsets and strides are ints in the
// layers, and a network keeps all its parameters in one array.
constexpr int64_t kMaxElements = (int64_t{1} << 31) - 1;
// The most an image axis may span with its padding on both sides, so that window arithmetic
// (size + stride) stays within an int.
constexpr int64_t kMaxAxis = int64_t{1} << 30;

// The product of sizes (each >= 0), or kMaxElements + 1 when it would be larger.
int64_t capped_product(std::initializer_list<int64_t> sizes) {
  int64_t product = 1;
  for (int64_t size : sizes) {
    if (size != 0 && product > (kMaxElements + 1) / size) return kMaxElements + 1;
    product *= size;
  }
  return std::min(product, kMaxElements + 1);
}

int64_t capped_product(const std::vector<int>& shape) {
  int64_t product = 1;
  for (int size : shape) product = capped_product({product, size});
  return product;
}

// Throws unless count (a capped_product) is at most kMaxElements.
void check_elements(const std::string& context, const std::string& what, int64_t count) {
  if (count > kMaxElements) {
    throw Error(error_message(context, ": ", what, " holds more than ", kMaxElements,
                              " values (2^31 - 1), the most the core supports; use fewer "
                              "units or filters, or smaller inputs"));
  }
}

// Throws unless the input of a conv or pool layer, padded on both sides, fits kMaxAxis.
void check_padded_input(const LayerSpec& layer, const std::string& context) {
  const int64_t height = int64_t{layer.input_shape[1]} + 2 * int64_t{layer.pad[0]};
  const int64_t width = int64_t{layer.input_shape[2]} + 2 * int64_t{layer.pad[1]};
  if (height > kMaxAxis || width > kMaxAxis) {
    throw Error(error_message(context, ": the padded input is ", height, " x ", width,
                              "; the core supports at most ", kMaxAxis,
                              " (2^30) per axis, padding included"));
  }
  check_elements(context, error_message("the padded input [", layer.input_shape[0], ", ",
                                         height, ", ", width, "]"),
                 capped_product({layer.input_shape[0], height, width}));
}

// The learnable parameters of a layer (within kMaxElements once the layer is checked).
int64_t layer_param_count(const LayerSpec& layer) {
  if (layer.kind == LayerKind::kDense) {
    return capped_product(layer.input_shape) * layer.num_units +
           (layer.has_bias ? layer.num_units : 0);
  }
  if (layer.kind == LayerKind::kConv2D) {
    return int64_t{layer.num_filters} * layer.input_shape[0] * layer.filter_size[0] *
               layer.filter_size[1] + (layer.has_bias ? layer.num_filters : 0);
  }
  return 0;
}

LayerSpec parse_layer(const JsonValue& value, size_t index) {
  std::string context = error_message("network spec, layer ", index);
  Fields probe(value, context);
  if (probe.has("name") && probe.get("name").is_string()) {
    context += " ('" + probe.get("name").string() + "')";
  }
  Fields fields(value, context);
  LayerSpec layer;
  layer.kind = parse_kind(fields);
  layer.name = fields.string("name");
  if (layer.name.empty()) fields.fail("name", "a non-empty string", &fields.get("name"));
  layer.input_shape = fields.shape("inputShape");
  layer.output_shape = fields.shape("outputShape");
  check_elements(context, "inputShape " + shape_text(layer.input_shape),
                 capped_product(layer.input_shape));
  check_elements(context, "outputShape " + shape_text(layer.output_shape),
                 capped_product(layer.output_shape));

  switch (layer.kind) {
    case LayerKind::kInput:
      check_output(layer, context, layer.input_shape);
      break;
    case LayerKind::kDense:
      layer.num_units = fields.integer("numUnits", 1);
      check_elements(context, error_message("W [", shape_size(layer.input_shape), ", ",
                                            layer.num_units, "]"),
                     capped_product({capped_product(layer.input_shape), layer.num_units}));
      layer.nonlinearity = parse_nonlinearity(fields.string("nonlinearity"), context);
      layer.w_init = parse_init(fields, "W");
      layer.has_bias = !fields.get("b").is_null();
      if (layer.has_bias) layer.b_init = parse_init(fields, "b");
      check_output(layer, context, {layer.num_units});
      break;
    case LayerKind::kConv2D: {
      check_image_input(layer, context);
      layer.num_filters = fields.integer("numFilters", 1);
      fields.pair("filterSize", 1, layer.filter_size);
      fields.pair("stride", 1, layer.stride);
      fields.pair("pad", 0, layer.pad);
      check_padded_input(layer, context);
      check_elements(context, error_message("W [", layer.num_filters, ", ", layer.input_shape[0],
                                            ", ", layer.filter_size[0], ", ",
                                            layer.filter_size[1], "]"),
                     capped_product({layer.num_filters, layer.input_shape[0],
                                     layer.filter_size[0], layer.filter_size[1]}));
      layer.nonlinearity = parse_nonlinearity(fields.string("nonlinearity"), context);
      layer.w_init = parse_init(fields, "W");
      layer.has_bias = !fields.get("b").is_null();
      if (layer.has_bias) layer.b_init = parse_init(fields, "b");
      Conv2DConfig config;
      config.channels = layer.input_shape[0];
      config.height = layer.input_shape[1];
      config.width = layer.input_shape[2];
      config.filter_h = layer.filter_size[0];
      config.filter_w = layer.filter_size[1];
      config.stride_h = layer.stride[0];
      config.stride_w = layer.stride[1];
      config.pad_h = layer.pad[0];
      config.pad_w = layer.pad[1];
      if (config.height + 2 * config.pad_h < config.filter_h ||
          config.width + 2 * config.pad_w < config.filter_w) {
        throw Error(error_message(context, ": filterSize [", config.filter_h, ", ",
                                  config.filter_w, "] is larger than the padded input ",
                                  shape_text(layer.input_shape)));
      }
      check_output(layer, context, {layer.num_filters, config.out_h(), config.out_w()});
      check_elements(context, "the unfolded input [C x FH x FW, OH x OW]",
                     capped_product({layer.input_shape[0], config.filter_h, config.filter_w,
                                     config.out_h(), config.out_w()}));
      break;
    }
    case LayerKind::kMaxPool2D:
    case LayerKind::kAvgPool2D: {
      check_image_input(layer, context);
      fields.pair("poolSize", 1, layer.pool_size);
      fields.pair("stride", 1, layer.stride);
      fields.pair("pad", 0, layer.pad);
      check_padded_input(layer, context);
      layer.ignore_border = fields.boolean("ignoreBorder");
      layer.include_padding =
          fields.has("includePadding") ? fields.boolean("includePadding") : true;
      Pool2DConfig config;
      config.channels = layer.input_shape[0];
      config.height = layer.input_shape[1];
      config.width = layer.input_shape[2];
      config.pool_h = layer.pool_size[0];
      config.pool_w = layer.pool_size[1];
      config.stride_h = layer.stride[0];
      config.stride_w = layer.stride[1];
      config.pad_h = layer.pad[0];
      config.pad_w = layer.pad[1];
      config.ignore_border = layer.ignore_border;
      int out_h = config.out_h(), out_w = config.out_w();
      if (out_h < 1 || out_w < 1) {
        throw Error(error_message(context, ": poolSize [", config.pool_h, ", ", config.pool_w,
                                  "] leaves no output for inputShape ",
                                  shape_text(layer.input_shape)));
      }
      check_output(layer, context, {config.channels, out_h, out_w});
      break;
    }
    case LayerKind::kDropout:
      layer.p = fields.number("p", 0.0, 1.0);
      if (layer.p >= 1.0) fields.fail("p", "a number in [0, 1)", &fields.get("p"));
      check_output(layer, context, layer.input_shape);
      break;
    case LayerKind::kReshape:
    case LayerKind::kFlatten:
      if (shape_size(layer.input_shape) != shape_size(layer.output_shape)) {
        throw Error(error_message(context, ": outputShape ", shape_text(layer.output_shape),
                                  " holds ", shape_size(layer.output_shape),
                                  " values but inputShape ", shape_text(layer.input_shape),
                                  " holds ", shape_size(layer.input_shape)));
      }
      break;
    case LayerKind::kNonlinearity:
      layer.nonlinearity = parse_nonlinearity(fields.string("nonlinearity"), context);
      check_output(layer, context, layer.input_shape);
      break;
  }
  return layer;
}

}  // namespace

size_t shape_size(const std::vector<int>& shape) {
  size_t size = 1;
  for (int d : shape) size *= static_cast<size_t>(d);
  return size;
}

std::string shape_text(const std::vector<int>& shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    text += (i == 0 ? "" : ", ") + std::to_string(shape[i]);
  }
  return text + "]";
}

NetworkSpec parse_network_spec(const std::string& json) {
  return parse_network_spec(JsonValue::parse(json));
}

NetworkSpec parse_network_spec(const JsonValue& value) {
  Fields fields(value, "network spec");
  const JsonValue& layers = fields.get("layers");
  if (!layers.is_array() || layers.items().size() < 2) {
    fields.fail("layers", "an array of at least 2 layers (input first)", &layers);
  }
  NetworkSpec spec;
  std::set<std::string> names;
  int64_t params = 0;
  for (size_t i = 0; i < layers.items().size(); ++i) {
    LayerSpec layer = parse_layer(layers.items()[i], i);
    std::string context = error_message("network spec, layer ", i, " ('", layer.name, "')");
    if ((i == 0) != (layer.kind == LayerKind::kInput)) {
      throw Error(error_message(context, i == 0 ? ": the first layer must be an input layer"
                                                : ": only the first layer may be an input "
                                                  "layer"));
    }
    if (!names.insert(layer.name).second) {
      throw Error(error_message(context, ": the name '", layer.name,
                                "' is used by an earlier layer; layer names must be unique"));
    }
    if (i > 0 && layer.input_shape != spec.layers.back().output_shape) {
      throw Error(error_message(context, ": expected inputShape ",
                                shape_text(spec.layers.back().output_shape),
                                " (the outputShape of layer ", i - 1, " '",
                                spec.layers.back().name, "') but received ",
                                shape_text(layer.input_shape)));
    }
    params += layer_param_count(layer);
    if (params > kMaxElements) {
      throw Error(error_message(context, ": the network has more than ", kMaxElements,
                                " learnable parameters (2^31 - 1) up to this layer, the most the "
                                "core supports; use fewer units or filters"));
    }
    spec.layers.push_back(std::move(layer));
  }
  return spec;
}

namespace {

// {"options": {"elastic": null | {"alpha", "sigma"}, "affine": null | {"rotation",
//  "scale": [low, high], "shear", "translation"}}, "channels", "height", "width"}; the
// Augmenter the trainer builds checks the options again.
AugmentSpec parse_augment(const Fields& fields) {
  AugmentSpec augment;
  augment.enabled = true;
  augment.channels = fields.integer("channels", 1);
  augment.height = fields.integer("height", 1, 65536);
  augment.width = fields.integer("width", 1, 65536);
  AugmentOptions& options = augment.options;
  Fields groups(fields.get("options", "an object"), fields.context() + ", options");
  const JsonValue& elastic = groups.get("elastic", "null or an object");
  if (!elastic.is_null()) {
    Fields group(elastic, groups.context() + ", elastic");
    options.elastic = true;
    options.alpha = group.number("alpha", 0.0);
    options.sigma = group.number("sigma", 0.0, 1000.0);
  }
  const JsonValue& affine = groups.get("affine", "null or an object");
  if (!affine.is_null()) {
    Fields group(affine, groups.context() + ", affine");
    options.affine = true;
    options.rotation = group.number("rotation", 0.0, 180.0);
    options.shear = group.number("shear", 0.0, 60.0);
    options.translation = group.number("translation", 0.0, 1e6);
    const JsonValue& scale = group.get("scale", "[low, high]");
    if (!scale.is_array() || scale.items().size() != 2 || !scale.items()[0].is_number() ||
        !scale.items()[1].is_number()) {
      group.fail("scale", "[low, high]", &scale);
    }
    options.scale_low = scale.items()[0].number();
    options.scale_high = scale.items()[1].number();
  }
  return augment;
}

}  // namespace

TrainSpec parse_train_spec(const std::string& json) {
  return parse_train_spec(JsonValue::parse(json));
}

TrainSpec parse_train_spec(const JsonValue& value) {
  Fields fields(value, "train spec");
  TrainSpec spec;
  std::string loss = fields.string("loss");
  if (loss == "categorical_crossentropy") {
    spec.loss = LossKind::kCategoricalCrossentropy;
  } else if (loss == "squared_error") {
    spec.loss = LossKind::kSquaredError;
  } else {
    throw Error(error_message("train spec: expected 'categorical_crossentropy' or "
                              "'squared_error' for loss but received '", loss, "'"));
  }
  spec.l1 = fields.number("l1", 0.0);
  spec.l2 = fields.number("l2", 0.0);
  spec.batch_size = fields.integer("batchSize", 1);
  spec.shuffle = fields.boolean("shuffle");
  Fields update(fields.get("update"), "train spec, update");
  spec.update.rule = parse_update_rule(update.string("rule"), "train spec, update");
  spec.update.learning_rate = update.number("learningRate", 0.0);
  spec.update.momentum = update.number("momentum", 0.0);
  spec.update.rho = update.number("rho", 0.0);
  spec.update.epsilon = update.number("epsilon", 0.0);
  spec.update.beta1 = update.number("beta1", 0.0, 1.0);
  spec.update.beta2 = update.number("beta2", 0.0, 1.0);
  if (spec.update.beta1 >= 1.0) update.fail("beta1", "a number in [0, 1)", &update.get("beta1"));
  if (fields.has("augment") && !fields.get("augment").is_null()) {
    spec.augment = parse_augment(Fields(fields.get("augment"), "train spec, augment"));
  }
  return spec;
}

}  // namespace lamina
