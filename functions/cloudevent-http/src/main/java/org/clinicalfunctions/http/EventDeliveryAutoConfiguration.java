package org.clinicalfunctions.http;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The check of broker deliveries' tokens ({@code clinical.eventing.oidc.*}), in every application that has this
 * module: the single-function endpoint uses it, and so can a controller a Trigger delivers to.
 */
@AutoConfiguration
@EnableConfigurationProperties(EventDeliveryProperties.class)
public class EventDeliveryAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DeliveryTokenVerifier deliveryTokenVerifier(EventDeliveryProperties properties) {
        return new DeliveryTokenVerifier(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    DeliveryRefusalReply problemJsonDeliveryRefusal() {
        return refusal -> refusal.reply("application/problem+json", refusal.problemJson());
    }
}
