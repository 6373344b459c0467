#!/bin/sh
# Compares the C runtime (host build, SIMD and reference kernels) with tinysim's Java reference
# interpreter (the oracle) on the given models and seeds: output tensors must be equal byte for byte.
#   firmware-images/runtime/host/compare-java.sh [SEEDS] MODEL.tflite...
# Needs a JDK >= 21 (JAVA_HOME or javac on PATH) and the host build (make -C firmware-images/runtime/host).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$root/firmware-images/build/runtime-host
host=${TS_RUNTIME_HOST:-$build/runtime-host}  # TS_RUNTIME_HOST: another host build (e.g. make skipzero)
jdir=$build/java
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
seeds="1 2 3"
case "${1:-}" in [0-9]*) seeds=$1; shift ;; esac
rm -rf "$jdir" && mkdir -p "$jdir"
"$javac" -d "$jdir" $(find "$root/src/dev/tinysim/tflite" "$root/src/dev/tinysim/reference" "$root/src/dev/tinysim/text" -name '*.java') "$here/java/RunReference.java"
pass=0; fail=0
for model in "$@"; do
  name=$(basename "$model" .tflite)
  for seed in $seeds; do
    in=$build/$name.$seed.in
    # inputs from the Java side's InputGenerator (seeded uniform over the input's range)
    "$java" -cp "$jdir" RunReference "$model" "$in" "$build/$name.$seed.java" "$seed"
    "$host" "$model" --input "$in" --out "$build/$name.$seed.simd" --quiet >/dev/null
    "$host" "$model" --input "$in" --reference --out "$build/$name.$seed.ref" --quiet >/dev/null
    for k in simd ref; do
      if cmp -s "$build/$name.$seed.$k" "$build/$name.$seed.java"; then
        pass=$((pass + 1)); echo "identical: $name seed $seed ($k kernels)"
      else
        fail=$((fail + 1)); echo "DIFFERS:   $name seed $seed ($k kernels)"
      fi
    done
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
