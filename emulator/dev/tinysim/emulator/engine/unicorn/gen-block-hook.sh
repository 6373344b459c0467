#!/usr/bin/env bash
# Compiles block_hook.c to position-independent x86-64 machine code and prints it as the Java
# byte array embedded in NativeBlockHook.java. After changing block_hook.c or the shared structs or constants:
#   emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh --header   (block_hook_layout.h from
#       engine.NativeCounters and engine.NativeConstants, the structs' and constants' one description;
#       needs target/classes: mvn -o -q compile)
#   emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh --write    (the bytes into NativeBlockHook.CODE)
#   emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh            (the bytes, printed)
# NativeBlockHookTest recompiles and compares whenever gcc is installed; NativeLayoutTest checks the header.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ "${1:-}" = "--header" ]; then
  root="$(cd "$here/../../../../../.." && pwd)"
  java=java
  [ -n "${JAVA_HOME:-}" ] && java="$JAVA_HOME/bin/java"
  exec "$java" -cp "$root/target/classes" dev.tinysim.emulator.engine.unicorn.BlockHookHeader "$here/block_hook_layout.h"
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -fno-toplevel-reorder -fno-jump-tables -fno-tree-loop-distribute-patterns -ffreestanding -fPIC -fno-plt -fno-asynchronous-unwind-tables -fno-stack-protector -fcf-protection=none \
    -mgeneral-regs-only -c "$here/block_hook.c" -o "$tmp/hook.o"
if [ -n "$(objdump -r "$tmp/hook.o" | grep -E '^[0-9a-f]+ ' || true)" ]; then
  echo "block_hook.c needs relocations: it must be self-contained" >&2
  objdump -r "$tmp/hook.o" >&2
  exit 1
fi
objcopy -O binary -j .text "$tmp/hook.o" "$tmp/hook.bin"
od -An -v -tx1 "$tmp/hook.bin" | tr -s ' \n' ' ' | sed -E 's/^ //; s/ $//' | tr ' ' '\n' | awk '{printf "(byte) 0x%s, ", $1} NR%12==0 {print ""}' > "$tmp/code.txt"
echo >> "$tmp/code.txt"
if [ "${1:-}" = "--write" ]; then
  # replace the lines between "static final byte[] CODE = {" and the closing "    };"
  awk -v code="$tmp/code.txt" '
    /static final byte\[\] CODE = \{/ { print; while ((getline line < code) > 0) if (line != "") print line; skip = 1; next }
    skip && /^    \};$/ { skip = 0 }
    !skip { print }' "$here/NativeBlockHook.java" > "$tmp/NativeBlockHook.java"
  cp "$tmp/NativeBlockHook.java" "$here/NativeBlockHook.java"
else
  cat "$tmp/code.txt"
fi
