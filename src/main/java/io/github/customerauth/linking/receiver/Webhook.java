package io.github.customerauth.linking.receiver;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * One configured webhook receiver of a realm: where, how it is signed (one or, while a secret is rotated, two
 * secrets; this project's header or Standard Webhooks), and which messages it wants (none listed: all but
 * {@code REFRESH_TOKEN}, which comes only to receivers that list it).
 */
public record Webhook(String id, String url, String secretReference, String secondSecretReference, SignatureFormat format,
               Set<String> eventTypes, Set<String> channels, boolean enabled) {

    static Webhook of(ComponentModel model) {
        String enabled = model.get(WebhookPageProviderFactory.ENABLED);
        String second = model.get(WebhookPageProviderFactory.SECOND_SECRET);
        MessageChoice choice = MessageChoice.of(model);
        return new Webhook(model.getId(), model.get(WebhookPageProviderFactory.URL),
                model.get(WebhookPageProviderFactory.SECRET), second == null || second.isBlank() ? null : second,
                SignatureFormat.of(model.get(WebhookPageProviderFactory.FORMAT)),
                choice.eventTypes(), choice.channels(),
                enabled == null || Boolean.parseBoolean(enabled));
    }

    public static Stream<Webhook> enabledIn(RealmModel realm) {
        return ConsolePages.entries(realm, WebhookPageProviderFactory.PROVIDER_ID).map(Webhook::of)
                .filter(Webhook::enabled);
    }

    /** The ids of every realm's receivers, enabled or not (a disabled receiver's queued messages still go). */
    public static List<String> idsInAllRealms(KeycloakSession session) {
        return session.realms().getRealmsStream().flatMap(realm -> ConsolePages.entries(realm,
                WebhookPageProviderFactory.PROVIDER_ID)).map(ComponentModel::getId).toList();
    }

    /** One of the realm's receivers, as its console page lists them; null when the id names none. */
    public static ComponentModel componentById(RealmModel realm, String id) {
        return ConsolePages.entry(realm, WebhookPageProviderFactory.PROVIDER_ID, id);
    }

    public static Webhook byId(RealmModel realm, String id) {
        ComponentModel model = componentById(realm, id);
        return model == null ? null : of(model);
    }

    /** See {@link MessageChoice#wants}. */
    public boolean wants(String type, String channel, Set<String> customerChannels) {
        return choice().wants(type, channel, customerChannels);
    }

    MessageChoice choice() {
        return new MessageChoice(eventTypes, channels);
    }

    /** The secrets' vault references, the current one first; the current one may be missing (null). */
    List<String> secretReferences() {
        return secondSecretReference == null ? Collections.singletonList(secretReference)
                : Arrays.asList(secretReference, secondSecretReference);
    }
}
