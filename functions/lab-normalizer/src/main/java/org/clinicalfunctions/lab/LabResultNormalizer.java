package org.clinicalfunctions.lab;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.clinicalfunctions.hl7.Hl7FormatException;
import org.clinicalfunctions.hl7.Hl7Text;
import org.clinicalfunctions.hl7.MessageHeader;
import org.clinicalfunctions.http.CloudEventHeaders;
import org.clinicalfunctions.http.FunctionReply;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;

/**
 * The {@code labNormalizer} function: an HL7 v2 ORU^R01 (CloudEvent data or a plain HTTP body) in, a FHIR R4
 * transaction Bundle out, as a reply CloudEvent for the broker or as the HTTP body for a plain caller. A message
 * that can never be mapped gets 400 with an OperationOutcome naming the code and location; Knative does not retry a
 * 400, so the broker sends it straight to the dead-letter sink.
 */
public class LabResultNormalizer implements Function<Message<byte[]>, Message<byte[]>> {

    /** CloudEvent type of the reply. */
    public static final String EVENT_TYPE = "org.clinicalfunctions.lab.result.normalized";
    /** CloudEvent source of the reply. */
    public static final URI EVENT_SOURCE = URI.create("/functions/lab-normalizer");
    /** Content type of the Bundle and of OperationOutcomes. */
    public static final String FHIR_JSON = "application/fhir+json";

    private static final Logger log = LoggerFactory.getLogger(LabResultNormalizer.class);
    /** The occurrence index of a location, {@code [12]} in {@code OBX[12]-6}: compiled once, used per warning. */
    private static final Pattern OCCURRENCE = Pattern.compile("\\[\\d+]");

    private final FhirContext fhir;
    private final OruParser parser = new OruParser();
    private final OruToFhirMapper mapper;
    private final MeterRegistry meters;

    /**
     * The FHIR context this function wants: R4, without the scan for reference targets to contain. Our references
     * are plain {@code Type/id} strings, never resource objects, so the scan finds nothing and costs about 40% of
     * the Bundle's encoding time. Expensive to build and thread-safe: one per application.
     */
    public static FhirContext newFhirContext() {
        FhirContext fhir = FhirContext.forR4();
        fhir.getParserOptions().setAutoContainReferenceTargetsWithNoId(false);
        return fhir;
    }

    public LabResultNormalizer(FhirContext fhir, LabNormalizerProperties properties) {
        this(fhir, properties, new SimpleMeterRegistry());
    }

    /**
     * @param meters where mapping warnings and refusals are counted, tagged by code and HL7 field ({@code OBX-6}),
     *     never by value: {@code lab.mapping.warnings} and {@code lab.mapping.refusals}
     */
    public LabResultNormalizer(FhirContext fhir, LabNormalizerProperties properties, MeterRegistry meters) {
        this.fhir = fhir;
        this.mapper = new OruToFhirMapper(properties);
        this.meters = meters;
    }

    @Override
    public Message<byte[]> apply(Message<byte[]> input) {
        long started = System.nanoTime();
        String eventId = CloudEventHeaders.attribute(input, "id");
        try {
            // hl7-ingest re-encodes data as UTF-8 and says so in the content type, while MSH-18 keeps the sender's.
            Object contentType = input.getHeaders().get(CloudEventHeaders.CONTENT_TYPE);
            Normalized normalized = normalizeCounting(Hl7Text.decode(input.getPayload(),
                    contentType == null ? null : contentType.toString()));
            byte[] json = encode(normalized.bundle());
            logOutcome(eventId, "normalized", normalized, started);
            count(normalized.warnings());
            return reply(input, json, normalized.warnings().count());
        } catch (LabMappingException e) {
            meters.counter("lab.mapping.refusals", "code", e.code(), "field", fieldOf(e.location())).increment();
            logOutcome(eventId, e.code(), null, started);
            return FunctionReply.http(400, FHIR_JSON,
                    OperationOutcomes.error(fhir, IssueType.INVALID, e.diagnostics(), e.location()));
        } catch (RuntimeException e) {
            // The exception's message may quote message content, so only its type is logged.
            log.error("function=labNormalizer ceId={} outcome=LAB-500 error={}", eventId, e.getClass().getName());
            return FunctionReply.http(500, FHIR_JSON,
                    OperationOutcomes.error(fhir, IssueType.EXCEPTION, "LAB-500 internal error", ""));
        }
    }

