package io.github.customerauth.linking.record;

import io.github.customerauth.identifier.CustomerIdentifiers;
import io.github.customerauth.support.WarnOnce;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jboss.logging.Logger;
import org.keycloak.events.Event;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The platform's handle of an anonymous conversation, which the chat app passes through the login as the
 * {@code conversation_handle} authorization request parameter, so that the {@code CODE_TO_TOKEN} webhook of that
 * login tells the platform which conversation turned into this customer's.
 * <p>
 * A handle binds only the login that carried it. Anybody can send a customer a login link with a handle of their
 * own, and a customer with a single sign-on session is logged in without a click; Keycloak copies the parameter to
 * the client session, where it would stay for the next login of the same client. So at the login the handle is
 * moved to a note named after the login's PKCE challenge (S256), and at the code's redemption it is taken only by
 * the request whose {@code code_verifier} hashes to that challenge: the app that started that very login. A login
 * without PKCE S256 binds no handle.
 */
final class ConversationHandle {

    private static final Logger LOG = Logger.getLogger(ConversationHandle.class);

    static final String PARAMETER = "conversation_handle";
    /** Realm attribute: the pattern the realm's platform handles follow, instead of {@link #DEFAULT_PATTERN}. */
    static final String PATTERN_ATTRIBUTE = "customerLinking.conversationHandlePattern";
    /**
     * A UUID, after at most three lower-case words with a dash each ({@code anon-conv-<uuid>}): neither an account
     * number (an IBAN, say), nor a name, nor an email address passes.
     */
    static final String DEFAULT_PATTERN = "(?:[a-z]{1,16}-){0,3}[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}";
    private static final int MAX_LENGTH = 128;
    private static final int MAX_BOUND_PER_CLIENT_SESSION = 4;
    /** Keycloak's note name for an additional authorization request parameter. */
    private static final String KEYCLOAK_NOTE = "client_request_param_" + PARAMETER;
    /** This extension's note: the handle, under the PKCE challenge of the login that carried it. */
    private static final String BOUND_NOTE = "customer-linking.handle.";
    private static final String CODE_CHALLENGE = "code_challenge";
    private static final String CODE_CHALLENGE_METHOD = "code_challenge_method";

    private static final ConcurrentMap<String, Pattern> PATTERNS = new ConcurrentHashMap<>();
    private static final WarnOnce WARNINGS = new WarnOnce();

    private ConversationHandle() {
    }

    /**
     * At a login that carried a handle: Keycloak's copy of the parameter leaves the client session, and a valid handle
     * is kept under the login's PKCE challenge. It must not contain the user's account number in any spelling. A login
     * without a handle costs no look-up: Keycloak copied nothing, and a copy left by an earlier release goes at the
     * next redemption.
     */
    static void bindAtLogin(KeycloakSession session, RealmModel realm, Event event, UserModel user) {
        // The login's own notes, read (never written) from its authentication session, which Keycloak puts in the
        // context on every browser login: the client session keeps notes of earlier logins (a challenge among them).
        AuthenticationSessionModel login = session.getContext().getAuthenticationSession();
        String value = login == null ? null : login.getClientNote(KEYCLOAK_NOTE);
        if (value == null) {
            return;
        }
        AuthenticatedClientSessionModel clientSession = clientSession(session, realm, event);
        if (clientSession == null) {
            return;
        }
        takeNote(clientSession, KEYCLOAK_NOTE);
        String challenge = login.getClientNote(CODE_CHALLENGE);
        String method = login.getClientNote(CODE_CHALLENGE_METHOD);
        if (!acceptableIn(realm, value, CustomerIdentifiers.accountNumberOf(session, realm, user))) {
            LOG.debugf("A conversation handle passed to a login in realm %s was ignored: it does not follow the"
                    + " realm's handle pattern or contains the account number", realm.getName());
            return;
        }
        if (challenge == null || !"S256".equals(method)) {
            LOG.debugf("A conversation handle passed to a login in realm %s was ignored: the login has no PKCE S256"
                    + " challenge to bind it to", realm.getName());
            return;
        }
        List<String> bound = clientSession.getNotes().keySet().stream().filter(key -> key.startsWith(BOUND_NOTE))
                .toList();
        if (bound.size() >= MAX_BOUND_PER_CLIENT_SESSION) {
            bound.forEach(clientSession::removeNote);
        }
        clientSession.setNote(BOUND_NOTE + challenge, value);
    }

    /**
     * At the code's redemption: the handle bound to the login whose PKCE challenge the request's verifier answers,
     * removed from the client session; null when that login carried none.
     */
    static String takeAtRedemption(KeycloakSession session, RealmModel realm, Event event) {
        AuthenticatedClientSessionModel clientSession = clientSession(session, realm, event);
        if (clientSession == null) {
            return null;
        }
        // Left by a login recorded before the listener bound handles, or without the listener: binds nothing.
        takeNote(clientSession, KEYCLOAK_NOTE);
        String verifier = session.getContext().getHttpRequest().getDecodedFormParameters().getFirst("code_verifier");
        return verifier == null ? null : takeNote(clientSession, BOUND_NOTE + s256(verifier));
    }

    /** The note's value, removed from the client session (a removal is a write: only when there is one). */
    private static String takeNote(AuthenticatedClientSessionModel clientSession, String name) {
        String value = clientSession.getNote(name);
        if (value != null) {
            clientSession.removeNote(name);
        }
        return value;
    }

    /** Whether the realm's pattern accepts the handle and it does not contain the account number in any spelling. */
    private static boolean acceptableIn(RealmModel realm, String value, String accountNumber) {
        return acceptable(pattern(realm), value, accountNumber);
    }

    /** {@code pattern} null: nothing is acceptable. */
    static boolean acceptable(Pattern pattern, String value, String accountNumber) {
        if (pattern == null || value == null || value.length() > MAX_LENGTH || !pattern.matcher(value).matches()) {
            return false;
        }
        return accountNumber.isEmpty() || !lettersAndDigits(value).contains(lettersAndDigits(accountNumber));
    }

    /** The realm's pattern, or null (no handle passes) when the realm's attribute is not a regular expression. */
    private static Pattern pattern(RealmModel realm) {
        String configured = realm.getAttribute(PATTERN_ATTRIBUTE);
        String regex = configured == null || configured.isBlank() ? DEFAULT_PATTERN : configured;
        try {
            return PATTERNS.computeIfAbsent(regex, Pattern::compile);
        } catch (PatternSyntaxException e) {
            if (WARNINGS.first(realm.getId() + '/' + regex)) {
                LOG.warnf("Realm %s: attribute %s is not a regular expression (%s); conversation handles are left out"
                        + " of its messages until it is fixed", realm.getName(), PATTERN_ATTRIBUTE, e.getDescription());
            }
            return null;
        }
    }

    private static String lettersAndDigits(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().filter(Character::isLetterOrDigit).forEach(out::appendCodePoint);
        return out.toString().toUpperCase(Locale.ROOT);
    }

    private static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }

    private static AuthenticatedClientSessionModel clientSession(KeycloakSession session, RealmModel realm, Event event) {
        if (event.getSessionId() == null || event.getClientId() == null) {
            return null;
        }
        UserSessionModel userSession = session.sessions().getUserSession(realm, event.getSessionId());
        ClientModel client = realm.getClientByClientId(event.getClientId());
        return userSession == null || client == null ? null
                : userSession.getAuthenticatedClientSessionByClient(client.getId());
    }
}
