package io.crewjvm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus-alerts.yaml and its PrometheusRule in deploy/k8s/monitoring: the same groups, every rule complete.
 * That the series they use exist is checked against a real scrape by MetricsTest.
 */
class AlertRulesTest {

    static final Path RULES = Path.of("deploy/prometheus-alerts.yaml");
    static final Path MONITORING = Path.of("deploy/k8s/monitoring");
    private static final YAMLMapper YAML = new YAMLMapper();

    @Test
    void the_prometheus_rule_of_the_kubernetes_setup_has_the_groups_of_the_rule_file() throws IOException {
        JsonNode file = YAML.readTree(RULES.toFile());
        JsonNode kustomization = YAML.readTree(MONITORING.resolve("kustomization.yaml").toFile());
        assertEquals(List.of("prometheus-rule.yaml"), List.of(kustomization.path("resources").get(0).asText()));
        JsonNode rule = YAML.readTree(MONITORING.resolve("prometheus-rule.yaml").toFile());
        assertEquals("monitoring.coreos.com/v1", rule.path("apiVersion").asText());
        assertEquals("PrometheusRule", rule.path("kind").asText());
        assertFalse(rule.at("/metadata/name").asText().isEmpty());
        assertEquals(file.get("groups"), rule.at("/spec/groups"),
                "python3 deploy/k8s/monitoring/regenerate.py writes it anew from the file");
    }

    @Test
    void every_rule_has_a_unique_name_an_expression_a_duration_a_severity_and_a_summary() throws IOException {
        Set<String> names = new HashSet<>();
        int rules = 0;
        for (JsonNode group : YAML.readTree(RULES.toFile()).get("groups")) {
            for (JsonNode rule : group.get("rules")) {
                String name = rule.path("alert").asText();
                assertTrue(name.matches("Crew[A-Za-z]+"), name);
                assertTrue(names.add(name), "two rules named " + name);
                assertFalse(rule.path("expr").asText().isBlank(), name);
                assertTrue(Duration.parse("PT" + rule.path("for").asText().toUpperCase()).toMinutes() >= 15, name);
                assertTrue(Set.of("info", "warning", "critical").contains(rule.at("/labels/severity").asText()), name);
                assertFalse(rule.at("/annotations/summary").asText().isBlank(), name);
                assertFalse(rule.at("/annotations/description").asText().isBlank(), name);
                rules++;
            }
        }
        assertTrue(rules >= 3);
    }
}
