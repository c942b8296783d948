package dev.rtkit.internal.servlet;

import java.util.Map;
import java.util.function.Function;

/** Reads typed values, naming the parameter and the value when one is invalid. */
final class InitParams {
    private final Map<String, String> params;

    InitParams(Map<String, String> params) {
        this.params = params;
    }

    <T> T get(String name, String fallback, Function<String, T> parse) {
        String raw = params.get(name);
        String value = raw == null ? fallback : raw.trim();
        try {
            return parse.apply(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("Invalid rtkit init-param " + name + "='" + raw + "': " + e.getMessage(), e);
        }
    }

    boolean onOff(String name, boolean fallback) {
        return get(name, fallback ? "on" : "off", v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "on" -> true;
            case "off" -> false;
            default -> throw new IllegalArgumentException("must be on or off");
        });
    }

    long positiveLong(String name, long fallback) {
        return get(name, Long.toString(fallback), v -> {
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (n <= 0) {
                throw new IllegalArgumentException("must be greater than 0");
            }
            return n;
        });
    }

    int positiveInt(String name, int fallback) {
        return get(name, Integer.toString(fallback), v -> {
            int n;
            try {
                n = Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a whole number");
            }
            if (n <= 0) {
                throw new IllegalArgumentException("must be greater than 0");
            }
            return n;
        });
    }
}
