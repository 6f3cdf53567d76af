package io.crewjvm.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * JSON endpoints as plain Vert.x routes, answered exactly as the JAX-RS resources answer: the worker protocol's, where
 * the framework's own work per request (RESTEasy Reactive, context propagation, a CDI request context, per-request
 * HTTP timers) was most of the service's CPU per task at batch 1. A route here checks the Accept and Content-Type
 * headers as JAX-RS did for a resource that produces JSON and takes its body as a string (406, 400 for a content type
 * that is no media type), reads the whole body on the event loop with the size limit of every request, hands it to
 * the endpoint, and writes the endpoint's JSON text as it is. Failures are answered by {@link ErrorMappers#answer}, as
 * the resources' are. Authentication, CORS and the declared body size ({@link HttpRoutes}) apply to these routes as to
 * any: they run before them.
 */
public final class JsonRoutes {

    /** The content type of a resource's JSON answer, as RESTEasy writes it. */
    private static final CharSequence JSON_UTF8 = HttpHeaders.createOptimized("application/json;charset=UTF-8");
    /** The content type of an error's answer. */
    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
    private static final CharSequence RETRY_AFTER_SECONDS = HttpHeaders.createOptimized(
            ErrorMappers.RETRY_AFTER_SECONDS);
    /** What RESTEasy answers an OPTIONS request (not a CORS preflight) of a resource's path with. */
    private static final CharSequence ALLOW_ALL = HttpHeaders.createOptimized("HEAD, DELETE, POST, GET, OPTIONS, PUT");
    private static final String NOT_ACCEPTABLE = "The accept header value did not match the value in @Produces";

    /** An endpoint, called on the event loop with the whole body and its content type (null when none was sent). */
    @FunctionalInterface
    public interface Endpoint {
        void handle(Exchange exchange, String body, String contentType);
    }

    /**
     * One request to a JSON route and its answer, written once: a JSON text the endpoint has (a document the
     * database built, written as it is), or a failure. Each answer's status is reported to {@code statuses} (the
     * endpoint's own counters).
     */
    public static final class Exchange {

        private final RoutingContext context;
        private final IntConsumer statuses;

        Exchange(RoutingContext context, IntConsumer statuses) {
            this.context = context;
            this.statuses = statuses;
        }

        public RoutingContext context() {
            return context;
        }

        public String pathParam(String name) {
            return context.pathParam(name);
        }

        public String header(CharSequence name) {
            return context.request().getHeader(name);
        }

        /** Whether the client has closed the connection (a long-poll then stops waiting). */
        public boolean clientGone() {
            return context.response().closed();
        }

        public void ok(String json) {
            ok(json, null, null);
        }

        /** 200 with the JSON text and one more header (none when {@code header} is null). */
        public void ok(String json, CharSequence header, CharSequence value) {
            HttpServerResponse response = context.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON_UTF8);
            if (header != null) {
                response.putHeader(header, value);
            }
            end(response, Buffer.buffer(json));
            statuses.accept(200);
        }

