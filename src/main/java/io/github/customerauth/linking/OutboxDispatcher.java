package io.github.customerauth.linking;

import io.github.customerauth.support.VaultReference;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.http.HttpEntity;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.util.EntityUtils;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.vault.VaultStringSecret;

/**
 * Sends due outbox messages, on every node. A message is claimed with a conditional UPDATE (one node wins), sent
 * outside any transaction, then marked delivered or rescheduled with backoff; past the maximum age it is
 * dead-lettered. A node killed after sending and before marking leaves the claim to expire: the message is sent
 * again with the same event id, which receivers use as the idempotency key.
 * <p>
 * Messages go out through Keycloak's own HTTP client ({@code --spi-connections-http-client-default-...}): its
 * truststore, proxy mappings and connection pool, with blocking I/O on the dispatching thread.
 */
final class OutboxDispatcher implements Runnable {

    private static final Logger LOG = Logger.getLogger(OutboxDispatcher.class);

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final String node;
    private final RequestConfig timeouts;
    private CloseableHttpClient http;
    private final SessionSweep sweep;
    private final AtomicBoolean housekeepingRunning = new AtomicBoolean();
    private ExecutorService housekeeping;
    private long nextSweep;

    OutboxDispatcher(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics, String node,
                     SessionSweep sweep) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        this.node = node;
        this.sweep = sweep;
        int timeout = (int) Math.min(Integer.MAX_VALUE, settings.requestTimeoutMillis());
        this.timeouts = RequestConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout)
                .setConnectionRequestTimeout(timeout).build();
    }

    @Override
    public void run() {
        try {
            dispatchDue();
            long now = System.currentTimeMillis();
            if (now >= nextSweep && housekeepingRunning.compareAndSet(false, true)) {
                nextSweep = now + settings.sweepIntervalMillis();
                startHousekeeping();
            }
            metrics.refresh(factory);
        } catch (RuntimeException e) {
            // A timer task that throws stops for good: log and try again at the next tick.
            LOG.errorf("Customer webhook dispatch failed, will retry: %s", e.toString());
        }
    }

    /**
     * The session sweep and the clean-up of delivered messages run on one of Keycloak's executors, one pass at a
     * time: a pass can take seconds (two session lookups per open link), and Keycloak runs every timer task, this
     * dispatcher's and its own, on one thread, so webhooks would wait behind it.
     */
    private void startHousekeeping() {
        try {
            if (housekeeping == null) {
                housekeeping = KeycloakModelUtils.runJobInTransactionWithResult(factory, session ->
                        session.getProvider(ExecutorsProvider.class).getExecutor("customer-linking-housekeeping"));
            }
            housekeeping.execute(() -> {
                try {
                    sweep.run();
                    deleteOldDelivered(System.currentTimeMillis());
                } catch (RuntimeException e) {
                    LOG.errorf("Customer link sweep failed, will retry: %s", e.toString());
                } finally {
                    housekeepingRunning.set(false);
                }
            });
        } catch (RuntimeException e) {
            housekeepingRunning.set(false);
            throw e;
        }
    }

    /**
     * Only each customer's oldest pending message is due, so one look sends at most one message per customer: while
     * messages go out and others wait behind them, look again at once, so that a busy customer's queue drains
     * within the tick. Each look costs two short transactions whatever its size: find, claim and resolve the
     * receivers; then record the outcomes.
     */
    private void dispatchDue() {
        long deadline = System.currentTimeMillis() + Math.max(settings.dispatchIntervalMillis(), 1_000);
        int delivered;
        Claimed claimed;
        do {
            claimed = claimDue();
            Map<String, String> errors = new HashMap<>();
            for (OutboxEntity message : claimed.messages()) {
                Target target = claimed.targets().get(targetKey(message));
                errors.put(message.getId(), target.problem() != null ? target.problem() : send(message, target));
            }
            record(claimed.messages(), errors);
            delivered = (int) errors.values().stream().filter(java.util.Objects::isNull).count();
        } while (delivered > 0 && claimed.morePending() && System.currentTimeMillis() < deadline);
    }

    /**
     * The due messages this node won, claimed with one conditional UPDATE (one node wins a message; a message
     * already claimed elsewhere is left out), and their receivers. The claims commit before anything is sent.
     */
    private Claimed claimDue() {
        return KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            var em = LinkStore.of(session).em();
            long now = System.currentTimeMillis();
            List<OutboxEntity> due = em.createNamedQuery("CaDueMessages", OutboxEntity.class)
                    .setParameter("now", now).setMaxResults(settings.batchSize()).getResultList();
            if (due.isEmpty()) {
                return new Claimed(List.of(), Map.of(), false);
            }
            if (http == null) {
                // Keycloak's shared client, which its provider owns and closes: kept across sessions, never closed here.
                http = session.getProvider(HttpClientProvider.class).getHttpClient();
            }
            long until = now + 2 * settings.requestTimeoutMillis() + 10_000;
            List<String> ids = due.stream().map(OutboxEntity::getId).toList();
            var claim = em.createNamedQuery("CaClaimMessages").setParameter("node", node).setParameter("until", until)
                    .setParameter("now", now);
            IdList.bind(claim, "ids", ids);
            int claimed = claim.executeUpdate();
            List<OutboxEntity> won = due;
            if (claimed < due.size()) {
                // Another node claimed some of them first: keep the ones carrying this node's claim of this look.
                var claimedHere = em.createNamedQuery("CaClaimedMessageIds", String.class).setParameter("node", node)
                        .setParameter("until", until);
                IdList.bind(claimedHere, "ids", ids);
                java.util.Set<String> mine = new java.util.HashSet<>(claimedHere.getResultList());
                won = due.stream().filter(message -> mine.contains(message.getId())).toList();
            }
            // Pending messages that were not due now (a customer's later ones, or ones waiting to be retried): only
            // then is another look worth its transaction.
            boolean morePending = em.createNamedQuery("CaCountByStatus", Long.class)
                    .setParameter("status", OutboxEntity.PENDING).getSingleResult() > due.size();
            return new Claimed(won, targets(session, won), morePending);
        });
    }

    /** Each receiver of the batch, with its secret from the vault of its realm, or the reason it cannot be sent to. */
    private static Map<String, Target> targets(KeycloakSession session, List<OutboxEntity> messages) {
        Map<String, Target> targets = new HashMap<>();
        for (OutboxEntity message : messages) {
            targets.computeIfAbsent(targetKey(message), key -> {
                RealmModel realm = session.realms().getRealm(message.getRealmId());
                Webhook webhook = realm == null ? null : Webhook.byId(realm, message.getWebhookId());
                if (webhook == null || !webhook.enabled()) {
                    return new Target(null, null, "webhook removed or disabled");
                }
                if (!VaultReference.isReference(webhook.secretReference())) {
                    // Imported realms skip the console's validation: never sign with text typed into the field.
                    return new Target(null, null, "signing secret is not a vault reference");
                }
                session.getContext().setRealm(realm);
                try (VaultStringSecret secret = session.vault().getStringSecret(webhook.secretReference())) {
                    String value = secret.get().orElse(null);
                    return new Target(webhook.url(), value, value == null ? "signing secret missing from the vault" : null);
                }
            });
        }
        return targets;
    }

    private static String targetKey(OutboxEntity message) {
        return message.getRealmId() + '/' + message.getWebhookId();
    }

    /** @return null when the receiver accepted the message, else why not */
    private String send(OutboxEntity message, Target target) {
        long t = System.currentTimeMillis() / 1000;
        HttpPost post = new HttpPost(target.url());
        post.setConfig(timeouts);
        post.setHeader(WebhookSignature.EVENT_ID_HEADER, message.getEventId());
        post.setHeader(WebhookSignature.HEADER, WebhookSignature.header(target.secret(), t, message.getPayload()));
        post.setEntity(new StringEntity(message.getPayload(), ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8)));
        try (CloseableHttpResponse response = http.execute(post)) {
            discardSmallBody(response.getEntity());
            int status = response.getStatusLine().getStatusCode();
            return status / 100 == 2 ? null : "HTTP " + status;
        } catch (java.io.IOException | RuntimeException e) {
            // RuntimeException: Apache's client rejects some URLs (e.g. an unknown scheme) with one.
            return e.getClass().getSimpleName();
        }
    }

    /**
     * Reading a short answer to its end lets the connection go back to the pool; a long or unsized one is not read,
     * and closing the response drops its connection instead.
     */
    private static void discardSmallBody(HttpEntity body) throws java.io.IOException {
        if (body != null && body.getContentLength() >= 0 && body.getContentLength() <= 16_384) {
            EntityUtils.consume(body);
        }
    }

    /** Deliveries in one UPDATE; failures one by one, as each has its own attempt count and next time. */
    private void record(List<OutboxEntity> messages, Map<String, String> errors) {
        if (messages.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        List<OutboxEntity> delivered = messages.stream().filter(message -> errors.get(message.getId()) == null).toList();
        KeycloakModelUtils.runJobInTransaction(factory, session -> {
            var em = LinkStore.of(session).em();
            if (!delivered.isEmpty()) {
                var markDelivered = em.createNamedQuery("CaMarkDelivered").setParameter("now", now);
                IdList.bind(markDelivered, "ids", delivered.stream().map(OutboxEntity::getId).toList());
                markDelivered.executeUpdate();
            }
            for (OutboxEntity message : messages) {
                String error = errors.get(message.getId());
                OutboxEntity row = error == null ? null : em.find(OutboxEntity.class, message.getId());
                if (row != null) {
                    recordFailure(row, error, now);
                }
            }
        });
        delivered.forEach(message -> metrics.delivered(now - message.getCreatedAt()));
    }

    private void recordFailure(OutboxEntity row, String error, long now) {
        row.setClaimedUntil(0);
        row.setClaimedBy(null);
        row.setAttempts(row.getAttempts() + 1);
        row.setLastError(error.length() > 255 ? error.substring(0, 255) : error);
        if (now - row.getCreatedAt() >= settings.maxAgeMillis()) {
            row.setStatus(OutboxEntity.DEAD);
            metrics.deadLettered();
            LOG.warnf("Customer webhook message dead-lettered in realm %s after %d attempts (%s)",
                    row.getRealmId(), row.getAttempts(), row.getLastError());
        } else {
            row.setNextAttemptAt(now + settings.backoff().delayMillis(row.getAttempts(),
                    ThreadLocalRandom.current()::nextDouble));
            metrics.retried();
            LOG.debugf("Customer webhook delivery failed (%s), attempt %d", error, row.getAttempts());
        }
    }

    private void deleteOldDelivered(long now) {
        KeycloakModelUtils.runJobInTransaction(factory, session -> LinkStore.of(session).em()
                .createNamedQuery("CaDeleteDeliveredBefore")
                .setParameter("before", now - settings.deliveredRetentionMillis()).executeUpdate());
    }

    private record Target(String url, String secret, String problem) {
    }

    private record Claimed(List<OutboxEntity> messages, Map<String, Target> targets, boolean morePending) {
    }
}
