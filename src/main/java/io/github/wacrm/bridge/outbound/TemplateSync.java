package io.github.wacrm.bridge.outbound;

import java.io.IOException;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One sync of the template registry from the Graph API ({@code GET /{waba-id}/message_templates}, paged with the
 * {@code after} cursor), behind the {@code whatsapp-template-sync} route's loop: at start and every
 * {@code template-sync-ms}. A refused or unreadable page ends the sync with an error logged; the next one tries again.
 */
@Component("templateSync")
public class TemplateSync {

    private static final Logger LOG = LoggerFactory.getLogger(TemplateSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final String PROPERTY = "templateSync";
    static final String FIELDS = "fields=id,name,language,status,category,parameter_format,components&limit=100";

    private final TemplateRegistry registry;
    private final OutboundProperties properties;

    public TemplateSync(TemplateRegistry registry, OutboundProperties properties) {
        this.registry = registry;
        this.properties = properties;
    }

    /** The state of one sync. */
    public static final class Run {
        private String after;
        private boolean more = true;
        private int templates;
        private int pages;

        public boolean morePages() {
            return more;
        }

        /** The query of the next page. */
        public String query() {
            return FIELDS + (after == null ? "" : "&after=" + after);
        }
    }

    public void begin(Exchange exchange) {
        exchange.setProperty(PROPERTY, new Run());
    }

    /** Route step after each page: its templates into the registry, and the cursor of the next page. */
    public void page(Exchange exchange) throws IOException {
        Run run = exchange.getProperty(PROPERTY, Run.class);
        int status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String text = exchange.getMessage().getBody(String.class);
        if (status != 200) {
            run.more = false;
            LOG.error("Template sync stopped: the Graph API answered {} ({}); the registry keeps what it has and the "
                    + "next sync tries again", status, text == null ? "" : text.length() > 300 ? text.substring(0, 300) : text);
            return;
        }
        JsonNode page = JSON.readTree(text);
        run.templates += registry.syncPage(properties.wabaId(), page);
        run.pages++;
        run.after = page.path("paging").path("cursors").path("after").asText(null);
        run.more = run.after != null && page.path("paging").has("next") && page.path("data").size() > 0;
        if (!run.more) {
            LOG.info("Template registry synced: {} templates in {} page(s)", run.templates, run.pages);
        }
    }

    /** The Graph API could not be reached. */
    public void failed(Exchange exchange) {
        Run run = exchange.getProperty(PROPERTY, Run.class);
        run.more = false;
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        LOG.error("Template sync stopped: the Graph API could not be reached ({}); the next sync tries again",
                failure == null ? "?" : failure.getMessage());
    }
}
