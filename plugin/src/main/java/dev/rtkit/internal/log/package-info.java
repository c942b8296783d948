/** The in-memory topic log (the default {@code log=memory}) and how a log is chosen from the init-param. */
package dev.rtkit.internal.log;
