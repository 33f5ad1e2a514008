package io.github.customerauth.partner;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Base64Url;
import org.keycloak.events.EventBuilder;
import org.keycloak.jose.jws.JWSHeader;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.AccessTokenIntrospectionProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.util.JsonSerialization;

/**
 * Keycloak's own access-token introspection checks (signature with the realm's keys, issuer, expiry and not-before,
 * revocation, client enabled, user session still valid, user enabled, token reuse), with the audience rule replaced
 * by the partner's: a token is visible to a partner when it was issued to one of the partner's channels, or names the
 * partner in {@code aud}. This is the one place that leans on Keycloak's internal introspection class, whose shape
 * changed in 26.6: 26.7's {@code introspectionChecks} also transforms the token and calls {@code verifyAudience};
 * 26.5's does neither. Both steps are therefore made explicit here, without touching fields only 26.7 has.
 */
final class PartnerTokenCheck extends AccessTokenIntrospectionProvider<AccessToken> {

    private static final Logger LOG = Logger.getLogger(PartnerTokenCheck.class);
    private static final Set<String> REFUSED_ALGORITHMS = Set.of("none", "HS256", "HS384", "HS512");

    private final PartnerPolicy policy;
    private AccessToken transformed;

    PartnerTokenCheck(KeycloakSession session, PartnerPolicy policy) {
        super(session);
        this.policy = policy;
    }

    /** The verified token as introspection mappers see it, or empty for anything not currently valid. */
    Optional<ActiveToken> check(String tokenString, EventBuilder event) {
        this.eventBuilder = event;
        try {
            if (!isSignedAccessTokenShape(tokenString) || !introspectionChecks(tokenString)) {
                return Optional.empty();
            }
            if (!"Bearer".equalsIgnoreCase(token.getType()) || !verifyAudience()) {
                return Optional.empty();
            }
            AccessToken visible = transformed != null ? transformed : transformAccessToken(token, userSession);
            return Optional.of(new ActiveToken(visible, user));
        } catch (RuntimeException e) {
            LOG.debugf("Partner %s: token refused (%s)", policy.partnerClientId(), e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /**
     * Refuses unsigned and HMAC-signed tokens before any key lookup: access tokens are signed asymmetrically. Reads
     * only the header; Keycloak's checks parse the whole token next.
     */
    private static boolean isSignedAccessTokenShape(String tokenString) {
        int headerEnd = tokenString.indexOf('.');
        if (headerEnd <= 0) {
            return false;
        }
        try {
            JWSHeader header = JsonSerialization.readValue(Base64Url.decode(tokenString.substring(0, headerEnd)),
                    JWSHeader.class);
            return header.getAlgorithm() != null && !REFUSED_ALGORITHMS.contains(header.getAlgorithm().name());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Keeps the token as introspection mappers shaped it (26.7 calls this from its checks). */
    @Override
    public AccessToken transformAccessToken(AccessToken accessToken, UserSessionModel session) {
        transformed = super.transformAccessToken(accessToken, session);
        return transformed;
    }

    /** The partner's audience rule; 26.7 calls it from its checks, {@link #check} calls it on every version. */
    @Override
    protected boolean verifyAudience() {
        if (policy.channels().contains(token.getIssuedFor())) {
            return true;
        }
        String[] audience = token.getAudience();
        return audience != null && Arrays.asList(audience).contains(policy.partnerClientId());
    }

    record ActiveToken(AccessToken token, UserModel user) {
    }
}
