package org.clinicalfunctions.lab;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic resource ids: a name-based UUID of the parts that identify the clinical thing, so a re-delivered
 * message overwrites the resources it created before instead of duplicating them.
 */
final class ResourceKeys {

    /**
     * One MD5 digest per thread. {@link UUID#nameUUIDFromBytes} looks the algorithm up in the security providers on
     * every call, which cost about 2% of a message's time for its dozen ids. The ids are keys, not secrets.
     */
    private static final ThreadLocal<MessageDigest> MD5 = ThreadLocal.withInitial(ResourceKeys::newMd5);

    private ResourceKeys() {
    }

    /** The name-based (version 3) UUID of the parts joined by {@code |}: the same as {@code nameUUIDFromBytes}. */
    static String idOf(String... parts) {
        byte[] hash = MD5.get().digest(String.join("|", parts).getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) (hash[6] & 0x0f | 0x30);
        hash[8] = (byte) (hash[8] & 0x3f | 0x80);
        return new UUID(bits(hash, 0), bits(hash, 8)).toString();
    }

    private static long bits(byte[] hash, int from) {
        long bits = 0;
        for (int i = from; i < from + 8; i++) {
            bits = bits << 8 | hash[i] & 0xff;
        }
        return bits;
    }

    private static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java runtime", e);
        }
    }
}
