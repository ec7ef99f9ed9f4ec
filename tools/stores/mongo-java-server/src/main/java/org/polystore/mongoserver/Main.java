package org.polystore.mongoserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.MongoVersion;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;

/**
 * Polystore's local MongoDB-wire server: mongo-java-server with the H2 (one file) or the
 * in-memory backend, bound to a loopback address.
 *
 * <pre>
 * java -jar mongo-java-server.jar [--host 127.0.0.1] [--port 27017] (--data FILE | --memory)
 *                                 [--log-level warn]
 * </pre>
 *
 * Each flag falls back to an environment variable: MJS_HOST, MJS_PORT, MJS_DATA, MJS_MEMORY=1,
 * MJS_LOG_LEVEL. Reports MongoDB 7.0 / max wire version 21: PyMongo 4.20 refuses the library's
 * default (5.0, wire 8) and django-mongodb-backend requires buildinfo 6.0 or newer. Also answers
 * the {@code hello} command (MongoDB 4.4.2+), which the library only knows as {@code isMaster}.
 */
public final class Main {

    /** The version the server reports in hello/isMaster and buildinfo. */
    record ReportedVersion(List<Integer> versionArray, int wireVersion) implements MongoVersion {
        @Override
        public List<Integer> getVersionArray() {
            return versionArray;
        }

        @Override
        public int getWireVersion() {
            return wireVersion;
        }
    }

    static final MongoVersion MONGO_7_0 = new ReportedVersion(List.of(7, 0, 0), 21);

    /**
     * {@code hello} as MongoDB 7 answers it: the {@code isMaster} reply with
     * {@code isWritablePrimary} in place of {@code ismaster}. Without it a client's
     * {@code hello} (e.g. django-mongodb-backend's transactions probe) fails with CommandNotFound.
     */
    static Document hello(Document isMasterReply) {
        Document reply = new Document();
        isMasterReply.forEach((key, value) -> reply.put("ismaster".equals(key) ? "isWritablePrimary" : key, value));
        return reply;
    }

    static final class H2 extends H2Backend {
        H2(String file) {
            super(file);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            return "hello".equals(command)
                ? hello(super.handleCommand(channel, database, "isMaster", query))
                : super.handleCommand(channel, database, command, query);
        }
    }

    static final class Memory extends MemoryBackend {
        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            return "hello".equals(command)
                ? hello(super.handleCommand(channel, database, "isMaster", query))
                : super.handleCommand(channel, database, command, query);
        }
    }

    private static final String USAGE = String.join("\n",
        "usage: java -jar mongo-java-server.jar [--host HOST] [--port PORT] (--data FILE | --memory)"
            + " [--log-level LEVEL]",
        "  --host HOST        address to bind (env MJS_HOST, default 127.0.0.1)",
        "  --port PORT        port to bind (env MJS_PORT, default 27017; 0 picks a free one)",
        "  --data FILE        H2 MVStore file holding every database, e.g. var/mongo/polystore.mv.db (env MJS_DATA)",
        "  --memory           in-memory backend, nothing persists (env MJS_MEMORY=1)",
        "  --log-level LEVEL  trace|debug|info|warn|error (env MJS_LOG_LEVEL, default warn)");

    private Main() {
    }

    public static void main(String[] args) {
        Map<String, String> env = System.getenv();
        String host = env.getOrDefault("MJS_HOST", "127.0.0.1");
        String port = env.getOrDefault("MJS_PORT", "27017");
        String data = env.get("MJS_DATA");
        boolean memory = "1".equals(env.get("MJS_MEMORY")) || "true".equalsIgnoreCase(env.get("MJS_MEMORY"));
        String logLevel = env.getOrDefault("MJS_LOG_LEVEL", "warn");

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--host" -> host = value(args, ++i, arg);
                case "--port" -> port = value(args, ++i, arg);
                case "--data" -> data = value(args, ++i, arg);
                case "--memory" -> memory = true;
                case "--log-level" -> logLevel = value(args, ++i, arg);
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> fail("unknown argument: " + arg);
            }
        }
        if (memory == (data != null && !data.isEmpty())) {
            fail("give exactly one of --data FILE or --memory");
        }
        int portNumber = parsePort(port);

        // Must be set before the first SLF4J logger is created.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", logLevel);
        if (logLevel.equals("warn") || logLevel.equals("error")) {
            // Every failed command (even "ns not found" on a drop) is logged with a stack trace at
            // ERROR; the client gets the error anyway, so keep those for --log-level info or lower.
            System.setProperty("org.slf4j.simpleLogger.log.de.bwaldvogel.mongo.wire.MongoWireProtocolHandler", "off");
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");

        long started = System.nanoTime();
        MongoBackend backend;
        String store;
        if (memory) {
            backend = new Memory();
            store = "memory";
        } else {
            Path file = Path.of(data).toAbsolutePath();
            try {
                Files.createDirectories(file.getParent());
                backend = new H2(file.toString());
            } catch (IOException | RuntimeException e) {
                die("cannot open " + file + ": " + rootMessage(e));
                return;
            }
            store = "h2:" + file;
        }
        backend.version(MONGO_7_0);

        MongoServer server = new MongoServer(backend);
        try {
            server.bind(host, portNumber);
        } catch (Exception e) { // netty rethrows java.net.BindException undeclared
            backend.close();
            die("cannot listen on " + host + ":" + portNumber + ": " + rootMessage(e));
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // closes client connections, then the backend (H2 flushes and closes its file)
            server.shutdownNow();
            System.out.println("mongo-java-server stopped");
            System.out.flush();
            stopped.countDown();
        }, "mongo-java-server-shutdown"));

        var address = server.getLocalAddress();
        System.out.printf("mongo-java-server listening on %s:%d (store %s, reports MongoDB %s, wire %d, started in %d ms)%n",
            address.getHostString(), address.getPort(), store, MONGO_7_0.toVersionString(),
            MONGO_7_0.getWireVersion(), (System.nanoTime() - started) / 1_000_000);
        System.out.flush();

        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            fail(flag + " needs a value");
        }
        return args[i];
    }

    private static int parsePort(String port) {
        try {
            int n = Integer.parseInt(port);
            if (n < 0 || n > 65535) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            fail("invalid port: " + port);
            return -1;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }

    /** A usage error: exit 2. */
    private static void fail(String message) {
        System.err.println("mongo-java-server: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }

    /** A start-up failure (file locked, port taken): exit 1. */
    private static void die(String message) {
        System.err.println("mongo-java-server: " + message);
        System.exit(1);
    }
}
