package io.github.wacrm.bridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The organisation's identity provider, as the tests play it: JWTs signed with the key whose public half the shared
 * context trusts ({@code src/test/resources/security/}), or with another key the bridge must not trust.
 */
public final class TestIdentityProvider {

    private TestIdentityProvider() {
    }

    /** A JWT for {@code subject} (null: no subject) with {@code roles}, valid until {@code expires}. */
    public static String jwt(String subject, Object roles, Instant expires) {
        return sign("security/test-idp-private.pem", subject, roles, expires);
    }

    /** The same, signed by a key the bridge does not trust. */
    public static String jwtFromAnotherIssuer(String subject, Object roles) {
        return sign("security/other-idp-private.pem", subject, roles, Instant.now().plusSeconds(600));
    }

    private static String sign(String keyResource, String subject, Object roles, Instant expires) {
        try {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issueTime(new Date())
                    .expirationTime(Date.from(expires)).claim("roles", roles);
            if (subject != null) {
                claims.subject(subject);
            }
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims.build());
            jwt.sign(new RSASSASigner(privateKey(keyResource)));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException("could not sign a test JWT", e);
        }
    }

    private static RSAPrivateKey privateKey(String resource) throws Exception {
        try (InputStream in = TestIdentityProvider.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no " + resource);
            }
            String pem = new String(in.readAllBytes(), StandardCharsets.US_ASCII)
                    .replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            return (RSAPrivateKey) KeyFactory.getInstance("RSA")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        }
    }
}
