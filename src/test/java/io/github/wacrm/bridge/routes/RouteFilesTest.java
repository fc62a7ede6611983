package io.github.wacrm.bridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code routes/} stays easy to read and to change: no run of route steps written twice (a route template or a
 * component default says it once), the files named in the order of the flow, and the README's route map naming exactly
 * the files there are.
 */
class RouteFilesTest {

    private static final Path ROUTES = Path.of("routes");
    /** A run this long of valued lines (a key with its value, or a list item) repeated is a copy. */
    private static final int COPY_LENGTH = 6;
    private static final Pattern MAPPED_FILE = Pattern.compile("^\\| `([0-9]{2}-[a-z0-9-]+\\.camel\\.yaml)` \\|",
            Pattern.MULTILINE);

    @Test
    void noRunOfSixStepsIsWrittenTwice() throws IOException {
        Map<String, String> firstSeen = new HashMap<>();
        Set<String> copies = new LinkedHashSet<>();
        for (Path file : routeFiles()) {
            List<String> lines = valuedLines(file);
            for (int i = 0; i + COPY_LENGTH <= lines.size(); i++) {
                String run = String.join("\n", lines.subList(i, i + COPY_LENGTH));
                String where = file.getFileName() + " (valued line " + (i + 1) + ")";
                String earlier = firstSeen.putIfAbsent(run, where);
                if (earlier != null) {
                    copies.add(earlier + " and " + where + ":\n" + run);
                }
            }
        }
        assertThat(copies).as("runs of %d lines written twice in routes/", COPY_LENGTH).isEmpty();
    }

    @Test
    void everyRouteFileIsNamedByItsStage() throws IOException {
        assertThat(routeFiles()).allSatisfy(file -> assertThat(file.getFileName().toString())
                .matches("[0-9]{2}-[a-z0-9-]+\\.camel\\.yaml"));
    }

    @Test
    void theReadmesRouteMapNamesExactlyTheRouteFiles() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String map = readme.substring(readme.indexOf("## Route map"), readme.indexOf("### Topics and record headers"));
        Set<String> mapped = new TreeSet<>();
        Matcher matcher = MAPPED_FILE.matcher(map);
        while (matcher.find()) {
            mapped.add(matcher.group(1));
        }
        Set<String> files = new TreeSet<>();
        routeFiles().forEach(file -> files.add(file.getFileName().toString()));
        assertThat(mapped).isEqualTo(files);
    }

    /** The lines that say something: comments, blank lines and keys that only open a block are left out. */
    static List<String> valuedLines(Path file) throws IOException {
        List<String> valued = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#") || text.endsWith(":")) {
                continue;
            }
            valued.add(text);
        }
        return valued;
    }

    private static List<Path> routeFiles() throws IOException {
        try (Stream<Path> files = Files.list(ROUTES)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
    }
}
