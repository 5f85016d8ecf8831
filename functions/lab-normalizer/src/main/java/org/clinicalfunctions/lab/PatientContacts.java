package org.clinicalfunctions.lab;

import java.util.Locale;

import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.segment.PID;
import org.hl7.fhir.r4.model.Address;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointSystem;
import org.hl7.fhir.r4.model.ContactPoint.ContactPointUse;
import org.hl7.fhir.r4.model.Patient;

/**
 * PID-11 addresses, PID-13/14 phone numbers and e-mail, PID-29/30 death, after the v2-to-FHIR IG's XAD, XTN and PID
 * maps. Values go into the Bundle only; like every patient detail, they never reach a log line.
 */
final class PatientContacts {

    private PatientContacts() {
    }

    static void map(PID pid, Patient patient) {
        for (Type xad : pid.getPid11_PatientAddress()) {
            Address address = address(xad);
            if (address != null) {
                patient.addAddress(address);
            }
        }
        addTelecoms(patient, pid.getPid13_PhoneNumberHome(), ContactPointUse.HOME);
        addTelecoms(patient, pid.getPid14_PhoneNumberBusiness(), ContactPointUse.WORK);
    }

    /** PID-30 Y/N as deceasedBoolean, unless PID-29 gives the time (set by the caller, which knows the zone). */
    static BooleanType deceased(PID pid) {
        String indicator = V2Fields.text(pid.getPid30_PatientDeathIndicator()).toUpperCase(Locale.ROOT);
        return switch (indicator) {
            case "Y" -> new BooleanType(true);
            case "N" -> new BooleanType(false);
            default -> null;
        };
    }

    private static Address address(Type xad) {
        Address address = new Address();
        addLine(address, V2Fields.text(xad, 1, 1));
        addLine(address, V2Fields.text(xad, 2));
        setIfPresent(V2Fields.text(xad, 3), address::setCity);
        setIfPresent(V2Fields.text(xad, 4), address::setState);
        setIfPresent(V2Fields.text(xad, 5), address::setPostalCode);
        setIfPresent(V2Fields.text(xad, 6), address::setCountry);
        setIfPresent(V2Fields.text(xad, 9), address::setDistrict);
        if (address.isEmpty()) {
            return null;
        }
        switch (V2Fields.text(xad, 7).toUpperCase(Locale.ROOT)) {
            case "H", "P" -> address.setUse(Address.AddressUse.HOME);
            case "B", "O" -> address.setUse(Address.AddressUse.WORK);
            case "C" -> address.setUse(Address.AddressUse.TEMP);
            case "BA" -> address.setUse(Address.AddressUse.OLD);
            case "M" -> address.setType(Address.AddressType.POSTAL);
            default -> {
                // other table 0190 codes (birth place, legal address...) have no Address.use
            }
        }
        return address;
    }

    private static void addLine(Address address, String line) {
        if (!line.isEmpty()) {
            address.addLine(line);
        }
    }

    private static void setIfPresent(String value, java.util.function.Consumer<String> setter) {
        if (!value.isEmpty()) {
            setter.accept(value);
        }
    }

    private static void addTelecoms(Patient patient, Type[] xtns, ContactPointUse fieldUse) {
        for (Type xtn : xtns) {
            ContactPoint contact = telecom(xtn, fieldUse);
            if (contact != null) {
                patient.addTelecom(contact);
            }
        }
    }

    /**
     * XTN-4 e-mail, else XTN-12 unformatted number, else +XTN-5 (XTN-6) XTN-7 with extension XTN-8, else the
     * deprecated XTN-1 as sent.
     */
    static ContactPoint telecom(Type xtn, ContactPointUse fieldUse) {
        String useCode = V2Fields.text(xtn, 2).toUpperCase(Locale.ROOT);
        String equipment = V2Fields.text(xtn, 3).toUpperCase(Locale.ROOT);
        String email = V2Fields.text(xtn, 4);
        ContactPoint contact = new ContactPoint();
        if (!email.isEmpty() || "NET".equals(useCode) || "INTERNET".equals(equipment)) {
            String value = email.isEmpty() ? V2Fields.text(xtn, 1) : email;
            return value.isEmpty() ? null : contact.setSystem(ContactPointSystem.EMAIL).setValue(value);
        }
        String value = phoneNumber(xtn);
        if (value.isEmpty()) {
            return null;
        }
        contact.setValue(value).setSystem(switch (equipment) {
            case "FX" -> ContactPointSystem.FAX;
            case "BP" -> ContactPointSystem.PAGER;
            default -> ContactPointSystem.PHONE;
        });
        contact.setUse("CP".equals(equipment) ? ContactPointUse.MOBILE : switch (useCode) {
            case "WPN" -> ContactPointUse.WORK;
            case "VHN", "ORN" -> ContactPointUse.TEMP;
            case "PRN", "PRS" -> ContactPointUse.HOME;
            default -> fieldUse;
        });
        return contact;
    }

    private static String phoneNumber(Type xtn) {
        String unformatted = V2Fields.text(xtn, 12);
        if (!unformatted.isEmpty()) {
            return unformatted;
        }
        String local = V2Fields.text(xtn, 7);
        if (local.isEmpty()) {
            return V2Fields.text(xtn, 1);
        }
        StringBuilder number = new StringBuilder();
        String country = V2Fields.text(xtn, 5);
        String area = V2Fields.text(xtn, 6);
        if (!country.isEmpty()) {
            number.append('+').append(country).append(' ');
        }
        if (!area.isEmpty()) {
            number.append('(').append(area).append(") ");
        }
        number.append(local);
        String extension = V2Fields.text(xtn, 8);
        if (!extension.isEmpty()) {
            number.append(" ext. ").append(extension);
        }
        return number.toString();
    }
}
