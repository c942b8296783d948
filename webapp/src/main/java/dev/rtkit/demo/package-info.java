/** The demo application's own servlets: the race ticker, clean page URLs, the push page and protocol probes. */
package dev.rtkit.demo;
