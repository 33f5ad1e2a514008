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

/** The README's {@code bash} blocks, as a reader copies them. */
public final class ReadmeBlocks {

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
        assertThat(matching).as("README %s blocks containing %s", language, marker).hasSize(1);
        return matching.get(0);
    }

    private static List<String> blocks(Pattern kind) {
        try {
            List<String> blocks = new ArrayList<>();
            Matcher matcher = kind.matcher(Files.readString(Path.of("README.md")));
            while (matcher.find()) {
                blocks.add(matcher.group(1));
            }
            return blocks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one block that contains the marker (the test fails when none or several do). */
    public static String containing(String marker) {
        List<String> matching = all().stream().filter(block -> block.contains(marker)).toList();
        assertThat(matching).as("README bash blocks containing %s", marker).hasSize(1);
        return matching.get(0);
    }
}
