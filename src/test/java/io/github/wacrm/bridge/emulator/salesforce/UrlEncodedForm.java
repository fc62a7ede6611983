package io.github.wacrm.bridge.emulator.salesforce;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An {@code application/x-www-form-urlencoded} text as the org reads it, names to values: the OAuth token and revoke
 * forms and the query string of the data API ({@code ?q=}).
 */
final class UrlEncodedForm {

    private UrlEncodedForm() {
    }

    static Map<String, String> parse(String body) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            form.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return form;
    }

    /** Form and query values: '+' is a space. */
    private static String decode(String value) {
        return URLDecoder.decode(value, StandardCharsets.UTF_8);
    }
}
