package io.crewjvm.operator;

import com.fasterxml.jackson.databind.JsonNode;
import io.crewjvm.api.ApiException;
import io.crewjvm.api.Body;
import io.crewjvm.api.Ids;
import io.crewjvm.api.IndexedText;
import io.crewjvm.api.Paging;
import io.crewjvm.db.RetryTransient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Operators: which URL receives the tasks of a channel. Unlike Crew, the fields are validated (400 naming the
 * field): a channel, an absolute http(s) URL, a requestConfig object, a boolean isPaused.
 */
@ApplicationScoped
public class OperatorService {

    private final OperatorRepository operators;

    OperatorService(OperatorRepository operators) {
        this.operators = operators;
    }

    public List<OperatorView> list(Paging paging) {
        return operators.page(paging.limit(), paging.skip());
    }

    public long count() {
        return operators.count();
    }

    public OperatorView get(String id) {
        return operators.get(id).orElseThrow(() -> notFound(id));
    }

    public OperatorView create(Body body) {
        return operators.insert(Ids.newId(), channel(body), url(body), requestConfig(body), body.bool("isPaused"));
    }

    /** Changes the fields the body names; the others (and unknown fields) are left as they are. */
    @Transactional
    @RetryTransient
    public OperatorView update(String id, Body body) {
        OperatorView current = operators.lock(id).orElseThrow(() -> notFound(id));
        return operators.update(id,
                body.has("channel") ? channel(body) : current.channel(),
                body.has("url") ? url(body) : current.url(),
                body.has("requestConfig") ? requestConfig(body)
                        : current.requestConfig() == null ? null : Body.write(current.requestConfig()),
                body.has("isPaused") ? body.bool("isPaused") : current.isPaused());
    }

    /** Deletes an operator; how many were deleted (0 when there was none, as in Crew). */
    public int delete(String id) {
        return operators.delete(id);
    }

    static ApiException notFound(String id) {
        return ApiException.notFound("Operator with id " + id + " not found!");
    }

    private static String channel(Body body) {
        return IndexedText.check("channel", body.requiredString("channel", "channel is required"));
    }

    private static String url(Body body) {
        String url = body.requiredString("url", "url is required");
        try {
            URI uri = new URI(url);
            if (uri.getHost() == null || !("http".equalsIgnoreCase(uri.getScheme())
                    || "https".equalsIgnoreCase(uri.getScheme()))) {
                throw ApiException.badRequest("url must be an absolute http or https URL: '" + url + "'");
            }
            return url;
        } catch (URISyntaxException e) {
            throw ApiException.badRequest("url is not a valid URL: " + e.getMessage());
        }
    }

    /** The requestConfig as JSON text, validated; null when absent or null. */
    private static String requestConfig(Body body) {
        JsonNode config = body.json("requestConfig");
        RequestConfig.validate(config);
        return config == null ? null : Body.write(config);
    }
}
