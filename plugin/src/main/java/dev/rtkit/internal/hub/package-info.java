/** Topics, message ids, cursors, bounded history and fan-out: the delivery model, free of Servlet and Jetty. */
package dev.rtkit.internal.hub;
