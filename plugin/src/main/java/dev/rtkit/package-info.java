/** rtkit as an application uses it: {@link dev.rtkit.Rtkit} (publish, server-side subscribe) and its value types. */
package dev.rtkit;
