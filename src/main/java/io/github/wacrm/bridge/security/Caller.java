package io.github.wacrm.bridge.security;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Who is calling an operator endpoint or the outbound API, once a credential is accepted: the token's configured name
 * or the JWT's subject (what the audit records as who acted), how they were authenticated, and their roles
 * ({@code dead-letter-replay}, {@code portal-setup}, {@code erasure}, {@code operator},
 * {@code outbound-sender}).
 */
public record Caller(String name, String via, Set<String> roles) {

    /** The request attribute the authenticating filter leaves for the audit. */
    public static final String ATTRIBUTE = "whatsapp.caller";

    public static final String OPERATOR = "operator";
    public static final String DEAD_LETTER_REPLAY = "dead-letter-replay";
    public static final String PORTAL_SETUP = "portal-setup";
    public static final String ERASURE = "erasure";
    public static final String OUTBOUND_SENDER = "outbound-sender";

    public Caller {
        roles = Set.copyOf(roles);
    }

    /** Spring Security's authorities: {@code dead-letter-replay} is {@code ROLE_DEAD_LETTER_REPLAY}. */
    public List<GrantedAuthority> authorities() {
        return roles.stream().map(role -> (GrantedAuthority) new SimpleGrantedAuthority(authority(role))).toList();
    }

    /** The Spring Security role name of one of ours ({@code hasRole} takes it without {@code ROLE_}). */
    public static String role(String role) {
        return role.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    private static String authority(String role) {
        return "ROLE_" + role(role);
    }
}
