package io.github.customerauth.linking.record;

import io.github.customerauth.identifier.CustomerIdentifiers;
import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.linking.store.Sighting;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.events.Details;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventType;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Records customer events as links and outbox messages; nothing here touches the network. A login, a logout, an
 * ended session and a changed identifier are written in the transaction that Keycloak calls listeners in, so the
 * message is committed with it or not at all (logins come a few a second per node, each with a costly password check:
 * a writer thread would pay a transaction and a hand-over per login without grouping any). Tokens,
 * refreshes and exchanges, many a second and otherwise without a write of their own, go to the {@link LinkWriter}
 * once that transaction has committed, and the request waits until they are written; a refresh that no receiver
 * wants a message of only counts on its link, written within the flush interval without the request waiting.
 */
public final class LinkingEventListener implements EventListenerProvider {

    /** The listener's id, which a realm names among its event listeners. */
    public static final String PROVIDER_ID = "customer-linking";

    private static final Logger LOG = Logger.getLogger(LinkingEventListener.class);
    /** By name: the constant exists from Keycloak 26.5 on. */
    private static final String SESSION_DELETED = "USER_SESSION_DELETED";
    private static final Set<EventType> SEEN = Set.of(EventType.LOGIN, EventType.CODE_TO_TOKEN, EventType.REFRESH_TOKEN,
            EventType.TOKEN_EXCHANGE);

    private final KeycloakSession session;
    private final LinkWriter writer;

    public LinkingEventListener(KeycloakSession session, LinkWriter writer) {
        this.session = session;
        this.writer = writer;
    }

    @Override
    public void onEvent(Event event) {
        if (SESSION_DELETED.equals(event.getType().name())) {
            sessionDeleted(event);
            return;
        }
        boolean seen = SEEN.contains(event.getType());
        if ((!seen && event.getType() != EventType.LOGOUT) || event.getUserId() == null) {
            return;
        }
        String loginRedirect = event.getType() == EventType.LOGIN ? loginRedirectUri(event) : null;
        try {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            UserModel user = session.users().getUserById(realm, event.getUserId());
            // Whether or not the user is a customer: Keycloak's copy of the handle must not stay in the session.
            if (event.getType() == EventType.LOGIN) {
                bindHandle(realm, event, user);
            }
            String conversation = event.getType() == EventType.CODE_TO_TOKEN
                    ? ConversationHandle.takeAtRedemption(session, realm, event) : null;
            Optional<String> customer = CustomerIdentifiers.claim(session, realm, user);
            if (customer.isEmpty()) {
                return;
            }
            if (seen) {
                LinkEvent seenEvent = new LinkEvent(event.getId(), event.getType().name(), event.getTime(),
                        realm.getName(), customer.get(), event.getClientId(), event.getSessionId(), null, conversation);
                Sighting sighting = new Sighting(realm.getId(), user.getId(), seenEvent);
                Message message = Message.to(realm, seenEvent, Set.of());
                if (event.getType() == EventType.REFRESH_TOKEN && !message.wanted()) {
                    writer.countAfterCommit(session, sighting);
                    return;
                }
                UnrecordedAnswerFilter.messageExpected(session, loginRedirect);
                if (event.getType() == EventType.LOGIN) {
                    new LinkRecorder(session).writeInRequest(sighting, message);
                } else {
                    writer.writeAfterCommit(session, sighting, message);
                }
            } else {
                UnrecordedAnswerFilter.messageExpected(session);
                new LinkRecorder(session).loggedOut(realm, event.getId(), event.getTime(), customer.get(),
                        event.getClientId(), event.getSessionId());
            }
        } catch (RuntimeException | Error e) {
            // Keycloak catches any Throwable of a listener and goes on: an Error here must fail the request too.
            UnrecordedAnswerFilter.messageExpected(session, loginRedirect);
            if (seen) {
                LOG.errorf(e, "Customer link for a %s event in realm %s not recorded; the request fails",
                        event.getType(), event.getRealmId());
                failRequest(e);
            } else {
                // Not failed here. A failed plain-SQL write has made Keycloak's commit fail already
                // (JdbcInTransaction); a failed Hibernate statement has marked it rollback-only, and the filter turns
                // the answer into an error. No link ends unheard either way.
                LOG.errorf(e, "Customer logout in realm %s not recorded", event.getRealmId());
            }
        }
    }

