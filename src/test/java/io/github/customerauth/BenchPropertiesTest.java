package io.github.customerauth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks run in a JVM of their own, which sees only the {@code -D} options the bench profile hands on: a
 * setting the benchmarks read but the profile does not pass (as {@code bench.postgres.settings} once was) is
 * silently left at its default while the run's command line says otherwise.
 */
class BenchPropertiesTest {

    private static final Pattern READ = Pattern.compile(
            "(?:getProperty|getInteger|getLong|getBoolean)\\(\"(bench\\.[a-z.-]+)\"");

    @Test
    void everySettingTheBenchmarksReadIsHandedOnByTheBenchProfile() throws IOException {
        Path project = Path.of(System.getProperty("project.dir", "."));
        Set<String> read = new TreeSet<>();
        try (Stream<Path> files = Files.walk(project.resolve("src/bench/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher matcher = READ.matcher(Files.readString(file));
                while (matcher.find()) {
                    read.add(matcher.group(1));
                }
            }
        }
        String pom = Files.readString(project.resolve("pom.xml"));

        assertThat(read).contains("bench.what", "bench.postgres.settings");
        assertThat(read).allSatisfy(name -> assertThat(pom).contains("-D" + name + "=${" + name + "}"));
    }
}
