package org.clinicalfunctions.local.broker;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Caps how many requests one trigger has open at once; the rest wait in arrival order without holding a thread.
 * Knative leaves this to the queue-proxy's containerConcurrency, which a function process on a laptop lacks.
 */
final class DeliveryLane {

    private final int limit;
    private final Deque<Runnable> waiting = new ArrayDeque<>();
    private int active;

    DeliveryLane(int limit) {
        this.limit = limit;
    }

    /** Runs the send now if there is room, else when an earlier one {@link #leave() leaves}. */
    void enter(Runnable send) {
        synchronized (this) {
            if (active >= limit) {
                waiting.add(send);
                return;
            }
            active++;
        }
        send.run();
    }

    /** A request finished: its slot goes to the next waiting send, if any. */
    void leave() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                active--;
            }
        }
        if (next != null) {
            next.run();
        }
    }
}
