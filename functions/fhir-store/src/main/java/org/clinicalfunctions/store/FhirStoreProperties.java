package org.clinicalfunctions.store;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the store answers searches. The database itself is configured with Spring's {@code spring.datasource.*}.
 *
 * @param defaultCount entries in a searchset when the client sends no {@code _count}. Default 100.
 * @param maxCount largest {@code _count} honoured; larger requests get this many entries. Default 1000, which
 *     keeps a searchset of lab results well under the platform's 4 MiB body limit.
 */
@ConfigurationProperties("clinical.fhir-store.search")
public record FhirStoreProperties(
        @DefaultValue("100") int defaultCount,
        @DefaultValue("1000") int maxCount) {
}
