package dev.tinysim.emulator.engine;

/** Kinds of memory access, for region permissions and for fault reports. */
public enum Access {
    READ, WRITE, FETCH
}
