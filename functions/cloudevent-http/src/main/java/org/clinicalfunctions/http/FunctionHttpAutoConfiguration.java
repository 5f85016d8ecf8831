package org.clinicalfunctions.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * Registers {@link FunctionEndpoint} in every function application, that is every application naming its function
 * in {@code spring.cloud.function.definition}; one without (fhir-export) uses only the delivery token check.
 */
@AutoConfiguration(after = EventDeliveryAutoConfiguration.class)
@ConditionalOnProperty("spring.cloud.function.definition")
@EnableConfigurationProperties(FunctionHttpProperties.class)
@Import(FunctionEndpoint.class)
public class FunctionHttpAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    PayloadTooLargeReply problemJsonTooLarge() {
        return limit -> FunctionReply.http(413, "application/problem+json",
                "{\"title\":\"CF-HTTP-413 body larger than " + limit + " bytes\",\"status\":413}");
    }

    @Bean
    @ConditionalOnMissingBean
    InvalidEventReply problemJsonInvalidEvent() {
        return () -> FunctionReply.http(400, "application/problem+json",
                "{\"title\":\"CF-HTTP-400 not a valid CloudEvent\",\"status\":400}");
    }
}
