// Bindings of the augmentation kernels (native/data/augment.h):
//
//   augmentImages(images: Float32Array | Uint8Array, count, channels, height, width, options,
//                 seed) -> Float32Array [count, channels, height, width]
//   options: { elastic?: { alpha, sigma }, affine?: { rotation, scale: [low, high], shear,
//              translation } }, every field of a given group present (lib/augment.ts fills
//              the defaults and validates first; the core checks again).
//
// It runs synchronously on the calling thread (the work is small: previews and tests); the
// generator is Rng(seed, kStreamAugment), fresh for the call.
#include "native/addon/augment-bindings.h"

#include <string>

#include "native/addon/guard.h"
#include "native/core/rng.h"
#include "native/data/augment.h"

namespace lamina_addon {
namespace {

// A number property of an options group, or a TypeError naming it.
double number_field(const Napi::Object& group, const char* group_name, const char* name) {
  Napi::Value value = group.Get(name);
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(group.Env(), std::string("augmentImages: expected a number for "
                                                        "options.") + group_name + "." + name);
  }
  return value.As<Napi::Number>().DoubleValue();
}

// Reads the options object into the core's form.
lamina::AugmentOptions read_options(const Napi::Value& value) {
  Napi::Env env = value.Env();
  if (!value.IsObject()) {
    throw Napi::TypeError::New(env, "augmentImages: expected an options object");
  }
  Napi::Object options = value.As<Napi::Object>();
  lamina::AugmentOptions out;
  Napi::Value elastic = options.Get("elastic");
  if (elastic.IsObject()) {
    Napi::Object group = elastic.As<Napi::Object>();
    out.elastic = true;
    out.alpha = number_field(group, "elastic", "alpha");
    out.sigma = number_field(group, "elastic", "sigma");
  }
  Napi::Value affine = options.Get("affine");
  if (affine.IsObject()) {
    Napi::Object group = affine.As<Napi::Object>();
    out.affine = true;
    out.rotation = number_field(group, "affine", "rotation");
    out.shear = number_field(group, "affine", "shear");
    out.translation = number_field(group, "affine", "translation");
    Napi::Value scale = group.Get("scale");
    if (!scale.IsArray() || scale.As<Napi::Array>().Length() != 2) {
      throw Napi::TypeError::New(env, "augmentImages: expected [low, high] for "
                                      "options.affine.scale");
    }
    Napi::Array pair = scale.As<Napi::Array>();
    if (!pair.Get(0u).IsNumber() || !pair.Get(1u).IsNumber()) {
      throw Napi::TypeError::New(env, "augmentImages: expected two numbers for "
                                      "options.affine.scale");
    }
    out.scale_low = pair.Get(0u).As<Napi::Number>().DoubleValue();
    out.scale_high = pair.Get(1u).As<Napi::Number>().DoubleValue();
  }
  return out;
}

Napi::Value AugmentImages(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&]() -> Napi::Value {
    // Arguments.
    if (info.Length() < 7) {
      throw Napi::TypeError::New(env, "augmentImages(images, count, channels, height, width, "
                                      "options, seed) expects 7 arguments");
    }
    Napi::Value images = info[0];
    napi_typedarray_type type = images.IsTypedArray()
                                    ? images.As<Napi::TypedArray>().TypedArrayType()
                                    : napi_int8_array;
    if (type != napi_float32_array && type != napi_uint8_array) {
      throw Napi::TypeError::New(env, "augmentImages: expected a Float32Array or Uint8Array "
                                      "for images");
    }
    const bool bytes = type == napi_uint8_array;
    int shape[4];
    const char* names[4] = {"count", "channels", "height", "width"};
    for (int i = 0; i < 4; ++i) {
      if (!info[i + 1].IsNumber()) {
        throw Napi::TypeError::New(env, std::string("augmentImages: expected an integer for ") +
                                            names[i]);
      }
      shape[i] = info[i + 1].As<Napi::Number>().Int32Value();
    }
    lamina::AugmentOptions options = read_options(info[5]);
    if (!info[6].IsNumber()) {
      throw Napi::TypeError::New(env, "augmentImages: expected an integer for seed");
    }
    uint32_t seed = info[6].As<Napi::Number>().Uint32Value();

    // Shape against the array.
    lamina::Augmenter augmenter(options, shape[1], shape[2], shape[3]);
    lamina::augment_check(options, shape[0], shape[1], shape[2], shape[3]);
    size_t total = static_cast<size_t>(shape[0]) * shape[1] * shape[2] * shape[3];
    size_t length = images.As<Napi::TypedArray>().ElementLength();
    if (length != total) {
      throw Napi::RangeError::New(env, "augmentImages: expected " + std::to_string(total) +
                                           " values (count x channels x height x width) in "
                                           "images but received " + std::to_string(length));
    }

    // The batch.
    Napi::Float32Array out = Napi::Float32Array::New(env, total);
    lamina::Rng rng(seed, lamina::kStreamAugment);
    if (bytes) {
      augmenter.apply(images.As<Napi::Uint8Array>().Data(), out.Data(), shape[0], rng);
    } else {
      augmenter.apply(images.As<Napi::Float32Array>().Data(), out.Data(), shape[0], rng);
    }
    return out;
  });
}

}  // namespace

void InitAugment(Napi::Env env, Napi::Object exports) {
  exports.Set("augmentImages", Napi::Function::New(env, AugmentImages, "augmentImages"));
}

}  // namespace lamina_addon
