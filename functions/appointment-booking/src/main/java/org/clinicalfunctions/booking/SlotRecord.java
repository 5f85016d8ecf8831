package org.clinicalfunctions.booking;

import java.time.Instant;

/**
 * A stored Slot. Its resource text carries neither {@code status} nor {@code meta}: those live in columns, so
 * booking a slot changes one row without re-encoding it.
 */
record SlotRecord(String id, String scheduleId, String status, Instant start, Instant end, int version,
        Instant updatedAt, String resource) {

    boolean isFree() {
        return "free".equals(status);
    }
}
