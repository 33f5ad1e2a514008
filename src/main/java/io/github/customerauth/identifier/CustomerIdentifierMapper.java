package io.github.customerauth.identifier;

import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.OAuthErrorException;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.ProtocolMapperConfigException;
import org.keycloak.protocol.oidc.mappers.AbstractOIDCProtocolMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAccessTokenMapper;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.protocol.oidc.mappers.OIDCIDTokenMapper;
import org.keycloak.protocol.oidc.mappers.TokenIntrospectionTokenMapper;
import org.keycloak.protocol.oidc.mappers.UserInfoTokenMapper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.representations.IDToken;
import org.keycloak.services.ErrorResponseException;

/**
 * OIDC protocol mapper that puts the customer's opaque identifier, derived from an account-number user attribute
 * with a vault-held key, into the access token, ID token, userinfo and introspection (each switchable). During a
 * key rotation it also emits the identifier under the previous key, as {@code <claim>_previous}, until a set date.
 * Configured per mapper in the admin console; see {@link IdentifierMapperConfig} for the keys. A stateless
 * translator, as Keycloak's own mappers are: what the node keeps between requests is the {@link IdentifierNode}'s.
 */
public final class CustomerIdentifierMapper extends AbstractOIDCProtocolMapper
        implements OIDCAccessTokenMapper, OIDCIDTokenMapper, UserInfoTokenMapper, TokenIntrospectionTokenMapper {

    public static final String PROVIDER_ID = "oidc-customer-auth-identifier-mapper";
    private static final Logger LOG = Logger.getLogger(CustomerIdentifierMapper.class);

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getDisplayType() {
        return "Opaque customer identifier";
    }

    @Override
    public String getDisplayCategory() {
        return TOKEN_MAPPER_CATEGORY;
    }

    @Override
    public String getHelpText() {
        return "Adds an opaque, keyed identifier of the customer's account number (HMAC-SHA-256 with a key from the "
                + "vault): the same for every client, never the account number itself.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return IdentifierMapperConfigProperties.PROPERTIES;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel container,
                               ProtocolMapperModel model) throws ProtocolMapperConfigException {
        IdentifierMapperConfig config = new IdentifierMapperConfig(model.getConfig());
        try {
            config.validateStatic();
            IdentifierKeys.derivation(session, config.keyReference(), config.keyId());
            if (config.previousKeyReference() != null) {
                IdentifierKeys.derivation(session, config.previousKeyReference(), config.previousKeyId());
            }
            requireAgreement(realm, model, config);
        } catch (IllegalArgumentException e) {
            // The admin API uses the message as a MessageFormat pattern: quote what would be read as one.
            String pattern = e.getMessage().replace("'", "''").replace("{", "'{'").replace("}", "'}'");
            throw new ProtocolMapperConfigException("customer-auth-identifier-config", pattern, new Object[0]);
        }
    }

    /** One identifier per realm: a mapper that would give the same customer another value is refused. */
    private static void requireAgreement(RealmModel realm, ProtocolMapperModel model, IdentifierMapperConfig config) {
        for (RealmIdentifier.NamedConfig other : RealmIdentifier.allMappers(realm, model.getId())) {
            if (!other.config().agreesWith(config)) {
                throw new IllegalArgumentException("Identifier mapper '" + other.name() + "' of this realm uses another "
                        + "account number attribute, key, key version, previous key or claim name. Every identifier "
                        + "mapper of a realm must use the same: change that mapper, or remove it first.");
            }
        }
    }

    @Override
    protected void setClaim(IDToken token, ProtocolMapperModel model, UserSessionModel userSession,
                            KeycloakSession session, ClientSessionContext clientSessionCtx) {
        claimsFor(model, userSession, session).forEach((name, value) ->
                OIDCAttributeMapperHelper.mapClaim(token, withClaimName(model, name), value));
    }

    /** The claims of this mapper for this request: computed once, then reused for every token type. */
    private Map<String, String> claimsFor(ProtocolMapperModel model, UserSessionModel userSession,
                                          KeycloakSession session) {
        String memoKey = PROVIDER_ID + ':' + model.getId() + ':' + userSession.getUser().getId();
        @SuppressWarnings("unchecked")
        Map<String, String> memo = session.getAttribute(memoKey, Map.class);
        if (memo == null) {
            memo = computeClaims(model, userSession, session);
            session.setAttribute(memoKey, memo);
        }
        return memo;
    }

    private Map<String, String> computeClaims(ProtocolMapperModel model, UserSessionModel userSession,
                                              KeycloakSession session) {
        UserModel user = userSession.getUser();
        RealmModel realm = userSession.getRealm();
        IdentifierNode node = IdentifierNode.of(session);
        CheckedMapperConfigs.Checked checked = node.mapperConfigs().of(model);
        IdentifierMapperConfig config = checked.config();
        Optional<String> problem = checked.problem();
        if (problem.isPresent()) {
            warnOnce(node, realm, model, problem.get());
            return Map.of();
        }
        Object resolved = RealmIdentifier.withKey(session,
                node.definitions().definitionFor(realm, config, System.currentTimeMillis()));
        if (resolved instanceof RealmIdentifier.Definition unusable) {
            warnOnce(node, realm, model, unusable.problem());
            return Map.of();
        }
        RealmIdentifier realmIdentifier = (RealmIdentifier) resolved;
        if (!config.agreesWith(realmIdentifier.config())) {
            warnOnce(node, realm, model, "it disagrees with the realm's other identifier mappers");
            return Map.of();
        }
        RealmIdentifier.rememberForRequest(session, realm, realmIdentifier);
        String canonical = AccountNumbers.canonical(user.getFirstAttribute(config.userAttribute()));
        if (canonical.isEmpty()) {
            if (config.missingAttribute() == IdentifierMapperConfig.MissingAttribute.REFUSE) {
                throw new ErrorResponseException(OAuthErrorException.INVALID_GRANT,
                        "This client requires a customer account number, and this user has none.",
                        Response.Status.BAD_REQUEST);
            }
            return Map.of();
        }
        Map<String, String> claims = new LinkedHashMap<>();
        try {
            IdentifierDerivation current = realmIdentifier.derivation();
            String identifier = current.derive(canonical);
            if (!node.ownership().claim(session, realm, user, identifier, current, config.userAttribute())) {
                return Map.of();
            }
            claims.put(config.claimName(), identifier);
            if (config.emitsPreviousAt(System.currentTimeMillis())) {
                IdentifierDerivation previous = IdentifierKeys.derivation(session, config.previousKeyReference(),
                        config.previousKeyId());
                String previousIdentifier = previous.derive(canonical);
                if (node.ownership().claim(session, realm, user, previousIdentifier, previous, config.userAttribute())) {
                    claims.put(realmIdentifier.previousClaimName(), previousIdentifier);
                }
            }
        } catch (IdentifierKey.InvalidKeyException e) {
            warnOnce(node, realm, model, e.getMessage());
            return Map.of();
        }
        return claims;
    }

    /** One WARN per mapper and problem on this node, not one per token. */
    private static void warnOnce(IdentifierNode node, RealmModel realm, ProtocolMapperModel model, String problem) {
        if (node.warnings().first(realm.getId() + '/' + model.getId() + '/' + problem)) {
            LOG.warnf("Customer identifier not issued in realm %s by mapper '%s': %s. Fix the mapper in the admin "
                    + "console; tokens go out without the claim meanwhile.", realm.getName(), model.getName(), problem);
        }
    }

    private static ProtocolMapperModel withClaimName(ProtocolMapperModel model, String claimName) {
        ProtocolMapperModel copy = new ProtocolMapperModel();
        copy.setId(model.getId());
        copy.setName(model.getName());
        copy.setProtocol(model.getProtocol());
        copy.setProtocolMapper(model.getProtocolMapper());
        Map<String, String> config = new LinkedHashMap<>(model.getConfig());
        config.put(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME, claimName);
        copy.setConfig(config);
        return copy;
    }
}
