package dev.rtkit.internal.servlet;

import dev.rtkit.Transport;
import dev.rtkit.spi.Authorizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
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
            long n = wholeNumber(v, Long.MAX_VALUE);
            if (n <= 0) {
                throw new IllegalArgumentException("must be greater than 0");
            }
            return n;
        });
    }

    int positiveInt(String name, int fallback) {
        return get(name, Integer.toString(fallback), v -> {
            long n = wholeNumber(v, Integer.MAX_VALUE);
            if (n <= 0) {
                throw new IllegalArgumentException("must be greater than 0");
            }
            return (int) n;
        });
    }

    /** 0 (off), or at least {@code min}. */
    int offOrAtLeast(String name, int fallback, int min) {
        return get(name, Integer.toString(fallback), v -> {
            long n = wholeNumber(v, Integer.MAX_VALUE);
            if (n != 0 && n < min) {
                throw new IllegalArgumentException("must be 0 (off) or at least " + min);
            }
            return (int) n;
        });
    }

    private static long wholeNumber(String v, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a whole number");
        }
        if (n > max) {
            throw new IllegalArgumentException("must be at most " + max);
        }
        return n;
    }

    static String emptyToNull(String value) {
        return value.isEmpty() ? null : value;
    }

    static Authorizer newAuthorizer(String className) {
        if (className.isEmpty()) {
            return null;
        }
        try {
            ClassLoader loader = Thread.currentThread().getContextClassLoader();
            Class<?> type = Class.forName(className, true, loader == null ? Settings.class.getClassLoader() : loader);
            return (Authorizer) type.getConstructor().newInstance();
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalArgumentException("cannot make an Authorizer of it (" + e + ")");
        }
    }

    static Set<Transport> parseTransports(String value) {
        Set<Transport> set = EnumSet.noneOf(Transport.class);
        for (String name : parseList(value)) {
            Transport t = Transport.byWireName(name.toLowerCase(Locale.ROOT));
            if (t == null) {
                throw new IllegalArgumentException("unknown transport '" + name + "'");
            }
            set.add(t);
        }
        return set;
    }

    static List<String> parseList(String value) {
        List<String> out = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        return List.copyOf(out);
    }
}
