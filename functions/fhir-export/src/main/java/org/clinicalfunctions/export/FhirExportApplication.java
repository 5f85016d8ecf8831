package org.clinicalfunctions.export;

import ca.uhn.fhir.context.FhirContext;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * FHIR Bulk Data export over the resources fhir-store keeps. Jobs, their chunks and their files live in
 * PostgreSQL, so any instance can pick up work another left behind.
 */
@SpringBootApplication
@EnableScheduling
@EnableConfigurationProperties(ExportProperties.class)
public class FhirExportApplication {

    public static void main(String[] args) {
        SpringApplication.run(FhirExportApplication.class, args);
    }

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    /** A local folder unless {@code clinical.fhir-export.storage.kind} is {@code azure-blob}. */
    @Bean
    ExportStorage exportStorage(ExportProperties properties) {
        if ("azure-blob".equals(properties.storage().kind())) {
            return new BlobExportStorage(properties.storage());
        }
        return new LocalExportStorage(properties.storage().localFolder());
    }
}
