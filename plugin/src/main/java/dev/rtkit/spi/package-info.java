/** What integrators implement: per-topic authorisation ({@link dev.rtkit.spi.Authorizer}) and the topic log. */
package dev.rtkit.spi;
