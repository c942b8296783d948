package dev.rtkit.bench.run;

import java.util.ArrayList;
import java.util.List;

/** One scenario's results: rows of (transport, figure, rtkit, baseline, goals) and the charts drawn from them. */
final class Table {
    /** One figure for one transport. {@code decimals} formats both values. */
    record Row(String transport, String figure, Double rtkit, Double baseline, int decimals, List<Goal> goals) {
    }

    /** A bar chart of one figure across transports. */
    record Chart(String file, String title, String figure) {
    }

    final String id;
    final String title;
    final String description;
    final List<Row> rows = new ArrayList<>();
    final List<Chart> charts = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    Table(String id, String title, String description) {
        this.id = id;
        this.title = title;
        this.description = description;
    }

    Table row(String transport, String figure, Double rtkit, Double baseline, int decimals, Goal... goals) {
        rows.add(new Row(transport, figure, rtkit, baseline, decimals, List.of(goals)));
        return this;
    }

    Table chart(String file, String title, String figure) {
        charts.add(new Chart(file, title, figure));
        return this;
    }

    /** The row's values for one figure, in transport order. */
    List<Row> rowsOf(String figure) {
        return rows.stream().filter(r -> r.figure().equals(figure)).toList();
    }

    Row find(String transport, String figure) {
        return rows.stream().filter(r -> r.transport().equals(transport) && r.figure().equals(figure)).findFirst().orElse(null);
    }
}
