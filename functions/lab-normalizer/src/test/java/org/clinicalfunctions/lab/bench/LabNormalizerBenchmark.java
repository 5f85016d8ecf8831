package org.clinicalfunctions.lab.bench;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.clinicalfunctions.hl7.Hl7Batch;
import org.clinicalfunctions.hl7.Hl7Text;
import org.clinicalfunctions.lab.LabMappingException;
import org.clinicalfunctions.lab.LabNormalizerProperties;
import org.clinicalfunctions.lab.LabResultNormalizer;
import org.clinicalfunctions.lab.SampleCorpus;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * ORU^R01 messages mapped per second on one thread: decode, parse, map and JSON-encode, over every message of the
 * sample corpus in turn. Not part of the build; the command is in the module README.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class LabNormalizerBenchmark {

    private LabResultNormalizer normalizer;
    private List<byte[]> messages;
    private int next;

    @Setup
    public void loadCorpus() throws Exception {
        LabNormalizerProperties properties = new LabNormalizerProperties(ZoneId.of("UTC"));
        normalizer = new LabResultNormalizer(LabResultNormalizer.newFhirContext(), properties);
        messages = new ArrayList<>();
        for (String name : SampleCorpus.names()) {
            for (String message : Hl7Batch.messages(Hl7Text.decode(SampleCorpus.bytes(name)))) {
                messages.add(message.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** One message per operation, cycling through the corpus, so the score is messages per second. */
    @Benchmark
    public void normalizeMessage(Blackhole blackhole) throws LabMappingException {
        byte[] message = messages.get(next);
        next = next + 1 == messages.size() ? 0 : next + 1;
        blackhole.consume(normalizer.encode(normalizer.normalize(message)));
    }

    /**
     * 1 fork, 10 warm-up and 5 measured iterations of 2 s: the JIT needs about 15 s on this corpus before the score
     * settles, so a shorter warm-up measures compilation. Other settings: run org.openjdk.jmh.Main.
     */
    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(LabNormalizerBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(10)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .build();
        new Runner(options).run();
    }
}
