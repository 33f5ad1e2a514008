package io.github.customerauth.linking;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms of {@code linking/}, lowest first: a room imports only rooms below it, so no arrow runs back up and
 * there is no circle. The factory at the top wires them together. Features depend one way too: partner on linking,
 * linking on identifier, never back.
 */
class LinkingRoomsTest {

    private static final Path MAIN = Path.of("src/main/java/io/github/customerauth");
    private static final List<String> ROOMS = List.of("message", "store", "receiver", "record", "delivery", "upkeep",
            "admin", "");
    private static final Pattern LINKING_IMPORT = Pattern.compile(
            "^import (?:static )?io\\.github\\.customerauth\\.linking\\.(?:(\\w+)\\.)?[A-Z]\\w*", Pattern.MULTILINE);

    @Test
    void noRoomImportsARoomAboveIt() {
        List<String> upward = new ArrayList<>();
        for (Path file : javaFiles(MAIN.resolve("linking"))) {
            String room = MAIN.resolve("linking").relativize(file).getNameCount() == 1 ? ""
                    : MAIN.resolve("linking").relativize(file).getName(0).toString();
            assertThat(ROOMS).as("room of %s", file).contains(room);
            Matcher imported = LINKING_IMPORT.matcher(read(file));
            while (imported.find()) {
                String target = imported.group(1) == null ? "" : imported.group(1);
                if (ROOMS.indexOf(target) >= ROOMS.indexOf(room) && !target.equals(room)) {
                    upward.add(file.getFileName() + " (" + room + ") imports " + imported.group() + " (" + target + ")");
                }
            }
        }
        assertThat(upward).isEmpty();
    }

    @Test
    void onlyTheFactoryLivesOutsideTheRooms() {
        try (Stream<Path> files = Files.list(MAIN.resolve("linking"))) {
            assertThat(files.filter(Files::isRegularFile).map(path -> path.getFileName().toString()))
                    .containsExactly("LinkingEventListenerFactory.java");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void featuresDependOneWay() {
        assertThat(javaFiles(MAIN.resolve("identifier"))).allSatisfy(file -> assertThat(read(file))
                .doesNotContain("import io.github.customerauth.linking.", "import io.github.customerauth.partner."));
        assertThat(javaFiles(MAIN.resolve("linking"))).allSatisfy(file -> assertThat(read(file))
                .doesNotContain("import io.github.customerauth.partner."));
    }

    private static List<Path> javaFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> found = files.filter(path -> path.toString().endsWith(".java")).sorted().toList();
            assertThat(found).as("sources under %s", dir).isNotEmpty();
            return found;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
