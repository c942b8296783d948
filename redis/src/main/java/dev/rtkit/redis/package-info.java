/** The topic log on Redis Streams ({@code rtkit-redis.jar}): several nodes share topics, ids and history. */
package dev.rtkit.redis;
