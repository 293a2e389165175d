#!/usr/bin/env bash
# Builds the libFuzzer targets of the core into build-fuzz/ (or $1): spec-fuzz and idx-fuzz,
# with AddressSanitizer and UndefinedBehaviorSanitizer. Needs clang with its runtime libraries
# (Debian: apt-get install clang-14 libclang-rt-14-dev). The core is compiled once, without
# OpenMP and with the built-in GEMM, from the list in native/sources.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
out="${1:-build-fuzz}"
cxx="${LAMINA_FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}"
if [ -z "$cxx" ]; then
  echo "native/fuzz/build.sh: no clang++ found; install clang (Debian: clang-14" \
    "libclang-rt-14-dev)" >&2
  exit 1
fi
flags=(-std=c++17 -O1 -g -fno-omit-frame-pointer -I.
  -fsanitize=address,undefined -fno-sanitize-recover=undefined
  -DLAMINA_VERSION='"fuzz"' -DLAMINA_BUILD_FILE='"native/fuzz/build.sh"')
mkdir -p "$out/objects"

# The core, one object per source, two at a time; only what changed is rebuilt.
objects=()
while read -r source; do
  case "$source" in ''|'#'*) continue ;; esac
  object="$out/objects/$(echo "$source" | tr '/' '_').o"
  objects+=("$object")
  if [ ! -f "$object" ] || [ "$source" -nt "$object" ] ||
    [ -n "$(find native -name '*.h' -newer "$object" -print -quit)" ]; then
    echo "$cxx -fsanitize=fuzzer-no-link ... $source"
    "$cxx" "${flags[@]}" -fsanitize=fuzzer-no-link -c "$source" -o "$object" &
    if [ "$(jobs -r | wc -l)" -ge 2 ]; then wait -n; fi
  fi
done < native/sources.txt
wait

# The targets.
for target in spec idx; do
  echo "$cxx -fsanitize=fuzzer ... native/fuzz/$target-fuzz.cc"
  "$cxx" "${flags[@]}" -fsanitize=fuzzer "native/fuzz/$target-fuzz.cc" "${objects[@]}" \
    -lpthread -o "$out/$target-fuzz"
done
