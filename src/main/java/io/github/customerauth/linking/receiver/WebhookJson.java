package io.github.customerauth.linking.receiver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.component.ComponentModel;
import org.keycloak.models.RealmModel;

/**
 * A webhook receiver as plain JSON, for {@code /admin/realms/{realm}/customer-links/webhooks}: the component's
 * settings under the same names, single values as strings and booleans, lists as arrays, e.g.
 * {@code {"url": "https://...", "secret": "${vault.webhook-secret}", "eventTypes": ["LOGIN"]}}. What is not given
 * takes the console's default; {@code id} and {@code lastTest}, which a GET shows, are ignored.
 */
public final class WebhookJson {

    private static final List<String> FIELDS = List.of("name", WebhookPageProviderFactory.URL,
            WebhookPageProviderFactory.DESCRIPTION, WebhookPageProviderFactory.SECRET,
            WebhookPageProviderFactory.SECOND_SECRET, WebhookPageProviderFactory.FORMAT,
            WebhookPageProviderFactory.EVENT_TYPES, WebhookPageProviderFactory.CHANNELS,
            WebhookPageProviderFactory.ENABLED);
    private static final Set<String> TEXT = Set.of("name", WebhookPageProviderFactory.URL,
            WebhookPageProviderFactory.SECRET, WebhookPageProviderFactory.SECOND_SECRET,
            WebhookPageProviderFactory.DESCRIPTION, WebhookPageProviderFactory.FORMAT);
    private static final Set<String> LISTS = Set.of(WebhookPageProviderFactory.EVENT_TYPES,
            WebhookPageProviderFactory.CHANNELS);
    /** What a GET shows and a PUT of it may send back: not settings, so ignored. */
    private static final Set<String> READ_ONLY = Set.of("id", WebhookPageProviderFactory.LAST_TEST);
    private static final String DEFAULT_NAME = "webhook receiver";
    /** Keycloak keeps a component's name in a column of 255 characters. */
    private static final int MAX_NAME = 255;
    private static final int MAX_TEXT = 2_048;
    private static final int MAX_LIST = 100;

    private WebhookJson() {
    }

    /** Why this body cannot describe a receiver, or null: an unknown field, or a value of the wrong kind. */
    public static String problem(Map<String, Object> body) {
        if (body == null) {
            return "The body must be a JSON object.";
        }
        for (Map.Entry<String, Object> field : body.entrySet()) {
            String name = field.getKey();
            Object value = field.getValue();
            if (TEXT.contains(name) || READ_ONLY.contains(name)) {
                int max = "name".equals(name) ? MAX_NAME : MAX_TEXT;
                if (value != null && !(value instanceof String text && fits(text, max))) {
                    return name + " must be a string of at most " + max + " characters, without control characters.";
                }
            } else if (LISTS.contains(name)) {
                if (value != null && !(value instanceof List<?> list && list.size() <= MAX_LIST
                        && list.stream().allMatch(item -> item instanceof String text && fits(text, MAX_TEXT)))) {
                    return name + " must be an array of at most " + MAX_LIST + " strings.";
                }
            } else if (WebhookPageProviderFactory.ENABLED.equals(name)) {
                if (value != null && !(value instanceof Boolean)) {
                    return name + " must be true or false.";
                }
            } else {
                return "Unknown field " + name + "; known: " + String.join(", ", FIELDS) + ".";
            }
        }
        return null;
    }

    /** Not longer than {@code max}, and free of what a database or a log line should not hold. */
    private static boolean fits(String text, int max) {
        return text.length() <= max && text.chars().noneMatch(Character::isISOControl);
    }

    /** A new receiver of the realm from a body without {@link #problem}; {@code id} null for a new one. */
    public static ComponentModel toModel(RealmModel realm, String id, Map<String, Object> body) {
        ComponentModel model = new ComponentModel();
        model.setId(id);
        model.setParentId(realm.getId());
        model.setProviderId(WebhookPageProviderFactory.PROVIDER_ID);
        model.setProviderType(ConsolePages.PROVIDER_TYPE);
        Object name = body.get("name");
        model.setName(name == null || ((String) name).isBlank() ? DEFAULT_NAME : (String) name);
        MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
        config.putSingle(WebhookPageProviderFactory.SECRET, "${vault.webhook-secret}");
        config.putSingle(WebhookPageProviderFactory.FORMAT, SignatureFormat.CUSTOMER_AUTH.value());
        config.putSingle(WebhookPageProviderFactory.ENABLED, "true");
        for (Map.Entry<String, Object> field : body.entrySet()) {
            Object value = field.getValue();
            if ("name".equals(field.getKey()) || READ_ONLY.contains(field.getKey()) || value == null) {
                continue;
            }
            if (value instanceof List<?> list) {
                List<String> values = new ArrayList<>();
                list.stream().distinct().forEach(item -> values.add((String) item));
                config.put(field.getKey(), values);
            } else {
                config.putSingle(field.getKey(), value.toString());
            }
        }
        model.setConfig(config);
        return model;
    }

    /** The receiver as the API shows it; secrets are vault references, so they are shown as they are. */
    public static Map<String, Object> of(ComponentModel model) {
        Webhook webhook = Webhook.of(model);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", model.getId());
        json.put("name", model.getName());
        json.put(WebhookPageProviderFactory.URL, webhook.url());
        json.put(WebhookPageProviderFactory.DESCRIPTION, model.get(WebhookPageProviderFactory.DESCRIPTION));
        json.put(WebhookPageProviderFactory.SECRET, webhook.secretReference());
        json.put(WebhookPageProviderFactory.SECOND_SECRET, webhook.secondSecretReference());
        json.put(WebhookPageProviderFactory.FORMAT, webhook.format() == null
                ? model.get(WebhookPageProviderFactory.FORMAT) : webhook.format().value());
        json.put(WebhookPageProviderFactory.EVENT_TYPES, webhook.eventTypes().stream().sorted().toList());
        json.put(WebhookPageProviderFactory.CHANNELS, webhook.channels().stream().sorted().toList());
        json.put(WebhookPageProviderFactory.ENABLED, webhook.enabled());
        json.put(WebhookPageProviderFactory.LAST_TEST, model.get(WebhookPageProviderFactory.LAST_TEST));
        return json;
    }

    /** The realm's webhook receivers, enabled or not. */
    public static Stream<ComponentModel> receiversOf(RealmModel realm) {
        return ConsolePages.entries(realm, WebhookPageProviderFactory.PROVIDER_ID);
    }

    /** A replaced receiver keeps the answer of its last test message, which is not a setting. */
    public static void keepLastTest(ComponentModel before, ComponentModel after) {
        String lastTest = before.get(WebhookPageProviderFactory.LAST_TEST);
        if (lastTest != null) {
            after.put(WebhookPageProviderFactory.LAST_TEST, lastTest);
        }
    }
}
