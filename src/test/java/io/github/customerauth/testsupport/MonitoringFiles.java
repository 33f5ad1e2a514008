package io.github.customerauth.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The operators' files under {@code docs/monitoring/}: Prometheus alert rules and a Grafana dashboard. */
public final class MonitoringFiles {

    private static final Path DIRECTORY = Path.of(System.getProperty("project.dir", ".")).resolve("docs/monitoring");
    private static final Pattern METRIC = Pattern.compile("customer_auth_[a-z_]+");

    private MonitoringFiles() {
    }

    public static JsonNode alertRules() {
        return YAMLMapper.builder().build().readTree(read("alerts.yaml"));
    }

    public static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(read("grafana-dashboard.json"));
    }

    /** Every PromQL expression of both files. */
    public static List<String> expressions() {
        List<String> expressions = new ArrayList<>();
        alertRules().get("groups").forEach(group -> group.get("rules").forEach(rule ->
                expressions.add(rule.get("expr").asString())));
        dashboard().get("panels").forEach(panel -> panel.get("targets").forEach(target ->
                expressions.add(target.get("expr").asString())));
        return expressions;
    }

    /** The series names the expressions read, exactly as Prometheus shows them ({@code ..._bucket}, {@code ..._total}). */
    public static Set<String> seriesNames() {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                names.add(metric.group());
            }
        }
        return names;
    }

    private static String read(String file) {
        try {
            return Files.readString(DIRECTORY.resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
