/** The runner: starts servers and load-generator JVMs, runs the scenarios, writes the markdown and SVG report. */
package dev.rtkit.bench.run;
