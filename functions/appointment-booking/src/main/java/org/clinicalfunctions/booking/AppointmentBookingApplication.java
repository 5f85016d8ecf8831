package org.clinicalfunctions.booking;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

import ca.uhn.fhir.context.FhirContext;
import org.clinicalfunctions.auth.AuthProblemReplies;
import org.clinicalfunctions.auth.BearerTokenVerifier;
import org.clinicalfunctions.http.DeliveryRefusalReply;
import org.clinicalfunctions.http.DeliveryTokenVerifier;
import org.clinicalfunctions.http.FunctionReply;
import org.clinicalfunctions.http.InvalidEventReply;
import org.clinicalfunctions.http.PayloadTooLargeReply;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/** Appointment booking for patient portals: FHIR Slot search and Appointment booking in PostgreSQL. */
@SpringBootApplication
@EnableConfigurationProperties(BookingProperties.class)
public class AppointmentBookingApplication {

    public static void main(String[] args) {
        SpringApplication.run(AppointmentBookingApplication.class, args);
    }

    /**
     * A context of our own, not the shared cached one, as its parser options differ: no resource this function
     * encodes points at an in-memory resource without an id, so the encoder's walk over every element looking
     * for such targets to contain (about 6% of the samples in a profile of the booking benchmark) is switched
     * off. Resources the caller contained explicitly are still written.
     */
    @Bean
    FhirContext fhirContext() {
        FhirContext context = FhirContext.forR4();
        context.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return context;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    HttpClient brokerClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    /** The function cloudevent-http serves at {@code POST /}. */
    @Bean
    AvailabilityFunction availability(AvailabilityWriter writer, FhirJson fhir) {
        return new AvailabilityFunction(writer, fhir);
    }

    /** A delivery without the broker's token is refused as an OperationOutcome; 401 sends it to the dead letters. */
    @Bean
    DeliveryRefusalReply operationOutcomeDeliveryRefusal() {
        return refusal -> refusal.reply(FhirJson.CONTENT_TYPE, refusal.operationOutcome());
    }

    /** A broken CloudEvent (no id, source, type or a bad spec version) is refused as an OperationOutcome, 400. */
    @Bean
    InvalidEventReply operationOutcomeInvalidEvent(FhirJson fhir) {
        return () -> FunctionReply.http(400, FhirJson.CONTENT_TYPE, fhir.outcome(BookingProblem.invalid("BK-103",
                "Bundle", "not a valid CloudEvent: id, source, type and specversion 1.0 are required")));
    }

    /** An availability Bundle over {@code clinical.http.max-body-bytes}, 413 as an OperationOutcome. */
    @Bean
    PayloadTooLargeReply operationOutcomeTooLarge(FhirJson fhir) {
        return limit -> FunctionReply.http(413, FhirJson.CONTENT_TYPE,
                fhir.outcome(BookingProblem.tooLarge("Bundle", limit)));
    }

    @Bean
    FilterRegistrationBean<AvailabilityAuthFilter> availabilityAuth(BearerTokenVerifier verifier,
            AuthProblemReplies replies, DeliveryTokenVerifier deliveries) {
        return new FilterRegistrationBean<>(new AvailabilityAuthFilter(verifier, replies, deliveries));
    }
}
