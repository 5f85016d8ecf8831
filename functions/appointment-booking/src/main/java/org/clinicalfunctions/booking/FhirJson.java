package org.clinicalfunctions.booking;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import org.clinicalfunctions.http.FunctionHttpProperties;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/** FHIR R4 JSON in and out. A HAPI parser is not thread-safe, the context is: one parser per call. */
@Component
public class FhirJson {

    /** Content type of every FHIR body this function writes. */
    public static final String CONTENT_TYPE = "application/fhir+json;charset=UTF-8";

    private final FhirContext context;
    private final long maxBodyBytes;

    /** @param http its {@code clinical.http.max-body-bytes} (4 MiB) bounds request bodies here as on {@code POST /} */
    public FhirJson(FhirContext context, FunctionHttpProperties http) {
        this.context = context;
        this.maxBodyBytes = http.maxBodyBytes();
    }

    /** Parses a request body of the expected type; 413 when it is longer than the limit, 400 as below. */
    public <T extends IBaseResource> T parse(Class<T> type, InputStream body) {
        return parse(type, read(body, context.getResourceType(type)));
    }

    /** Parses any resource from a request body; 413 when it is longer than the limit, 400 as below. */
    public Resource parseAny(InputStream body, String expected) {
        return parseAny(read(body, expected), expected);
    }

    /** Parses a resource of the expected type, or refuses with 400 naming the type. */
    public <T extends IBaseResource> T parse(Class<T> type, byte[] body) {
        String name = context.getResourceType(type);
        if (body == null || body.length == 0) {
            throw BookingProblem.invalid("BK-100", name, "body must be a FHIR " + name);
        }
        try {
            return parser().parseResource(type, new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException | ClassCastException | IllegalArgumentException e) {
            throw BookingProblem.invalid("BK-101", name, "body is not a readable FHIR R4 " + name);
        }
    }

    /** Parses any resource; 400 naming {@code expected} when the body is not FHIR. */
    public Resource parseAny(byte[] body, String expected) {
        if (body == null || body.length == 0) {
            throw BookingProblem.invalid("BK-100", expected, "body must be a FHIR " + expected);
        }
        try {
            IBaseResource resource = parser().parseResource(new String(body, StandardCharsets.UTF_8));
            if (resource instanceof Resource r4) {
                return r4;
            }
        } catch (DataFormatException | IllegalArgumentException e) {
            throw BookingProblem.invalid("BK-101", expected, "body is not a readable FHIR R4 " + expected);
        }
        throw BookingProblem.invalid("BK-101", expected, "body is not a readable FHIR R4 " + expected);
    }

    public <T extends IBaseResource> T parse(Class<T> type, String json) {
        return parser().parseResource(type, json);
    }

    public String encode(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    /** The OperationOutcome of a refused request. */
    public String outcome(BookingProblem problem) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue()
                .setSeverity(IssueSeverity.ERROR)
                .setCode(IssueType.fromCode(problem.issueType()))
                .setDiagnostics(problem.code() + " " + problem.getMessage())
                .addExpression(problem.expression());
        return encode(outcome);
    }

    /** Reads at most one byte past the limit, so a huge body is refused without being held in memory. */
    private byte[] read(InputStream body, String type) {
        try {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw BookingProblem.tooLarge(type, maxBodyBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IParser parser() {
        return context.newJsonParser();
    }
}
