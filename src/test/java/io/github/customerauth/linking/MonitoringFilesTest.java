package io.github.customerauth.linking;

import io.github.customerauth.testsupport.MonitoringFiles;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The alert rules and the dashboard under {@code docs/monitoring/}: well formed, and adding up across nodes. That the
 * metrics they name exist on a running Keycloak is {@code LinkingIT}'s.
 */
class MonitoringFilesTest {

    private static final List<String> DATABASE_GAUGES = List.of("customer_auth_webhook_outbox_pending",
            "customer_auth_webhook_outbox_dead");

    @Test
    void everyAlertHasANameAnExpressionASeverityAndASummary() {
        Set<String> names = new HashSet<>();
        List<JsonNode> rules = new ArrayList<>();
        MonitoringFiles.alertRules().get("groups").forEach(group -> group.get("rules").forEach(rules::add));

        assertThat(rules).hasSizeGreaterThanOrEqualTo(6);
        for (JsonNode rule : rules) {
            assertThat(names.add(rule.get("alert").asString())).as("unique alert name").isTrue();
            assertThat(rule.get("expr").asString()).contains("customer_auth_");
            assertThat(rule.get("for").asString()).matches("\\d+[smh]");
            assertThat(rule.get("labels").get("severity").asString()).isIn("warning", "critical");
            assertThat(rule.get("annotations").get("summary").asString()).isNotBlank();
        }
        assertThat(String.join("\n", MonitoringFiles.expressions())).contains("customer_auth_webhook_outbox_dead",
                "customer_auth_webhook_breakers_open", "customer_auth_webhook_delivery_lag_seconds_bucket",
                "customer_auth_sweep_last_success_timestamp_seconds", "customer_auth_sweep_check_failures_total");
    }

    @Test
    void everyPanelReadsPrometheusThroughTheImportedDataSource() {
        JsonNode dashboard = MonitoringFiles.dashboard();

        assertThat(dashboard.get("__inputs").get(0).get("pluginId").asString()).isEqualTo("prometheus");
        assertThat(dashboard.get("panels").size()).isGreaterThanOrEqualTo(6);
        dashboard.get("panels").forEach(panel -> {
            assertThat(panel.get("datasource").get("uid").asString()).isEqualTo("${DS_PROMETHEUS}");
            assertThat(panel.get("targets").size()).isPositive();
        });
    }

    /** Quantiles of per-node percentiles cannot be added; buckets can, and so can counters. */
    @Test
    void quantilesAreTakenOfBucketsAddedOverEveryNodeAndDatabaseGaugesAreNotAdded() {
        for (String expression : MonitoringFiles.expressions()) {
            String flat = expression.replaceAll("\\s+", " ");
            if (flat.contains("_bucket")) {
                assertThat(flat).as(flat).contains("histogram_quantile(").contains("sum by (le) (rate(");
            }
            assertThat(flat).as(flat).doesNotContain("quantile=");
            for (String gauge : DATABASE_GAUGES) {
                if (flat.contains(gauge)) {
                    assertThat(flat).as("a gauge read from the database is the same on every node: " + flat)
                            .contains("max(" + gauge + ")").doesNotContain("sum(" + gauge);
                }
            }
        }
    }
}
