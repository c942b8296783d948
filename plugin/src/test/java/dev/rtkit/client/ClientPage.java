package dev.rtkit.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/** A browser page running the test harness (harness.js), whichever browser runs it. */
abstract class ClientPage {
    private static final ObjectMapper JSON = new ObjectMapper();

    abstract void open(URI page) throws IOException;

    /** Evaluates a JavaScript expression that returns a JSON string. */
    protected abstract String evalToJson(String jsonExpression);

    /** Evaluates a JavaScript expression in the page and returns its value as JSON. */
    final JsonNode eval(String expression) {
        String json = evalToJson("JSON.stringify(" + expression + ")");
        try {
            return json == null ? null : JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }

    /** The harness state: received, events, acks, failures, transport, stats, protocol. */
    final JsonNode state() {
        return eval("h.state()");
    }

    /** Waits until the harness state matches, within the deadline; fails with the last state seen. */
    final JsonNode await(String what, Duration timeout, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode state = state();
        while (!condition.test(state)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what + "; page state: " + state);
            }
            // Polling the page is the only way to observe it; the deadline bounds the wait.
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(25));
            state = state();
        }
        return state;
    }

    static int count(JsonNode state, String event) {
        int n = 0;
        for (JsonNode e : state.get("events")) {
            if (event.equals(e.get("name").asText())) {
                n++;
            }
        }
        return n;
    }
}