    /**
     * Where a browser login goes back to its app: the event's detail, or, for a login after an identity provider's
     * (whose event lacks it), the authentication session's; null for a grant.
     */
    private String loginRedirectUri(Event event) {
        String detail = event.getDetails() == null ? null : event.getDetails().get(Details.REDIRECT_URI);
        AuthenticationSessionModel authentication = session.getContext().getAuthenticationSession();
        return detail != null || authentication == null ? detail : authentication.getRedirectUri();
    }

    /** A handle that cannot be bound is left out; it never costs the customer the login. */
    private void bindHandle(RealmModel realm, Event event, UserModel user) {
        try {
            ConversationHandle.bindAtLogin(session, realm, event, user);
        } catch (RuntimeException e) {
            LOG.warnf("Conversation handle of a login in realm %s not bound (%s); it is left out of the message",
                    realm.getName(), e.getClass().getSimpleName());
            LOG.debug("Why the handle was not bound", e);
        }
    }

    /**
     * Makes Keycloak's commit of this request fail, so that the client gets an error instead of an answer whose
     * message was never written: Keycloak catches what a listener throws. A transaction already marked
     * rollback-only skips this step; {@link UnrecordedAnswerFilter} fails that answer.
     */
    private void failRequest(Throwable error) {
        if (!session.getTransactionManager().isActive()) {
            return;
        }
        RuntimeException cause = error instanceof RuntimeException runtime ? runtime
                : new IllegalStateException("the customer linking listener failed", error);
        session.getTransactionManager().enlistPrepare(new AbstractKeycloakTransaction() {
            @Override
            protected void commitImpl() {
                throw cause;
            }

            @Override
            protected void rollbackImpl() {
            }
        });
    }

    /**
     * Keycloak 26.5 and later report an expired session with {@code USER_SESSION_DELETED} (when persistent user
     * sessions are off): its open links end at once, with the reason Keycloak gives. The sweep ends the rest.
     */
    private void sessionDeleted(Event event) {
        if (event.getSessionId() == null) {
            return;
        }
        try {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            String reason = event.getDetails() == null ? null : event.getDetails().get(Details.REASON);
            String endReason = reason == null || reason.isBlank() ? "deleted" : reason;
            if (new LinkRecorder(session).sessionEnded(realm, event.getSessionId(), event.getTime(), endReason) > 0) {
                LOG.debugf("Links of a session of realm %s ended by Keycloak's USER_SESSION_DELETED event (%s)",
                        realm.getName(), endReason);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "End of a session's customer links in realm %s not recorded; the sweep ends them",
                    event.getRealmId());
        }
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        String path = event.getResourcePath();
        if (path == null) {
            return;
        }
        if (AdminRevocation.endAfterCommit(session, event)) {
            return;
        }
        if (event.getResourceType() != ResourceType.USER || event.getOperationType() != OperationType.UPDATE
                || !path.matches("users/[^/]+")) {
            return;
        }
        try {
            RealmModel realm = session.realms().getRealm(event.getRealmId());
            UserModel user = session.users().getUserById(realm, event.getResourcePath().substring("users/".length()));
            if (user == null) {
                return;
            }
            UnrecordedAnswerFilter.messageExpected(session);
            LinkRecorder recorder = new LinkRecorder(session);
            // The user's row before this extension's rows, as a login or the writer takes them: Keycloak's own
            // update of the row would otherwise come only at its commit, after the sequence rows locked here.
            recorder.lockUser(user.getId());
            if (CustomerIdentifiers.inUse(session, realm)) {
                Optional<String> current = CustomerIdentifiers.claim(session, realm, user);
                // An account number whose identifier is refused (another live customer holds it) is no removal.
                if (current.isPresent() || CustomerIdentifiers.accountNumberOf(session, realm, user).isEmpty()) {
                    recorder.identifierMaybeChanged(realm, user.getId(), current.orElse(null), event.getTime());
                }
            }
            if (!user.isEnabled()) {
                recorder.userDisabled(realm, user.getId(), event.getTime());
            }
        } catch (RuntimeException | Error e) {
            LOG.errorf(e, "Identifier change or disabling in realm %s not recorded; the admin's change fails",
                    event.getRealmId());
            failRequest(e);
        }
    }

    @Override
    public void close() {
    }
}
