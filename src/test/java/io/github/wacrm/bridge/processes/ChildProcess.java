package io.github.wacrm.bridge.processes;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One program of the local stack running as a process of its own, with its output in a log file: started, killed
 * with SIGKILL (as a crash), stopped with SIGTERM (as Kubernetes does), started again. Killed with the JVM that
 * started it.
 */
public final class ChildProcess {

    private final String name;
    private final List<String> command;
    private final Map<String, String> environment;
    private final Path workingDirectory;
    private final Path log;
    private Process process;

    public ChildProcess(String name, List<String> command, Map<String, String> environment, Path workingDirectory,
            Path log) {
        this.name = name;
        this.command = List.copyOf(command);
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        this.log = log;
    }

    public synchronized ChildProcess start() {
        if (isAlive()) {
            return this;
        }
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(environment);
            process = builder.start();
            Process started = process;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> destroyTree(started, true), name + "-stop"));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(name + " did not start: " + String.join(" ", command), e);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would: nothing is flushed, nothing is closed. */
    public synchronized void kill() {
        if (process != null) {
            destroyTree(process, true);
            await(process, 30);
        }
    }

    /** SIGTERM, as Kubernetes stops a pod; waits for the process to end (at most {@code seconds}). */
    public synchronized boolean terminate(int seconds) {
        if (process == null) {
            return true;
        }
        process.destroy();
        boolean ended = await(process, seconds);
        if (!ended) {
            destroyTree(process, true);
            await(process, 10);
        }
        return ended;
    }

    public synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String name() {
        return name;
    }

    public Path log() {
        return log;
    }

    /** The last lines of the log, for a failure message. */
    public String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join(System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void destroyTree(Process process, boolean force) {
        process.descendants().forEach(child -> {
            if (force) {
                child.destroyForcibly();
            } else {
                child.destroy();
            }
        });
        if (force) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
    }

    private static boolean await(Process process, int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** This JVM's own logs (Kafka and PostgreSQL clients) at WARN: the command's output is what it prints. */
    public static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Waits, for the loops that wait for a process to answer. */
    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The java launcher of this JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The class path of the running code (the test class path under exec:java), for a JVM of the same code. */
    public static String classpath() {
        StringBuilder path = new StringBuilder();
        for (ClassLoader loader = Thread.currentThread().getContextClassLoader(); loader != null;
                loader = loader.getParent()) {
            if (loader instanceof java.net.URLClassLoader urls) {
                for (java.net.URL url : urls.getURLs()) {
                    if (!path.isEmpty()) {
                        path.append(File.pathSeparator);
                    }
                    try {
                        path.append(Path.of(url.toURI()));
                    } catch (java.net.URISyntaxException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return path.isEmpty() ? System.getProperty("java.class.path") : path.toString();
    }
}
