package dev.rtkit.bench.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** Figures taken from measured windows, turned into table cells (median and spread per server). */
final class Figures {
    private Figures() {
    }

    interface Of<M> {
        double of(M m);
    }

    static <M> List<Double> values(List<M> ms, Of<M> f) {
        List<Double> v = new ArrayList<>();
        if (ms != null) {
            ms.forEach(m -> v.add(f.of(m)));
        }
        return v;
    }

    /** A cell per server over its windows. */
    static <M> Map<Kind, Cell> cells(Map<Kind, List<M>> m, Of<M> f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        m.forEach((k, ms) -> {
            Cell c = Cell.of(values(ms, f));
            if (c != null) {
                cells.put(k, c);
            }
        });
        return cells;
    }

    /** A cell per server from its one measurement. */
    static <M> Map<Kind, Cell> single(Map<Kind, M> m, Of<M> f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        m.forEach((k, v) -> cells.put(k, Cell.of(f.of(v))));
        return cells;
    }

    /** Two columns of a table that compares two set-ups rather than servers: {@code first} and {@code second}. */
    static <M> Map<Kind, Cell> pair(List<M> first, List<M> second, Of<M> f) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        Cell a = Cell.of(values(first, f));
        Cell b = second == null ? null : Cell.of(values(second, f));
        if (a != null) {
            cells.put(Kind.RTKIT, a);
        }
        if (b != null) {
            cells.put(Kind.BASELINE, b);
        }
        return cells;
    }
}
