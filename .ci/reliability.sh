#!/usr/bin/env bash
# Reliability checks of the native core, beyond `npm test`:
#   1. the core and the addon built with AddressSanitizer + UndefinedBehaviorSanitizer
#      (cmake-js, LAMINA_SANITIZE=ON, into build-sanitize/);
#   2. the C++ kernel tests under the sanitizers, leaks included (they also replay every input
#      kept in native/fuzz/regressions/);
#   3. the parity, native-backend and reliability mocha suites against the sanitized addon,
#      with the ASan runtime preloaded into node (LAMINA_ADDON_PATH selects the addon);
#   4. libFuzzer on the network spec parser + model construction and on the IDX check, each
#      for FUZZ_SECONDS (default 60). A crash stops the script; keep the input it names under
#      native/fuzz/regressions/<spec|idx>/ so the kernel tests replay it from then on.
# Expects `npm ci` (or install) done. Prints the time of each step; about 6 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."

FUZZ_SECONDS="${FUZZ_SECONDS:-60}"
started=$SECONDS
step() { printf '\n=== %s (at %ds)\n' "$*" $((SECONDS - started)); }

step "system packages: clang with libFuzzer"
if ! command -v clang++-14 >/dev/null && ! command -v clang++ >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends clang-14 libclang-rt-14-dev >/dev/null
fi

step "sanitized core, kernel tests and addon (cmake-js, LAMINA_SANITIZE=ON)"
npx cmake-js compile --out build-sanitize --CDLAMINA_SANITIZE=ON >/tmp/lamina-sanitize-build.log \
  2>&1 || { tail -40 /tmp/lamina-sanitize-build.log; exit 1; }
addon=build-sanitize/Release/lamina.node
test -f "$addon"

step "kernel tests under ASan + UBSan (leak detection on)"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ./build-sanitize/lamina_kernel_tests

step "mocha suites in node with the ASan runtime preloaded"
npx tsc -p tsconfig.json
asan_runtime="$(g++ -print-file-name=libasan.so)"
run_sanitized() {
  # node leaks at exit by design: leak detection off; anything else stops the process.
  LD_PRELOAD="$asan_runtime" ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 LAMINA_ADDON_PATH="$addon" "$@"
}
run_sanitized node -e "
  const n = require('./dist/lib/native');
  n.native();
  if (!n.nativePath().endsWith('build-sanitize/Release/lamina.node')) {
    console.error('the sanitized addon was not loaded: ' + n.nativePath());
    process.exit(1);
  }
  console.log('loaded ' + n.nativePath());"
run_sanitized npx mocha --recursive dist/test/parity dist/test/native \
  dist/test/reliability/native-garbage.test.js dist/test/reliability/lifecycle.test.js \
  dist/test/reliability/bad-input.test.js

step "libFuzzer targets (${FUZZ_SECONDS}s each)"
native/fuzz/build.sh build-fuzz
mkdir -p build-fuzz/corpus-spec build-fuzz/corpus-idx build-fuzz/crashes
status=0
build-fuzz/spec-fuzz -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=1 \
  -dict=native/fuzz/spec.dict -artifact_prefix=build-fuzz/crashes/spec- \
  build-fuzz/corpus-spec native/fuzz/corpus/spec >build-fuzz/spec.log 2>&1 || status=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' build-fuzz/spec.log | \
  sed 's/^/spec-fuzz /'
build-fuzz/idx-fuzz -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix=build-fuzz/crashes/idx- \
  build-fuzz/corpus-idx native/fuzz/corpus/idx >build-fuzz/idx.log 2>&1 || status=$?
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' build-fuzz/idx.log | \
  sed 's/^/idx-fuzz  /'
if [ "$status" -ne 0 ] || [ -n "$(ls -A build-fuzz/crashes)" ]; then
  tail -60 build-fuzz/spec.log build-fuzz/idx.log
  echo "A fuzz target failed; inputs in build-fuzz/crashes/: $(ls build-fuzz/crashes)" >&2
  echo "Keep each under native/fuzz/regressions/<spec|idx>/ once fixed." >&2
  exit 1
fi

step "done in $((SECONDS - started))s"
