package dev.tinysim.emulator.memory;

/**
 * What the flash path counted in a run. Instruction-side counts are per flash row a block's fetches
 * touch (one 32-bit fetch word on a part that reads flash 32 bits at a time); data-side counts are
 * per transfer (an LDM of four registers is four).
 *
 * @param instructionHits    fetches served by the instruction cache
 * @param instructionMisses  fetches that missed it (a line fill)
 * @param instructionBuffered fetches served by the line buffer (the row read last) or the prefetched row
 * @param instructionFlashRows uncached rows read from flash for fetches
 * @param instructionStall   cycles the core waited for instructions (beyond zero-wait fetches)
 * @param dataReads          data transfers from flash that the run-time model saw
 * @param dataHits           of those, served by the data cache
 * @param dataMisses         that missed it
 * @param dataBuffered       served by the data line buffer or prefetched row
 * @param dataFlashRows      uncached rows read from flash for data
 * @param dataStall          cycles the core waited for data (beyond zero-wait reads)
 * @param unresolved         data reads whose address could not be computed (not charged; see docs)
 */
public record MemoryStats(long instructionHits, long instructionMisses, long instructionBuffered, long instructionFlashRows,
                          long instructionStall, long dataReads, long dataHits, long dataMisses, long dataBuffered,
                          long dataFlashRows, long dataStall, long unresolved) {

    public static MemoryStats none() {
        return new MemoryStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Instruction cache hit rate, or NaN when it was not used. */
    public double instructionHitRate() {
        long n = instructionHits + instructionMisses;
        return n == 0 ? Double.NaN : (double) instructionHits / n;
    }

    /** Data cache hit rate, or NaN when it was not used. */
    public double dataHitRate() {
        long n = dataHits + dataMisses;
        return n == 0 ? Double.NaN : (double) dataHits / n;
    }
}
