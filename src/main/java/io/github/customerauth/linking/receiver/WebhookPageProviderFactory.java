package io.github.customerauth.linking.receiver;

import java.util.ArrayList;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.services.ui.extend.UiPageProvider;
import org.keycloak.services.ui.extend.UiPageProviderFactory;

/**
 * The realm's webhook receivers, as an admin-console page ("Customer webhooks"): each entry is a realm component
 * with a URL, a description, vault references to its signing secret (and a second one while rotating), the signature
 * format, the message types and channels it wants, and an on/off switch. Also managed through the admin REST API's
 * {@code /components} (providerType {@code org.keycloak.services.ui.extend.UiPageProvider}), and exported with the
 * realm like any component.
 */
public final class WebhookPageProviderFactory implements UiPageProviderFactory<ComponentModel> {

    public static final String PROVIDER_ID = "customer-webhooks";
    static final String URL = "url";
    static final String SECRET = "secret";
    static final String ENABLED = "enabled";
    static final String DESCRIPTION = "description";
    static final String SECOND_SECRET = "secondSecret";
    static final String FORMAT = "signatureFormat";
    static final String EVENT_TYPES = MessageChoice.EVENT_TYPES;
    static final String CHANNELS = MessageChoice.CHANNELS;
    /** Every message type a receiver can choose (for the admin REST API's clients, tests among them). */
    static final String SEND_TEST = "sendTestWhenSaved";
    static final String LAST_TEST = "lastTest";
    private static final int MAX_ANSWER_SHOWN = 200;

    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model)
            throws ComponentValidationException {
        Webhook webhook = Webhook.of(model);
        ReceiverCheck.Problem problem = ReceiverCheck.problem(session, webhook, new ArrayList<>());
        if (problem != null) {
            throw new ComponentValidationException(problem.pattern(), problem.parameters());
        }
        webhook.choice().validate(realm);
        sendTestWhenAsked(session, realm, model, webhook);
    }

    /**
     * The console's test button: the admin page of a component has no actions of its own, so a switch asks for a
     * test message when the settings are saved; the answer is saved beside them (shown read-only) and the switch
     * goes back off. A receiver that refuses the test does not stop the save.
     */
    private static void sendTestWhenAsked(KeycloakSession session, RealmModel realm, ComponentModel model,
                                          Webhook webhook) {
        if (!Boolean.parseBoolean(model.get(SEND_TEST))) {
            return;
        }
        model.put(SEND_TEST, "false");
        model.put(LAST_TEST, TestMessage.send(session, realm, webhook, MAX_ANSWER_SHOWN).summary());
    }

    @Override
    public String getHelpText() {
        return "Receivers of signed customer-linking webhooks (login, token, refresh, exchange, logout, session end).";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        List<ProviderConfigProperty> properties = MessageChoice.addConfigProperties(ProviderConfigurationBuilder.create()
                .property().name(URL).label("URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Where to POST the events, e.g. https://platform.example.com/keycloak-events").add()
                .property().name(SECRET).label("Signing secret (vault reference)").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Vault reference to the HMAC-SHA-256 signing secret, e.g. ${vault.webhook-secret}.")
                .defaultValue("${vault.webhook-secret}").add()
                .property().name(DESCRIPTION).label("Description").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("What this receiver is, for the admins who come after you.").add()
                .property().name(FORMAT).label("Signature format").type(ProviderConfigProperty.LIST_TYPE)
                .options(SignatureFormat.configuredValues()).defaultValue(SignatureFormat.CUSTOMER_AUTH.value())
                .helpText("customer-auth: the Customer-Auth-Signature header (see docs/platform-guide.md)."
                        + " standard-webhooks: webhook-id, webhook-timestamp and webhook-signature headers"
                        + " (standardwebhooks.com); its secrets are whsec_ followed by 24 to 64 bytes in base64.").add()
                .property().name(SECOND_SECRET).label("Second signing secret (vault reference)")
                .type(ProviderConfigProperty.STRING_TYPE)
                .helpText("While rotating: each message is also signed with this secret, so receivers that know only"
                        + " one of the two accept it. Empty otherwise.").add(), "receiver", "Links count every refresh either way.")
                .property().name(ENABLED).label("Enabled").type(ProviderConfigProperty.BOOLEAN_TYPE)
                .helpText("Off: no new messages are queued for this receiver.").defaultValue("true").add()
                .property().name(SEND_TEST).label("Send a test message when saved")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("On: saving signs and sends a TEST message to the URL at once (enabled or not) and shows the"
                        + " answer under Last test message; then the switch goes back off.").add()
                .property().name(LAST_TEST).label("Last test message").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("When the last test message went, and what the receiver answered.").add()
                .build();
        // The builder has no read-only flag; the console shows this field without letting admins edit it.
        properties.stream().filter(property -> LAST_TEST.equals(property.getName()))
                .forEach(property -> property.setReadOnly(true));
        return properties;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }

    @Override
    public String getId() {
        return PROVIDER_ID;
    }
}
