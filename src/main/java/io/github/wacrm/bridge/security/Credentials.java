package io.github.wacrm.bridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.stereotype.Component;

import io.github.wacrm.bridge.outbound.OutboundProperties;

/**
 * Checks a bearer credential: one of the configured tokens (compared in constant time, every token looked at), or,
 * when an identity provider is configured ({@code spring.security.oauth2.resourceserver.jwt.*}), a JWT it signed,
 * still valid, naming its caller and roles in claims. One mechanism for the operator endpoints and the outbound API;
 * each has its own tokens. A changed token file (the Secret template's {@code operator-token},
 * {@code operator-token-previous}, {@code outbound-api-token}, {@code outbound-api-token-previous}) is in use within
 * seconds ({@link SecretFiles}): hand out the new token as the previous one keeps working, then retire the previous.
 */
@Component
public class Credentials {

    private static final Logger LOG = LoggerFactory.getLogger(Credentials.class);

    /** One configured token: its name, its SHA-256, and the roles it grants. */
    private record Token(String name, byte[] digest, Set<String> roles) {
    }

    /** The Secret template's file of each configured token name (application.yaml: whatsapp.operators.tokens). */
    private static final Map<String, String> OPERATOR_FILES = Map.of("ops", "operator-token", "ops-previous",
            "operator-token-previous");
    /** The same for whatsapp.outbound.api-tokens. */
    private static final Map<String, String> OUTBOUND_FILES = Map.of("default", "outbound-api-token", "previous",
            "outbound-api-token-previous");

    private volatile List<Token> operatorTokens;
    private volatile List<Token> outboundTokens;
    private final JwtDecoder jwts;
    private final OperatorProperties.Jwt claims;

    public Credentials(OperatorProperties operators, OutboundProperties outbound, ObjectProvider<JwtDecoder> jwts,
            SecretFiles files) {
        Map<String, String> operatorValues = new java.util.LinkedHashMap<>(operators.tokens());
        Map<String, String> outboundValues = new java.util.LinkedHashMap<>(outbound.apiTokens());
        this.operatorTokens = tokens(operatorValues, operators::rolesOf);
        this.outboundTokens = tokens(outboundValues, name -> List.of(Caller.OUTBOUND_SENDER));
        OPERATOR_FILES.forEach((name, file) -> files.watch(file, value -> {
            synchronized (operatorValues) {
                operatorValues.put(name, value);
                operatorTokens = tokens(operatorValues, operators::rolesOf);
            }
        }));
        OUTBOUND_FILES.forEach((name, file) -> files.watch(file, value -> {
            synchronized (outboundValues) {
                outboundValues.put(name, value);
                outboundTokens = tokens(outboundValues, ignored -> List.of(Caller.OUTBOUND_SENDER));
            }
        }));
        this.jwts = jwts.getIfAvailable();
        this.claims = operators.jwt();
        LOG.info("Operator endpoints: {} token(s) {}, JWTs {}", operatorTokens.size(),
                operatorTokens.stream().map(Token::name).toList(),
                this.jwts == null ? "not accepted (no identity provider configured)" : "accepted, roles from claim '"
                        + claims.rolesClaim() + "'");
    }

    /** The caller of an operator endpoint, or null when the credential is not accepted. */
    public Caller operator(String bearer) {
        Caller token = match(operatorTokens, bearer);
        return token != null ? token : jwt(bearer);
    }

    /** The caller of the outbound API, or null when the credential is not accepted. */
    public Caller outboundClient(String bearer) {
        Caller token = match(outboundTokens, bearer);
        return token != null ? token : jwt(bearer);
    }

    private static Caller match(List<Token> tokens, String bearer) {
        if (bearer == null || bearer.isEmpty()) {
            return null;
        }
        byte[] given = sha256(bearer);
        Token found = null;
        for (Token token : tokens) {
            // no early exit: the time taken does not tell which token came close
            if (MessageDigest.isEqual(given, token.digest())) {
                found = token;
            }
        }
        return found == null ? null : new Caller(found.name(), "token", found.roles());
    }

    private Caller jwt(String bearer) {
        if (jwts == null || bearer == null || bearer.chars().filter(c -> c == '.').count() != 2) {
            return null;
        }
        try {
            Jwt jwt = jwts.decode(bearer);
            String name = jwt.getClaimAsString(claims.nameClaim());
            if (name == null || name.isBlank()) {
                LOG.warn("JWT refused: no '{}' claim naming its caller", claims.nameClaim());
                return null;
            }
            return new Caller(name, "jwt", roles(jwt.getClaims().get(claims.rolesClaim())));
        } catch (JwtException refused) {
            LOG.warn("JWT refused: {}", refused.getMessage());
            return null;
        }
    }

    /** A roles claim as a list of strings, or one string of roles separated by spaces or commas. */
    static Set<String> roles(Object claim) {
        Set<String> roles = new LinkedHashSet<>();
        if (claim instanceof Collection<?> list) {
            list.forEach(role -> roles.add(String.valueOf(role).strip()));
        } else if (claim instanceof String text) {
            roles.addAll(Arrays.asList(text.split("[\\s,]+")));
        }
        roles.remove("");
        return roles;
    }

    private static List<Token> tokens(Map<String, String> byName,
            java.util.function.Function<String, List<String>> roles) {
        return byName.entrySet().stream().filter(e -> e.getValue() != null && !e.getValue().isBlank())
                .map(e -> new Token(e.getKey(), sha256(e.getValue().strip()), Set.copyOf(roles.apply(e.getKey()))))
                .toList();
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
