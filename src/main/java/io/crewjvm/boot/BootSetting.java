package io.crewjvm.boot;

/**
 * A setting read before Quarkus's configuration exists (the embedded database starts first): the system property,
 * else its environment-variable form ({@code crew.embedded.data-dir} → {@code CREW_EMBEDDED_DATA_DIR}).
 */
public final class BootSetting {

    private BootSetting() {
    }

    public static String value(String property, String fallback) {
        String value = System.getProperty(property);
        if (value == null) {
            value = System.getenv(property.toUpperCase().replaceAll("[^A-Z0-9]", "_"));
        }
        return value == null || value.isBlank() ? fallback : value;
    }
}
