package org.clinicalfunctions.booking;

import java.util.List;

/**
 * A {@code GET /Slot} search.
 *
 * @param scheduleId the Schedule's id, or {@code null} for all
 * @param statuses the statuses wanted; {@code free} when the request names none
 * @param serviceType a {@code code} or {@code system|code} of {@code Slot.serviceType}, or {@code null}
 * @param start conditions on {@code Slot.start}
 */
record SlotQuery(String scheduleId, List<String> statuses, String serviceType, InstantConditions start) {
}
