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
    private static final Pattern PROPERTIES_BLOCK = Pattern.compile("(?ms)^```properties\\n(.*?)^```");

    private ReadmeBlocks() {
    }

    public static List<String> all() {
        return blocks(BASH_BLOCK);
    }

    /** The one {@code properties} block that contains the marker (a configuration a reader copies). */
    public static String propertiesContaining(String marker) {
        List<String> matching = blocks(PROPERTIES_BLOCK).stream().filter(block -> block.contains(marker)).toList();
        assertThat(matching).as("README properties blocks containing %s", marker).hasSize(1);
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
