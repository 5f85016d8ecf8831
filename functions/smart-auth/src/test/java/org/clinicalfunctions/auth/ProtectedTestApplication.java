package org.clinicalfunctions.auth;

import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** A function-shaped application with one protected read, as a booking or export function would have. */
@SpringBootConfiguration
@EnableAutoConfiguration
class ProtectedTestApplication {

    @RestController
    static class AppointmentRead {

        /** Appointments of patient {@code owner}, readable by that patient or by user/system scopes. */
        @GetMapping("/Patient/{owner}/Appointment")
        Map<String, Object> read(Caller caller, @PathVariable String owner) {
            Grant grant = caller.require("Appointment", Interaction.READ);
            grant.requirePatient(owner);
            return Map.of("owner", owner, "bound", grant.boundPatient().orElse(""));
        }
    }
}
