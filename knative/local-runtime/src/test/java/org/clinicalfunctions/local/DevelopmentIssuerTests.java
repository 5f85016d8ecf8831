package org.clinicalfunctions.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.clinicalfunctions.auth.AuthProblem;
import org.clinicalfunctions.auth.BearerTokenVerifier;
import org.clinicalfunctions.auth.SmartAuthProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Development tokens work only where the local platform set the development issuer: a function with its Entra ID
 * settings refuses them, even one misconfigured to fetch the development key set over the loopback ingress.
 */
class DevelopmentIssuerTests {

    private static final String ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0";
    private static final String ENTRA_AUDIENCE = "api://clinical-functions";

    private IngressRouter ingress;
    private DevelopmentIssuer issuer;

    @BeforeEach
    void start() throws IOException {
        ingress = new IngressRouter(0);
        issuer = new DevelopmentIssuer(URI.create("http://localhost:" + ingress.port() + "/"));
        ingress.mount(DevelopmentIssuer.SEGMENT, issuer);
        ingress.start();
    }

    @AfterEach
    void stop() {
        ingress.close();
    }

    @Test
    void tokensPassWithTheSettingsTheLocalPlatformGivesFunctions() {
        assertThat(verifier(issuer.issuer().toString(), DevelopmentIssuer.AUDIENCE).verify(issuer.token("p-1", null))
                .patientId()).isEqualTo("p-1");
    }

    @Test
    void tokensAreRefusedUnderEntraSettingsEvenWithTheDevelopmentKeys() {
        String token = issuer.token("p-1", null);

        assertThatThrownBy(() -> verifier(ENTRA, ENTRA_AUDIENCE).verify(token)).isInstanceOf(AuthProblem.class)
                .hasMessage("token audience not accepted");
        assertThatThrownBy(() -> verifier(ENTRA, DevelopmentIssuer.AUDIENCE).verify(token))
                .isInstanceOf(AuthProblem.class).hasMessage("token issuer not accepted");
    }

    private BearerTokenVerifier verifier(String issuerName, String audience) {
        return new BearerTokenVerifier(new SmartAuthProperties(issuerName, List.of(audience),
                URI.create(issuer.issuer() + "/jwks"), "clinical-functions", Duration.ofSeconds(60),
                Duration.ofMinutes(15), Duration.ofSeconds(2), Duration.ofSeconds(30)));
    }
}
