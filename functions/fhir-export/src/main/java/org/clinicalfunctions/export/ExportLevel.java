package org.clinicalfunctions.export;

/** The three kick-off endpoints of Bulk Data Access v2.0.0. */
public enum ExportLevel {
    SYSTEM, PATIENT, GROUP
}
