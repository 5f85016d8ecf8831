package org.clinicalfunctions.store;

/**
 * The identity of a delivered event: CloudEvents 1.0 says source and id together are unique, so a redelivery
 * carries the same pair. Other attributes (traceparent, time) may change on retry and are not part of it. Senders
 * do reuse HL7 control ids for different messages (the HL7 ELR guide's examples all say {@code 1234567890}), so
 * the digest of the data is part of the key too: a different message under a reused id is stored, not skipped.
 *
 * @param source the {@code ce-source} attribute
 * @param id the {@code ce-id} attribute
 * @param dataSha256 hex SHA-256 of the event data
 */
public record EventKey(String source, String id, String dataSha256) {

    public static EventKey of(String source, String id, byte[] data) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(data);
            return new EventKey(source, id, java.util.HexFormat.of().formatHex(digest));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
