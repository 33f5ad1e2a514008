package io.github.customerauth.partner;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.TokenCategory;
import org.keycloak.crypto.SignatureProvider;
import org.keycloak.crypto.SignatureSignerContext;
import org.keycloak.jose.jws.JWSBuilder;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.Urls;

/** RFC 9701: the introspection answer as a JWT signed with the realm's access-token key. */
final class IntrospectionJwt {

    static final String MEDIA_TYPE = "application/token-introspection+jwt";

    private IntrospectionJwt() {
    }

    static boolean isRequested(KeycloakSession session) {
        String accept = session.getContext().getRequestHeaders().getHeaderString(HttpHeaders.ACCEPT);
        return accept != null && accept.contains(MEDIA_TYPE);
    }

    static Response response(KeycloakSession session, ClientModel partner, Map<String, Object> answer) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", Urls.realmIssuer(session.getContext().getUri().getBaseUri(),
                session.getContext().getRealm().getName()));
        claims.put("aud", partner.getClientId());
        claims.put("iat", System.currentTimeMillis() / 1000);
        claims.put("token_introspection", answer);
        String algorithm = session.tokens().signatureAlgorithm(TokenCategory.ACCESS);
        SignatureSignerContext signer = session.getProvider(SignatureProvider.class, algorithm).signer();
        String jwt = new JWSBuilder().type("token-introspection+jwt").jsonContent(claims).sign(signer);
        return Response.ok(jwt, MEDIA_TYPE).header("Cache-Control", "no-store").build();
    }
}
