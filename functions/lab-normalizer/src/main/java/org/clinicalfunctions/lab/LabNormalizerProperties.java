package org.clinicalfunctions.lab;

import java.time.ZoneId;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How lab results are normalised.
 *
 * @param defaultZone zone of a timestamp that has no offset when MSH-7 has none either and the sender has no zone
 *     of its own; set it to the laboratories' usual zone per deployment. Default {@code UTC}, never the server's
 *     own zone.
 * @param senders what differs per sending laboratory ({@code clinical.lab.senders[n]}): its zone and its local
 *     code map. Default none.
 */
@ConfigurationProperties("clinical.lab")
public record LabNormalizerProperties(ZoneId defaultZone, List<Sender> senders) {

    @ConstructorBinding
    public LabNormalizerProperties(@DefaultValue("UTC") ZoneId defaultZone, List<Sender> senders) {
        this.defaultZone = defaultZone;
        this.senders = senders == null ? List.of() : List.copyOf(senders);
    }

    /** Properties with only the default zone and no sender entries. */
    public LabNormalizerProperties(ZoneId defaultZone) {
        this(defaultZone, List.of());
    }

    /** The first entry for this MSH-3.1 and MSH-4.1, or null when the sender has none. */
    Sender senderOf(String application, String facility) {
        for (Sender sender : senders) {
            if (sender.matches(application, facility)) {
                return sender;
            }
        }
        return null;
    }

    /**
     * One sending laboratory, identified as in MSH-3.1 and MSH-4.1 (exact, case-sensitive).
     *
     * @param application MSH-3.1 namespace id as sent. Required: an entry without it matches no message.
     * @param facility MSH-4.1 namespace id as sent. Default empty: the entry then matches every facility of the
     *     application.
     * @param zone zone of this sender's zoneless timestamps when MSH-7 has no offset. Default none: the
     *     {@code default-zone} applies.
     * @param codes local OBX-3 and OBR-4 codes of this sender and the LOINC code each stands for. Default none.
     */
    public record Sender(String application, String facility, ZoneId zone, List<LocalCode> codes) {

        public Sender {
            facility = facility == null ? "" : facility;
            codes = codes == null ? List.of() : List.copyOf(codes);
        }

        boolean matches(String messageApplication, String messageFacility) {
            return application != null && !application.isEmpty() && application.equals(messageApplication)
                    && (facility.isEmpty() || facility.equals(messageFacility));
        }
    }

    /**
     * A sender's local code and its LOINC equivalent.
     *
     * @param code the local code as sent in OBX-3.1 / OBR-4.1 (or .4 for the alternate triplet). Required.
     * @param system the coding system as sent in OBX-3.3 / OBR-4.3, e.g. {@code L} or {@code 99LAB}. Default
     *     empty: a code sent without coding system.
     * @param loinc the LOINC code added as a second coding with system {@code http://loinc.org}. Required.
     * @param display the display of that LOINC coding. Default none (no display).
     */
    public record LocalCode(String code, String system, String loinc, String display) {

        public LocalCode {
            system = system == null ? "" : system;
        }
    }
}
