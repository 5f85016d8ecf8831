package org.clinicalfunctions.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
 * @param keys the senders' keys: ids and bindings from configuration (a ConfigMap on AKS)
 * @param secrets the keys' secrets by key id, when a key does not carry its own: on AKS files from Key Vault named
 *     {@code clinical.ingest.signature.secrets.<key id>}. A map, because Spring merges maps from several property
 *     sources where it takes a list from one source only
 */
@ConfigurationProperties("clinical.ingest.signature")
public record SignatureProperties(
        @DefaultValue("true") boolean required,
        @DefaultValue("5m") Duration tolerance,
        @DefaultValue List<Key> keys,
        @DefaultValue Map<String, String> secrets) {

    /** The keys with their secrets resolved and checked: every key has an id and a secret of 32 characters. */
    public List<Key> resolvedKeys() {
        return keys.stream().map(key -> key.withSecret(key.secret() == null || key.secret().isEmpty()
                ? secrets.get(key.id()) : key.secret())).toList();
    }

    /**
     * One sender's key.
     *
     * @param id the key id the sender names in its header, for example {@code acme-lab-2026}
     * @param secret the shared secret, at least 32 characters; or empty, and given in {@code secrets}
     * @param application MSH-3.1 every message signed with this key must carry; empty binds no application
     * @param facility MSH-4.1 every message signed with this key must carry; empty binds no facility
     */
    public record Key(String id, @DefaultValue("") String secret, @DefaultValue("") String application,
            @DefaultValue("") String facility) {

        public Key {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("INGEST-010 a signing key needs an id");
            }
        }

        Key withSecret(String resolved) {
            if (resolved == null || resolved.length() < 32) {
                throw new IllegalArgumentException("INGEST-011 signing key '" + id
                        + "' needs a secret of at least 32 characters");
            }
            return new Key(id, resolved, application, facility);
        }

        @Override
        public String toString() {
            return "Key[id=" + id + ", application=" + application + ", facility=" + facility + "]";
        }
    }
}
