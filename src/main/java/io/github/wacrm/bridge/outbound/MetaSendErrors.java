package io.github.wacrm.bridge.outbound;

import java.util.Map;
import java.util.Set;

/**
 * What a Cloud API error code means for a send, decided once: try again later (Meta did not take the message),
 * fail with the reason named (this request's fault: it would fail again), or stop sending from the number (the token).
 * Unknown codes fail: never an endless loop on something nobody has seen.
 */
public final class MetaSendErrors {

    public enum Action {
        /** Not sent: back off and send again (throughput, pair rate, Meta's transient errors, 5xx). */
        RETRY,
        /** Not sent and never will be as asked: the request ends failed with Meta's reason. */
        FAIL,
        /** The access token is expired or revoked: every send from the number fails until it is replaced. */
        STOP_SENDING
    }

    private static final Set<Integer> RETRY = Set.of(130429, 131056, 80007, 131000, 131016, 133004, 4, 2, 1);
    private static final Map<Integer, String> NAMED = Map.ofEntries(
            Map.entry(131047, "more than 24 hours since the customer last wrote: a template is needed"),
            Map.entry(131026, "the message could not be delivered to this recipient"),
            Map.entry(131049, "Meta chose not to deliver this marketing message (ecosystem limit)"),
            Map.entry(131050, "the customer stopped marketing messages"),
            Map.entry(131051, "unsupported message type"),
            Map.entry(131062, "this message kind cannot be sent to a BSUID-only user"),
            Map.entry(131008, "a required parameter (a template's header or button value) is missing"),
            Map.entry(131053, "the header's media could not be used (not uploaded to this business, expired, or refused)"),
            Map.entry(132000, "the number of template parameters does not match the template"),
            Map.entry(132001, "the template does not exist in this language"),
            Map.entry(132005, "the template text is too long once filled in"),
            Map.entry(132007, "the template breaks a format or policy rule"),
            Map.entry(132012, "a template parameter has the wrong format"),
            Map.entry(132015, "the template is paused"),
            Map.entry(132016, "the template is disabled"),
            Map.entry(368, "the business account is restricted for policy violations"),
            Map.entry(100, "Meta refused a parameter of the request"));

    private MetaSendErrors() {
    }

    /** The action for Meta's error {@code code} on an answer with HTTP {@code status}. */
    public static Action action(Integer code, int status) {
        if (code != null && code == 190) {
            return Action.STOP_SENDING;
        }
        if (code != null && RETRY.contains(code)) {
            return Action.RETRY;
        }
        if (code == null && (status >= 500 || status == 429)) {
            return Action.RETRY;
        }
        return Action.FAIL;
    }

    /** What the CRM record and the API say about a code: Meta's meaning, in words. */
    public static String meaning(Integer code) {
        return code == null ? null : NAMED.get(code);
    }

    /** Whether a failure with this code marks the template (paused, disabled) in the registry. */
    public static boolean marksTemplate(Integer code) {
        return code != null && (code == 132015 || code == 132016);
    }

    /** Whether a failure with this code records the customer's opt-out of marketing. */
    public static boolean recordsOptOut(Integer code) {
        return code != null && code == 131050;
    }
}
