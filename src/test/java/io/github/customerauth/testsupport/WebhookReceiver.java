package io.github.customerauth.testsupport;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A webhook receiver on loopback that records what it is sent, and can be told to fail or go away. Every message
 * it gets is checked against the contract ({@link MessageContract}); one that breaks it fails the test that
 * closes, awaits or reads this receiver.
 */
public final class WebhookReceiver implements AutoCloseable {

    /** One request as received; {@code headers} holds every header, by lower-case name (first value). */
    public record Delivery(String eventId, String signature, String body, int answeredStatus, long receivedAt,
                           Map<String, String> headers) {
        public Map<String, Object> json() {
            return Http.json(body);
        }
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    private final List<String> breaches = new CopyOnWriteArrayList<>();
    private volatile int status = 204;
    private volatile String answerBody;
    private final List<Predicate<Map<String, Object>>> failOnce = new CopyOnWriteArrayList<>();
    private volatile Predicate<Map<String, Object>> holdMatch;
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private HttpServer server;
    private int port;

    public WebhookReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        port = server.getAddress().getPort();
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            MessageContract.problems(body).forEach(problem -> breaches.add(problem + " in " + body));
            int answer = status;
            String text = answerBody;
            Map<String, Object> json = Http.json(body);
            Predicate<Map<String, Object>> hold = holdMatch;
            if (hold != null && hold.test(json)) {
                holdMatch = null;
                held.countDown();
                awaitQuietly(released, 20);
            }
            if (failOnce.stream().filter(match -> match.test(json)).findFirst().map(failOnce::remove).orElse(false)) {
                answer = 503;
            }
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT),
                    values.get(0)));
            deliveries.add(new Delivery(exchange.getRequestHeaders().getFirst("Customer-Auth-Event-Id"),
                    exchange.getRequestHeaders().getFirst("Customer-Auth-Signature"), body, answer,
                    System.currentTimeMillis(), Map.copyOf(headers)));
            if (text == null) {
                exchange.sendResponseHeaders(answer, -1);
            } else {
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(answer, bytes.length);
                exchange.getResponseBody().write(bytes);
            }
            exchange.close();
        });
        server.start();
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + port + "/hook";
    }

    /** Answer every delivery with this status from now on (e.g. 503 to simulate an outage). */
    public void answer(int status) {
        answer(status, null);
    }

    /** Answer with this status and body from now on. */
    public void answer(int status, String body) {
        this.answerBody = body;
        this.status = status;
    }

    /** The next delivery that matches is answered 503, whatever else this receiver answers; later ones as usual. */
    public void failNext(Predicate<Map<String, Object>> match) {
        failOnce.add(match);
    }

    /**
     * Holds the answer to the next delivery that matches (once, for 20 s at most) until {@link #release()}: the
     * receiver takes no other delivery meanwhile, as its one thread waits.
     */
    public void holdNext(Predicate<Map<String, Object>> match) {
        holdMatch = match;
    }

    /** Waits until the delivery to hold has arrived. */
    public void awaitHeld(Duration timeout) {
        if (!awaitQuietly(held, timeout.toSeconds())) {
            throw new AssertionError("no delivery to hold within " + timeout);
        }
    }

    /** Answers the held delivery. */
    public void release() {
        released.countDown();
    }

    private static boolean awaitQuietly(CountDownLatch latch, long seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public void stop() {
        released.countDown();
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    public List<Delivery> accepted() {
        requireContractKept();
        return deliveries.stream().filter(d -> d.answeredStatus() / 100 == 2).toList();
    }

    public List<Delivery> all() {
        requireContractKept();
        return List.copyOf(deliveries);
    }

    /** Waits until an accepted delivery matches, and returns it. */
    public Delivery await(Predicate<Map<String, Object>> match, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Delivery delivery : accepted()) {
                if (match.test(delivery.json())) {
                    return delivery;
                }
            }
            Pause.millis(100);
        }
        throw new AssertionError("no matching webhook within " + timeout + "; accepted: "
                + accepted().stream().map(Delivery::body).toList());
    }

    private void requireContractKept() {
        if (!breaches.isEmpty()) {
            throw new AssertionError("messages that break contracts/webhooks/: " + breaches);
        }
    }

    @Override
    public void close() {
        stop();
        requireContractKept();
    }
}
