package org.clinicalfunctions.lab;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Deterministic resource ids: a name-based UUID of the parts that identify the clinical thing, so a re-delivered
 * message overwrites the resources it created before instead of duplicating them.
 */
final class ResourceKeys {

    private ResourceKeys() {
    }

    /** The name-based (version 3) UUID of the parts joined by {@code |}. */
    static String idOf(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("|", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
