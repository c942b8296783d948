/** The edge inside one web application: settings, start and stop, routing, WebSocket wiring. Not an API. */
package dev.rtkit.internal.servlet;
