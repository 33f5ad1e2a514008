package io.github.customerauth.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's Chromium, headless, driven over the DevTools protocol with the JDK's WebSocket client: navigate, run
 * JavaScript, take screenshots. Flags as seen to work on these machines (no sandbox as root, no background network).
 */
public final class HeadlessChromium implements AutoCloseable {

    private static final Pattern DEVTOOLS = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();

    private HeadlessChromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    public static HeadlessChromium start(int width, int height) {
        Path binary = Path.of("/usr/bin/chromium");
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Chromium is not installed: apt-get install -y chromium");
        }
        try {
            Path profile = Files.createTempDirectory("chromium-it");
            Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                    "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--remote-debugging-port=0", "--user-data-dir=" + profile,
                    "--window-size=" + width + "," + height, "about:blank")
                    .redirectErrorStream(true).start();
            String browserUrl = awaitDevTools(process);
            String pageUrl = pageTarget(browserUrl);
            HeadlessChromium[] self = new HeadlessChromium[1];
            StringBuilder partial = new StringBuilder();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(pageUrl),
                    new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                            partial.append(data);
                            if (last) {
                                self[0].dispatch(partial.toString());
                                partial.setLength(0);
                            }
                            ws.request(1);
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            self[0] = new HeadlessChromium(process, socket);
            self[0].call("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                    "deviceScaleFactor", 1, "mobile", true));
            // A headless window never has the OS focus: emulate it, so that :focus styles apply as for a person.
            self[0].call("Emulation.setFocusEmulationEnabled", Map.of("enabled", true));
            return self[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Chromium did not start: " + e, e);
        }
    }

    public void navigate(String url) {
        call("Page.navigate", Map.of("url", url));
    }

    /** Evaluates a JavaScript expression in the page and returns its value. */
    public Object eval(String expression) {
        Map<String, Object> result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true));
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) result.get("result");
        return value == null ? null : value.get("value");
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
        return Base64.getDecoder().decode((String) call("Page.captureScreenshot", Map.of("format", "png")).get("data"));
    }

    private Map<String, Object> call(String method, Map<String, Object> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> answer = new CompletableFuture<>();
        pending.put(id, answer);
        socket.sendText(Http.toJson(Map.of("id", id, "method", method, "params", params)), true).join();
        try {
            Map<String, Object> message = answer.get(30, TimeUnit.SECONDS);
            if (message.containsKey("error")) {
                throw new IllegalStateException(method + ": " + message.get("error"));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) message.get("result");
            return result == null ? Map.of() : result;
        } catch (Exception e) {
            throw new IllegalStateException(method + " failed: " + e, e);
        } finally {
            pending.remove(id);
        }
    }

    private void dispatch(String text) {
        Map<String, Object> message = Http.json(text);
        Object id = message.get("id");
        if (id instanceof Number number) {
            CompletableFuture<Map<String, Object>> future = pending.get(number.intValue());
            if (future != null) {
                future.complete(message);
            }
        }
    }

    private static String awaitDevTools(Process process) throws IOException {
        BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()));
        long deadline = System.currentTimeMillis() + 30_000;
        String line;
        while (System.currentTimeMillis() < deadline && (line = output.readLine()) != null) {
            Matcher m = DEVTOOLS.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> output.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return m.group(1);
            }
        }
        throw new IllegalStateException("Chromium printed no DevTools address");
    }

    private static String pageTarget(String browserUrl) {
        URI browser = URI.create(browserUrl);
        String list = "http://" + browser.getHost() + ":" + browser.getPort() + "/json/list";
        HttpResponse<String> response = Http.send(HttpRequest.newBuilder(URI.create(list)).build());
        return Http.jsonList(response.body()).stream().filter(t -> "page".equals(t.get("type"))).findFirst()
                .map(t -> (String) t.get("webSocketDebuggerUrl"))
                .orElseThrow(() -> new IllegalStateException("Chromium has no page target"));
    }

    @Override
    public void close() {
        socket.abort();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
