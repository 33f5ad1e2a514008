package io.github.customerauth.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URL;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.Map;
import java.util.Set;

/**
 * The company's own API ({@code customer-api}), as a resource server written with a standard JOSE library would
 * check a bearer token: signature against the realm's JWKS, issuer, audience, expiry, a customer ({@code
 * customer_id}: a service account's token is no customer's); and, when it wants to know
 * that the session is still alive, Keycloak's own introspection with its client credentials.
 */
public final class CompanyApi {

    public static final String CLIENT_ID = "customer-api";
    private static final String SECRET = "customer-api-secret-test-only";

    private final String issuer;
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    public CompanyApi(KeycloakServer server, String realm) {
        this.issuer = server.baseUrl() + "/realms/" + realm;
        try {
            JWKSet jwks = JWKSet.load(new URL(issuer + "/protocol/openid-connect/certs"));
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("cannot read the realm's JWKS", e);
        }
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(CLIENT_ID,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iat", "sub", "customer_id")));
    }

    /** The verified claims of a token the API accepts; throws when it would answer 401. */
    public Map<String, Object> accept(String bearerToken) {
        try {
            return processor.process(bearerToken, null).toJSONObject();
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new IllegalArgumentException("customer-api refuses the token: " + e.getMessage(), e);
        }
    }

    /** Keycloak's introspection answer for the token, asked with the API's own client credentials. */
    public Map<String, Object> introspect(String token) {
        HttpResponse<String> response = Http.postForm(issuer + "/protocol/openid-connect/token/introspect",
                Map.of("token", token, "client_id", CLIENT_ID, "client_secret", SECRET));
        if (response.statusCode() != 200) {
            throw new IllegalStateException("introspection answered " + response.statusCode() + ": " + response.body());
        }
        return Http.json(response.body());
    }
}
