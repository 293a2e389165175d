#include "native/addon/guard.h"

#include <cmath>

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
  // Checked as a double: Int32Value() turns NaN into 0 and wraps 2^31 into -2^31.
  const double number = value.As<Napi::Number>().DoubleValue();
  if (!(number >= -2147483648.0 && number <= 2147483647.0 && number == std::floor(number))) {
    throw Napi::RangeError::New(
        options.Env(), std::string("expected an integer in [-2^31, 2^31 - 1] for ") + name +
                           " but received " + value.ToString().Utf8Value());
  }
  return static_cast<int>(number);
}

}  // namespace lamina_addon
