package dev.rtkit.bench.run;

import java.util.List;
import java.util.Locale;

/** One figure for one server over {@code n} measured windows: the median, with the smallest and largest. */
record Cell(double median, double min, double max, int n) {

    static Cell of(double v) {
        return new Cell(v, v, v, 1);
    }

    /** The median of the values that are numbers; null when there is none. */
    static Cell of(List<Double> values) {
        double[] v = values.stream().filter(x -> x != null && !x.isNaN() && !x.isInfinite()).mapToDouble(Double::doubleValue)
                .sorted().toArray();
        if (v.length == 0) {
            return values.isEmpty() ? null : new Cell(Double.NaN, Double.NaN, Double.NaN, values.size());
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new Cell(median, v[0], v[v.length - 1], v.length);
    }

    /** The spread as half the min–max range, in % of the median ("" for a single window). */
    String spread() {
        if (n < 2 || median == 0 || Double.isNaN(median)) {
            return "";
        }
        return String.format(Locale.ROOT, " ±%.0f%%", 100 * (max - min) / 2 / Math.abs(median));
    }
}
