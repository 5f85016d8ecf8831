package org.clinicalfunctions.http;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the single function is served.
 *
 * @param maxBodyBytes largest accepted request body; larger ones get 413. Default 4 MiB, which holds an HL7
 *     message with an embedded PDF report.
 */
@ConfigurationProperties("clinical.http")
public record FunctionHttpProperties(
        @DefaultValue("4194304") long maxBodyBytes) {
}
