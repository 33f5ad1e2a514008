package io.github.customerauth.packaging;

import io.github.customerauth.testsupport.Processes;
import java.nio.file.Path;
import java.time.Duration;

/** What the image test asks of the Docker engine before it builds anything. */
final class Docker {

    private Docker() {
    }

    static void requireEngine() {
        try {
            Processes.run(Path.of("."), Duration.ofSeconds(30), "docker", "info");
        } catch (IllegalStateException e) {
            throw new IllegalStateException("This test needs a Docker engine (.ci/run installs docker.io and starts "
                    + "dockerd): " + e.getMessage(), e);
        }
    }

    static boolean imageExists(String image) {
        try {
            Processes.run(Path.of("."), Duration.ofSeconds(30), "docker", "image", "inspect", image);
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }
}
