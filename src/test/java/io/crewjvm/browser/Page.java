package io.crewjvm.browser;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;

/**
 * One tab: navigate, evaluate JavaScript, wait for a DOM condition (polling with a timeout, never a fixed sleep),
 * click like a user (mouse events at the element's centre), answer alert/confirm/prompt dialogs, screenshots.
 */
public final class Page {

    private static final Duration POLL = Duration.ofMillis(50);

    private final Chromium browser;
    private final String session;
    private final List<String> dialogs = new CopyOnWriteArrayList<>();
    private final ExecutorService answers = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "chromium-dialogs");
        t.setDaemon(true);
        return t;
    });
    private volatile String promptAnswer = "";
    private final List<String> serverErrors = new CopyOnWriteArrayList<>();
    private final List<String> exceptions = new CopyOnWriteArrayList<>();
    private final List<String> sent = new CopyOnWriteArrayList<>();

    Page(Chromium browser, String session) {
        this.browser = browser;
        this.session = session;
        // Every dialog is accepted (confirm: OK; prompt: promptAnswer) and recorded as "type: message".
        browser.onEvent((method, message) -> {
            if (method.equals("Page.javascriptDialogOpening") && session.equals(message.path("sessionId").asText())) {
                JsonNode params = message.path("params");
                dialogs.add(params.path("type").asText() + ": " + params.path("message").asText());
                answers.execute(() -> browser.send(session, "Page.handleJavaScriptDialog",
                        Map.of("accept", true, "promptText", promptAnswer)));
            }
        });
    }

    /**
     * From now on records every HTTP response of status 500 or more that the page receives (documents, scripts,
     * XHR, socket.io polls: the Network domain), every exception the page's scripts leave uncaught, and what the
     * page sends: request bodies and WebSocket frames.
     */
    public void recordNetwork() {
        browser.onEvent((method, message) -> {
            if (!session.equals(message.path("sessionId").asText())) {
                return;
            }
            JsonNode params = message.path("params");
            if (method.equals("Network.responseReceived") && params.path("response").path("status").asInt() >= 500) {
                JsonNode response = params.path("response");
                serverErrors.add(response.path("status").asInt() + " " + response.path("url").asText());
            } else if (method.equals("Network.requestWillBeSent") && params.path("request").has("postData")) {
                sent.add(params.path("request").path("url").asText() + " " + params.path("request").path("postData")
                        .asText());
            } else if (method.equals("Network.webSocketFrameSent")) {
                sent.add(params.path("response").path("payloadData").asText());
            } else if (method.equals("Runtime.exceptionThrown")) {
                JsonNode details = params.path("exceptionDetails");
                exceptions.add(details.path("exception").path("description").asText(details.path("text").asText()));
            }
        });
        browser.call(session, "Network.enable", Map.of());
    }

    /** What the page sent since {@link #recordNetwork()}: "url body" of requests, and WebSocket frames. */
    public List<String> sent() {
        return List.copyOf(sent);
    }

    /** The responses of status 5xx recorded since {@link #recordNetwork()}, as "status url". */
    public List<String> serverErrors() {
        return List.copyOf(serverErrors);
    }

    /** The page's uncaught exceptions recorded since {@link #recordNetwork()}. */
    public List<String> exceptions() {
        return List.copyOf(exceptions);
    }

    /** What a window.prompt is answered with from now on. */
    public void answerPromptsWith(String text) {
        this.promptAnswer = text;
    }

    /** Every dialog shown so far, in order, as "type: message". */
    public List<String> dialogs() {
        return List.copyOf(dialogs);
    }

    public void navigate(String url) throws InterruptedException {
        browser.call(session, "Page.navigate", Map.of("url", url));
        waitFor("the page at " + url + " loaded", "document.readyState === 'complete' && location.href === "
                + browser.json.valueToTree(url), Duration.ofSeconds(30));
    }

    public void reload() throws InterruptedException {
        evaluate("window.__crewBeforeReload = true");
        browser.call(session, "Page.reload", Map.of());
        waitFor("the page reloaded", "document.readyState === 'complete' && !window.__crewBeforeReload",
                Duration.ofSeconds(30));
    }

    /** The value of a JavaScript expression (promises awaited); an exception in the page fails the test. */
    public JsonNode evaluate(String expression) {
        JsonNode result = browser.call(session, "Runtime.evaluate",
                Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
        if (result.has("exceptionDetails")) {
            throw new AssertionError("The page threw on " + expression + ": "
                    + result.path("exceptionDetails").path("exception").path("description").asText(
                            result.path("exceptionDetails").toString()));
        }
        return result.path("result").path("value");
    }

    /** Polls until the expression is truthy; returns its value. Fails after the timeout, naming the condition. */
    public JsonNode waitFor(String what, String expression, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode value = null;
        while (System.nanoTime() < deadline) {
            value = evaluate("(() => { try { return (" + expression + "); } catch (e) { return false; } })()");
            if (truthy(value)) {
                return value;
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting until " + what
                + " (last value: " + value + "); dialogs: " + dialogs + "; banner: "
                + evaluate("document.getElementById('banner')?.hidden ? '' : document.getElementById('banner-text')"
                + "?.textContent") + "; page: " + evaluate("location.href + ' ' + document.body?.innerText"
                + ".slice(0, 400)"));
    }

    private static boolean truthy(JsonNode v) {
        return v != null && !v.isMissingNode() && !v.isNull() && !(v.isBoolean() && !v.asBoolean())
                && !(v.isNumber() && v.asDouble() == 0) && !(v.isTextual() && v.asText().isEmpty());
    }

    /** A left click at the centre of the first element the selector matches, after scrolling it into view. */
    public void click(String selector) throws InterruptedException {
        String quoted = browser.json.valueToTree(selector).toString();
        JsonNode box = waitFor("an element " + selector + " to click", "(() => { const el = document.querySelector("
                + quoted + "); if (!el) return null; el.scrollIntoView({block: 'center'}); const r = "
                + "el.getBoundingClientRect(); return r.width > 0 ? {x: r.x + r.width / 2, y: r.y + r.height / 2} "
                + ": null; })()", Duration.ofSeconds(10));
        mouse("mousePressed", box, 1);
        // Sent without waiting: a confirm() opened by the click holds the answer until the dialog is handled.
        browser.send(session, "Input.dispatchMouseEvent", Map.of("type", "mouseReleased", "x",
                box.get("x").asDouble(), "y", box.get("y").asDouble(), "button", "left", "clickCount", 1));
    }

    /**
     * Ticks a checkbox: clicks it until it is checked. A list that live updates redraw may be replaced between the
     * press and the release of a click, which then lands on no checkbox at all, as a user's would.
     */
    public void tick(String selector) throws InterruptedException {
        String checked = "document.querySelector(" + browser.json.valueToTree(selector) + ")?.checked === true";
        for (int attempt = 1; ; attempt++) {
            click(selector);
            try {
                waitFor(selector + " checked", checked, Duration.ofSeconds(2));
                return;
            } catch (AssertionError notYet) {
                if (attempt == 3) {
                    throw notYet;
                }
            }
        }
    }

    /**
     * Types into a text field like a user: a click puts the caret in it, its text is selected, and each character
     * is a key press (keydown, keypress, input, keyup), so that widgets that read keys (a number field) see them.
     */
    public void type(String selector, String text) throws InterruptedException {
        click(selector);
        String quoted = browser.json.valueToTree(selector).toString();
        waitFor(selector + " focused", "document.activeElement === document.querySelector(" + quoted + ")",
                Duration.ofSeconds(10));
        evaluate("document.activeElement.select()");
        if (text.isEmpty()) {
            key("Backspace", "Backspace", null, 8);
        }
        for (int i = 0; i < text.length(); i++) {
            String ch = String.valueOf(text.charAt(i));
            key(ch, null, ch, 0);
        }
    }

    private void key(String key, String code, String text, int keyCode) {
        Map<String, Object> down = new java.util.HashMap<>(Map.of("type", text == null ? "rawKeyDown" : "keyDown",
                "key", key));
        if (code != null) {
            down.put("code", code);
        }
        if (text != null) {
            down.put("text", text);
        }
        if (keyCode != 0) {
            down.put("windowsVirtualKeyCode", keyCode);
        }
        browser.call(session, "Input.dispatchKeyEvent", down);
        Map<String, Object> up = new java.util.HashMap<>(down);
        up.put("type", "keyUp");
        up.remove("text");
        browser.call(session, "Input.dispatchKeyEvent", up);
    }

    /** A mouse wheel turn over the element's centre (negative: zoom in, for the DAG). */
    public void wheel(String selector, double deltaY) throws InterruptedException {
        String quoted = browser.json.valueToTree(selector).toString();
        JsonNode box = waitFor("an element " + selector, "(() => { const r = document.querySelector(" + quoted
                + ")?.getBoundingClientRect(); return r ? {x: r.x + r.width / 2, y: r.y + r.height / 2} : null; })()",
                Duration.ofSeconds(10));
        browser.call(session, "Input.dispatchMouseEvent", Map.of("type", "mouseWheel", "x", box.get("x").asDouble(),
                "y", box.get("y").asDouble(), "deltaX", 0, "deltaY", deltaY));
    }

    private void mouse(String type, JsonNode at, int clicks) {
        browser.call(session, "Input.dispatchMouseEvent", Map.of("type", type, "x", at.get("x").asDouble(),
                "y", at.get("y").asDouble(), "button", "left", "clickCount", clicks));
    }

    /** Requests to URLs matching the pattern ('*' wildcards) fail from now on, as if the connection was refused. */
    public void refuse(String urlPattern) {
        browser.onEvent((method, message) -> {
            if (method.equals("Fetch.requestPaused") && session.equals(message.path("sessionId").asText())) {
                String request = message.path("params").path("requestId").asText();
                answers.execute(() -> browser.send(session, "Fetch.failRequest",
                        Map.of("requestId", request, "errorReason", "ConnectionRefused")));
            }
        });
        browser.call(session, "Fetch.enable", Map.of("patterns", List.of(Map.of("urlPattern", urlPattern))));
    }

    /** A PNG of the viewport. */
    public void screenshot(Path file) throws IOException {
        JsonNode shot = browser.call(session, "Page.captureScreenshot", Map.of("format", "png"));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, Base64.getDecoder().decode(shot.path("data").asText()));
    }
}
