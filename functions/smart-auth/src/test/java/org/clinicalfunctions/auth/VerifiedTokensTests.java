package org.clinicalfunctions.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class VerifiedTokensTests {

    private static final Caller PATIENT = new Caller("oid-1", "p-1",
            List.of(SmartScope.parse("patient/Appointment.rs").orElseThrow()));

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final VerifiedTokens tokens = new VerifiedTokens(now::get);

    @Test
    void remembersACallerUntilTheTokenExpires() {
        tokens.add("token-a", PATIENT, new Date(now.get() + 30_000));

        now.addAndGet(29_999);
        assertThat(tokens.find("token-a")).isSameAs(PATIENT);
        now.addAndGet(1);
        assertThat(tokens.find("token-a")).isNull();
    }

    @Test
    void forgetsAfterAMinuteThoughTheTokenLivesLonger() {
        tokens.add("token-a", PATIENT, new Date(now.get() + 3_600_000));

        now.addAndGet(VerifiedTokens.LIFETIME_MILLIS - 1);
        assertThat(tokens.find("token-a")).isSameAs(PATIENT);
        now.addAndGet(1);
        assertThat(tokens.find("token-a")).isNull();
    }

    @Test
    void findsOnlyTheExactToken() {
        tokens.add("token-a", PATIENT, new Date(now.get() + 30_000));

        assertThat(tokens.find("token-b")).isNull();
        assertThat(tokens.find("token-a ")).isNull();
    }

    @Test
    void keepsNoTokenAlreadyExpired() {
        tokens.add("token-a", PATIENT, new Date(now.get()));

        assertThat(tokens.size()).isZero();
    }

    @Test
    void staysWithinItsCapacity() {
        for (int i = 0; i < VerifiedTokens.CAPACITY * 3; i++) {
            tokens.add("token-" + i, PATIENT, new Date(now.get() + 30_000));
        }

        assertThat(tokens.size()).isLessThanOrEqualTo(VerifiedTokens.CAPACITY);
        assertThat(tokens.find("token-" + (VerifiedTokens.CAPACITY * 3 - 1))).isSameAs(PATIENT);
    }
}
