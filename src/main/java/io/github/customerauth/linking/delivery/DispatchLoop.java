package io.github.customerauth.linking.delivery;

import io.github.customerauth.linking.receiver.Webhook;
import io.github.customerauth.linking.receiver.WebhookSender;
import io.github.customerauth.linking.store.Outbox;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import org.jboss.logging.Logger;
import org.keycloak.connections.httpclient.HttpClientProvider;
import org.keycloak.executors.ExecutorsProvider;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.utils.KeycloakModelUtils;

/**
 * The webhook dispatcher of one node: a loop on an executor of its own (never Keycloak's timer thread, which every
 * timer task shares). Each tick it aborts overdue requests, lists the receivers with due messages, and starts a
 * {@link DeliveryRun} for each receiver that has a free slot and a closed breaker, in turn from a rotating start:
 * one receiver's backlog or silence only ever occupies that receiver's slots.
 */
public final class DispatchLoop implements Runnable {

    private static final Logger LOG = Logger.getLogger(DispatchLoop.class);
    /**
     * Each tick asks, per configured receiver, whether one of its messages is due (an index look each); once a
     * minute the whole backlog is read instead, which also finds the messages of receivers deleted since.
     */
    private static final long BACKLOG_LOOK_MILLIS = 60_000;

    private final KeycloakSessionFactory factory;
    private final LinkingSettings settings;
    private final LinkingMetrics metrics;
    private final Map<String, ReceiverState> receivers = new ConcurrentHashMap<>();
    private volatile boolean stopped;
    private WebhookSender sender;
    private ExecutorService runs;
    private Semaphore slots;
    private int perReceiver;
    private int rotation;
    private long nextBacklogLook;

    public DispatchLoop(KeycloakSessionFactory factory, LinkingSettings settings, LinkingMetrics metrics) {
        this.factory = factory;
        this.settings = settings;
        this.metrics = metrics;
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
        boolean wholeBacklog = now >= nextBacklogLook;
        if (wholeBacklog) {
            nextBacklogLook = now + BACKLOG_LOOK_MILLIS;
        }
        List<String> due = KeycloakModelUtils.runJobInTransactionWithResult(factory, session -> wholeBacklog
                ? Outbox.of(session).receiversWithDueMessages(now)
                : Outbox.of(session).withDueMessages(Webhook.idsInAllRealms(session), now));
        if (due.isEmpty()) {
            return;
        }
        int first = Math.floorMod(rotation++, due.size());
        for (int i = 0; i < due.size(); i++) {
            String webhookId = due.get((first + i) % due.size());
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
        slots = new Semaphore(total);
        perReceiver = Math.max(1, Math.min(settings.getInt(LinkingSettings.RECEIVER_CONCURRENCY), total / 2));
        // Last: it marks the loop as started.
        sender = created;
        executors[1].execute(this::watch);
        LOG.debugf("Customer webhook delivery: %d runs at once, %d per receiver", total, perReceiver);
    }
}
