package io.github.customerauth.packaging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The docker CLI and the repository's scripts, run as a user would run them. */
final class Docker {

    private Docker() {
    }

    static void requireEngine() {
        try {
            run(Path.of("."), Duration.ofSeconds(30), "docker", "info");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("This test needs a Docker engine (.ci/run installs docker.io and starts "
                    + "dockerd): " + e.getMessage(), e);
        }
    }

    static boolean imageExists(String image) {
        try {
            run(Path.of("."), Duration.ofSeconds(30), "docker", "image", "inspect", image);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    static void run(Path directory, Duration timeout, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                        + new String(output, StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
