package io.github.customerauth.linking;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;
import org.keycloak.services.ui.extend.UiPageProvider;

/**
 * One configured webhook receiver of a realm: where, how it is signed (one or, while a secret is rotated, two
 * secrets; this project's header or Standard Webhooks), and which messages it wants (none listed: all but
 * {@code REFRESH_TOKEN}, which comes only to receivers that list it).
 */
record Webhook(String id, String url, String secretReference, String secondSecretReference, SignatureFormat format,
               Set<String> eventTypes, Set<String> channels, boolean enabled) {

    /** The message types a receiver can choose from; {@code TEST} comes only from the admin's test action. */
    static final List<String> EVENT_TYPES = List.of("LOGIN", "CODE_TO_TOKEN", "REFRESH_TOKEN", "TOKEN_EXCHANGE",
            LinkRecorder.LOGOUT, LinkRecorder.SESSION_ENDED, LinkRecorder.CUSTOMER_DELETED,
            LinkRecorder.IDENTIFIER_CHANGED);

    /**
     * One message per token refresh: a busy node's largest share of messages, and news only of a session the
     * platform already knows. Links count every refresh whether or not a receiver wants them.
     */
    static final String ONLY_WHEN_LISTED = "REFRESH_TOKEN";

    static Webhook of(ComponentModel model) {
        String enabled = model.get(WebhookPageProviderFactory.ENABLED);
        String second = model.get(WebhookPageProviderFactory.SECOND_SECRET);
        return new Webhook(model.getId(), model.get(WebhookPageProviderFactory.URL),
                model.get(WebhookPageProviderFactory.SECRET), second == null || second.isBlank() ? null : second,
                SignatureFormat.of(model.get(WebhookPageProviderFactory.FORMAT)),
                listed(model, WebhookPageProviderFactory.EVENT_TYPES), listed(model, WebhookPageProviderFactory.CHANNELS),
                enabled == null || Boolean.parseBoolean(enabled));
    }

    static Stream<Webhook> enabledIn(RealmModel realm) {
        return realm.getComponentsStream(realm.getId(), UiPageProvider.class.getName())
                .filter(model -> WebhookPageProviderFactory.PROVIDER_ID.equals(model.getProviderId()))
                .map(Webhook::of)
                .filter(Webhook::enabled);
    }

    static Webhook byId(RealmModel realm, String id) {
        ComponentModel model = realm.getComponent(id);
        return model == null || !WebhookPageProviderFactory.PROVIDER_ID.equals(model.getProviderId()) ? null : of(model);
    }

    /**
     * Whether the receiver wants a message of this type about this channel (no types chosen: every type but
     * {@link #ONLY_WHEN_LISTED}). A message without a channel (a deletion,
     * an identifier change, a logout without client) goes to a receiver with channels only if the customer was seen
     * on one of them: a partner's receiver hears of its own customers, not of every customer of the realm.
     */
    boolean wants(String type, String channel, Set<String> customerChannels) {
        if (eventTypes.isEmpty() ? ONLY_WHEN_LISTED.equals(type) : !eventTypes.contains(type)) {
            return false;
        }
        if (channels.isEmpty()) {
            return true;
        }
        return channel != null ? channels.contains(channel) : customerChannels.stream().anyMatch(channels::contains);
    }

    /** The secrets' vault references, the current one first. */
    List<String> secretReferences() {
        return secondSecretReference == null ? List.of(secretReference) : List.of(secretReference, secondSecretReference);
    }

    private static Set<String> listed(ComponentModel model, String name) {
        List<String> values = model.getConfig() == null ? null : model.getConfig().get(name);
        return values == null ? Set.of() : values.stream().flatMap(value -> Stream.of(value.split("[,\\s]+")))
                .filter(value -> !value.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
}
