package org.clinicalfunctions.booking;

import java.util.Date;

import org.hl7.fhir.r4.model.Resource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/** FHIR REST answer helpers: version ETags, Location, and reading If-Match. */
final class FhirHttp {

    private FhirHttp() {
    }

    static String etag(int version) {
        return "W/\"" + version + "\"";
    }

    /** The version an {@code If-Match} names; 428 when absent, 400 when it is not {@code W/"n"} or {@code "n"}. */
    static int ifMatchVersion(String ifMatch, String type) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw BookingProblem.versionRequired(type);
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        if (value.length() < 3 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            throw BookingProblem.invalid("BK-119", type, "If-Match must be an ETag such as W/\"1\"");
        }
        try {
            return Integer.parseInt(value.substring(1, value.length() - 1));
        } catch (NumberFormatException e) {
            throw BookingProblem.invalid("BK-119", type, "If-Match must be an ETag such as W/\"1\"");
        }
    }

    /** The absolute URL of a resource at this function's base, as the caller addressed it. */
    static String url(String path) {
        return ServletUriComponentsBuilder.fromCurrentContextPath().path("/" + path).build().toUriString();
    }

    /** A resource answer with its version's ETag and Last-Modified. */
    static ResponseEntity.BodyBuilder resource(ResponseEntity.BodyBuilder builder, Resource resource) {
        builder.header(HttpHeaders.CONTENT_TYPE, FhirJson.CONTENT_TYPE);
        if (resource.getMeta().hasVersionId()) {
            builder.eTag(etag(Integer.parseInt(resource.getMeta().getVersionId())));
        }
        Date lastUpdated = resource.getMeta().getLastUpdated();
        if (lastUpdated != null) {
            builder.lastModified(lastUpdated.toInstant());
        }
        return builder;
    }
}
