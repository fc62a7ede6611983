package io.github.wacrm.bridge.media;

import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The files already in a CRM (table {@code media_transfer}): written the moment the CRM answered the upload, read
 * before the next upload of the same message, so a transfer interrupted before its record was marked never stores the
 * file twice. Shared by every replica.
 */
@Component("mediaLedger")
public class MediaLedger {

    private final JdbcTemplate jdbc;

    public MediaLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The CRM's file id for this message, or null when it has none yet. */
    public String storedFile(String crm, String wamid) {
        List<String> ids = jdbc.queryForList("SELECT crm_file_id FROM media_transfer WHERE crm = ? AND wamid = ?",
                String.class, crm, wamid);
        return ids.isEmpty() ? null : ids.get(0);
    }

    public void stored(String crm, String wamid, String fileId) {
        jdbc.update("INSERT INTO media_transfer (crm, wamid, crm_file_id) VALUES (?, ?, ?) "
                + "ON CONFLICT (crm, wamid) DO NOTHING", crm, wamid, fileId);
    }
}
