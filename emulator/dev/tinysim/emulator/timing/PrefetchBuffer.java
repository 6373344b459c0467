package dev.tinysim.emulator.timing;

import dev.tinysim.emulator.disasm.Instruction;

import java.util.List;

/**
 * Instruction fetch with wait states: 32-bit fetches, each taking 1 + W cycles, into a
 * three-word prefetch buffer. Word k may be requested when word k − 3 has left the buffer and
 * the flash port is free; an instruction can issue once the word holding its last halfword
 * has arrived. At block entry the first word (both words, for a 32-bit instruction at a
 * halfword address) is there at time 0: the wait for it is the branch target penalty.
 */
final class PrefetchBuffer {
    /** Cortex-M3/M4 prefetch buffer: three 32-bit entries (Cortex-M3 TRM §12.3, same fetch unit). */
    private static final int PREFETCH_WORDS = 3;

    private final int cost;            // 1 + W
    private final long baseWord;
    private final int[] firstWord;     // per instruction
    private final int[] lastWord;
    private final int[] ready;         // per word: earliest issue time of an instruction ending in it
    private final int[] lastIssue;     // per word: issue time of the last instruction using it
    private int computed = -1;         // words 0..computed have a ready time
    private int portFree = Integer.MIN_VALUE / 2;
    private int restartWord = -1;
    private int restartTime;

    PrefetchBuffer(List<Instruction> instructions, int waitStates) {
        this.cost = 1 + waitStates;
        int n = instructions.size();
        this.baseWord = instructions.get(0).address() >>> 2;
        this.firstWord = new int[n];
        this.lastWord = new int[n];
        for (int i = 0; i < n; i++) {
            Instruction in = instructions.get(i);
            firstWord[i] = (int) ((in.address() >>> 2) - baseWord);
            lastWord[i] = (int) (((in.address() + in.size() - 1) >>> 2) - baseWord);
        }
        int words = lastWord[n - 1] + 1;
        this.ready = new int[words + 1];
        this.lastIssue = new int[words + 1];
        java.util.Arrays.fill(lastIssue, Integer.MIN_VALUE / 2);
    }

    int available(int i) {
        int need = lastWord[i];
        while (computed < need) {
            int k = ++computed;
            int r;
            if (k == 0 || (k == 1 && lastWord[0] == 1)) {
                r = 0;
            } else if (k == restartWord) {
                r = restartTime;
            } else {
                r = ready[k - 1] + cost;                       // one fetch after the other
                if (k >= PREFETCH_WORDS) {
                    r = Math.max(r, lastIssue[k - PREFETCH_WORDS] + cost);   // buffer full until then
                }
                r = Math.max(r, portFree + cost);              // flash busy with a data read
            }
            ready[k] = r;
        }
        return ready[need];
    }

    void issued(int i, int time) {
        for (int w = firstWord[i]; w <= lastWord[i]; w++) {
            lastIssue[w] = time;
        }
    }

    /** A data read of the code memory (a literal) issued at {@code time} holds the port. */
    void dataAccess(int time, int cycles) {
        portFree = Math.max(portFree, time + cycles);
    }

    /** ISB: the word after it is fetched again and is there at {@code time}. */
    void restartAfter(Instruction isb, int time) {
        restartWord = (int) (((isb.address() + isb.size() - 1) >>> 2) - baseWord) + 1;
        restartTime = time;
    }
}
