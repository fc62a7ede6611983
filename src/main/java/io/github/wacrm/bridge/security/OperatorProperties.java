package io.github.wacrm.bridge.security;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code whatsapp.operators.*} settings: who may use the operator endpoints of the management port.
 *
 * @param tokens              bearer tokens by name (the name is recorded as who acted); several at once for rotation,
 *                            an empty one is ignored
 * @param roles               the roles of each token name; a name without an entry has every operator role
 * @param jwt                 how a JWT from the organisation's identity provider names its caller and roles (the key
 *                            or issuer is {@code spring.security.oauth2.resourceserver.jwt.*}; without one, no JWT is
 *                            accepted)
 */
@ConfigurationProperties("whatsapp.operators")
public record OperatorProperties(
        @DefaultValue Map<String, String> tokens,
        @DefaultValue Map<String, List<String>> roles,
        @DefaultValue Jwt jwt) {

    /**
     * Every role an operator token has unless its name is given others; {@code erasure} is not among them: a token
     * may erase people only when {@code roles.<name>} says so.
     */
    public static final List<String> OPERATOR_ROLES = List.of(Caller.OPERATOR, Caller.DEAD_LETTER_REPLAY,
            Caller.PORTAL_SETUP);

    /**
     * @param nameClaim  the claim naming the caller
     * @param rolesClaim the claim listing the caller's roles (a list, or one space- or comma-separated string)
     */
    public record Jwt(@DefaultValue("sub") String nameClaim, @DefaultValue("roles") String rolesClaim) {
    }

    public List<String> rolesOf(String name) {
        return roles.getOrDefault(name, OPERATOR_ROLES);
    }
}
