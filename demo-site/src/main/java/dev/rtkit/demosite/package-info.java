/** The demo launcher: embedded Jetty 12 serving the rtkit webapp WAR over HTTP/1.1, h2c and TLS h2. */
package dev.rtkit.demosite;
