package dev.tinysim.plan;

/**
 * One buffer of the arena's planned part: a tensor an operator reads or writes, or an operator's scratch
 * buffer. Lifetimes are TFLite Micro's allocation times: 0 = the start of the inference (graph inputs exist),
 * i + 1 = operator i runs; [-1, -1] for a tensor nothing touches.
 *
 * @param kind          tensor or scratch
 * @param id            tensor: its index in subgraph 0; scratch: its request number in the model (operators in
 *                      order, each operator's requests in order)
 * @param operator      scratch: the operator that requested it; tensor: -1
 * @param first         first allocation time it is alive
 * @param last          last allocation time it is alive
 * @param bytes         bytes requested (tensor: elements × element size)
 * @param offlineOffset the offset an OfflineMemoryAllocation plan fixes for it, or -1 (planned online)
 */
public record Buffer(Kind kind, int id, int operator, int first, int last, long bytes, long offlineOffset) {

    /** TFLite Micro's buffer alignment ({@code MicroArenaBufferAlignment()}): every size is rounded up to it. */
    public static final int ALIGNMENT = 16;

    public enum Kind {
        tensor, scratch
    }

    /** The bytes the planner reserves: {@link #bytes} rounded up to 16. */
    public long size() {
        return (bytes + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
    }

    /** Whether this buffer and {@code o} are alive at a common time (TFLite Micro's DoesEntryOverlapInTime). */
    public boolean overlapsInTime(Buffer o) {
        return first <= o.last && o.first <= last;
    }

    public boolean aliveAt(int time) {
        return first <= time && time <= last;
    }

    public boolean offline() {
        return offlineOffset >= 0;
    }

    /** The same buffer planned online. */
    public Buffer online() {
        return offlineOffset < 0 ? this : new Buffer(kind, id, operator, first, last, bytes, -1);
    }

    /** The same buffer fixed at an offline offset. */
    public Buffer at(long offset) {
        return new Buffer(kind, id, operator, first, last, bytes, offset);
    }

    @Override
    public String toString() {
        return kind + " " + id + " [" + first + ".." + last + "] " + bytes + " bytes";
    }
}
