package dev.rtkit.bench.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Writes {@code <name>.md} with a table per scenario and {@code <name>-<chart>.svg} beside it. */
final class Report {
    /** The figures the peers are compared on at the top of the report. */
    private static final Set<String> PEER_FIGURES = Set.of("deliveries / server CPU-s", "latency p50 (ms)", "latency p99 (ms)",
            "time to last delivery p99 (ms)", "heap + direct / connection (KiB)", DeliveryTable.PER_REQUEST);

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

    Report clearHeader() {
        header.clear();
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
        peers(md, dir);
        for (Table t : tables) {
            md.append("## ").append(t.title).append("\n\n").append(t.description).append("\n\n");
            List<Kind> kinds = t.kinds();
            List<Kind> peers = kinds.stream().filter(Kind::isPeer).toList();
            md.append("| transport | figure | ").append(t.rtkitHeader).append(" | ").append(t.baselineHeader).append(" | ").append(t.ratioHeader).append(" |");
            peers.forEach(k -> md.append(' ').append(k.label).append(" |"));
            md.append(" goal |\n|---|---|---:|---:|---:|");
            peers.forEach(k -> md.append("---:|"));
            md.append("---|\n");
            for (Table.Row r : t.rows) {
                md.append("| ").append(r.transport()).append(" | ").append(r.figure()).append(" | ")
                        .append(cell(r, Kind.RTKIT)).append(" | ")
                        .append(cell(r, Kind.BASELINE)).append(" | ")
                        .append(ratio(r.rtkit(), r.baseline())).append(" |");
                for (Kind k : peers) {
                    md.append(' ').append(cell(r, k)).append(" |");
                }
                md.append(' ').append(goalText(r)).append(" |\n");
            }
            md.append('\n');
            t.notes.forEach(n -> md.append(n).append("\n\n"));
            for (Table.Chart c : t.charts) {
                String file = name + "-" + c.file() + ".svg";
                Files.writeString(dir.resolve(file), Svg.bars(c.title(), t.rowsOf(c), kinds, t::label), StandardCharsets.UTF_8);
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

    /**
     * rtkit beside each peer on the figures a user compares them on, with rtkit ÷ peer. The goal: at least
     * 2× each peer's deliveries per server CPU-second on WebSocket and long-polling, and a lower p99.
     */
    private void peers(StringBuilder md, Path dir) throws IOException {
        List<Kind> peers = new ArrayList<>();
        List<String[]> lines = new ArrayList<>();
        List<Table.Row> efficiency = new ArrayList<>();
        for (Table t : tables) {
            for (Kind k : t.kinds()) {
                if (k.isPeer() && !peers.contains(k)) {
                    peers.add(k);
                }
            }
        }
        peers.sort(null);
        if (peers.isEmpty()) {
            return;
        }
        md.append("## Peers at a glance\n\nMedians (± half the min–max range over the repeats, in % of the median); ratio = "
                + "rtkit ÷ peer: above 1 is better for deliveries per CPU-second, worse for latency, memory and CPU per request. An empty "
                + "cell: the peer does not serve that transport, or it failed there (see the scenario's notes).\n\n");
        md.append("| scenario | transport | figure | rtkit |");
        peers.forEach(k -> md.append(' ').append(k.label).append(" |"));
        peers.forEach(k -> md.append(" rtkit ÷ ").append(k.label).append(" |"));
        md.append(" goal |\n|---|---|---|---:|");
        peers.forEach(k -> md.append("---:|---:|"));
        md.append("---|\n");
        for (Table t : tables) {
            for (Table.Row r : t.rows) {
                if (!PEER_FIGURES.contains(r.figure()) || peers.stream().noneMatch(k -> r.cells().containsKey(k))) {
                    continue;
                }
                md.append("| ").append(t.id).append(" | ").append(r.transport()).append(" | ").append(r.figure()).append(" | ")
                        .append(cell(r, Kind.RTKIT)).append(" |");
                peers.forEach(k -> md.append(' ').append(cell(r, k)).append(" |"));
                peers.forEach(k -> md.append(' ').append(ratio(r.rtkit(), r.value(k))).append(" |"));
                md.append(' ').append(peerGoal(r, peers)).append(" |\n");
                if (r.figure().equals("deliveries / server CPU-s")) {
                    efficiency.add(new Table.Row(t.id + " " + r.transport(), r.figure(), r.cells(), r.decimals(), List.of()));
                }
            }
        }
        md.append('\n');
        if (!efficiency.isEmpty()) {
            List<Kind> kinds = new ArrayList<>(List.of(Kind.RTKIT));
            kinds.addAll(peers);
            String file = name + "-peers-efficiency.svg";
            Files.writeString(dir.resolve(file), Svg.bars("Deliveries per server CPU-second: rtkit and the peers", efficiency, kinds),
                    StandardCharsets.UTF_8);
            md.append("![Deliveries per server CPU-second: rtkit and the peers](").append(file).append(")\n\n");
        }
    }

    /** The goal against every peer that has the figure. */
    private static String peerGoal(Table.Row r, List<Kind> peers) {
        boolean efficiency = r.figure().equals("deliveries / server CPU-s")
                && (r.transport().equals("websocket") || r.transport().equals("longpoll"));
        boolean p99 = r.figure().equals("latency p99 (ms)") || r.figure().equals("time to last delivery p99 (ms)");
        if (!efficiency && !p99 || r.rtkit() == null || r.rtkit().isNaN()) {
            return "";
        }
        Boolean met = null;
        for (Kind k : peers) {
            Double v = r.value(k);
            if (v == null || v.isNaN()) {
                continue;
            }
            boolean ok = efficiency ? r.rtkit() >= 2 * v : r.rtkit() < v;
            met = met == null ? ok : met && ok;
        }
        String text = efficiency ? "≥ 2× each peer" : "< each peer";
        return met == null ? "" : text + (met ? " ✅" : " ❌");
    }

    private static String cell(Table.Row r, Kind k) {
        Cell c = r.cells().get(k);
        return c == null ? "" : format(c.median(), r.decimals()) + c.spread();
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
