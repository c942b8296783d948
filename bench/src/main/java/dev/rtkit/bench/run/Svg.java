package dev.rtkit.bench.run;

import java.util.List;
import java.util.Locale;

/** A hand-written grouped bar chart: one group per transport, a bar per server (rtkit, baseline, peers). */
final class Svg {
    private static final int WIDTH = 760;
    private static final int HEIGHT = 300;
    private static final int LEFT = 70;
    private static final int BOTTOM = 40;
    private static final int TOP = 50;
    private static final java.util.Map<Kind, String> COLOURS = java.util.Map.of(Kind.RTKIT, "#2f6fb3", Kind.BASELINE, "#b0b0b0",
            Kind.COMETD, "#e08a2c", Kind.ATMOSPHERE, "#4e9a5b");

    private Svg() {
    }

    static String bars(String title, List<Table.Row> rows, List<Kind> kinds) {
        return bars(title, rows, kinds, k -> k.label);
    }

    /** With the legend's labels for the servers' columns ({@link Table#label}). */
    static String bars(String title, List<Table.Row> rows, List<Kind> kinds, java.util.function.Function<Kind, String> labels) {
        double max = 0;
        for (Table.Row r : rows) {
            for (Kind k : kinds) {
                max = Math.max(max, value(r.value(k)));
            }
        }
        double top = niceCeiling(max);
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n", WIDTH, HEIGHT, WIDTH, HEIGHT));
        s.append(String.format("<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", WIDTH, HEIGHT));
        s.append(String.format("<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", LEFT, escape(title)));
        int plotH = HEIGHT - TOP - BOTTOM;
        int plotW = WIDTH - LEFT - 20;
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            int y = TOP + plotH - (int) (plotH * i / 4.0);
            s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#e0e0e0\"/>%n", LEFT, y, LEFT + plotW, y));
            s.append(String.format("<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LEFT - 6, y + 4, Report.number(v, top < 10 ? 1 : 0)));
        }
        int n = Math.max(1, rows.size());
        double groupW = plotW / (double) n;
        int series = Math.max(1, kinds.size());
        double barW = Math.min(60, groupW / (series + 1));
        for (int i = 0; i < rows.size(); i++) {
            Table.Row r = rows.get(i);
            double x0 = LEFT + i * groupW + groupW / 2 - barW * series / 2;
            for (int k = 0; k < kinds.size(); k++) {
                Double v = r.value(kinds.get(k));
                if (v != null) {
                    bar(s, x0 + k * barW, barW, v, top, plotH, COLOURS.get(kinds.get(k)), r.decimals());
                }
            }
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\">%s</text>%n",
                    x0 + barW * series / 2, HEIGHT - BOTTOM + 16, escape(r.transport())));
        }
        int slot = Math.max(85, kinds.stream().mapToInt(k -> 30 + 7 * labels.apply(k).length()).max().orElse(0));
        int legend = WIDTH - 20 - slot * kinds.size();
        for (int k = 0; k < kinds.size(); k++) {
            int x = legend + slot * k;
            s.append(String.format("<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>", x, 28, COLOURS.get(kinds.get(k))));
            s.append(String.format("<text x=\"%d\" y=\"%d\">%s</text>%n", x + 15, 37, escape(labels.apply(kinds.get(k)))));
        }
        s.append(String.format("<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"black\"/>%n", LEFT, TOP + plotH, LEFT + plotW, TOP + plotH));
        s.append("</svg>\n");
        return s.toString();
    }

    private static void bar(StringBuilder s, double x, double w, Double v, double top, int plotH, String color, int decimals) {
        double value = value(v);
        int h = top == 0 ? 0 : (int) Math.round(plotH * value / top);
        int y = TOP + plotH - h;
        s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n", x, y, w - 2, h, color));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"9\">%s</text>%n",
                x + w / 2 - 1, y - 3, v == null || v.isNaN() ? "n/a" : Report.number(value, decimals)));
    }

    private static double value(Double v) {
        return v == null || v.isNaN() || v.isInfinite() ? 0 : v;
    }

    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * magnitude >= max) {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
