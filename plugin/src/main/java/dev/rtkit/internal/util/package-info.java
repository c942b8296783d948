/** Small helpers shared by the hub and the transports: a throttled error log, a timer that outlives failures. */
package dev.rtkit.internal.util;
