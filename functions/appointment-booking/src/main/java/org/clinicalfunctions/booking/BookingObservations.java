package org.clinicalfunctions.booking;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationPredicate;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * Leaves bookings ({@code POST /Appointment} and {@code $book}) out of Spring's {@code http.server.requests}
 * observation, which cost about a twentieth of a booking's CPU. That timer was never exported (the function
 * exposes only {@code health}); a booking's record is its {@code booked} event in the outbox.
 */
@Component
class BookingObservations implements ObservationPredicate {

    @Override
    public boolean test(String name, Observation.Context context) {
        if (context instanceof ServerRequestObservationContext server) {
            HttpServletRequest request = server.getCarrier();
            return !("POST".equals(request.getMethod())
                    && request.getRequestURI().startsWith(request.getContextPath() + "/Appointment"));
        }
        return true;
    }
}
