package org.clinicalfunctions.auth;

import java.util.Date;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Callers of tokens that passed every check, so a portal's next request with the same token skips the RSA
 * verification. The key is the whole compact token, signature included: a token that differs in one character
 * is verified afresh. An entry is used before the token's {@code exp} only (the clock skew is not granted
 * here), and for {@link #LIFETIME_MILLIS} at most, so a key withdrawn from the issuer's set stops its tokens
 * about as soon as the key-set cache would. Refused tokens are never kept. At most {@link #CAPACITY} entries.
 */
final class VerifiedTokens {

    /** How long a verified token is remembered at most, in milliseconds. */
    static final long LIFETIME_MILLIS = 60_000;

    /** Most tokens remembered; a full cache drops its expired entries, and everything if none has expired. */
    static final int CAPACITY = 4096;

    private record Entry(Caller caller, long untilMillis) {
    }

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    VerifiedTokens(LongSupplier clock) {
        this.clock = clock;
    }

    /** The caller of a token verified earlier and still fit to use now, or {@code null}. */
    Caller find(String token) {
        Entry entry = entries.get(token);
        if (entry == null) {
            return null;
        }
        if (clock.getAsLong() >= entry.untilMillis()) {
            entries.remove(token, entry);
            return null;
        }
        return entry.caller();
    }

    /** Remembers the caller of a token that has just passed every check; {@code expiry} is its {@code exp}. */
    void add(String token, Caller caller, Date expiry) {
        long now = clock.getAsLong();
        long until = Math.min(expiry.getTime(), now + LIFETIME_MILLIS);
        if (until <= now) {
            return;
        }
        if (entries.size() >= CAPACITY) {
            entries.values().removeIf(entry -> now >= entry.untilMillis());
            if (entries.size() >= CAPACITY) {
                entries.clear();
            }
        }
        entries.put(token, new Entry(caller, until));
    }

    int size() {
        return entries.size();
    }
}
