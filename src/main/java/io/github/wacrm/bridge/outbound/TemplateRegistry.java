package io.github.wacrm.bridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.github.wacrm.bridge.event.CanonicalEvent;

/**
 * The template registry ({@code whatsapp_template}, PostgreSQL): every template of the WABA with its status, category
 * and components, so a request is checked before anything goes to Meta. Synced from the Graph API's template list
 * (at start and on a schedule, {@code 63-template-sync}) and kept current between syncs by the template webhooks
 * (status, category), each change applied only when it is newer than what the registry holds.
 */
@Component("templateRegistry")
public class TemplateRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateRegistry.class);

    /** A template as the registry holds it; {@code components} null until a sync has read it. */
    public record Template(String wabaId, String name, String language, String templateId, String status,
            String category, String parameterFormat, String components) {
    }

    private static final String UPSERT = "INSERT INTO whatsapp_template (waba_id, name, language, template_id, status, "
            + "category, parameter_format, components, event_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (waba_id, name, language) DO UPDATE SET template_id = EXCLUDED.template_id, "
            + "status = EXCLUDED.status, category = EXCLUDED.category, parameter_format = EXCLUDED.parameter_format, "
            + "components = EXCLUDED.components, event_at = GREATEST(whatsapp_template.event_at, EXCLUDED.event_at), "
            + "updated_at = now()";

    private final JdbcTemplate jdbc;

    public TemplateRegistry(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** One page of {@code GET /{waba-id}/message_templates}: each template as Meta lists it now. Answers how many. */
    public int syncPage(String wabaId, JsonNode page) {
        int count = 0;
        for (JsonNode t : page.path("data")) {
            String name = t.path("name").asText(null);
            String language = t.path("language").asText(null);
            if (name == null || language == null) {
                continue;
            }
            jdbc.update(UPSERT, wabaId, name, language, t.path("id").asText(null), t.path("status").asText("UNKNOWN"),
                    t.path("category").asText(null), t.path("parameter_format").asText("POSITIONAL"),
                    t.path("components").toString(), Timestamp.from(Instant.now()));
            count++;
        }
        return count;
    }

    /** A template webhook (status or category change): applied when newer than what the registry holds. */
    public void record(CanonicalEvent fact) {
        JsonNode p = fact.payload;
        String templateId = p.path("templateId").asText(null);
        Instant at = Optional.ofNullable(CanonicalEvent.instant(fact.occurredAt)).orElseGet(Instant::now);
        String status = p.path("status").asText(null);
        String category = p.path("category").asText(null);
        if (templateId == null || templateId.length() > 64 || (status == null && category == null)
                || (status != null && status.length() > 40) || (category != null && category.length() > 40)) {
            // not a template id or state of Meta's: nothing the registry could match or hold
            return;
        }
        int updated = jdbc.update("UPDATE whatsapp_template SET status = COALESCE(?, status), "
                + "category = COALESCE(?, category), event_at = ?, updated_at = now() "
                + "WHERE template_id = ? AND event_at <= ?", status, category, Timestamp.from(at), templateId,
                Timestamp.from(at));
        String name = p.path("templateName").asText(null);
        String language = p.path("language").asText(null);
        if (updated == 0 && name != null && name.length() <= 512 && language != null && language.length() <= 16
                && status != null && fact.wabaId != null && fact.wabaId.length() <= 64) {
            // not synced yet: known by name, usable once a sync has read its components
            jdbc.update("INSERT INTO whatsapp_template (waba_id, name, language, template_id, status, category, "
                    + "event_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (waba_id, name, language) DO NOTHING",
                    fact.wabaId, name, language, templateId, status, category, Timestamp.from(at));
        }
    }

    /** Meta refused a send because the template is paused or disabled: the registry says so until the next change. */
    public void mark(String wabaId, String name, String language, String status) {
        jdbc.update("UPDATE whatsapp_template SET status = ?, updated_at = now() WHERE waba_id = ? AND name = ? "
                + "AND language = ?", status, wabaId, name, language);
        LOG.warn("Template {} ({}) marked {} after Meta refused a send with it", name, language, status);
    }

    public Optional<Template> find(String wabaId, String name, String language) {
        return jdbc.query("SELECT waba_id, name, language, template_id, status, category, parameter_format, components "
                + "FROM whatsapp_template WHERE waba_id = ? AND name = ? AND language = ?",
                (rs, n) -> new Template(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)),
                wabaId, name, language).stream().findFirst();
    }
}
