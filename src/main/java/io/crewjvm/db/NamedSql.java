package io.crewjvm.db;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A SQL statement kept in {@code src/main/resources/sql/<feature>/<Name>.sql}, with {@code :name} parameters
 * rewritten to JDBC placeholders. Statements are reviewed like code and never assembled from strings.
 */
public record NamedSql(String name, String jdbc, List<String> parameters) {

    // ":name" but not the "::" of a cast.
    private static final Pattern PARAMETER = Pattern.compile("(?<![:\\w]):([a-zA-Z_][a-zA-Z0-9_]*)");

    static NamedSql load(String name) {
        String path = "sql/" + name + ".sql";
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("No SQL statement at " + path);
            }
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NamedSql parse(String name, String text) {
        String withoutComments = text.replaceAll("(?m)--.*$", "");
        List<String> parameters = new ArrayList<>();
        Matcher m = PARAMETER.matcher(withoutComments);
        StringBuilder jdbc = new StringBuilder();
        while (m.find()) {
            parameters.add(m.group(1));
            m.appendReplacement(jdbc, "?");
        }
        m.appendTail(jdbc);
        return new NamedSql(name, jdbc.toString().trim(), List.copyOf(parameters));
    }
}
