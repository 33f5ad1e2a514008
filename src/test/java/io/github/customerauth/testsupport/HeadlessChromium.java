package io.github.customerauth.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven by Selenium through Debian's chromedriver (named here, so that Selenium never
 * looks for a driver online): navigate, run JavaScript, take screenshots. Flags as seen to work on these machines
 * (no sandbox as root, no background network).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Path BROWSER = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    public static HeadlessChromium start(int width, int height) {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            throw new IllegalStateException("Chromium or its driver is not installed: apt-get install -y chromium "
                    + "chromium-driver");
        }
        ChromeOptions options = new ChromeOptions().setBinary(BROWSER.toFile()).addArguments("--headless",
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=" + width + "," + height);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort().withLogFile(new File("/dev/null")).build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(30));
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", true));
        // A headless window never has the OS focus: emulate it, so that :focus styles apply as for a person.
        driver.executeCdpCommand("Emulation.setFocusEmulationEnabled", Map.of("enabled", true));
        return new HeadlessChromium(driver);
    }

    public void navigate(String url) {
        driver.get(url);
    }

    /**
     * Evaluates a JavaScript expression in the page (statements allowed, the last one's value returned), as the
     * DevTools console would.
     */
    public Object eval(String expression) {
        Map<String, Object> answer = driver.executeCdpCommand("Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true));
        if (answer.get("exceptionDetails") != null) {
            throw new IllegalStateException("JavaScript failed: " + answer.get("exceptionDetails"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) answer.get("result");
        return result == null ? null : result.get("value");
    }

    /** Polls a JavaScript condition until it is true. */
    public void await(String condition, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (Boolean.TRUE.equals(eval(condition))) {
                    return;
                }
            } catch (RuntimeException navigating) {
                // the page is being replaced; ask again
            }
            Pause.millis(100);
        }
        throw new AssertionError("not true within " + timeoutMillis + " ms: " + condition);
    }

    public byte[] screenshot() {
        return driver.getScreenshotAs(OutputType.BYTES);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
