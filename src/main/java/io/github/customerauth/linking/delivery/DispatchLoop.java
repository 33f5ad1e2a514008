package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.receiver.Webhook;
import io.github.customerauth.linking.receiver.WebhookSender;
import io.github.customerauth.linking.store.Outbox;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The webhook dispatcher of one node: a loop on an executor of its own (never Keycloak's timer thread, which every
 * timer task shares). Each tick lists the receivers with due messages (not looking for those with every run in
 * flight, nor for those whose last run left more to send) and starts a {@link DeliveryRun} for each that has a free
 * slot and a closed breaker, from a rotating start: one receiver's backlog or silence only ever occupies that
 * receiver's slots.
 */
public final class DispatchLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(DispatchLoop.class);
    /**
     * Each tick asks each configured receiver whether a message of it is due (an index look each); once a minute the
     * whole backlog is read too, beside the loop, which also finds the messages of receivers deleted since.
     */
    private static final long BACKLOG_LOOK_MILLIS = 60_000;

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final Map<String, ReceiverState> receivers = new ConcurrentHashMap<>();
    /** The receivers configured at the last tick (a deleted one's state stays: its queued messages still go). */
    private volatile Set<String> configured = Set.of();
    private volatile boolean stopped;
    private WebhookSender sender;
    private ExecutorService runs;
    private Semaphore slots;
    private int perReceiver;
    private int rotation;
    private long nextBacklogLook;
    private ExecutorService lookups;
    private CompletableFuture<List<String>> backlogLook;
    private long backlogLookStarted;

    public DispatchLoop(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
        metrics.watchBreakers(this::receiversLeftAlone);
    }

    @Override
    public void run() {
        while (!stopped) {
            try {
                tick(System.currentTimeMillis());
            } catch (Throwable t) {
                LOG.errorf(t, "Customer webhook dispatch failed; trying again at the next tick");
            }
            if (!sleep(settings.get(LinkingSettings.DISPATCH_INTERVAL))) {
                return;
            }
        }
    }

    /**
     * Aborts requests past their deadline every 100 ms, on a thread of its own: a slow database look in the tick
     * must not keep a dripping receiver's request alive.
     */
    private void watch() {
        while (!stopped) {
            try {
                sender.abortOverdue(System.currentTimeMillis());
            } catch (Throwable t) {
                LOG.errorf(t, "Customer webhook watchdog failed; trying again");
            }
            if (!sleep(100)) {
                return;
            }
        }
    }

    private boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (!stopped) {
                LOG.warn("Customer webhook dispatch interrupted: this node sends no more webhooks until restarted");
            }
            return false;
        }
    }

    public void stop() {
        stopped = true;
    }

    private void tick(long now) {
        start();
        Set<String> due = new LinkedHashSet<>(backlogLookResult(now));
        if (now >= nextBacklogLook && backlogLook == null) {
            nextBacklogLook = now + BACKLOG_LOOK_MILLIS;
            backlogLookStarted = now;
            backlogLook = CompletableFuture.supplyAsync(() -> KeycloakModelUtils.runJobInTransactionWithResult(factory,
                    session -> Outbox.of(session).receiversWithDueMessages(now)), lookups);
        }
        try {
            due.addAll(KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
                List<String> ids = Webhook.idsInAllRealms(session);
                configured = Set.copyOf(ids);
                Map<Boolean, List<String>> free = ids.stream()
                        .filter(id -> mayStartRun(id, now)).collect(Collectors.partitioningBy(this::hasMoreWaiting));
                List<String> withDue = new ArrayList<>(free.get(true));
                withDue.addAll(Outbox.of(session).withDueMessages(free.get(false), now));
                return withDue;
            }));
        } catch (RuntimeException e) {
            LOG.errorf(e, "Customer webhook dispatch could not look for due messages; trying again at the next tick");
        }
        if (due.isEmpty()) {
            return;
        }
        List<String> inTurn = List.copyOf(due);
        int first = Math.floorMod(rotation++, inTurn.size());
        for (int i = 0; i < inTurn.size(); i++) {
            String webhookId = inTurn.get((first + i) % inTurn.size());
            ReceiverState receiver = receivers.computeIfAbsent(webhookId, id -> new ReceiverState(
                    settings.getInt(LinkingSettings.BREAKER_FAILURES), settings.get(LinkingSettings.BREAKER_OPEN)));
            if (!slots.tryAcquire()) {
                return;
            }
            int batch = receiver.startRun(now, perReceiver, settings.getInt(LinkingSettings.BATCH_SIZE));
            if (batch == 0) {
                slots.release();
                continue;
            }
            try {
                runs.execute(new DeliveryRun(factory, settings, metrics, sender, receiver, webhookId, batch,
                        slots::release));
            } catch (RejectedExecutionException e) {
                receiver.runEnded();
                slots.release();
                LOG.warnf(e, "Customer webhook delivery run not started");
            }
        }
    }

    /** Configured receivers this node leaves alone after failures (a metric, read by Keycloak's metrics endpoint). */
    private long receiversLeftAlone() {
        long now = System.currentTimeMillis();
        return configured.stream().map(receivers::get).filter(state -> state != null && state.leftAlone(now)).count();
    }

    /** A receiver this node has seen may skip its due look while every run it may have is in flight. */
    private boolean mayStartRun(String webhookId, long now) {
        ReceiverState receiver = receivers.get(webhookId);
        return receiver == null || receiver.mayStartRun(now, perReceiver);
    }

    /** A receiver whose last run on this node used up its time with more to send needs no due look. */
    private boolean hasMoreWaiting(String webhookId) {
        ReceiverState receiver = receivers.get(webhookId);
        return receiver != null && receiver.moreWaiting();
    }

    /**
     * The receivers the last look over the whole backlog found, once it has ended. It reads every pending message
     * (a second at a million), so it runs beside the loop: a tick that waited for it would keep every other
     * receiver's messages waiting too. A look that has not ended after five minutes (a hung connection, or no
     * thread free on {@code linking-dispatch}) is given up, so that the next one starts.
     */
    private List<String> backlogLookResult(long now) {
        CompletableFuture<List<String>> look = backlogLook;
        if (look == null) {
            return List.of();
        }
        if (!look.isDone()) {
            if (now - backlogLookStarted > 5 * BACKLOG_LOOK_MILLIS) {
                LOG.warnf("Customer webhook backlog look has not ended after %d s; starting another",
                        (now - backlogLookStarted) / 1000);
                backlogLook = null;
            }
            return List.of();
        }
        backlogLook = null;
        try {
            return look.join();
        } catch (CompletionException | CancellationException e) {
            LOG.errorf(e.getCause(), "Customer webhook backlog look failed; trying again in a minute");
            return List.of();
        }
    }

    /**
     * Runs go to Keycloak's {@code linking-delivery} executor. Keycloak builds it with four core threads and
     * a queue behind them, so it never runs more than four tasks at once: a few silent receivers, each holding a
     * thread until its deadline, would leave none for the others. The pool is this extension's own, so it is grown
     * to {@code max-concurrent-runs} threads (never shrunk below what an operator configured), and the slots never
     * exceed its threads, so no run waits in the queue behind another receiver's.
     */
    private void start() {
        if (sender != null) {
            return;
        }
        ExecutorService[] executors = new ExecutorService[2];
        WebhookSender created = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> {
            ExecutorsProvider provider = session.getProvider(ExecutorsProvider.class);
            executors[0] = provider.getExecutor("linking-delivery");
            executors[1] = provider.getExecutor("linking-dispatch");
            // Keycloak's shared client, which its provider owns and closes: kept across sessions, never closed here.
            return new WebhookSender(session.getProvider(HttpClientProvider.class).getHttpClient(),
                    settings.get(LinkingSettings.REQUEST_TIMEOUT));
        });
        int wanted = settings.getInt(LinkingSettings.MAX_CONCURRENT_RUNS);
        int total = wanted;
        if (executors[0] instanceof ThreadPoolExecutor pool) {
            if (pool.getMaximumPoolSize() < wanted) {
                pool.setMaximumPoolSize(wanted);
            }
            if (pool.getCorePoolSize() < wanted) {
                pool.setCorePoolSize(wanted);
            }
            total = Math.min(wanted, pool.getCorePoolSize());
        }
        runs = executors[0];
        lookups = executors[1];
        slots = new Semaphore(total);
        perReceiver = Math.max(1, Math.min(settings.getInt(LinkingSettings.RECEIVER_CONCURRENCY), total / 2));
        // Last: it marks the loop as started.
        sender = created;
        executors[1].execute(this::watch);
        LOG.debugf("Customer webhook delivery: %d runs at once, %d per receiver", total, perReceiver);
    }
}
