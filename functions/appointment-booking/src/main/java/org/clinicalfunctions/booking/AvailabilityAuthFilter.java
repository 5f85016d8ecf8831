package org.clinicalfunctions.booking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.AuthProblemReplies;
import org.clinicalfunctions.auth.BearerTokenVerifier;
import org.clinicalfunctions.auth.Caller;
import org.clinicalfunctions.auth.Grant;
import org.clinicalfunctions.auth.Interaction;
import org.clinicalfunctions.http.CloudEventHeaders;
import org.clinicalfunctions.http.DeliveryTokenVerifier;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code POST /}, where cloudevent-http serves the availability function and no controller parameter can
 * ask for a {@link Caller}: a plain FHIR transaction needs Schedule and Slot create and update rights, from a user
 * or system scope of an Entra ID token. A CloudEvent is a broker delivery: cloudevent-http's endpoint checks the
 * dispatcher's OIDC token for the Trigger {@code appointment-booking-availability} instead. Only while that check
 * is off (an explicit {@code clinical.eventing.oidc.required=false}) does a CloudEvent need the Entra ID token too.
 */
public class AvailabilityAuthFilter extends OncePerRequestFilter {

    private final BearerTokenVerifier verifier;
    private final AuthProblemReplies replies;
    private final DeliveryTokenVerifier deliveries;

    public AvailabilityAuthFilter(BearerTokenVerifier verifier, AuthProblemReplies replies,
            DeliveryTokenVerifier deliveries) {
        this.verifier = verifier;
        this.replies = replies;
        this.deliveries = deliveries;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/".equals(request.getServletPath()))
                || deliveries.enforced() && CloudEventHeaders.isCloudEventRequest(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            Caller caller = verifier.verifyHeader(request.getHeader(HttpHeaders.AUTHORIZATION));
            for (String type : new String[] {"Schedule", "Slot"}) {
                for (Interaction interaction : new Interaction[] {Interaction.CREATE, Interaction.UPDATE}) {
                    Grant grant = caller.require(type, interaction);
                    if (grant.boundPatient().isPresent()) {
                        throw AuthProblem.insufficientScope(type, interaction);
                    }
                }
            }
        } catch (AuthProblem problem) {
            var reply = replies.reply(problem);
            response.setStatus(reply.getStatusCode().value());
            reply.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
            response.getOutputStream().write(reply.getBody().getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
