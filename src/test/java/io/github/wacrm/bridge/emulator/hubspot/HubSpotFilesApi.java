package io.github.wacrm.bridge.emulator.hubspot;

import static io.github.wacrm.bridge.emulator.hubspot.HubSpotAnswer.error;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.wacrm.bridge.emulator.Digests;
import io.github.wacrm.bridge.emulator.MultipartForm;

/**
 * HubSpot's files API as an upload sees it: {@code POST /files/v3/files} (or a dated version) as
 * {@code multipart/form-data} with the {@code file}, its {@code options} (JSON whose {@code access} is required) and
 * exactly one of {@code folderPath} or {@code folderId}; 201 with the file's id, name, extension, size, type and access.
 * A file over the size limit is refused with 413; {@code GET /files/v3/files/{id}} reads a file back. The bytes are
 * kept only as their size and SHA-256 (for tests).
 */
public final class HubSpotFilesApi {

    static final Pattern UPLOAD = Pattern.compile("^/files/(?:v3|\\d{4}-\\d{2})/files$");
    static final Pattern FILE = Pattern.compile("^/files/(?:v3|\\d{4}-\\d{2})/files/([0-9]+)$");
    private static final Set<String> ACCESS = Set.of("PUBLIC_INDEXABLE", "PUBLIC_NOT_INDEXABLE", "HIDDEN_INDEXABLE",
            "HIDDEN_NOT_INDEXABLE", "HIDDEN_PRIVATE", "PRIVATE", "HIDDEN_SENSITIVE", "SENSITIVE");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A file the portal holds. */
    public record StoredFile(String id, String name, String extension, String folderPath, String access, long size,
            String sha256) {
    }

    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(190_000_000_000L);
    private volatile long maxFileBytes = 100L * 1024 * 1024;

    /** The largest file the portal takes (100 MB unless a test says otherwise). */
    public void maxFileBytes(long bytes) {
        maxFileBytes = bytes;
    }

    public List<StoredFile> files() {
        return List.copyOf(files.values());
    }

    public boolean exists(String id) {
        return files.containsKey(id);
    }

    void reset() {
        files.clear();
        maxFileBytes = 100L * 1024 * 1024;
    }

    HubSpotAnswer upload(String contentType, byte[] request) throws java.io.IOException {
        String boundary = MultipartForm.boundary(contentType);
        if (boundary == null) {
            return new HubSpotAnswer(415, error("VALIDATION_ERROR", "Content type '" + contentType
                    + "' not supported; use multipart/form-data", Map.of()));
        }
        Map<String, byte[]> parts = MultipartForm.parse(request, boundary);
        byte[] file = parts.get("file");
        if (file == null) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "file is required", Map.of()));
        }
        JsonNode options = parts.containsKey("options") ? JSON.readTree(parts.get("options")) : null;
        String access = options == null ? null : options.path("access").asText(null);
        if (access == null || !ACCESS.contains(access)) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "options.access is required and must be one of "
                    + ACCESS, Map.of()));
        }
        String folderPath = text(parts.get("folderPath"));
        String folderId = text(parts.get("folderId"));
        if ((folderPath == null) == (folderId == null)) {
            return new HubSpotAnswer(400, error("VALIDATION_ERROR", "Exactly one of folderId or folderPath must be "
                    + "provided", Map.of()));
        }
        if (file.length > maxFileBytes) {
            return new HubSpotAnswer(413, error("VALIDATION_ERROR", "File size " + file.length
                    + " exceeds the maximum allowed size of " + maxFileBytes + " bytes", Map.of()));
        }
        String fileName = text(parts.get("fileName"));
        String name = fileName == null ? "file" : fileName;
        String extension = name.contains(".") ? name.substring(name.lastIndexOf('.') + 1).toLowerCase() : "";
        String id = Long.toString(nextId.incrementAndGet());
        StoredFile stored = new StoredFile(id, name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name,
                extension, folderPath == null ? "/folder-" + folderId : folderPath, access, file.length, Digests.hex("SHA-256", file));
        files.put(id, stored);
        return new HubSpotAnswer(201, view(stored));
    }

    HubSpotAnswer read(String id) {
        StoredFile file = files.get(id);
        return file == null ? new HubSpotAnswer(404, error("OBJECT_NOT_FOUND", "File " + id + " not found", Map.of()))
                : new HubSpotAnswer(200, view(file));
    }

    private static Map<String, Object> view(StoredFile file) {
        Map<String, Object> view = new LinkedHashMap<>();
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        view.put("id", file.id());
        view.put("createdAt", now);
        view.put("updatedAt", now);
        view.put("archived", false);
        view.put("parentFolderId", Integer.toString(Math.abs(file.folderPath().hashCode())));
        view.put("name", file.name());
        view.put("path", file.folderPath() + "/" + file.name() + (file.extension().isEmpty() ? "" : "." + file.extension()));
        view.put("size", file.size());
        view.put("type", type(file.extension()));
        view.put("extension", file.extension());
        view.put("access", file.access());
        view.put("isUsableInContent", false);
        view.put("url", "https://api-na1.hubspot.com/filemanager/api/v2/files/" + file.id() + "/signed-url-redirect");
        return view;
    }

    private static String type(String extension) {
        return switch (extension) {
            case "jpg", "jpeg", "png", "webp", "gif" -> "IMG";
            case "mp4", "3gp", "mov" -> "MOVIE";
            case "ogg", "mp3", "m4a", "aac", "amr", "opus" -> "AUDIO";
            case "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt" -> "DOCUMENT";
            default -> "OTHER";
        };
    }

    private static String text(byte[] part) {
        return part == null ? null : new String(part, StandardCharsets.UTF_8).trim();
    }
}
