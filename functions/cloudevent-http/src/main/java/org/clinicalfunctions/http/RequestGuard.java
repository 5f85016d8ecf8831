package org.clinicalfunctions.http;

import java.util.List;
import java.util.Map;

import org.springframework.messaging.Message;

/**
 * Decides whether a request may reach the function, after the body is read and before it is parsed: a signed
 * webhook's signature, a broker's OIDC token. A function application that declares one bean of this type gets every
 * {@code POST /} checked by it; without one, every request goes through.
 */
@FunctionalInterface
public interface RequestGuard {

    /**
     * @param headers the request's headers, names case-insensitive
     * @param body the request body exactly as received
     * @return {@link Verdict#allow(Map)} with attributes to add to the function's input message as headers, or
     *     {@link Verdict#deny(Message)} with the reply to send instead, in the caller's terms
     */
    Verdict check(Map<String, List<String>> headers, byte[] body);

    /**
     * What the guard decided.
     *
     * @param denial the reply when the request is refused, null when it may go on
     * @param attributes what the guard learned about the caller (for example the sender a signing key is bound
     *     to), added to the input message's headers; never taken from the request's own headers
     */
    record Verdict(Message<byte[]> denial, Map<String, String> attributes) {

        public static Verdict allow(Map<String, String> attributes) {
            return new Verdict(null, Map.copyOf(attributes));
        }

        public static Verdict deny(Message<byte[]> reply) {
            return new Verdict(reply, Map.of());
        }

        public boolean allowed() {
            return denial == null;
        }
    }
}
