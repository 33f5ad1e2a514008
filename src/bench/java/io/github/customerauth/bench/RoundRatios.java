package io.github.customerauth.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Statistics of interleaved rounds, shared by the server benchmarks: per-round ratios of one mode to another. */
final class RoundRatios {

    private RoundRatios() {
    }

    /**
     * The back-to-back pairs' median and geometric mean with its 95 % confidence interval (normal approximation on
     * the logarithms): how far the machine's drift leaves the ratio uncertain after this many pairs.
     */
    static String describe(List<Double> measured, List<Double> base) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < measured.size(); i++) {
            ratios.add(measured.get(i) / base.get(i));
        }
        Collections.sort(ratios);
        double[] logs = ratios.stream().mapToDouble(Math::log).toArray();
        double mean = Arrays.stream(logs).average().orElseThrow();
        double variance = Arrays.stream(logs).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, logs.length - 1);
        double halfWidth = 1.96 * Math.sqrt(variance / logs.length);
        return String.format("median %.3f, lowest %.3f, highest %.3f, geometric mean %.3f (95 %% interval %.3f-%.3f,"
                        + " %d pairs)", (ratios.get((ratios.size() - 1) / 2) + ratios.get(ratios.size() / 2)) / 2,
                ratios.get(0), ratios.get(ratios.size() - 1), Math.exp(mean), Math.exp(mean - halfWidth),
                Math.exp(mean + halfWidth), logs.length);
    }
}
