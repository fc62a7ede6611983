package io.github.wacrm.bridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The audit of the operator endpoints: every state-changing request (whatever its answer) and every refused one
 * (401, 403) becomes a row of {@code operator_action} — who (the token's name or the JWT's subject), how, what, when,
 * the status and the start of the answer — and an INFO line. Reads that succeed (probes, scrapes, checks) are not
 * recorded. When the database cannot take the row, the line is logged at ERROR with the same fields.
 */
@Component
public class OperatorAudit {

    private static final Logger LOG = LoggerFactory.getLogger(OperatorAudit.class);
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final int DETAIL_CHARS = 2000;

    private final JdbcTemplate jdbc;

    public OperatorAudit(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The filter that records each request worth recording, first in the operator endpoints' chain. */
    public OncePerRequestFilter filter() {
        return new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                    FilterChain chain) throws ServletException, IOException {
                boolean change = !READS.contains(request.getMethod());
                ContentCachingResponseWrapper answer = change ? new ContentCachingResponseWrapper(response) : null;
                RuntimeException failed = null;
                try {
                    chain.doFilter(request, change ? answer : response);
                } catch (IOException | ServletException | RuntimeException e) {
                    failed = e instanceof RuntimeException r ? r : new IllegalStateException(e);
                    throw e;
                } finally {
                    int status = failed != null ? 500 : response.getStatus();
                    if (change || status == 401 || status == 403) {
                        String detail = change ? detail(answer) : null;
                        record((Caller) request.getAttribute(Caller.ATTRIBUTE),
                                request.getMethod() + " " + request.getRequestURI(), status, detail);
                    }
                    if (change) {
                        answer.copyBodyToResponse();
                    }
                }
            }
        };
    }

    /** Writes one row (and its log line). */
    void record(Caller caller, String action, int status, String detail) {
        String actor = caller == null ? "anonymous" : caller.name();
        String via = caller == null ? "none" : caller.via();
        String outcome = status == 401 ? "refused_unauthenticated" : status == 403 ? "refused_forbidden"
                : status < 400 ? "done" : "failed";
        try {
            jdbc.update("INSERT INTO operator_action (actor, via, action, status, outcome, detail) "
                    + "VALUES (?, ?, ?, ?, ?, ?)", actor, via, action, status, outcome, detail);
            LOG.info("Operator action by {} ({}): {} answered {} ({})", actor, via, action, status, outcome);
        } catch (DataAccessException unrecorded) {
            LOG.error("Operator action NOT recorded in operator_action ({}): by {} ({}): {} answered {} ({})",
                    unrecorded.getMostSpecificCause().getMessage(), actor, via, action, status, outcome);
        }
    }

    private static String detail(ContentCachingResponseWrapper answer) {
        byte[] body = answer.getContentAsByteArray();
        if (body.length == 0) {
            return null;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        return text.length() > DETAIL_CHARS ? text.substring(0, DETAIL_CHARS) : text;
    }
}
