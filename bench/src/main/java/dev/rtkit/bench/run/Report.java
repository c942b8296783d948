package dev.rtkit.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes {@code <name>.md} with a table per scenario and {@code <name>-<chart>.svg} beside it. */
final class Report {
    private final String name;
    private final List<String> header = new ArrayList<>();
    private final List<Table> tables = new ArrayList<>();

    Report(String name) {
        this.name = name;
    }

    Report line(String text) {
        header.add(text);
        return this;
    }

    Report add(Table t) {
        tables.add(t);
        return this;
    }

    Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder md = new StringBuilder();
        md.append("# rtkit benchmark: ").append(name).append("\n\n");
        header.forEach(h -> md.append(h).append('\n'));
        md.append('\n');
        goals(md);
        for (Table t : tables) {
            md.append("## ").append(t.title).append("\n\n").append(t.description).append("\n\n");
            md.append("| transport | figure | rtkit | baseline | ratio | goal |\n|---|---|---:|---:|---:|---|\n");
            for (Table.Row r : t.rows) {
                md.append("| ").append(r.transport()).append(" | ").append(r.figure()).append(" | ")
                        .append(format(r.rtkit(), r.decimals())).append(" | ")
                        .append(format(r.baseline(), r.decimals())).append(" | ")
                        .append(ratio(r.rtkit(), r.baseline())).append(" | ")
                        .append(goalText(r)).append(" |\n");
            }
            md.append('\n');
            t.notes.forEach(n -> md.append(n).append("\n\n"));
            for (Table.Chart c : t.charts) {
                String file = name + "-" + c.file() + ".svg";
                Files.writeString(dir.resolve(file), Svg.bars(c.title(), t.rowsOf(c.figure())), StandardCharsets.UTF_8);
                md.append("![").append(c.title()).append("](").append(file).append(")\n\n");
            }
        }
        Path out = dir.resolve(name + ".md");
        Files.writeString(out, md.toString(), StandardCharsets.UTF_8);
        return out;
    }

    /** Every goal in one list at the top, with the rtkit figure it judges. */
    private void goals(StringBuilder md) {
        md.append("## Goals at a glance\n\n| scenario | transport | figure | rtkit | goal |\n|---|---|---|---:|---|\n");
        for (Table t : tables) {
            for (Table.Row r : t.rows) {
                if (!r.goals().isEmpty()) {
                    md.append("| ").append(t.id).append(" | ").append(r.transport()).append(" | ").append(r.figure())
                            .append(" | ").append(format(r.rtkit(), r.decimals())).append(" | ").append(goalText(r)).append(" |\n");
                }
            }
        }
        md.append('\n');
    }

    private static String goalText(Table.Row r) {
        List<String> parts = new ArrayList<>();
        for (Goal g : r.goals()) {
            parts.add(g.describe(r.rtkit(), r.baseline()));
        }
        return String.join("; ", parts);
    }

    static String ratio(Double rtkit, Double baseline) {
        if (rtkit == null || baseline == null || rtkit.isNaN() || baseline.isNaN() || baseline == 0) {
            return "";
        }
        return String.format(Locale.ROOT, "%.2f", rtkit / baseline);
    }

    static String format(Double v, int decimals) {
        return v == null || v.isNaN() || v.isInfinite() ? "n/a" : number(v, decimals);
    }

    static String number(double v, int decimals) {
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
