package org.clinicalfunctions.booking;

import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Bundle.BundleType;
import org.hl7.fhir.r4.model.Bundle.SearchEntryMode;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * Paging of searches by {@code _count} and {@code _offset}. Offsets can skip or repeat a row when slots are added
 * between two pages; that is acceptable for a list of free times that is re-read before booking.
 *
 * @param count results per page
 * @param offset results skipped
 */
record SearchPage(int count, int offset) {

    static final int MAX_COUNT = 100;

    static SearchPage of(Integer count, Integer offset, int defaultCount) {
        int size = count == null ? defaultCount : count;
        if (size < 0 || offset != null && offset < 0) {
            throw BookingProblem.invalid("BK-142", "_count", "_count and _offset must not be negative");
        }
        return new SearchPage(Math.min(size, MAX_COUNT), offset == null ? 0 : offset);
    }

    /** Rows to ask the database for: one more than the page, to know whether a next page exists. */
    int limit() {
        return count + 1;
    }

    /** A searchset Bundle of the rows read with {@link #limit()}, with self, next and previous links. */
    Bundle bundle(List<? extends Resource> rows) {
        Bundle bundle = new Bundle().setType(BundleType.SEARCHSET);
        bundle.addLink().setRelation("self").setUrl(link(offset));
        // _count=0 asks for no entries: a next link would name this same page again, and a client would loop.
        if (count > 0 && rows.size() > count) {
            bundle.addLink().setRelation("next").setUrl(link(offset + count));
        }
        if (offset > 0) {
            bundle.addLink().setRelation("previous").setUrl(link(Math.max(0, offset - count)));
        }
        for (Resource row : rows.subList(0, Math.min(count, rows.size()))) {
            bundle.addEntry().setFullUrl(FhirHttp.url(row.fhirType() + "/" + row.getIdElement().getIdPart()))
                    .setResource(row).getSearch().setMode(SearchEntryMode.MATCH);
        }
        return bundle;
    }

    private static String link(int offset) {
        return ServletUriComponentsBuilder.fromCurrentRequest().replaceQueryParam("_offset", offset)
                .build().toUriString();
    }
}
