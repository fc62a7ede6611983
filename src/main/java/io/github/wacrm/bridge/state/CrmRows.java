package io.github.wacrm.bridge.state;

import java.util.Collection;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;

/** The rows a CRM sink keeps per record or person, read for a whole batch in one statement. */
final class CrmRows {

    private CrmRows() {
    }

    /**
     * Runs {@code sql} (parameters: the CRM, then the keys as a varchar array, e.g. {@code crm = ? AND key =
     * ANY(?::varchar[])}) and hands each row to {@code each}; nothing is asked when there are no keys.
     */
    static void read(JdbcTemplate jdbc, String sql, String crm, Collection<String> keys, RowCallbackHandler each) {
        if (keys.isEmpty()) {
            return;
        }
        Object[] distinct = keys.stream().distinct().toArray();
        jdbc.query(c -> {
            var ps = c.prepareStatement(sql);
            ps.setString(1, crm);
            ps.setArray(2, c.createArrayOf("varchar", distinct));
            return ps;
        }, each);
    }
}
