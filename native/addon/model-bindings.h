#pragma once

#include <napi.h>

namespace lamina_addon {

// Adds the NativeModel class: a network built from a JSON network spec, trained and run off
// the event loop.
void InitModel(Napi::Env env, Napi::Object exports);

}  // namespace lamina_addon
