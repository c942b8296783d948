package dev.rtkit.internal.hub;

import dev.rtkit.RtkitException;

/** Topic names: 1–200 of letters, digits, {@code . _ - /}; no empty, {@code .} or {@code ..} segment. */
public final class TopicName {
    public static final int MAX_LENGTH = 200;
    /** Every refusal's message starts so. */
    private static final String PREFIX = "topic name ";

    private TopicName() {
    }

    /** Returns the name unchanged, or throws {@link RtkitException} saying what is wrong with it. */
    public static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw bad("topic name is empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw bad("topic name is longer than " + MAX_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-' || c == '/';
            if (!ok) {
                throw bad("topic name may hold only letters, digits, '.', '_', '-' and '/'");
            }
        }
        // Topics often become paths elsewhere (logs, keys, URLs): refuse what could traverse. Scanned in place, not
        // split: every request validates its topic names.
        int start = 0;
        for (int i = 0, n = name.length(); i <= n; i++) {
            if (i == n || name.charAt(i) == '/') {
                int length = i - start;
                if (length == 0 || (length <= 2 && name.startsWith(length == 1 ? "." : "..", start))) {
                    throw bad("topic name has an empty, '.' or '..' segment");
                }
                start = i + 1;
            }
        }
        return name;
    }

    /** True when {@code e} is this class's refusal of a name (metrics count those apart from other bad input). */
    public static boolean refused(RtkitException e) {
        return e.kind() == RtkitException.Kind.BAD_REQUEST && e.getMessage() != null && e.getMessage().startsWith(PREFIX);
    }

    private static RtkitException bad(String message) {
        return new RtkitException(RtkitException.Kind.BAD_REQUEST, message);
    }
}
