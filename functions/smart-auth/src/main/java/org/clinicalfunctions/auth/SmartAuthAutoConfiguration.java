package org.clinicalfunctions.auth;

import java.util.List;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Everything a function needs to take bearer tokens: the verifier from {@code clinical.auth.*}, the
 * {@link Caller} argument of controller methods and the 401/403 replies.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@EnableConfigurationProperties(SmartAuthProperties.class)
public class SmartAuthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    BearerTokenVerifier bearerTokenVerifier(SmartAuthProperties properties) {
        return new BearerTokenVerifier(properties);
    }

    @Bean
    AuthProblemReplies authProblemReplies(SmartAuthProperties properties) {
        return new AuthProblemReplies(properties);
    }

    @Bean
    WebMvcConfigurer callerArgument(BearerTokenVerifier verifier) {
        return new WebMvcConfigurer() {
            @Override
            public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
                resolvers.add(new CallerArgumentResolver(verifier));
            }
        };
    }
}
