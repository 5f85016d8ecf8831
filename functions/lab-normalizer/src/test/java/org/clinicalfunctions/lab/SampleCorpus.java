package org.clinicalfunctions.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** The ORU^R01 samples under src/test/resources/hl7v2, listed in SOURCES.md there. */
public final class SampleCorpus {

    private SampleCorpus() {
    }

    /** File names of every ORU^R01 sample, in SOURCES.md order. */
    public static List<String> names() {
        String sources = new String(bytes("SOURCES.md"), java.nio.charset.StandardCharsets.UTF_8);
        return sources.lines()
                .filter(line -> line.startsWith("| `oru_r01-"))
                .map(line -> line.substring(3, line.indexOf('`', 3)))
                .toList();
    }

    public static byte[] bytes(String name) {
        try (InputStream in = SampleCorpus.class.getResourceAsStream("/hl7v2/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
