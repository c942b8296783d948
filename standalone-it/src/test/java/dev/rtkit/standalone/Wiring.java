package dev.rtkit.standalone;

import java.net.URI;
import java.nio.file.Path;

/** The WARs deployed side by side in one standalone Jetty, each wiring rtkit a different way. */
enum Wiring {
    /** webapp/'s WAR as users get it: web.xml configures servlet "rtkit"; the listener comes from the fragment. */
    DEMO_WAR("demo", "/rt", 2000, "rtkit.it.demoWar"),
    /** Only the plugin jar and no web.xml: the plugin's web-fragment.xml alone maps rtkit at /rt/*. */
    FRAGMENT_ONLY("fragment", "/rt", 2000, "rtkit.it.fragmentWar"),
    /** metadata-complete web.xml declaring listener and servlet itself, at /live/* with sseRetryMillis=1500. */
    METADATA_COMPLETE("explicit", "/live", 1500, "rtkit.it.explicitWar");

    final String context;
    final String basePath;
    final int sseRetryMillis;
    private final String warProperty;

    Wiring(String context, String basePath, int sseRetryMillis, String warProperty) {
        this.context = context;
        this.basePath = basePath;
        this.sseRetryMillis = sseRetryMillis;
        this.warProperty = warProperty;
    }

    Path war() {
        return Path.of(requiredProperty(warProperty));
    }

    /** origin + /context + base path + / + rest, e.g. http://127.0.0.1:4711/demo/rt/poll/t */
    URI uri(URI origin, String rest) {
        return origin.resolve("/" + context + basePath + "/" + rest);
    }

    /** Paths the build hands over as system properties (see the failsafe configuration). */
    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("system property " + name + " not set: run with mvn verify");
        }
        return value;
    }
}
