package org.clinicalfunctions.export;

import java.util.List;
import java.util.Locale;

/** The {@code Prefer} preferences the kick-off honours (RFC 7240): respond-async and handling=lenient. */
record PreferHeader(boolean respondAsync, boolean lenient) {

    static PreferHeader of(List<String> headers) {
        boolean async = false;
        boolean lenient = false;
        for (String header : headers) {
            for (String token : header.split("[,;]")) {
                String preference = token.trim().toLowerCase(Locale.ROOT).replace(" ", "");
                async |= "respond-async".equals(preference);
                lenient |= "handling=lenient".equals(preference);
            }
        }
        return new PreferHeader(async, lenient);
    }
}