    private void count(MappingWarnings warnings) {
        for (MappingWarnings.Warning warning : warnings.all()) {
            meters.counter("lab.mapping.warnings", "code", warning.code(), "field", fieldOf(warning.location()))
                    .increment();
        }
    }

    /** {@code OBX[12]-6} becomes {@code OBX-6}: a tag per field, not per occurrence, keeps the series few. */
    static String fieldOf(String location) {
        return location == null ? "" : OCCURRENCE.matcher(location).replaceAll("");
    }

    /**
     * Decodes, checks, parses and maps one message.
     *
     * @param payload HL7 v2 bytes in the charset MSH-18 declares, MLLP framing allowed
     */
    public Bundle normalize(byte[] payload) throws LabMappingException {
        return normalize(Hl7Text.decode(payload));
    }

    /** Checks, parses and maps one message that is already text (for example one message of a batch). */
    public Bundle normalize(String text) throws LabMappingException {
        return normalizeCounting(text).bundle();
    }

    /**
     * A mapped message, the number of segments it had that v2.5.1 ORU^R01 has no place for, and the warnings that
     * the Bundle's OperationOutcome carries.
     */
    record Normalized(Bundle bundle, int ignoredSegments, MappingWarnings warnings) {
    }

    Normalized normalizeCounting(String text) throws LabMappingException {
        List<String> segments = Hl7Text.segments(text);
        MessageHeader header = header(segments);
        if (!"ORU_R01".equals(header.messageStructure())) {
            throw new LabMappingException("LAB-202", "MSH-9", "message is not an ORU^R01");
        }

        MappingWarnings warnings = new MappingWarnings();
        OruParser.ParsedOru parsed = parser.parse(segments, header, warnings);
        return new Normalized(mapper.map(parsed, header, warnings), parsed.ignoredSegments(), warnings);
    }

    /**
     * The Bundle as compact JSON, the form the reply carries: the same bytes HAPI's encoder gives, written without
     * its reflective field reads (see {@link CompactFhirJson}).
     */
    public byte[] encode(Bundle bundle) {
        return CompactFhirJson.encode(bundle);
    }

    private static MessageHeader header(List<String> segments) throws LabMappingException {
        try {
            if (segments.isEmpty()) {
                throw new Hl7FormatException("100", "MSH", "message is empty");
            }
            return MessageHeader.parse(segments.get(0));
        } catch (Hl7FormatException e) {
            throw new LabMappingException("LAB-" + e.errorCode(), e.location(), e.getMessage());
        }
    }

    private static Message<byte[]> reply(Message<byte[]> input, byte[] json, int warnings) {
        if (!CloudEventHeaders.isCloudEvent(input)) {
            return FunctionReply.http(200, FHIR_JSON, json);
        }
        String source = CloudEventHeaders.attribute(input, "source");
        String id = CloudEventHeaders.attribute(input, "id");
        return FunctionReply.event(ResourceKeys.idOf(source, id, "normalized"), EVENT_SOURCE, EVENT_TYPE,
                CloudEventHeaders.attribute(input, "subject"), FHIR_JSON, json,
                Map.of("hl7eventid", id, "warnings", Integer.toString(warnings)));
    }

    /** Counts and locations only: a set-aside segment or a warning is reported by location, never by content. */
    private static void logOutcome(String eventId, String outcome, Normalized normalized, long started) {
        double millis = (System.nanoTime() - started) / 1_000_000.0;
        int resources = normalized == null ? 0 : normalized.bundle().getEntry().size();
        int ignored = normalized == null ? 0 : normalized.ignoredSegments();
        int warnings = normalized == null ? 0 : normalized.warnings().count();
        String locations = normalized == null ? "" : normalized.warnings().locations();
        log.atInfo()
                .addKeyValue("function", "labNormalizer")
                .addKeyValue("ceId", eventId)
                .addKeyValue("outcome", outcome)
                .addKeyValue("resources", resources)
                .addKeyValue("ignoredSegments", ignored)
                .addKeyValue("warnings", warnings)
                .addKeyValue("warningLocations", locations)
                .addKeyValue("durationMs", millis)
                .log("function=labNormalizer ceId={} outcome={} resources={} ignoredSegments={} warnings={} "
                        + "warningLocations={} durationMs={}", eventId, outcome, resources, ignored, warnings,
                        locations, millis);
    }
}
