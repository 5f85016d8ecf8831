package org.clinicalfunctions.lab;

import java.time.ZoneId;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How lab results are normalised.
 *
 * @param defaultZone zone of a timestamp that has no offset when MSH-7 has none either; set it to the sending
 *     laboratory's zone per deployment. Default {@code UTC}, never the server's own zone.
 */
@ConfigurationProperties("clinical.lab")
public record LabNormalizerProperties(@DefaultValue("UTC") ZoneId defaultZone) {
}
