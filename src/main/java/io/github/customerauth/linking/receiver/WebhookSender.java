package io.github.customerauth.linking.receiver;

import io.github.customerauth.linking.store.OutboxEntity;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.InterruptedIOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * Sends one signed message through Keycloak's HTTP client (its truststore, proxy mappings and pool). Each request
 * has a total deadline: Apache's timeouts bound each connect and each read, so a receiver that drips its answer a
 * byte at a time would hold a thread for ever; {@link #abortOverdue} (called by the dispatch loop) aborts it.
 */
public final class WebhookSender {

    private final CloseableHttpClient http;
    private final long timeoutMillis;
    private final RequestConfig timeouts;
    private final Map<HttpPost, Long> inFlight = new ConcurrentHashMap<>();

    public WebhookSender(CloseableHttpClient http, long timeoutMillis) {
        this.http = http;
        this.timeoutMillis = timeoutMillis;
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        // No redirects: a receiver's 3xx must not send the message, or the admin's test action, to a host nobody
        // configured (an internal address, say); it counts as a failure like any answer outside 2xx.
        this.timeouts = RequestConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout).setRedirectsEnabled(false).build();
    }

    /**
     * @return null when the receiver accepted the message (its status line says 2xx, whatever happens to the body
     *         afterwards), else why not; never the URL, which may carry credentials
     */
    public String send(OutboxEntity message, WebhookTarget target) {
        long now = System.currentTimeMillis();
        HttpPost post = signedPost(message.getEventId(), message.getPayload(), target, now);
        inFlight.put(post, now + timeoutMillis);
        try (CloseableHttpResponse response = http.execute(post)) {
            int status = response.getStatusLine().getStatusCode();
            if (status / 100 != 2) {
                return "HTTP " + status;
            }
            try {
                discardSmallBody(response.getEntity());
            } catch (IOException | RuntimeException bodyLost) {
                // Accepted already: a body cut off afterwards is no reason to send the message again.
            }
            return null;
        } catch (IOException | RuntimeException e) {
            // RuntimeException: Apache's client rejects some requests (e.g. an unknown scheme) with one.
            return failure(e, post.isAborted(), timeoutMillis);
        } finally {
            inFlight.remove(post);
        }
    }

    /** The receiver's answer to a test message: its status and the start of its body, or why there is none. */
    record Answer(int status, String body, long millis, String problem) {
    }

    /** Sends the admin's test message and reads the answer (at most {@code maxBody} characters of it). */
    Answer sendTest(String eventId, String payload, WebhookTarget target, int maxBody) {
        long start = System.currentTimeMillis();
        HttpPost post = signedPost(eventId, payload, target, start);
        // No dispatch loop watches this sender: the deadline aborts the request itself.
        CompletableFuture<Void> deadline = CompletableFuture.runAsync(post::abort,
                CompletableFuture.delayedExecutor(timeoutMillis, TimeUnit.MILLISECONDS));
        try {
            CloseableHttpResponse response = http.execute(post);
            return new Answer(response.getStatusLine().getStatusCode(), start(response.getEntity(), maxBody),
                    System.currentTimeMillis() - start, null);
        } catch (IOException | RuntimeException e) {
            return new Answer(0, null, System.currentTimeMillis() - start, failure(e, post.isAborted(), timeoutMillis));
        } finally {
            deadline.cancel(false);
            // Drops the connection rather than reading the rest of a long answer (closing the response would).
            post.abort();
        }
    }

    /**
     * Why a request got no answer, never the URL. The deadline's abort and Apache's own connect and read timeouts
     * fire at the same moment for a silent receiver: whichever wins, the receiver did not answer in time. Waiting for a
     * connection of Keycloak's own pool is this node's problem, not the receiver's.
     */
    static String failure(Exception e, boolean aborted, long timeoutMillis) {
        boolean noAnswer = aborted
                || e instanceof InterruptedIOException && !(e instanceof ConnectionPoolTimeoutException);
        return noAnswer ? "no answer within " + timeoutMillis + " ms" : e.getClass().getSimpleName();
    }

    /** The message as every receiver gets it: event id header, the target's signature headers, JSON body. */
    private HttpPost signedPost(String eventId, String payload, WebhookTarget target, long now) {
        HttpPost post = new HttpPost(target.url());
        post.setConfig(timeouts);
        post.setHeader(WebhookSignature.EVENT_ID_HEADER, eventId);
        target.format().headers(eventId, now / 1000, payload, target.secrets()).forEach(post::setHeader);
        post.setEntity(new StringEntity(payload, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        return post;
    }

    private static String start(HttpEntity body, int maxChars) throws IOException {
        if (body == null) {
            return "";
        }
        Reader reader = new InputStreamReader(body.getContent(), StandardCharsets.UTF_8);
        char[] buffer = new char[maxChars];
        int read = 0;
        for (int n; read < maxChars && (n = reader.read(buffer, read, maxChars - read)) > 0; ) {
            read += n;
        }
        return new String(buffer, 0, read);
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** Aborts every request past its deadline; the sending thread then gets an exception and moves on. */
    public void abortOverdue(long now) {
        inFlight.forEach((post, deadline) -> {
            if (deadline <= now) {
                post.abort();
            }
        });
    }

    /**
     * Reading a short answer to its end lets the connection go back to the pool; a long or unsized one is not read,
     * and closing the response drops its connection instead.
     */
    private static void discardSmallBody(HttpEntity body) throws IOException {
        if (body != null && body.getContentLength() >= 0 && body.getContentLength() <= 16_384) {
            EntityUtils.consume(body);
        }
    }
}
