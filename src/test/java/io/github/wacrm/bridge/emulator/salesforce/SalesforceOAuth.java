package io.github.wacrm.bridge.emulator.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The OAuth resource, {@code /services/oauth2/token} (client credentials, JWT bearer, password, refresh token; an
 * {@code id} shaped {@code .../id/<18-char org id>/<user id>}) and {@code /services/oauth2/revoke}, and the sessions
 * it issues, which the data API checks ({@code Authorization: Bearer}).
 */
final class SalesforceOAuth {

    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong logins = new AtomicLong();
    private volatile String requiredClientId;

    /** The answer to a token request (its form), for an org at {@code baseUrl}. */
    SalesforceReply token(Map<String, String> form, String baseUrl) {
        String grant = form.getOrDefault("grant_type", "");
        boolean known = Set.of("client_credentials", "password", "refresh_token",
                "urn:ietf:params:oauth:grant-type:jwt-bearer").contains(grant);
        if (!known) {
            return new SalesforceReply(400, Map.of("error", "unsupported_grant_type", "error_description",
                    "grant type not supported"));
        }
        if (requiredClientId != null && !requiredClientId.equals(form.get("client_id"))) {
            return new SalesforceReply(400, Map.of("error", "invalid_client_id", "error_description",
                    "client identifier invalid"));
        }
        logins.incrementAndGet();
        String token = SalesforceEmulator.ORG_ID + "!" + UUID.randomUUID().toString().replace("-", "");
        validTokens.add(token);
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", token);
        response.put("instance_url", baseUrl);
        response.put("id", baseUrl + "/id/" + SalesforceEmulator.ORG_ID + "/" + SalesforceEmulator.USER_ID);
        response.put("token_type", "Bearer");
        response.put("issued_at", String.valueOf(System.currentTimeMillis()));
        response.put("signature", "emulated");
        return new SalesforceReply(200, response);
    }

    void revoke(String token) {
        validTokens.remove(token);
    }

    /** Whether an {@code Authorization} header names a session this org issued and still holds valid. */
    boolean accepts(String authorization) {
        return authorization != null && authorization.startsWith("Bearer ")
                && validTokens.contains(authorization.substring(7));
    }

    /** Every session issued so far becomes invalid. */
    void expireSessions() {
        validTokens.clear();
    }

    /** Token requests must name this client id (null: any credentials are accepted). */
    void requireClientId(String clientId) {
        requiredClientId = clientId;
    }

    long logins() {
        return logins.get();
    }

    void resetLogins() {
        logins.set(0);
    }
}
