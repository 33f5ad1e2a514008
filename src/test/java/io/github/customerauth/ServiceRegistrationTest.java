package io.github.customerauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.customerauth.identifier.CustomerIdentifierMapper;
import io.github.customerauth.identifier.IdentifierAdminResourceProviderFactory;
import io.github.customerauth.identifier.IdentifierIndexJpaProviderFactory;
import io.github.customerauth.identifier.UniqueAccountNumberValidator;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.validate.ValidatorFactory;

/** Every META-INF/services file names loadable factories with the ids the README documents. */
class ServiceRegistrationTest {

    @Test
    void protocolMapper() {
        assertThat(ids(ProtocolMapper.class)).containsExactly(CustomerIdentifierMapper.PROVIDER_ID)
                .containsExactly("oidc-customer-auth-identifier-mapper");
    }

    @Test
    void entityProviders() {
        assertThat(ids(JpaEntityProviderFactory.class)).containsExactly(IdentifierIndexJpaProviderFactory.PROVIDER_ID,
                io.github.customerauth.linking.LinkingJpaProviderFactory.PROVIDER_ID);
    }

    @Test
    void linkingListenerAndWebhookPage() {
        assertThat(ids(org.keycloak.events.EventListenerProviderFactory.class)).containsExactly("customer-linking");
        assertThat(ids(org.keycloak.services.ui.extend.UiPageProviderFactory.class)).containsExactly("customer-webhooks");
    }

    @Test
    void identifierAdminEndpoints() {
        assertThat(ids(AdminRealmResourceProviderFactory.class)).containsExactly("customer-identifiers", "customer-links")
                .startsWith(IdentifierAdminResourceProviderFactory.PROVIDER_ID);
    }

    @Test
    void uniqueAccountNumberValidator() {
        assertThat(ids(ValidatorFactory.class)).containsExactly(UniqueAccountNumberValidator.ID);
    }

    /** Ids of the factories that this project's own services file (not Keycloak's on the classpath) registers. */
    @Test
    void partnerEndpoints() {
        assertThat(ids(org.keycloak.services.resource.RealmResourceProviderFactory.class)).containsExactly("partner")
                .containsExactly(io.github.customerauth.partner.PartnerResourceProviderFactory.PROVIDER_ID);
    }

    private static java.util.List<String> ids(Class<?> spi) {
        try {
            java.net.URL own = java.util.Collections.list(ServiceRegistrationTest.class.getClassLoader()
                            .getResources("META-INF/services/" + spi.getName())).stream()
                    .filter(url -> url.getProtocol().equals("file")).findFirst().orElseThrow();
            try (java.io.InputStream in = own.openStream()) {
                return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .map(ServiceRegistrationTest::instantiate).map(factory -> {
                            assertThat(factory).isInstanceOf(spi);
                            return ((ProviderFactory<?>) factory).getId();
                        }).toList();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Object instantiate(String className) {
        try {
            return Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot instantiate " + className, e);
        }
    }
}
