package io.github.customerauth.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Runs a command to completion, as a user would in a shell; its output is kept for the failure message. */
public final class Processes {

    private Processes() {
    }

    /** @throws IllegalStateException when the command cannot start, fails, or outlives the timeout */
    public static void run(Path directory, Duration timeout, String... command) {
        output(directory, timeout, command);
    }

    /**
     * What the command printed (standard output and error together).
     *
     * @throws IllegalStateException when the command cannot start, fails, or outlives the timeout
     */
    public static String output(Path directory, Duration timeout, String... command) {
        File output = null;
        try {
            // Output to a file, not a pipe: reading a pipe would block past the timeout.
            output = Files.createTempFile("command", ".log").toFile();
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(output).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed (" + process.exitValue() + "):\n"
                        + Files.readString(output.toPath(), StandardCharsets.UTF_8));
            }
            return Files.readString(output.toPath(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (output != null) {
                output.delete();
            }
        }
    }

    /**
     * Starts a command that runs until closed (a server a README command starts); its output goes to the log file.
     * Closing stops it and every process it started.
     */
    public static Background start(Path directory, Path log, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            process.getOutputStream().close();
            return new Background(process, log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command[0] + ": " + e.getMessage(), e);
        }
    }

    /** A command started by {@link #start}. */
    public record Background(Process process, Path log) implements AutoCloseable {

        public boolean alive() {
            return process.isAlive();
        }

        /** What it has printed so far, for a failure message. */
        public String output() {
            try {
                return Files.readString(log, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }

        @Override
        public void close() {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
