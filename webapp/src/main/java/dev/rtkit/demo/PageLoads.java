package dev.rtkit.demo;

import jakarta.servlet.ServletContext;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The server's side of recent /push page loads: when the page request arrived, when the 103 and the page went out,
 * when each of the page's assets was asked for and sent. Browsers report early-hints preloads with the time the page
 * took them up, not when they were fetched, so the server's clock is the one that shows what 103 saved. Holds the
 * last {@value #LOADS} loads (oldest dropped), {@value #EVENTS_PER_LOAD} events each.
 */
final class PageLoads {
    static final String ATTRIBUTE = "dev.rtkit.demo.pageLoads";
    static final int LOADS = 200;
    static final int EVENTS_PER_LOAD = 32;
    private static final SecureRandom IDS = new SecureRandom();

    private final Map<String, Load> loads = new LinkedHashMap<>(16, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Load> eldest) {
            return size() > LOADS;
        }
    };

    static synchronized PageLoads of(ServletContext context) {
        Object loads = context.getAttribute(ATTRIBUTE);
        if (loads instanceof PageLoads p) {
            return p;
        }
        PageLoads created = new PageLoads();
        context.setAttribute(ATTRIBUTE, created);
        return created;
    }

    /** A new load whose clock starts now; its id goes into the asset URLs the page names. */
    synchronized String start() {
        byte[] id = new byte[8];
        IDS.nextBytes(id);
        String key = HexFormat.of().formatHex(id);
        loads.put(key, new Load(System.nanoTime()));
        return key;
    }

    /** Records that {@code what} happened to {@code path} now; ignored for unknown or full loads. */
    synchronized void record(String load, String path, String what) {
        Load l = load == null ? null : loads.get(load);
        if (l != null && l.events.size() < EVENTS_PER_LOAD) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("path", path);
            event.put("what", what);
            event.put("atMs", Math.round((System.nanoTime() - l.startNanos) / 10_000.0) / 100.0);
            l.events.add(event);
        }
    }

    /** The load's events in order, or null when unknown. */
    synchronized List<Map<String, Object>> events(String load) {
        Load l = load == null ? null : loads.get(load);
        return l == null ? null : List.copyOf(l.events);
    }

    private static final class Load {
        final long startNanos;
        final List<Map<String, Object>> events = new ArrayList<>();

        Load(long startNanos) {
            this.startNanos = startNanos;
        }
    }
}
