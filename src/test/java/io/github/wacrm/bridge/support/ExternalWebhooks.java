package io.github.wacrm.bridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Webhook bodies nobody here wrote: 233 envelopes from other projects' test suites and Meta's reference pages, under
 * {@code src/test/resources/webhooks-external/} (SOURCES.md there names each source). Read as they are, never edited.
 */
public final class ExternalWebhooks {

    public static final Path DIRECTORY = Path.of("src/test/resources/webhooks-external");

    private ExternalWebhooks() {
    }

    /** The file names, sorted. */
    public static List<String> names() {
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] body(String name) {
        try {
            return Files.readAllBytes(DIRECTORY.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
