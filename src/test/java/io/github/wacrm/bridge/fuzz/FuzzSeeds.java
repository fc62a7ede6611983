package io.github.wacrm.bridge.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bodies the fuzz targets start from: every webhook fixture (src/test/resources/webhooks) and every real body of
 * other projects and Meta's reference (src/test/resources/webhooks-external). The regression tests run each through
 * the target's check; {@code src/test/scripts/fuzz} copies them into the fuzzer's corpus.
 */
final class FuzzSeeds {

    private FuzzSeeds() {
    }

    static List<Path> webhookBodies() {
        try (Stream<Path> fixtures = Files.walk(Path.of("src/test/resources/webhooks"));
                Stream<Path> external = Files.walk(Path.of("src/test/resources/webhooks-external"))) {
            return Stream.concat(fixtures, external).filter(f -> f.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
