package org.clinicalfunctions.ingest;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Signed webhooks: how lab systems prove who posts. Each sender signs the body with a shared secret (HMAC-SHA256)
 * and sends the {@code Clinical-Signature} header described in the module README.
 *
 * @param required true (the default) refuses unsigned requests with 401. Only the local runtime turns it off, in
 *     one place; a signature that is sent is checked either way
 * @param tolerance how far the signed timestamp may be from this server's clock. Default 5 minutes: a captured
 *     request cannot be replayed later than that, and one replayed within it makes the same event ids again
 * @param keys the senders' keys, their secrets from a Secret or Key Vault, never from the manifests
 */
@ConfigurationProperties("clinical.ingest.signature")
public record SignatureProperties(
        @DefaultValue("true") boolean required,
        @DefaultValue("5m") Duration tolerance,
        @DefaultValue List<Key> keys) {

    /**
     * One sender's key.
     *
     * @param id the key id the sender names in its header, for example {@code acme-lab-2026}
     * @param secret the shared secret; at least 32 characters
     * @param application MSH-3.1 every message signed with this key must carry; empty binds no application
     * @param facility MSH-4.1 every message signed with this key must carry; empty binds no facility
     */
    public record Key(String id, String secret, @DefaultValue("") String application,
            @DefaultValue("") String facility) {

        public Key {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("INGEST-010 a signing key needs an id");
            }
            if (secret == null || secret.length() < 32) {
                throw new IllegalArgumentException("INGEST-011 signing key '" + id
                        + "' needs a secret of at least 32 characters");
            }
        }

        @Override
        public String toString() {
            return "Key[id=" + id + ", application=" + application + ", facility=" + facility + "]";
        }
    }
}
