/** The Servlet edge: the servlet, the listener that wires the hub and WebSocket from web.xml, settings, errors. */
package dev.rtkit.servlet;
