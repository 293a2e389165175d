#pragma once

#include <napi.h>

namespace lamina_addon {

// Adds buildInfo, getNumThreads, setNumThreads and gemm to the exports.
void InitCore(Napi::Env env, Napi::Object exports);

}  // namespace lamina_addon
