package dev.tinysim.plan;

import java.util.List;

/**
 * A placement of every buffer: {@code offsets.get(i)} is where {@code buffers.get(i)} starts, relative to the
 * start of the arena's planned part; {@code size} is the highest end (the bytes the plan needs).
 */
public record Plan(List<Buffer> buffers, List<Long> offsets, long size) {

    public Plan {
        buffers = List.copyOf(buffers);
        offsets = List.copyOf(offsets);
        if (buffers.size() != offsets.size()) {
            throw new IllegalArgumentException(buffers.size() + " buffers, " + offsets.size() + " offsets");
        }
    }

    /** A plan of the given offsets; its size is the highest end. */
    public static Plan of(List<Buffer> buffers, long[] offsets) {
        long size = 0;
        Long[] boxed = new Long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            size = Math.max(size, offsets[i] + buffers.get(i).size());
            boxed[i] = offsets[i];
        }
        return new Plan(buffers, List.of(boxed), size);
    }

    public long offset(int i) {
        return offsets.get(i);
    }

    /** The first two buffers alive at a common time whose bytes overlap, or null when the plan is valid. */
    public String conflict() {
        for (int a = 0; a < buffers.size(); a++) {
            for (int b = a + 1; b < buffers.size(); b++) {
                Buffer x = buffers.get(a);
                Buffer y = buffers.get(b);
                if (x.size() > 0 && y.size() > 0 && x.overlapsInTime(y) && offset(a) < offset(b) + y.size()
                        && offset(b) < offset(a) + x.size()) {
                    return x + " at " + offset(a) + " overlaps " + y + " at " + offset(b);
                }
            }
        }
        return null;
    }
}
