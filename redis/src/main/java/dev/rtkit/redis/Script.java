package dev.rtkit.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** A Lua script from this package's resources, run by its SHA1 and sent in full only when Redis lacks it. */
final class Script {
    static final Script APPEND = load("append.lua");
    static final Script SYNC = load("sync.lua");
    static final Script REBASE = load("rebase.lua");

    private final String text;
    private final String sha;

    private Script(String text) {
        this.text = text;
        this.sha = sha1(text);
    }

    /** Runs the script; its reply is a list (of strings and lists). */
    CompletionStage<List<Object>> run(RedisClusterAsyncCommands<String, String> redis, String[] keys, String... args) {
        CompletableFuture<List<Object>> out = new CompletableFuture<>();
        redis.<List<Object>>evalsha(sha, ScriptOutputType.MULTI, keys, args).whenComplete((reply, failure) -> {
            if (failure == null) {
                out.complete(reply);
            } else if (cause(failure) instanceof RedisNoScriptException) {
                // Redis restarted or flushed its script cache: send the text once, it is cached again.
                redis.<List<Object>>eval(text, ScriptOutputType.MULTI, keys, args).whenComplete((r, f) -> {
                    if (f == null) {
                        out.complete(r);
                    } else {
                        out.completeExceptionally(cause(f));
                    }
                });
            } else {
                out.completeExceptionally(cause(failure));
            }
        });
        return out;
    }

    static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static Script load(String resource) {
        try (InputStream in = Script.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + resource);
            }
            return new Script(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
