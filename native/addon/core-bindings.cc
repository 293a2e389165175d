// Bindings of the core utilities: build information, thread count, GEMM.
#include "native/addon/core-bindings.h"

#include <cmath>
#include <string>

#include "native/addon/guard.h"
#include "native/core/build-info.h"
#include "native/core/gemm.h"
#include "native/core/rng.h"
#include "native/core/threading.h"

namespace lamina_addon {
namespace {

Napi::Value BuildInfo(const Napi::CallbackInfo& info) {
  lamina::BuildInfo build = lamina::build_info();
  Napi::Object out = Napi::Object::New(info.Env());
  out.Set("version", build.version);
  out.Set("gemm", build.gemm);
  out.Set("openmp", build.openmp);
  out.Set("threads", build.threads);
  out.Set("simdCompiled", build.simd_compiled);
  out.Set("simdActive", build.simd_active);
  out.Set("simdTraining", build.simd_training);
  out.Set("buildFile", build.build_file);
  out.Set("compiler", build.compiler);
  return out;
}

Napi::Value GetNumThreads(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), lamina::get_num_threads());
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  return guard(info.Env(), [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsNumber()) {
      throw Napi::TypeError::New(info.Env(), "expected an integer for numThreads");
    }
    // Checked as a double: Int32Value() turns NaN into 0 and wraps 2^32 + 1 into 1.
    double n = info[0].As<Napi::Number>().DoubleValue();
    if (!(n >= 1 && n <= lamina::kMaxThreads && n == static_cast<int>(n))) {
      throw Napi::RangeError::New(info.Env(), "expected an integer in [1, " +
                                                  std::to_string(lamina::kMaxThreads) +
                                                  "] for numThreads but received " +
                                                  info[0].ToString().Utf8Value());
    }
    lamina::set_num_threads(static_cast<int>(n));
    return info.Env().Undefined();
  });
}

// Checks that a row-major matrix of rows x cols with row stride ld fits in the array.
void check_fits(const Napi::Env& env, const char* name, size_t length, int rows, int cols,
                int ld) {
  if (rows == 0 || cols == 0) return;
  size_t needed = static_cast<size_t>(rows - 1) * ld + cols;
  if (length < needed) {
    throw Napi::RangeError::New(env, std::string("gemm: ") + name + " holds " +
                                         std::to_string(length) + " floats but needs " +
                                         std::to_string(needed));
  }
}

// gemm({ transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, provider }): C in place.
Napi::Value Gemm(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  return guard(env, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsObject()) {
      throw Napi::TypeError::New(env, "gemm: expected an options object");
    }
    Napi::Object options = info[0].As<Napi::Object>();
    Napi::Float32Array a = float32_arg(options.Get("a"), "a");
    Napi::Float32Array b = float32_arg(options.Get("b"), "b");
    Napi::Float32Array c = float32_arg(options.Get("c"), "c");
    lamina::GemmArgs args{};
    args.trans_a = options.Get("transA").ToBoolean();
    args.trans_b = options.Get("transB").ToBoolean();
    args.m = int_option(options, "m");
    args.n = int_option(options, "n");
    args.k = int_option(options, "k");
    args.lda = int_option(options, "lda");
    args.ldb = int_option(options, "ldb");
    args.ldc = int_option(options, "ldc");
    args.alpha = options.Get("alpha").ToNumber().FloatValue();
    args.beta = options.Get("beta").ToNumber().FloatValue();
    lamina::gemm_check(args);
    check_fits(env, "a", a.ElementLength(), args.trans_a ? args.k : args.m,
               args.trans_a ? args.m : args.k, args.lda);
    check_fits(env, "b", b.ElementLength(), args.trans_b ? args.n : args.k,
               args.trans_b ? args.k : args.n, args.ldb);
    check_fits(env, "c", c.ElementLength(), args.m, args.n, args.ldc);
    args.a = a.Data();
    args.b = b.Data();
    args.c = c.Data();

    std::string provider = options.Get("provider").IsString()
                               ? options.Get("provider").As<Napi::String>().Utf8Value()
                               : "auto";
    if (provider == "auto") {
      lamina::gemm(args.trans_a, args.trans_b, args.m, args.n, args.k, args.alpha, args.a,
                   args.lda, args.b, args.ldb, args.beta, args.c, args.ldc);
    } else if (provider == "builtin") {
      lamina::gemm_builtin(args);
    } else if (provider == "openblas") {
      lamina::gemm_cblas(args);
    } else if (provider == "reference") {
      lamina::gemm_reference(args);
    } else {
      throw Napi::RangeError::New(env, "gemm: provider must be 'auto', 'builtin', 'openblas' or "
                                       "'reference', received '" + provider + "'");
    }
    return env.Undefined();
  });
}

// rngDraws(seed, stream, count): count draws of next_u32, then count of uniform(), below(1000)
// and normal(), from separate generators of the same (seed, stream); for the parity tests.
Napi::Value RngDraws(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  for (size_t i = 0; i < 3; ++i) {
    if (info.Length() <= i || !info[i].IsNumber()) {
      throw Napi::TypeError::New(env, "rngDraws(seed, stream, count) expects three integers");
    }
  }
  uint32_t seed = info[0].As<Napi::Number>().Uint32Value();
  uint32_t stream = info[1].As<Napi::Number>().Uint32Value();
  // V8 ends the process when an ArrayBuffer cannot be allocated: bound the count first.
  constexpr double kMaxDraws = 1 << 24;
  double requested = info[2].As<Napi::Number>().DoubleValue();
  if (!(requested >= 0 && requested <= kMaxDraws && requested == std::floor(requested))) {
    throw Napi::RangeError::New(env, "rngDraws: expected an integer in [0, 16777216] for count "
                                     "but received " + info[2].ToString().Utf8Value());
  }
  uint32_t count = static_cast<uint32_t>(requested);
  Napi::Object out = Napi::Object::New(env);
  Napi::Uint32Array u32 = Napi::Uint32Array::New(env, count);
  Napi::Float64Array uniform = Napi::Float64Array::New(env, count);
  Napi::Uint32Array below = Napi::Uint32Array::New(env, count);
  Napi::Float64Array normal = Napi::Float64Array::New(env, count);
  lamina::Rng a(seed, stream), b(seed, stream), c(seed, stream), d(seed, stream);
  for (uint32_t i = 0; i < count; ++i) {
    u32[i] = a.next_u32();
    uniform[i] = b.uniform();
    below[i] = c.below(1000);
    normal[i] = d.normal();
  }
  out.Set("u32", u32);
  out.Set("uniform", uniform);
  out.Set("below", below);
  out.Set("normal", normal);
  return out;
}

}  // namespace

void InitCore(Napi::Env env, Napi::Object exports) {
  exports.Set("buildInfo", Napi::Function::New(env, BuildInfo, "buildInfo"));
  exports.Set("getNumThreads", Napi::Function::New(env, GetNumThreads, "getNumThreads"));
  exports.Set("setNumThreads", Napi::Function::New(env, SetNumThreads, "setNumThreads"));
  exports.Set("gemm", Napi::Function::New(env, Gemm, "gemm"));
  exports.Set("rngDraws", Napi::Function::New(env, RngDraws, "rngDraws"));
}

}  // namespace lamina_addon
