#pragma once

#include <napi.h>

namespace lamina_addon {

// Adds augmentImages (native/data/augment.h) to the exports.
void InitAugment(Napi::Env env, Napi::Object exports);

}  // namespace lamina_addon
