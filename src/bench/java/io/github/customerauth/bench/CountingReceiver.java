package io.github.customerauth.bench;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver for a million messages: keeps only each message's id and its customer's last {@code seq}
 * (not the bodies, as the tests' receiver does), counting repeats and messages that arrive after a later one of
 * their customer.
 */
final class CountingReceiver implements AutoCloseable {

    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern CUSTOMER = Pattern.compile("\"customer_id\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    private final Set<String> ids = new HashSet<>();
    private final Map<String, Long> lastSeq = new HashMap<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private HttpServer server;
    private int duplicates;
    private int outOfOrder;
    private long firstAt;
    private long lastAt;

    CountingReceiver start() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(threads);
        server.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            record(body);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private synchronized void record(String body) {
        long now = System.currentTimeMillis();
        firstAt = ids.isEmpty() && duplicates == 0 ? now : firstAt;
        lastAt = now;
        if (!ids.add(group(ID, body))) {
            duplicates++;
            return;
        }
        long seq = Long.parseLong(group(SEQ, body));
        Long before = lastSeq.put(group(CUSTOMER, body), seq);
        if (before != null && before > seq) {
            outOfOrder++;
        }
    }

    private static String group(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        if (!matcher.find()) {
            throw new IllegalStateException("a message without " + pattern + ": " + body.length() + " characters");
        }
        return matcher.group(1);
    }

    synchronized void reset() {
        ids.clear();
        lastSeq.clear();
        duplicates = 0;
        outOfOrder = 0;
    }

    synchronized int distinct() {
        return ids.size();
    }

    synchronized int duplicates() {
        return duplicates;
    }

    synchronized int outOfOrder() {
        return outOfOrder;
    }

    synchronized long firstAt() {
        return firstAt;
    }

    synchronized long lastAt() {
        return lastAt;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
