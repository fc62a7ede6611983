package io.github.wacrm.bridge.emulator.whatsapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

/**
 * The media of the emulated Cloud API, as Meta serves it: {@code GET /{version}/{media-id}} answers the file's
 * short-lived URL with its {@code mime_type}, {@code sha256} and {@code file_size}; a {@code GET} of that URL with the
 * access token gives the bytes, until the URL expires (5 minutes by default), then 404. A media id Meta does not have
 * (never had, or deleted after 30 days) answers 404 with Graph's error 100, subcode 33. Large files are generated
 * while they are served, never held whole.
 */
public final class WhatsAppMedia {

    private static final Pattern LOOKUP = Pattern.compile("^/v[0-9.]+/([0-9]{12,20})$");
    private static final Pattern UPLOAD = Pattern.compile("^/v[0-9.]+/([0-9]+)/media$");
    /** Meta's upload limits by type: images 5 MB, audio and video 16 MB, stickers 500 KB, documents 100 MB. */
    private static final Map<String, Long> LIMITS = Map.of("image/jpeg", 5L << 20, "image/png", 5L << 20,
            "image/webp", 500L << 10, "audio/ogg", 16L << 20, "audio/mpeg", 16L << 20, "video/mp4", 16L << 20,
            "video/3gpp", 16L << 20, "application/pdf", 100L << 20, "text/plain", 100L << 20);
    private static final String DOWNLOAD_PATH = "/whatsapp_business/attachments/";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file Meta holds: what its lookup answers, and where its bytes come from. */
    public record Stored(String id, String mimeType, long size, String sha256, Supplier<InputStream> bytes) {
    }

    private record Issued(String mediaId, long expiresAtMillis) {
    }

    private final Map<String, Stored> files = new ConcurrentHashMap<>();
    private final Map<String, Issued> urls = new ConcurrentHashMap<>();
    private final Map<String, Boolean> tampered = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(9_100_000_000_000_000L + (System.nanoTime() % 1_000_000) * 1000);
    private final AtomicLong lookups = new AtomicLong();
    private final AtomicLong downloads = new AtomicLong();
    private volatile Duration urlLifetime = Duration.ofMinutes(5);
    private final java.util.concurrent.atomic.AtomicInteger expireNext = new java.util.concurrent.atomic.AtomicInteger();
    private final String baseUrl;

    WhatsAppMedia(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A file of these bytes; its media id. */
    public String add(byte[] bytes, String mimeType) {
        return put(mimeType, bytes.length, sha256(bytes), () -> new java.io.ByteArrayInputStream(bytes));
    }

    /** A file of {@code size} pseudo-random bytes (seeded), generated as it is served; its media id. */
    public String addGenerated(long size, long seed, String mimeType) {
        Supplier<InputStream> bytes = () -> new GeneratedBytes(size, seed);
        try (InputStream in = bytes.get()) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0;) {
                digest.update(buffer, 0, n);
            }
            return put(mimeType, size, HexFormat.of().formatHex(digest.digest()), bytes);
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Stored file(String mediaId) {
        return files.get(mediaId);
    }

    /** Meta no longer has this media (30 days passed): its lookup and its URLs answer 404. */
    public void forget(String mediaId) {
        files.remove(mediaId);
    }

    /** The URL serves other bytes than the sha256 the lookup names (a corrupted or substituted file). */
    public void tamper(String mediaId) {
        tampered.put(mediaId, true);
    }

    /** Every URL issued so far has expired. */
    public void expireUrls() {
        urls.replaceAll((url, issued) -> new Issued(issued.mediaId(), 0));
    }

    /** The next {@code count} URLs issued have expired by the time they are fetched (a slow consumer, a retry). */
    public void expireNextUrls(int count) {
        expireNext.set(count);
    }

    public void urlLifetime(Duration lifetime) {
        urlLifetime = lifetime;
    }

    public long lookups() {
        return lookups.get();
    }

    public long downloads() {
        return downloads.get();
    }

    /** Whether Meta has this media id (uploaded, or received from a customer). */
    public boolean has(String mediaId) {
        return files.containsKey(mediaId);
    }

    /** Serves a media upload, lookup or download; false when the request is for something else. */
    boolean handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if ("POST".equals(exchange.getRequestMethod()) && UPLOAD.matcher(path).matches()) {
            upload(exchange);
            return true;
        }
        if (!"GET".equals(exchange.getRequestMethod())) {
            return false;
        }
        if (path.equals(DOWNLOAD_PATH)) {
            download(exchange);
            return true;
        }
        Matcher lookup = LOOKUP.matcher(path);
        if (!lookup.matches() || lookup.group(1).equals(WhatsAppCloudEmulator.PHONE_NUMBER_ID)
                || lookup.group(1).equals(WhatsAppCloudEmulator.WABA_ID)) {
            return false;
        }
        lookups.incrementAndGet();
        Stored file = files.get(lookup.group(1));
        if (file == null) {
            notFound(exchange, lookup.group(1));
            return true;
        }
        String mid = UUID.randomUUID().toString().replace("-", "");
        boolean expired = expireNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        urls.put(mid, new Issued(file.id(), expired ? 0 : System.currentTimeMillis() + urlLifetime.toMillis()));
        ObjectNode answer = JSON.createObjectNode().put("messaging_product", "whatsapp")
                .put("url", baseUrl + DOWNLOAD_PATH + "?mid=" + mid + "&source=getMedia&ext=" + (System.nanoTime() % 1000))
                .put("mime_type", file.mimeType()).put("sha256", file.sha256()).put("file_size", file.size())
                .put("id", file.id());
        byte[] body = JSON.writeValueAsBytes(answer);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return true;
    }

