package io.github.wacrm.bridge.media;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;

/**
 * The name a file gets in the CRM. A document's own filename is the customer's text: only its last path segment is
 * kept, without control characters, the characters no file system takes ({@code \ / : * ? " < > |}), leading dots or
 * more than 200 characters (its extension kept); a file without a usable name is named after its type and message.
 * The extension follows the mime type, read with its parameters ({@code audio/ogg; codecs=opus} is ogg).
 */
public final class MediaFileName {

    static final int MAX_LENGTH = 200;
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/jpeg", "jpg"), Map.entry("image/png", "png"), Map.entry("image/webp", "webp"),
            Map.entry("audio/ogg", "ogg"), Map.entry("audio/opus", "opus"), Map.entry("audio/mpeg", "mp3"),
            Map.entry("audio/mp4", "m4a"), Map.entry("audio/aac", "aac"), Map.entry("audio/amr", "amr"),
            Map.entry("video/mp4", "mp4"), Map.entry("video/3gpp", "3gp"), Map.entry("application/pdf", "pdf"),
            Map.entry("text/plain", "txt"), Map.entry("application/msword", "doc"),
            Map.entry("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
            Map.entry("application/vnd.ms-excel", "xls"),
            Map.entry("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
            Map.entry("application/vnd.ms-powerpoint", "ppt"),
            Map.entry("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"));

    private MediaFileName() {
    }

    /** The mime type without its parameters, lower case ({@code audio/ogg; codecs=opus} → {@code audio/ogg}). */
    public static String baseType(String mimeType) {
        if (mimeType == null || mimeType.isBlank()) {
            return "application/octet-stream";
        }
        int semicolon = mimeType.indexOf(';');
        String base = (semicolon >= 0 ? mimeType.substring(0, semicolon) : mimeType).trim().toLowerCase(Locale.ROOT);
        return base.matches("[a-z0-9.+-]+/[a-z0-9.+-]+") ? base : "application/octet-stream";
    }

    public static String extension(String mimeType) {
        return EXTENSIONS.getOrDefault(baseType(mimeType), "bin");
    }

    /** The file's name in the CRM, with an extension. */
    public static String of(String filename, String type, String wamid, String mimeType) {
        String clean = sanitise(filename);
        String extension = extension(mimeType);
        if (clean.isEmpty()) {
            String suffix = wamid == null ? "" : wamid.replaceAll("[^A-Za-z0-9]", "");
            suffix = suffix.length() > 12 ? suffix.substring(suffix.length() - 12) : suffix;
            return "whatsapp-" + (type == null ? "file" : type) + (suffix.isEmpty() ? "" : "-" + suffix) + "." + extension;
        }
        return clean.contains(".") ? clean : clean + "." + extension;
    }

    /** The name without its extension: the title of a Salesforce File. */
    public static String title(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    static String sanitise(String filename) {
        if (filename == null) {
            return "";
        }
        String name = Normalizer.normalize(filename, Normalizer.Form.NFC);
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        name = name.replaceAll("[\\p{Cntrl}\\p{Cf}:*?\"<>|]", "").replaceAll("\\s+", " ").trim();
        name = name.replaceAll("^[. ]+", "").replaceAll("[. ]+$", "");
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            int dot = name.lastIndexOf('.');
            String extension = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            String stem = extension.isEmpty() ? name : name.substring(0, dot);
            int keep = MAX_LENGTH - extension.length();
            stem = stem.substring(0, stem.offsetByCodePoints(0, Math.min(keep, stem.codePointCount(0, stem.length()))));
            name = stem.trim() + extension;
        }
        return name;
    }
}
