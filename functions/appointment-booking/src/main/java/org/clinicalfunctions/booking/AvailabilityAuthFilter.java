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
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code POST /}, where cloudevent-http serves the availability function and no controller parameter can
 * ask for a {@link Caller}: Schedule and Slot create and update rights are needed, from a user or system scope.
 * Broker deliveries need a token too, so a Trigger to this function needs Knative Eventing's OIDC sender tokens
 * from an issuer this function accepts (see the README's limitations).
 */
public class AvailabilityAuthFilter extends OncePerRequestFilter {

    private final BearerTokenVerifier verifier;
    private final AuthProblemReplies replies;

    public AvailabilityAuthFilter(BearerTokenVerifier verifier, AuthProblemReplies replies) {
        this.verifier = verifier;
        this.replies = replies;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !("POST".equals(request.getMethod()) && "/".equals(request.getServletPath()));
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
