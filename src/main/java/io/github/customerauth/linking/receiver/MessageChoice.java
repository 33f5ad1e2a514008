package io.github.customerauth.linking.receiver;

import io.github.customerauth.linking.message.MessageType;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Which messages a destination (a webhook receiver or a Kafka sink) takes: the types it chose (none: every type but
 * {@link MessageType#ONLY_WHEN_LISTED}) and the channels it chose (none: all).
 */
public record MessageChoice(Set<String> eventTypes, Set<String> channels) {

    static final String EVENT_TYPES = "eventTypes";
    static final String CHANNELS = "channels";

    static MessageChoice of(ComponentModel model) {
        return new MessageChoice(listed(model, EVENT_TYPES), listed(model, CHANNELS));
    }

    /**
     * Whether a message of this type about this channel is taken. A message without a channel (a deletion, an
     * identifier change, a logout without client) goes to a destination with channels only if the customer was seen
     * on one of them: a partner's receiver hears of its own customers, not of every customer of the realm.
     */
    public boolean wants(String type, String channel, Set<String> customerChannels) {
        if (eventTypes.isEmpty() ? MessageType.ONLY_WHEN_LISTED.equals(type) : !eventTypes.contains(type)) {
            return false;
        }
        if (channels.isEmpty()) {
            return true;
        }
        return channel != null ? channels.contains(channel) : customerChannels.stream().anyMatch(channels::contains);
    }

    /** The admin console's check of the choice: known types, channels that are clients of the realm. */
    void validate(RealmModel realm) throws ComponentValidationException {
        for (String type : eventTypes) {
            if (!MessageType.CHOOSABLE.contains(type)) {
                throw new ComponentValidationException("Unknown message type {0}; known: {1}.", type,
                        String.join(", ", MessageType.CHOOSABLE));
            }
        }
        for (String channel : channels) {
            if (realm.getClientByClientId(channel) == null) {
                throw new ComponentValidationException("Channel {0} is not a client of this realm.", channel);
            }
        }
    }

    /**
     * The console's fields for the choice, after those already in {@code builder}.
     *
     * @param destination what takes the messages ("receiver", "sink"), for the help texts
     * @param refreshNote said after the message types' help text
     */
    static ProviderConfigurationBuilder addConfigProperties(ProviderConfigurationBuilder builder, String destination,
                                                            String refreshNote) {
        return builder
                .property().name(EVENT_TYPES).label("Message types").type(ProviderConfigProperty.MULTIVALUED_LIST_TYPE)
                .options(MessageType.CHOOSABLE)
                .helpText(("The messages this " + destination + " gets; none chosen: all but REFRESH_TOKEN (one message"
                        + " per token refresh), which comes only when chosen. " + refreshNote).strip()).add()
                .property().name(CHANNELS).label("Channels").type(ProviderConfigProperty.MULTIVALUED_STRING_TYPE)
                .helpText("Client ids whose messages this " + destination + " gets; none: all. Messages about a customer"
                        + " rather than a channel (deletion, identifier change) come only if the customer was seen on"
                        + " one of them.").add();
    }

    private static Set<String> listed(ComponentModel model, String name) {
        List<String> values = model.getConfig() == null ? null : model.getConfig().get(name);
        return values == null ? Set.of() : values.stream().flatMap(value -> Stream.of(value.split("[,\\s]+")))
                .filter(value -> !value.isBlank()).collect(Collectors.toUnmodifiableSet());
    }
}
