#!/bin/sh
# Differential test of every operator against tinysim's Java reference interpreter: random
# single-operator models (shapes, strides, dilation, padding, activations, per-channel and
# per-tensor quantization, broadcasting, hybrid filters...) built with the Java ModelBuilder,
# run by the Java reference and by the C runtime (host build, SIMD and reference kernels).
#   firmware-images/runtime/host/random-ops.sh [COUNT] [SEED]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$root/firmware-images/build/runtime-host
host=${TS_RUNTIME_HOST:-$build/runtime-host}  # TS_RUNTIME_HOST: another host build (e.g. make skipzero)
jdir=$build/java
dir=$build/random-ops
count=${1:-340}
seed=${2:-1}
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
rm -rf "$jdir" "$dir" && mkdir -p "$jdir" "$dir"
"$javac" -d "$jdir" $(find "$root/src/dev/tinysim/tflite" "$root/src/dev/tinysim/reference" "$root/src/dev/tinysim/text" -name '*.java') "$here/java/RandomOps.java"
"$java" -cp "$jdir" RandomOps "$dir" "$count" "$seed"
pass=0; fail=0
for m in "$dir"/*.tflite; do
  base=${m%.tflite}
  for k in "" --reference; do
    if [ -f "$base.out" ]; then
      if "$host" "$m" --input "$base.in" $k --out "$base.c" --quiet > "$base.log" 2>&1 && cmp -s "$base.c" "$base.out"; then
        pass=$((pass + 1))
      else
        fail=$((fail + 1)); echo "DIFFERS: $m $k ($(grep -h '@ts error' "$base.log" || true))"
      fi
    else
      if "$host" "$m" --input "$base.in" $k --quiet > "$base.log" 2>&1; then
        fail=$((fail + 1)); echo "ACCEPTED but the reference rejects: $m: $(cat "$base.rej")"
      else
        pass=$((pass + 1))
      fi
    fi
  done
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
