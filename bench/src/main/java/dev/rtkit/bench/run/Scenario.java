package dev.rtkit.bench.run;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** The scenarios a run can be limited to ({@code --scenarios steady,cluster}), in the order a run takes them. */
enum Scenario {
    STEADY, THROUGHPUT, STALLED, IDLE, FANOUT,
    /** Two rtkit nodes on one Redis beside one in-memory node (issue 12). */
    CLUSTER,
    /** The throughput load on rtkit with metrics on and off (issue 14). */
    METRICS;

    /** The scenarios that compare rtkit with the baseline and the peers, so need those servers started and warmed. */
    static final Set<Scenario> COMPARED = EnumSet.of(STEADY, THROUGHPUT, STALLED, IDLE, FANOUT);

    String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** What a mode runs when no {@code --scenarios} is given. */
    static Set<Scenario> defaults(String mode) {
        return switch (mode) {
            case "smoke" -> EnumSet.copyOf(COMPARED);
            case "profile", "profile-throughput", "profile-poll" -> EnumSet.of(STEADY, THROUGHPUT);
            default -> EnumSet.allOf(Scenario.class);
        };
    }

    /** {@code steady,cluster} → the set; an unknown name fails, naming the known ones. */
    static Set<Scenario> parse(String csv) {
        Set<Scenario> s = EnumSet.noneOf(Scenario.class);
        for (String part : csv.split(",")) {
            String name = part.trim().toUpperCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            try {
                s.add(valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown scenario '" + part.trim() + "': use "
                        + Arrays.stream(values()).map(Scenario::id).collect(Collectors.joining(", ")));
            }
        }
        if (s.isEmpty()) {
            throw new IllegalArgumentException("--scenarios names none");
        }
        return s;
    }

    static String ids(Set<Scenario> s) {
        return s.stream().map(Scenario::id).collect(Collectors.joining(","));
    }
}
