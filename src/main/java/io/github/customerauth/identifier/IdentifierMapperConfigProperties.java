package io.github.customerauth.identifier;

import java.util.List;
import org.keycloak.protocol.oidc.mappers.OIDCAttributeMapperHelper;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** What the admin console shows for the identifier mapper. */
final class IdentifierMapperConfigProperties {

    static final List<ProviderConfigProperty> PROPERTIES = build();

    private IdentifierMapperConfigProperties() {
    }

    private static List<ProviderConfigProperty> build() {
        List<ProviderConfigProperty> properties = ProviderConfigurationBuilder.create()
                .property().name(IdentifierMapperConfig.USER_ATTRIBUTE)
                .label("Account number attribute")
                .helpText("User attribute that holds the customer's account number. It is canonicalised (spaces, '-' "
                        + "and '.' removed, upper case) and never put in a token.")
                .type(ProviderConfigProperty.USER_PROFILE_ATTRIBUTE_LIST_TYPE)
                .defaultValue(IdentifierMapperConfig.DEFAULT_USER_ATTRIBUTE).add()
                .property().name(OIDCAttributeMapperHelper.TOKEN_CLAIM_NAME)
                .label("Token claim name")
                .helpText("Claim that carries the identifier. During a key rotation the previous identifier is "
                        + "emitted as <claim>_previous.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(IdentifierMapperConfig.DEFAULT_CLAIM).add()
                .property().name(IdentifierMapperConfig.ALGORITHM)
                .label("Algorithm")
                .helpText("Keyed derivation. HMAC-SHA256: first 160 bits of HMAC-SHA-256, base64url;"
                        + " see docs/reference.md.")
                .type(ProviderConfigProperty.LIST_TYPE).options(IdentifierDerivation.ALGORITHM)
                .defaultValue(IdentifierDerivation.ALGORITHM).add()
                .property().name(IdentifierMapperConfig.KEY)
                .label("Key (vault reference)")
                .helpText("Vault reference to the active key, e.g. ${vault.customer-id-key}: at least 64 hex "
                        + "characters (256 bits). Plain key material is refused.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(IdentifierMapperConfig.DEFAULT_KEY).add()
                .property().name(IdentifierMapperConfig.KEY_ID)
                .label("Key version")
                .helpText("Label of the active key, written into each identifier (v1.<version>.<value>): 1 to 32 "
                        + "letters, digits or '-'. Change it whenever the key changes.")
                .type(ProviderConfigProperty.STRING_TYPE)
                .defaultValue(IdentifierMapperConfig.DEFAULT_KEY_ID).add()
                .property().name(IdentifierMapperConfig.PREVIOUS_KEY)
                .label("Previous key (vault reference)")
                .helpText("Optional, during a key rotation: vault reference to the key that was active before.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(IdentifierMapperConfig.PREVIOUS_KEY_ID)
                .label("Previous key version")
                .helpText("Version label of the previous key.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(IdentifierMapperConfig.PREVIOUS_UNTIL)
                .label("Emit previous identifier until")
                .helpText("Last day (YYYY-MM-DD, UTC) on which tokens also carry <claim>_previous.")
                .type(ProviderConfigProperty.STRING_TYPE).add()
                .property().name(IdentifierMapperConfig.MISSING_ATTRIBUTE)
                .label("Customer without account number")
                .helpText("omit: issue the token without the claim. refuse: fail the token request with "
                        + "invalid_grant.")
                .type(ProviderConfigProperty.LIST_TYPE).options("omit", "refuse")
                .defaultValue("omit").add()
                .build();
        OIDCAttributeMapperHelper.addIncludeInTokensConfig(properties, CustomerIdentifierMapper.class);
        return List.copyOf(properties);
    }
}
