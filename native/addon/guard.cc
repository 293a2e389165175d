#include "native/addon/guard.h"

namespace lamina_addon {

Napi::Float32Array float32_arg(const Napi::Value& value, const char* name) {
  if (!value.IsTypedArray() ||
      value.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(value.Env(), std::string("expected a Float32Array for ") + name);
  }
  return value.As<Napi::Float32Array>();
}

int int_option(const Napi::Object& options, const char* name) {
  Napi::Value value = options.Get(name);
  if (!value.IsNumber()) {
    throw Napi::TypeError::New(options.Env(), std::string("expected an integer for ") + name);
  }
  return value.As<Napi::Number>().Int32Value();
}

}  // namespace lamina_addon
