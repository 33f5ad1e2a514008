package io.github.customerauth.linking;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;

/**
 * Sends one signed message through Keycloak's HTTP client (its truststore, proxy mappings and pool). Each request
 * has a total deadline: Apache's timeouts bound each connect and each read, so a receiver that drips its answer a
 * byte at a time would hold a thread for ever; {@link #abortOverdue} (called by the dispatch loop) aborts it.
 */
final class WebhookSender {

    private final CloseableHttpClient http;
    private final long timeoutMillis;
    private final RequestConfig timeouts;
    private final Map<HttpPost, Long> inFlight = new ConcurrentHashMap<>();

    WebhookSender(CloseableHttpClient http, long timeoutMillis) {
        this.http = http;
        this.timeoutMillis = timeoutMillis;
        int timeout = (int) Math.min(Integer.MAX_VALUE, timeoutMillis);
        this.timeouts = RequestConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout).build();
    }

    /**
     * @return null when the receiver accepted the message (its status line says 2xx, whatever happens to the body
     *         afterwards), else why not; never the URL, which may carry credentials
     */
    String send(OutboxEntity message, WebhookTarget target) {
        long now = System.currentTimeMillis();
        HttpPost post = new HttpPost(target.url());
        post.setConfig(timeouts);
        post.setHeader(WebhookSignature.EVENT_ID_HEADER, message.getEventId());
        post.setHeader(WebhookSignature.HEADER, WebhookSignature.header(target.secret(), now / 1000, message.getPayload()));
        post.setEntity(new StringEntity(message.getPayload(), ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
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
            return post.isAborted() ? "no answer within " + timeoutMillis + " ms" : e.getClass().getSimpleName();
        } finally {
            inFlight.remove(post);
        }
    }

    long timeoutMillis() {
        return timeoutMillis;
    }

    /** Aborts every request past its deadline; the sending thread then gets an exception and moves on. */
    void abortOverdue(long now) {
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