    /**
     * {@code POST /{phone-number-id}/media}, multipart: {@code messaging_product=whatsapp}, the {@code file} and its
     * {@code type}; {@code {"id": ...}}, or Meta's refusal of a type it does not take or a file over its type's limit.
     */
    private void upload(HttpExchange exchange) throws IOException {
        String boundary = io.github.wacrm.bridge.emulator.MultipartForm.boundary(
                exchange.getRequestHeaders().getFirst("Content-Type"));
        Map<String, byte[]> parts = boundary == null ? Map.of()
                : io.github.wacrm.bridge.emulator.MultipartForm.parse(exchange.getRequestBody().readAllBytes(), boundary);
        String product = parts.containsKey("messaging_product") ? new String(parts.get("messaging_product")).trim() : null;
        String type = parts.containsKey("type") ? new String(parts.get("type")).trim() : null;
        byte[] file = parts.get("file");
        if (!"whatsapp".equals(product) || file == null || type == null) {
            refuse(exchange, 100, "(#100) The parameter messaging_product, file and type are required");
            return;
        }
        Long limit = LIMITS.get(type.replaceAll(";.*$", "").trim());
        if (limit == null || file.length > limit) {
            refuse(exchange, 131053, limit == null ? "(#131053) Media upload error: " + type + " is not supported"
                    : "(#131053) Media upload error: the file is larger than " + limit + " bytes");
            return;
        }
        byte[] body = JSON.writeValueAsBytes(JSON.createObjectNode().put("id", add(file, type)));
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
    }

    private static void refuse(HttpExchange exchange, int code, String message) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", message).put("type", "OAuthException").put("code", code)
                .put("fbtrace_id", "A" + Long.toHexString(System.nanoTime()));
        byte[] body = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(400, body.length);
        exchange.getResponseBody().write(body);
    }

    private void download(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String mid = query == null ? "" : query.replaceAll("^.*mid=([0-9a-f]+).*$", "$1");
        Issued issued = urls.get(mid);
        Stored file = issued == null ? null : files.get(issued.mediaId());
        if (issued == null || issued.expiresAtMillis() < System.currentTimeMillis() || file == null) {
            // what lookaside answers for an expired or unknown URL: 404, no JSON
            exchange.sendResponseHeaders(404, -1);
            return;
        }
        downloads.incrementAndGet();
        exchange.getResponseHeaders().add("Content-Type", file.mimeType());
        exchange.sendResponseHeaders(200, file.size());
        boolean wrong = tampered.containsKey(file.id());
        try (InputStream in = file.bytes().get(); OutputStream out = exchange.getResponseBody()) {
            byte[] buffer = new byte[64 * 1024];
            boolean first = true;
            for (int n; (n = in.read(buffer)) > 0;) {
                if (wrong && first) {
                    buffer[0] ^= 0x5A;
                }
                first = false;
                out.write(buffer, 0, n);
            }
        }
    }

    private static void notFound(HttpExchange exchange, String id) throws IOException {
        ObjectNode error = JSON.createObjectNode();
        error.putObject("error").put("message", "Unsupported get request. Object with ID '" + id + "' does not exist, "
                + "cannot be loaded due to missing permissions, or does not support this operation.")
                .put("type", "GraphMethodException").put("code", 100).put("error_subcode", 33)
                .put("fbtrace_id", "A" + Long.toHexString(System.nanoTime()));
        byte[] body = JSON.writeValueAsBytes(error);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(404, body.length);
        exchange.getResponseBody().write(body);
    }

    private String put(String mimeType, long size, String sha256, Supplier<InputStream> bytes) {
        String id = Long.toString(nextId.incrementAndGet());
        files.put(id, new Stored(id, mimeType, size, sha256, bytes));
        return id;
    }

    public static String sha256(byte[] bytes) {
        return io.github.wacrm.bridge.emulator.Digests.hex("SHA-256", bytes);
    }

    /** {@code size} bytes, each a function of the seed and its position: the same however they are read. */
    private static final class GeneratedBytes extends InputStream {
        private final long seed;
        private final long size;
        private long position;

        GeneratedBytes(long size, long seed) {
            this.size = size;
            this.seed = seed;
        }

        @Override
        public int read() {
            return position < size ? at(position++) & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (position >= size) {
                return -1;
            }
            int n = (int) Math.min(len, size - position);
            for (int i = 0; i < n; i++) {
                b[off + i] = at(position++);
            }
            return n;
        }

        private byte at(long i) {
            long x = (i + seed) * 0x9E3779B97F4A7C15L;
            return (byte) (x >>> 56 ^ x >>> 29);
        }
    }
}
