package io.github.wacrm.bridge.emulator.salesforce;

import static io.github.wacrm.bridge.emulator.salesforce.SalesforceReply.errors;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.github.wacrm.bridge.emulator.Digests;
import io.github.wacrm.bridge.emulator.MultipartForm;

/**
 * Salesforce Files as the REST API takes them: {@code POST /sobjects/ContentVersion} as {@code multipart/form-data}
 * with an {@code entity_content} JSON part (Title, PathOnClient, FirstPublishLocationId, ...) and the bytes in a
 * {@code VersionData} part (up to 2 GB), or as JSON with {@code VersionData} in base64 (the whole request at most
 * 50 MB: "Maximum size of request reached"). The first publish location must be a record of the org; the file's
 * ContentDocument, size and MD5 checksum are set by the org, never by the caller. A full file storage answers
 * STORAGE_LIMIT_EXCEEDED.
 */
public final class SalesforceContentApi {

    static final long JSON_REQUEST_LIMIT = 52_428_800L;
    private static final Set<String> SET_BY_THE_ORG = Set.of("ContentDocumentId", "ContentSize", "Checksum",
            "FileExtension");

    /** A file the org stored: its ContentVersion, document, size and the SHA-256 of its bytes (for tests). */
    public record StoredFile(String contentVersionId, String contentDocumentId, String firstPublishLocationId, String title,
            long size, String sha256) {
    }

    private final SalesforceOrg org;
    private final Map<String, StoredFile> files = new ConcurrentHashMap<>();
    private volatile long maxFileBytes = 2L * 1024 * 1024 * 1024;
    private volatile long storageLeftBytes = Long.MAX_VALUE;

    SalesforceContentApi(SalesforceOrg org) {
        this.org = org;
    }

    static boolean isContentVersionInsert(String method, String rest) {
        return "POST".equals(method) && ("/sobjects/ContentVersion".equals(rest) || "/sobjects/ContentVersion/".equals(rest));
    }

    List<StoredFile> files() {
        return List.copyOf(files.values());
    }

    void storageLeft(long bytes) {
        storageLeftBytes = bytes;
    }

    void reset() {
        files.clear();
        storageLeftBytes = Long.MAX_VALUE;
        maxFileBytes = 2L * 1024 * 1024 * 1024;
    }

    SalesforceReply insert(String contentType, byte[] body) throws java.io.IOException {
        Map<String, Object> entity;
        byte[] data;
        String boundary = MultipartForm.boundary(contentType);
        if (boundary != null) {
            Map<String, byte[]> parts = MultipartForm.parse(body, boundary);
            if (!parts.containsKey("entity_content")) {
                return new SalesforceReply(400, errors("INVALID_MULTIPART_REQUEST",
                        "Multipart message must include a non-binary part named 'entity_content'"));
            }
            entity = SalesforceEmulator.map(parts.get("entity_content"));
            data = parts.get("VersionData");
            if (data == null) {
                return new SalesforceReply(400, errors("INVALID_MULTIPART_REQUEST",
                        "Binary field VersionData must be sent as a part named 'VersionData'"));
            }
        } else {
            if (body.length > JSON_REQUEST_LIMIT) {
                return new SalesforceReply(400, errors("JSON_PARSER_ERROR",
                        "Maximum size of request reached. Maximum size of request is " + JSON_REQUEST_LIMIT + " bytes."));
            }
            entity = SalesforceEmulator.map(body);
            Object base64 = entity.remove("VersionData");
            data = base64 == null ? null : java.util.Base64.getDecoder().decode(base64.toString());
            if (data == null) {
                return new SalesforceReply(400, errors("REQUIRED_FIELD_MISSING", "Required fields are missing: "
                        + "[VersionData]"));
            }
        }
        for (String field : entity.keySet()) {
            if (SET_BY_THE_ORG.contains(field)) {
                return new SalesforceReply(400, errors("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update "
                        + "fields: " + field + ". Please check the security settings of this field."));
            }
        }
        if (entity.get("PathOnClient") == null || entity.get("PathOnClient").toString().isBlank()) {
            return new SalesforceReply(400, errors("REQUIRED_FIELD_MISSING", "Required fields are missing: "
                    + "[PathOnClient]"));
        }
        Object location = entity.get("FirstPublishLocationId");
        if (location != null) {
            String object = org.schema().objectOfId(location.toString());
            if (object == null || org.get(object, location.toString()).isEmpty()) {
                return new SalesforceReply(400, errors("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id"));
            }
        }
        if (data.length > maxFileBytes || data.length > storageLeftBytes) {
            return new SalesforceReply(400, errors("STORAGE_LIMIT_EXCEEDED", "storage limit exceeded"));
        }
        String documentId = "069" + String.format("%015d", files.size() + 1L);
        Map<String, Object> values = new LinkedHashMap<>(entity);
        if (!values.containsKey("Title")) {
            values.put("Title", entity.get("PathOnClient").toString().replaceAll("\\.[^.]*$", ""));
        }
        values.put("ContentDocumentId", documentId);
        values.put("ContentSize", data.length);
        values.put("Checksum", Digests.hex("MD5", data));
        String path = entity.get("PathOnClient").toString();
        values.put("FileExtension", path.contains(".") ? path.substring(path.lastIndexOf('.') + 1).toLowerCase() : null);
        SalesforceOrg.Result created = org.create("ContentVersion", values);
        if (!created.ok()) {
            return new SalesforceReply(created.status(), SalesforceSObjectsApi.restErrors(created));
        }
        files.put(created.id(), new StoredFile(created.id(), documentId, location == null ? null : location.toString(),
                values.get("Title").toString(), data.length, Digests.hex("SHA-256", data)));
        if (storageLeftBytes != Long.MAX_VALUE) {
            storageLeftBytes -= data.length;
        }
        return new SalesforceReply(201, SalesforceReply.saveResult(created));
    }

}
