package dev.rtkit.bench.run;

/** A goal printed beside a figure (never asserted): a bound on the rtkit figure or on rtkit / baseline. */
record Goal(String text, Kind kind, double bound) {
    enum Kind { AT_LEAST, AT_MOST, RATIO_AT_LEAST, RATIO_AT_MOST }

    static Goal atLeast(double bound, String text) {
        return new Goal(text, Kind.AT_LEAST, bound);
    }

    static Goal atMost(double bound, String text) {
        return new Goal(text, Kind.AT_MOST, bound);
    }

    static Goal ratioAtLeast(double bound) {
        return new Goal("≥ " + bound + "× baseline", Kind.RATIO_AT_LEAST, bound);
    }

    /** rtkit's figure at most {@code bound} times the second column's (a latency against a reference set-up). */
    static Goal ratioAtMost(double bound, String text) {
        return new Goal(text, Kind.RATIO_AT_MOST, bound);
    }

    /** Whether the goal is met; null when a figure is missing. */
    Boolean met(Double rtkit, Double baseline) {
        if (rtkit == null || rtkit.isNaN()) {
            return null;
        }
        return switch (kind) {
            case AT_LEAST -> rtkit >= bound;
            case AT_MOST -> rtkit <= bound;
            case RATIO_AT_LEAST -> baseline == null || baseline.isNaN() || baseline == 0 ? null : rtkit / baseline >= bound;
            case RATIO_AT_MOST -> baseline == null || baseline.isNaN() || baseline == 0 ? null : rtkit / baseline <= bound;
        };
    }

    String describe(Double rtkit, Double baseline) {
        Boolean met = met(rtkit, baseline);
        return text + (met == null ? "" : met ? " ✅" : " ❌");
    }
}
