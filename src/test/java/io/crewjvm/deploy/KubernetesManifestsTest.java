package io.crewjvm.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Parses every object of deploy/k8s with the Kubernetes models, strictly: an unknown or misspelt field fails the
 * build, not the rollout. The files are found through the kustomization files themselves, so the test needs no
 * kubectl; where kubectl is installed it also renders both setups and checks they hold the same objects.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Path.of("deploy/k8s");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Service", Service.class,
            "v1/Secret", Secret.class,
            "apps/v1/Deployment", Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);
    private static final String CNPG_CLUSTER = "postgresql.cnpg.io/v1/Cluster";

    @Test
    void recommended_setup_holds_the_service_and_a_cloudnativepg_cluster() throws IOException {
        List<JsonNode> objects = objectsOf(K8S);
        assertEquals(Set.of("ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "Cluster"), kinds(objects));
        objects.forEach(KubernetesManifestsTest::parseStrictly);

        JsonNode cluster = only(objects, "Cluster");
        String appSecret = cluster.at("/metadata/name").asText() + "-app"; // the secret CloudNativePG generates
        assertEquals(Set.of(appSecret), secretsReadBy(deployment(objects)));
        assertRenderedByKubectl(K8S, objects);
    }

    @Test
    void managed_postgres_setup_holds_the_service_and_a_secret_template_with_the_same_keys() throws IOException {
        Path overlay = K8S.resolve("managed-postgres");
        List<JsonNode> objects = objectsOf(overlay);
        assertEquals(Set.of("ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "Secret"), kinds(objects));
        objects.forEach(KubernetesManifestsTest::parseStrictly);

        Secret template = (Secret) parseStrictly(only(objects, "Secret"));
        assertEquals(secretsReadBy(deployment(objects)), Set.of(template.getMetadata().getName()));
        Set<String> keysRead = new TreeSet<>();
        containerOf(deployment(objects)).getEnv().stream().filter(e -> e.getValueFrom() != null)
                .forEach(e -> keysRead.add(e.getValueFrom().getSecretKeyRef().getKey()));
        assertEquals(keysRead, new TreeSet<>(template.getStringData().keySet()));
        assertEquals("CHANGE_ME", template.getStringData().get("password"), "a template, never a real secret");
        assertRenderedByKubectl(overlay, objects);
    }

    @Test
    void deployment_runs_replicas_that_probe_health_stop_in_time_and_cannot_write_their_image() throws IOException {
        List<JsonNode> objects = objectsOf(K8S);
        Deployment deployment = deployment(objects);
        ConfigMap config = (ConfigMap) parseStrictly(only(objects, "ConfigMap"));
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container crew = containerOf(deployment);

        assertTrue(deployment.getSpec().getReplicas() >= 2);
        assertEquals("/q/health/started", crew.getStartupProbe().getHttpGet().getPath());
        assertEquals("/q/health/ready", crew.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", crew.getLivenessProbe().getHttpGet().getPath());
        assertNotNull(crew.getResources().getRequests().get("cpu"));
        assertNotNull(crew.getResources().getRequests().get("memory"));
        assertNotNull(crew.getResources().getLimits().get("memory"));
        assertTrue(pod.getSecurityContext().getRunAsNonRoot());
        assertTrue(crew.getSecurityContext().getReadOnlyRootFilesystem());
        assertFalse(crew.getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(crew.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null
                && config.getMetadata().getName().equals(e.getConfigMapRef().getName())));

        // Kubernetes kills the pod after the grace period: readiness delay and in-flight timeout must fit in it.
        Duration stopping = duration(config.getData().get("CREW_SHUTDOWN_DELAY"))
                .plus(duration(config.getData().get("CREW_SHUTDOWN_TIMEOUT")));
        assertTrue(stopping.plusSeconds(5).getSeconds() <= pod.getTerminationGracePeriodSeconds(),
                "terminationGracePeriodSeconds " + pod.getTerminationGracePeriodSeconds() + " < " + stopping + " + 5s");

        HorizontalPodAutoscaler hpa = (HorizontalPodAutoscaler) parseStrictly(only(objects, "HorizontalPodAutoscaler"));
        assertEquals(deployment.getMetadata().getName(), hpa.getSpec().getScaleTargetRef().getName());
        assertTrue(hpa.getSpec().getMinReplicas() >= 2, "a PodDisruptionBudget needs two replicas to allow evictions");
        PodDisruptionBudget pdb = (PodDisruptionBudget) parseStrictly(only(objects, "PodDisruptionBudget"));
        assertEquals(deployment.getSpec().getSelector(), pdb.getSpec().getSelector());
        Service service = (Service) parseStrictly(only(objects, "Service"));
        assertEquals(deployment.getSpec().getSelector().getMatchLabels(), service.getSpec().getSelector());
    }

    @Test
    void a_misspelt_field_fails_the_parse() throws IOException {
        JsonNode typo = YAML.readTree("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: x}\n"
                + "spec: {replica: 2, selector: {matchLabels: {app: x}}}\n");
        AssertionError e = assertThrows(AssertionError.class, () -> parseStrictly(typo));
        assertTrue(e.getMessage().contains("replica"), e.getMessage());

        JsonNode clusterTypo = YAML.readTree("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n"
                + "metadata: {name: x}\nspec: {instance: 3}\n");
        e = assertThrows(AssertionError.class, () -> parseStrictly(clusterTypo));
        assertTrue(e.getMessage().contains("instance"), e.getMessage());

        JsonNode clusterWrongType = YAML.readTree("apiVersion: postgresql.cnpg.io/v1\nkind: Cluster\n"
                + "metadata: {name: x}\nspec: {instances: three}\n");
        assertThrows(AssertionError.class, () -> parseStrictly(clusterWrongType));
    }

    // ---- kustomization files -------------------------------------------------------------------------------

    /** The objects a kustomization directory renders, following its resources (files and directories). */
    private static List<JsonNode> objectsOf(Path dir) throws IOException {
        JsonNode kustomization = YAML.readTree(dir.resolve("kustomization.yaml").toFile());
        // Only what this reader understands: anything else would make its view differ from kubectl's.
        kustomization.fieldNames().forEachRemaining(field -> assertTrue(
                Set.of("apiVersion", "kind", "resources", "labels").contains(field),
                dir + "/kustomization.yaml: " + field + " is not followed by this test; extend it"));
        List<JsonNode> objects = new ArrayList<>();
        for (JsonNode resource : kustomization.path("resources")) {
            Path path = dir.resolve(resource.asText()).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(objectsOf(path));
            } else {
                objects.addAll(documents(path.toFile()));
            }
        }
        return objects;
    }

    private static List<JsonNode> documents(File file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isEmpty()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** kubectl, where installed, must render the objects this test read (by kind and name). */
    private static void assertRenderedByKubectl(Path dir, List<JsonNode> read) throws IOException {
        String kubectl = onPath("kubectl");
        if (kubectl == null) {
            System.out.println("kubectl not on the PATH: checked the kustomization files directly");
            return;
        }
        Path out = Files.createTempFile("kustomize", ".yaml");
        try {
            Process p = new ProcessBuilder(kubectl, "kustomize", dir.toString())
                    .redirectOutput(out.toFile()).redirectErrorStream(false).start();
            String err = new String(p.getErrorStream().readAllBytes());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize did not finish");
            assertEquals(0, p.exitValue(), "kubectl kustomize " + dir + ": " + err);
            List<JsonNode> rendered = documents(out.toFile());
            rendered.forEach(KubernetesManifestsTest::parseStrictly);
            assertEquals(names(read), names(rendered));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            File f = new File(dir, command);
            if (f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    // ---- strict parsing ------------------------------------------------------------------------------------

    private static Object parseStrictly(JsonNode object) {
        String type = object.path("apiVersion").asText() + "/" + object.path("kind").asText();
        if (CNPG_CLUSTER.equals(type)) {
            try {
                JsonNode schema = YAML.readTree(
                        KubernetesManifestsTest.class.getResourceAsStream("/k8s/cnpg-cluster.schema.json"));
                conform(object, schema, type);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return object;
        }
        Class<?> model = MODELS.get(type);
        assertNotNull(model, "no model for " + type);
        Object parsed;
        try {
            parsed = YAML.treeToValue(object, model);
        } catch (IOException e) {
            throw new AssertionError(type + ": " + e.getMessage(), e);
        }
        // The models keep unknown fields in additionalProperties instead of failing on them.
        noAdditionalProperties(parsed, type);
        return parsed;
    }

    private static void noAdditionalProperties(Object value, String path) {
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                noAdditionalProperties(item, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> noAdditionalProperties(v, path + "." + k));
            return;
        }
        if (value == null || !value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (getter.getName().equals("getAdditionalProperties")) {
                assertTrue(field == null || ((Map<?, ?>) field).isEmpty(),
                        path + ": unknown field(s) " + (field == null ? "" : ((Map<?, ?>) field).keySet()));
            } else {
                noAdditionalProperties(field, path + "." + getter.getName().substring(3));
            }
        }
    }

    /** A custom resource against the vendored subset of its CRD: known keys only, values of the right type. */
    private static void conform(JsonNode value, JsonNode schema, String path) {
        if (schema.isTextual()) {
            String type = schema.asText();
            boolean ok = switch (type) {
                case "string" -> value.isTextual();
                case "integer" -> value.isIntegralNumber();
                case "boolean" -> value.isBoolean();
                case "object" -> value.isObject();
                case "array" -> value.isArray();
                default -> throw new IllegalStateException("schema type " + type);
            };
            assertTrue(ok, path + ": expected " + type + ", got " + value);
            return;
        }
        assertTrue(value.isObject(), path + ": expected an object");
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode fieldSchema = schema.get(field.getKey());
            assertTrue(fieldSchema != null && !field.getKey().startsWith("_"),
                    path + ": unknown field " + field.getKey());
            conform(field.getValue(), fieldSchema, path + "." + field.getKey());
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static Set<String> kinds(List<JsonNode> objects) {
        Set<String> kinds = new TreeSet<>();
        objects.forEach(o -> kinds.add(o.path("kind").asText()));
        assertEquals(objects.size(), kinds.size(), "one object of each kind");
        return kinds;
    }

    private static Set<String> names(List<JsonNode> objects) {
        Set<String> names = new TreeSet<>();
        objects.forEach(o -> names.add(o.path("kind").asText() + "/" + o.at("/metadata/name").asText()));
        return names;
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).findFirst().orElseThrow();
    }

    private static Deployment deployment(List<JsonNode> objects) {
        return (Deployment) parseStrictly(only(objects, "Deployment"));
    }

    private static Container containerOf(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Set<String> secretsReadBy(Deployment deployment) {
        Set<String> secrets = new TreeSet<>();
        for (EnvVar env : containerOf(deployment).getEnv()) {
            if (env.getValueFrom() != null && env.getValueFrom().getSecretKeyRef() != null) {
                secrets.add(env.getValueFrom().getSecretKeyRef().getName());
            }
        }
        return secrets;
    }

    /** Quarkus' short duration form, as the ConfigMap writes it ("25s", "1m"). */
    private static Duration duration(String text) {
        return Duration.parse("PT" + text.toUpperCase());
    }
}
