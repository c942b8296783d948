package dev.rtkit.bench.run;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** One scenario's results: rows of (transport, figure, a value per server, goals) and the charts drawn from them. */
final class Table {
    /**
     * One figure for one transport: a cell per server. {@code decimals} formats them all. The goals judge the rtkit
     * cell (and its ratio to the baseline's).
     */
    record Row(String transport, String figure, Map<Kind, Cell> cells, int decimals, List<Goal> goals) {
        Double rtkit() {
            return value(Kind.RTKIT);
        }

        Double baseline() {
            return value(Kind.BASELINE);
        }

        Double value(Kind k) {
            Cell c = cells.get(k);
            return c == null ? null : c.median();
        }
    }

    /** A bar chart of one figure across transports, or of several figures (a group of bars per figure). */
    record Chart(String file, String title, List<String> figures) {
    }

    final String id;
    final String title;
    final String description;
    final List<Row> rows = new ArrayList<>();
    final List<Chart> charts = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    /** Labels to print for the rtkit and baseline columns (the stalled table reuses them for beside and alone). */
    String rtkitHeader = "rtkit";
    String baselineHeader = "baseline";
    String ratioHeader = "ratio";

    Table(String id, String title, String description) {
        this.id = id;
        this.title = title;
        this.description = description;
    }

    Table row(String transport, String figure, Double rtkit, Double baseline, int decimals, Goal... goals) {
        Map<Kind, Cell> cells = new EnumMap<>(Kind.class);
        if (rtkit != null) {
            cells.put(Kind.RTKIT, Cell.of(rtkit));
        }
        if (baseline != null) {
            cells.put(Kind.BASELINE, Cell.of(baseline));
        }
        return row(transport, figure, cells, decimals, goals);
    }

    Table row(String transport, String figure, Map<Kind, Cell> cells, int decimals, Goal... goals) {
        rows.add(new Row(transport, figure, cells, decimals, List.of(goals)));
        return this;
    }

    Table chart(String file, String title, String figure) {
        charts.add(new Chart(file, title, List.of(figure)));
        return this;
    }

    /** A chart of several figures of this table, each a group of bars labelled with the figure. */
    Table chart(String file, String title, List<String> figures) {
        charts.add(new Chart(file, title, figures));
        return this;
    }

    /** The row's values for one figure, in transport order. */
    List<Row> rowsOf(String figure) {
        return rows.stream().filter(r -> r.figure().equals(figure)).toList();
    }

    /** The rows a chart draws, labelled by transport (one figure) or by figure (several). */
    List<Row> rowsOf(Chart c) {
        if (c.figures().size() == 1) {
            return rowsOf(c.figures().get(0));
        }
        List<Row> out = new ArrayList<>();
        for (String f : c.figures()) {
            rowsOf(f).forEach(r -> out.add(new Row(r.figure(), r.figure(), r.cells(), r.decimals(), r.goals())));
        }
        return out;
    }

    /** What a server's column is called in this table (the cluster and metrics tables compare set-ups of rtkit). */
    String label(Kind k) {
        return k == Kind.RTKIT ? rtkitHeader : k == Kind.BASELINE ? baselineHeader : k.label;
    }

    Row find(String transport, String figure) {
        return rows.stream().filter(r -> r.transport().equals(transport) && r.figure().equals(figure)).findFirst().orElse(null);
    }

    /** The servers with a value in any row, in {@link Kind} order. */
    List<Kind> kinds() {
        return java.util.Arrays.stream(Kind.values()).filter(k -> rows.stream().anyMatch(r -> r.cells().containsKey(k))).toList();
    }
}