        /** The answer of a failure, as a resource's (ErrorMappers); a bug is logged with its reference. */
        public void fail(Throwable failure) {
            ErrorMappers.Answer answer = ErrorMappers.answer(failure);
            HttpServerResponse response = context.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, JSON);
            if (answer.retryLater()) {
                response.putHeader(RETRY_AFTER, RETRY_AFTER_SECONDS);
            }
            end(response, Buffer.buffer(new JsonObject(answer.body()).encode()));
            statuses.accept(answer.status());
        }

        /** Answers with the stage's JSON text once it completes, or with its failure. */
        public void reply(CompletionStage<String> json) {
            json.whenComplete((text, failure) -> {
                if (failure == null) {
                    ok(text);
                } else {
                    fail(failure);
                }
            });
        }

        private void refuse(int status, String message) {
            fail(new ApiException(status, message));
        }

        private static void end(HttpServerResponse response, Buffer body) {
            try {
                response.end(body);
            } catch (IllegalStateException closedMeanwhile) {
                // The client went away between the check and the write: nobody is left to answer.
            }
        }
    }

    private JsonRoutes() {
    }

    /**
     * Registers {@code POST path} for the endpoint, and the answers of a resource to the other methods on that path
     * (405, and OPTIONS' list of methods).
     */
    public static void post(Router router, String path, long maxBodyBytes, IntConsumer statuses, Endpoint endpoint) {
        router.post(path).handler(context -> accept(context, maxBodyBytes, new Exchange(context, statuses),
                endpoint));
        router.route(path).handler(context -> otherMethod(context, statuses));
    }

    private static void accept(RoutingContext context, long maxBodyBytes, Exchange exchange, Endpoint endpoint) {
        HttpServerRequest request = context.request();
        if (!acceptsJson(request.getHeader(HttpHeaders.ACCEPT))) {
            exchange.refuse(406, NOT_ACCEPTABLE);
            return;
        }
        String contentType = request.getHeader(HttpHeaders.CONTENT_TYPE);
        if (contentType != null && contentType.isEmpty()) {
            contentType = null;
        }
        if (contentType != null && !isMediaType(contentType)) {
            exchange.refuse(400, "HTTP 400 Bad Request");
            return;
        }
        String type = contentType;
        Charset charset = charset(type);
        if (request.isEnded()) {
            handle(exchange, endpoint, "", type);
            return;
        }
        if (request.version() == HttpVersion.HTTP_1_1 && "100-continue".equalsIgnoreCase(
                request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        BodyReader reader = new BodyReader(maxBodyBytes);
        request.handler(reader);
        request.endHandler(end -> {
            if (!reader.tooLarge) {
                handle(exchange, endpoint, reader.body == null ? "" : reader.body.toString(charset), type);
            }
        });
        reader.onTooLarge = () -> {
            HttpServerResponse response = context.response();
            response.putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
            exchange.refuse(413, "Request body too large: the limit is " + maxBodyBytes + " bytes");
            request.connection().close();
        };
        request.resume();
    }

    private static void handle(Exchange exchange, Endpoint endpoint, String body, String contentType) {
        try {
            endpoint.handle(exchange, body, contentType);
        } catch (RuntimeException e) {
            exchange.fail(e);
        }
    }

    /** The body as it comes, up to the limit; past it, the request is refused and the rest is not kept. */
    private static final class BodyReader implements io.vertx.core.Handler<Buffer> {

        private final long max;
        private Buffer body;
        private boolean copied;
        private boolean tooLarge;
        private Runnable onTooLarge;

        BodyReader(long max) {
            this.max = max;
        }

        @Override
        public void handle(Buffer chunk) {
            if (tooLarge) {
                return;
            }
            long length = (body == null ? 0 : body.length()) + (long) chunk.length();
            if (length > max) {
                tooLarge = true;
                body = null;
                onTooLarge.run();
                return;
            }
            if (body == null) {
                body = chunk; // most bodies come in one chunk: kept as it is
            } else {
                if (!copied) {
                    body = Buffer.buffer((int) Math.min(2 * length, max)).appendBuffer(body);
                    copied = true;
                }
                body.appendBuffer(chunk);
            }
        }
    }

    /**
     * A resource's answers to the methods it does not serve on its path: OPTIONS lists the methods (a CORS
     * preflight never gets here), HEAD is 405 without a body, anything else 405 with a message.
     */
    private static void otherMethod(RoutingContext context, IntConsumer statuses) {
        HttpServerResponse response = context.response();
        HttpMethod method = context.request().method();
        if (method == HttpMethod.OPTIONS) {
            response.putHeader(HttpHeaders.ALLOW, ALLOW_ALL).end();
            statuses.accept(200);
        } else if (method == HttpMethod.HEAD) {
            response.setStatusCode(405).putHeader(HttpHeaders.CONTENT_TYPE, JSON).end();
            statuses.accept(405);
        } else {
            new Exchange(context, statuses).refuse(405, "Method not allowed");
        }
    }

    /**
     * Whether an Accept header admits JSON, as RESTEasy judged it for a resource producing application/json: no
     * header, or any media range in it that is application/json, application/* or * / * (parameters, q=0 included,
     * are not looked at).
     */
    static boolean acceptsJson(String accept) {
        if (accept == null || accept.isEmpty()) {
            return true;
        }
        int start = 0;
        while (start <= accept.length()) {
            int comma = accept.indexOf(',', start);
            int end = comma < 0 ? accept.length() : comma;
            int semi = accept.indexOf(';', start);
            String range = accept.substring(start, semi >= 0 && semi < end ? semi : end).trim()
                    .toLowerCase(Locale.ROOT);
            if (range.equals("application/json") || range.equals("application/*") || range.equals("*/*")) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    /** A type and a subtype, as RESTEasy parses a Content-Type (anything else is 400 there). */
    static boolean isMediaType(String contentType) {
        int semi = contentType.indexOf(';');
        String type = (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
        int slash = type.indexOf('/');
        return slash > 0 && slash < type.length() - 1 && type.indexOf('/', slash + 1) < 0;
    }

    /** The charset a body is decoded with: the content type's, when it names one this JVM has, else UTF-8. */
    static Charset charset(String contentType) {
        if (contentType == null || contentType.indexOf(';') < 0) {
            return StandardCharsets.UTF_8;
        }
        for (String parameter : contentType.substring(contentType.indexOf(';') + 1).split(";")) {
            String p = parameter.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                String name = p.substring(8).trim().replace("\"", "");
                try {
                    return Charset.isSupported(name) ? Charset.forName(name) : StandardCharsets.UTF_8;
                } catch (IllegalArgumentException illegalName) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }
}
