package org.clinicalfunctions.booking;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves bookings ({@code POST /Appointment} and {@code $book}) out of Spring's {@code http.server.requests}
 * observation, which cost about a twentieth of a booking's CPU; {@link BookingTimer} times them instead.
 */
@Component
class BookingObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (context instanceof ServerRequestObservationContext server) {
            return !isBooking(server.getCarrier());
        }
        return true;
    }

    static boolean isBooking(HttpServletRequest request) {
        return "POST".equals(request.getMethod())
                && request.getRequestURI().startsWith(request.getContextPath() + "/Appointment");
    }
}
