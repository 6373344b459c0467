package dev.tinysim.profile;

/** One traced instruction: address, symbol, disassembly, its static cycle cost, cycles before it (run's JSON "trace"). */
public record TraceLine(String address, String symbol, String instruction, long cycles, long at) {
}
