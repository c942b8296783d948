/** Polling, long-polling, NDJSON streaming and Server-Sent Events: one suspension and non-blocking writing model. */
package dev.rtkit.internal.transport.http;
