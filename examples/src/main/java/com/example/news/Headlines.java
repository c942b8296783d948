package com.example.news;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** The last few headlines the application's own subscription received, newest last. */
final class Headlines {
    static final String ATTRIBUTE = Headlines.class.getName();
    private static final int KEEP = 20;

    private final Deque<String> lines = new ArrayDeque<>();

    synchronized void add(String line) {
        lines.addLast(line);
        if (lines.size() > KEEP) {
            lines.removeFirst();
        }
    }

    synchronized List<String> lines() {
        return new ArrayList<>(lines);
    }
}
