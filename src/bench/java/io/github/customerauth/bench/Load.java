package io.github.customerauth.bench;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** A closed-loop load: {@code concurrency} workers, each sending its next request when the last one answered. */
final class Load {

    record Result(String name, int requests, int errors, double seconds, long p50Micros, long p99Micros) {
        double perSecond() {
            return requests / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-34s %8.1f req/s  p50 %6.2f ms  p99 %6.2f ms  (%d requests, %d errors)",
                    name, perSecond(), p50Micros / 1000.0, p99Micros / 1000.0, requests, errors);
        }
    }

    private Load() {
    }

    static Result run(String name, int concurrency, double seconds, Supplier<HttpResponse<String>> request) {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Future<List<Long>>> workers = new ArrayList<>();
        int[] errors = new int[concurrency];
        long started = System.nanoTime();
        for (int w = 0; w < concurrency; w++) {
            int worker = w;
            workers.add(pool.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    HttpResponse<String> response = request.get();
                    latencies.add((System.nanoTime() - t0) / 1000);
                    if (response.statusCode() / 100 != 2) {
                        errors[worker]++;
                    }
                }
                return latencies;
            }));
        }
        List<Long> all = new ArrayList<>();
        for (Future<List<Long>> worker : workers) {
            try {
                all.addAll(worker.get());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        Collections.sort(all);
        int errorCount = Arrays.stream(errors).sum();
        return new Result(name, all.size(), errorCount, elapsed, percentile(all, 50), percentile(all, 99));
    }

    static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The response, if it is a success; a benchmark whose set-up or warm-up fails stops with what the server said. */
    static HttpResponse<String> check(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(response.request().uri() + " -> " + response.statusCode() + " " + response.body());
        }
        return response;
    }
}
