// Turns core exceptions into JavaScript errors: no exception ever leaves a binding unhandled,
// so bad input can never take the process down.
#pragma once

#include <napi.h>

#include <exception>
#include <new>
#include <string>

#include "native/core/errors.h"

namespace lamina_addon {

template <typename Body>
Napi::Value guard(const Napi::Env& env, Body body) {
  try {
    return body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const lamina::Error& error) {
    throw Napi::Error::New(env, error.what());
  } catch (const std::bad_alloc&) {
    throw Napi::RangeError::New(env, "lamina: out of memory in the native core");
  } catch (const std::exception& error) {
    throw Napi::Error::New(env, std::string("lamina: native error: ") + error.what());
  }
}

// Reads a Float32Array argument, or throws a TypeError naming it.
Napi::Float32Array float32_arg(const Napi::Value& value, const char* name);

// Reads an integer property of an options object, or throws a TypeError naming it.
int int_option(const Napi::Object& options, const char* name);

}  // namespace lamina_addon
