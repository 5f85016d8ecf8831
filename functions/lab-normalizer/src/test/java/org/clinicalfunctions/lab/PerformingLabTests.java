package org.clinicalfunctions.lab;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The performing lab (OBX-23, else OBX-15) becomes an Organization that Observation.performer references. */
class PerformingLabTests {

    private static final FhirContext FHIR = LabFixtures.FHIR;
    private static final LabResultNormalizer NORMALIZER = LabFixtures.NORMALIZER;

    @ParameterizedTest(name = "OBX-15 {0} OBX-23 {1}")
    @CsvSource(delimiter = ';', value = {
        "'' ; Acme Reference Lab^L^^^^CLIA&2.16.840.1.113883.4.7&ISO^XX^^^05D0000000 ; {\"identifier\":[{\"system\":"
            + "\"urn:oid:2.16.840.1.113883.4.7\",\"value\":\"05D0000000\"}],\"name\":\"Acme Reference Lab\"}",
        "05D1111111^Other Lab^CLIA ; '' ; {\"identifier\":[{\"system\":\"urn:clinicalfunctions:hl7v2:assigner:CLIA\","
            + "\"value\":\"05D1111111\"}],\"name\":\"Other Lab\"}",
        "05D1111111^Other Lab^CLIA ; Acme Reference Lab ; {\"name\":\"Acme Reference Lab\"}",
        "^Bench 4 ; '' ; {\"name\":\"Bench 4\"}",
    })
    void mapsPerformingOrganizationElseProducer(String producer, String organization, String expectedJson)
            throws Exception {
        String obx = "OBX|1|NM|X1^Test^L||7|mg|||||F||||" + producer + "||||||||" + organization;

        Bundle bundle = NORMALIZER.normalize(LabMessages.withObservations(obx));

        Organization lab = OruToFhirMapperTests.only(bundle, Organization.class);
        assertThat(OruToFhirMapperTests.only(bundle, Observation.class).getPerformer())
                .extracting(Reference::getReference).containsExactly("Organization/" + lab.getIdElement().getIdPart());
        Organization copy = lab.copy();
        copy.setIdElement(null);
        assertThat(FHIR.newJsonParser().encodeResourceToString(copy))
                .isEqualTo("{\"resourceType\":\"Organization\"," + expectedJson.substring(1));
    }

    @Test
    void resultsOfOneLabShareOneOrganization() throws Exception {
        String message = LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg|||||F||||||||||||Acme Lab",
                "OBX|2|NM|X2^Test^L||8|mg|||||F||||||||||||Acme Lab");

        Bundle bundle = NORMALIZER.normalize(message);

        Organization lab = OruToFhirMapperTests.only(bundle, Organization.class);
        assertThat(OruToFhirMapperTests.all(bundle, Observation.class))
                .extracting(o -> o.getPerformerFirstRep().getReference())
                .containsExactly("Organization/" + lab.getIdElement().getIdPart(),
                        "Organization/" + lab.getIdElement().getIdPart());
    }

    @Test
    void resultWithoutLabHasNoPerformer() throws Exception {
        Bundle bundle = NORMALIZER.normalize(LabMessages.withObservations("OBX|1|NM|X1^Test^L||7|mg|||||F"));

        assertThat(OruToFhirMapperTests.all(bundle, Organization.class)).isEmpty();
        assertThat(OruToFhirMapperTests.only(bundle, Observation.class).hasPerformer()).isFalse();
    }
}
