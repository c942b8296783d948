package dev.rtkit.bench.load;

/** One simulated client: it opens, tells its group once whether it is ready, and receives until closed. */
interface Subscriber {
    void open();

    void close();
}
