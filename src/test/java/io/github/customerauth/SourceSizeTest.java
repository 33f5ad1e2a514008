package io.github.customerauth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** Small classes a newcomer can read in one sitting: no main source file over 250 lines. */
class SourceSizeTest {

    private static final int MAX_LINES = 250;

    @Test
    void noMainFileIsOver250Lines() throws IOException {
        Path main = Path.of(System.getProperty("project.dir", ".")).resolve("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            List<String> tooLong = files.filter(file -> file.toString().endsWith(".java"))
                    .filter(file -> lines(file) > MAX_LINES)
                    .map(file -> main.relativize(file) + " (" + lines(file) + " lines)").toList();
            assertThat(tooLong).isEmpty();
        }
    }

    private static long lines(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
