// The Lamina addon: the only place that knows node-addon-api. Each group of bindings lives in
// its own file and registers itself here. The addon keeps no static mutable state, so it loads
// in several worker threads and in Electron.
#include <napi.h>

#include "native/addon/augment-bindings.h"
#include "native/addon/core-bindings.h"
#include "native/addon/model-bindings.h"

namespace lamina_addon {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  InitCore(env, exports);
  InitAugment(env, exports);
  InitModel(env, exports);
  return exports;
}

}  // namespace lamina_addon

static Napi::Object InitLamina(Napi::Env env, Napi::Object exports) {
  return lamina_addon::Init(env, exports);
}

NODE_API_MODULE(lamina, InitLamina)
