package io.github.customerauth;

import io.github.customerauth.identifier.CustomerIdentifierMapper;
import io.github.customerauth.identifier.IdentifierAdminResourceProviderFactory;
import io.github.customerauth.identifier.IdentifierIndexJpaProviderFactory;
import io.github.customerauth.identifier.IdentifierNode;
import io.github.customerauth.identifier.IdentifierNodeSpi;
import io.github.customerauth.identifier.UniqueAccountNumberValidator;
import io.github.customerauth.linking.store.LinkingJpaProviderFactory;
import io.github.customerauth.partner.PartnerResourceProviderFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProviderFactory;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.protocol.ProtocolMapper;
import org.keycloak.provider.ProviderFactory;
import org.keycloak.provider.Spi;
import org.keycloak.services.resource.RealmResourceProviderFactory;
import org.keycloak.services.resources.admin.ext.AdminRealmResourceProviderFactory;
import org.keycloak.services.ui.extend.UiPageProviderFactory;
import org.keycloak.validate.ValidatorFactory;

import static org.assertj.core.api.Assertions.assertThat;

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
                LinkingJpaProviderFactory.PROVIDER_ID);
    }

    @Test
    void linkingListenerWebhookPageAndKafkaSinkPage() {
        assertThat(ids(EventListenerProviderFactory.class)).containsExactly("customer-linking");
        assertThat(ids(UiPageProviderFactory.class)).containsExactly("customer-webhooks", "customer-kafka-sink");
    }

    @Test
    void adminEndpoints() {
        assertThat(ids(AdminRealmResourceProviderFactory.class))
                .containsExactly("customer-identifiers", "customer-links", "customer-setup")
                .startsWith(IdentifierAdminResourceProviderFactory.PROVIDER_ID);
    }

    @Test
    void uniqueAccountNumberValidator() {
        assertThat(ids(ValidatorFactory.class)).containsExactly(UniqueAccountNumberValidator.ID);
    }

    /** The identifier's node state: an internal SPI of this extension, and its one factory. */
    @Test
    void identifierNodeSpi() throws IOException {
        URL spis = Collections.list(ServiceRegistrationTest.class.getClassLoader()
                        .getResources("META-INF/services/" + Spi.class.getName())).stream()
                .filter(url -> url.getProtocol().equals("file")).findFirst().orElseThrow();
        try (InputStream in = spis.openStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip())
                    .isEqualTo(IdentifierNodeSpi.class.getName());
        }
        Spi spi = new IdentifierNodeSpi();
        assertThat(spi.isInternal()).isFalse();
        assertThat(spi.getProviderClass()).isEqualTo(IdentifierNode.class);
        assertThat(ids(spi.getProviderFactoryClass())).containsExactly("default");
    }

    /** Ids of the factories that this project's own services file (not Keycloak's on the classpath) registers. */
    @Test
    void partnerEndpoints() {
        assertThat(ids(RealmResourceProviderFactory.class)).containsExactly("partner")
                .containsExactly(PartnerResourceProviderFactory.PROVIDER_ID);
    }

    private static List<String> ids(Class<?> spi) {
        try {
            URL own = Collections.list(ServiceRegistrationTest.class.getClassLoader()
                            .getResources("META-INF/services/" + spi.getName())).stream()
                    .filter(url -> url.getProtocol().equals("file")).findFirst().orElseThrow();
            try (InputStream in = own.openStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                        .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#"))
                        .map(ServiceRegistrationTest::instantiate).map(factory -> {
                            assertThat(factory).isInstanceOf(spi);
                            return ((ProviderFactory<?>) factory).getId();
                        }).toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
