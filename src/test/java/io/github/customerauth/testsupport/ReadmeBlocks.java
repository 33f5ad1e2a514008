package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code bash} blocks of the README and the guides in docs/, as a reader copies them. */
public final class ReadmeBlocks {

    /** The files whose blocks a reader runs; the benchmark history (docs/benchmarks.md) is run by hand. */
    private static final List<Path> DOCS = List.of(Path.of("README.md"), Path.of("docs/admin-guide.md"),
            Path.of("docs/platform-guide.md"), Path.of("docs/reference.md"), Path.of("docs/security.md"),
            Path.of("docs/compatibility.md"), Path.of("docs/testers-guide.md"));

    private static final Pattern BASH_BLOCK = Pattern.compile("(?ms)^```bash\\n(.*?)^```");

    private ReadmeBlocks() {
    }

    public static List<String> all() {
        return blocks(BASH_BLOCK);
    }

    /** The one block of this language ({@code properties}, {@code sql}) that contains the marker. */
    public static String fencedContaining(String language, String marker) {
        Pattern kind = Pattern.compile("(?ms)^```" + Pattern.quote(language) + "\\n(.*?)^```");
        List<String> matching = blocks(kind).stream().filter(block -> block.contains(marker)).toList();
        assertThat(matching).as("%s blocks in README.md and docs/ containing %s", language, marker).hasSize(1);
        return matching.get(0);
    }

    private static List<String> blocks(Pattern kind) {
        try {
            List<String> blocks = new ArrayList<>();
            for (Path doc : DOCS) {
                Matcher matcher = kind.matcher(Files.readString(doc));
                while (matcher.find()) {
                    blocks.add(matcher.group(1));
                }
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one block that contains the marker (the test fails when none or several do). */
    public static String containing(String marker) {
        List<String> matching = all().stream().filter(block -> block.contains(marker)).toList();
        assertThat(matching).as("bash blocks in README.md and docs/ containing %s", marker).hasSize(1);
        return matching.get(0);
    }
}
