package org.clinicalfunctions.booking;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Times bookings ({@code POST /Appointment} and {@code $book}) as {@code booking.requests}, tagged with the answer's
 * status only, with a histogram for percentiles in Prometheus. Spring's {@code http.server.requests} observation
 * leaves bookings out ({@link BookingObservations}): a plain timer per status costs a booking a fraction of it.
 */
@Component
class BookingTimer extends OncePerRequestFilter {

    static final String NAME = "booking.requests";

    private final MeterRegistry registry;
    private final Map<Integer, Timer> byStatus = new ConcurrentHashMap<>();

    BookingTimer(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !BookingObservations.isBooking(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long started = System.nanoTime();
        try {
            chain.doFilter(request, response);
        } finally {
            timer(response.getStatus()).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(int status) {
        return byStatus.computeIfAbsent(status, code -> Timer.builder(NAME)
                .description("Bookings answered, by HTTP status")
                .tag("status", Integer.toString(code))
                .publishPercentileHistogram()
                .register(registry));
    }
}
