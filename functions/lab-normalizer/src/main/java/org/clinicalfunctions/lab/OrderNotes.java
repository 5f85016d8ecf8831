package org.clinicalfunctions.lab;

import java.util.ArrayList;
import java.util.List;

import ca.uhn.hl7v2.model.v251.datatype.FT;
import ca.uhn.hl7v2.model.v251.segment.NTE;
import org.hl7.fhir.r4.model.Annotation;

/**
 * NTE segments as FHIR annotations, scoped by the segment they follow (v2-to-FHIR IG: NTE after OBX to
 * Observation.note, after OBR to ServiceRequest.note). The repetitions of NTE-3 are lines of one note.
 */
final class OrderNotes {

    private OrderNotes() {
    }

    /** One annotation per NTE that has text; whitespace inside the text is kept. */
    static List<Annotation> annotations(List<NTE> notes) {
        List<Annotation> annotations = new ArrayList<>();
        for (NTE note : notes) {
            StringBuilder text = new StringBuilder();
            for (FT line : note.getNte3_Comment()) {
                text.append(text.isEmpty() ? "" : "\n").append(V2Fields.raw(line));
            }
            if (!text.toString().isBlank()) {
                annotations.add(new Annotation().setText(text.toString()));
            }
        }
        return annotations;
    }
}
