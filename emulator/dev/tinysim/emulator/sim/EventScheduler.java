package dev.tinysim.emulator.sim;

import java.util.PriorityQueue;

/**
 * Timed events in simulated cycles (timer compares, SysTick wrap, UART transmission done).
 * The core checks {@link #nextDue()} at every block boundary, so an event fires at most one
 * basic block late — the same granularity at which interrupts are taken.
 */
public final class EventScheduler {
    /** A scheduled event; cancel it when the peripheral is reprogrammed. */
    public static final class Event implements Comparable<Event> {
        private final long cycle;
        private final long sequence;
        private final Runnable action;
        private boolean cancelled;

        private Event(long cycle, long sequence, Runnable action) {
            this.cycle = cycle;
            this.sequence = sequence;
            this.action = action;
        }

        public long cycle() {
            return cycle;
        }

        public void cancel() {
            cancelled = true;
        }

        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(cycle, o.cycle);
            return c != 0 ? c : Long.compare(sequence, o.sequence);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long sequence;
    private long nextDue = Long.MAX_VALUE;

    /** Schedules {@code action} to run once simulated time reaches {@code cycle}. */
    public Event schedule(long cycle, Runnable action) {
        Event e = new Event(cycle, sequence++, action);
        queue.add(e);
        if (cycle < nextDue) {
            nextDue = cycle;
        }
        return e;
    }

    /** Cycle of the earliest pending event, or Long.MAX_VALUE. */
    public long nextDue() {
        return nextDue;
    }

    /** Runs every event due at or before {@code now}, in time order. */
    public void runDue(long now) {
        while (!queue.isEmpty() && queue.peek().cycle <= now) {
            Event e = queue.poll();
            if (!e.cancelled) {
                e.action.run();
            }
        }
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        nextDue = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().cycle;
    }

    /** True when some live event is scheduled (the core can sleep until it). */
    public boolean hasPending() {
        while (!queue.isEmpty() && queue.peek().cancelled) {
            queue.poll();
        }
        nextDue = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().cycle;
        return !queue.isEmpty();
    }
}
