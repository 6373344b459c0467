#!/bin/sh
# A differential-test family (test/dev/tinysim/differential/*Cases.java) on the host build of the runtime:
# models and inputs built as DifferentialTest builds them (reproducible seeds), compared with the Java
# reference interpreter, with SIMD and reference kernels; much faster than the emulated board.
#   firmware-images/runtime/host/family-ops.sh FAMILY [COUNT] [SEED] [VARIANT_FILTER]
#   e.g. family-ops.sh ShapeOperatorCases 60 7 "STRIDED_SLICE int8"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
build=$root/firmware-images/build/runtime-host
host=${TS_RUNTIME_HOST:-$build/runtime-host}
family=$1
count=${2:-20}
seed=${3:-20261204}
filter=${4:-}
jdir=$build/family-java
dir=$build/family-ops
javac=${JAVA_HOME:+$JAVA_HOME/bin/}javac
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
tdir=$root/test/dev/tinysim/differential
rm -rf "$jdir" "$dir" && mkdir -p "$jdir" "$dir"
"$javac" -d "$jdir" $(find "$root/src/dev/tinysim/tflite" "$root/src/dev/tinysim/reference" "$root/src/dev/tinysim/text" \
    -name '*.java' 2>/dev/null) \
  "$tdir/Gen.java" "$tdir/Variant.java" "$tdir/OperatorCases.java" "$tdir/$family.java" "$here/java/family/DumpFamily.java"
"$java" -cp "$jdir" dev.tinysim.differential.DumpFamily "$dir" "$family" "$count" "$seed" "$filter"
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
