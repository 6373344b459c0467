#!/usr/bin/env bash
# Compiles block_hook.c to position-independent x86-64 machine code and prints it as the Java
# byte array embedded in NativeBlockHook.java. Run after changing block_hook.c:
#   emulator/dev/tinysim/emulator/engine/unicorn/gen-block-hook.sh > /tmp/code.txt   (then paste into NativeBlockHook.CODE)
# NativeBlockHookTest recompiles and compares whenever gcc is installed.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
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
od -An -v -tx1 "$tmp/hook.bin" | tr -s ' \n' ' ' | sed -E 's/^ //; s/ $//' | tr ' ' '\n' | awk '{printf "(byte) 0x%s, ", $1} NR%12==0 {print ""}'
echo
