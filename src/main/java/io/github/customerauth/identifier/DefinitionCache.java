package io.github.customerauth.identifier;

import io.github.customerauth.support.BoundedMap;
import org.keycloak.models.RealmModel;

/**
 * Each realm's usable identifier definition, kept on the node for a few seconds, so that issuing a token does not
 * list the realm's client scopes and their mappers again. A kept definition serves only a mapper that agrees with
 * it: a mapper saved with another key or attribute, on any node, reads the realm afresh. What the console's
 * validation does not see (an import that adds a disagreeing mapper) stops the agreeing mappers' claims within
 * {@link #KEEP_MILLIS}, or at once when a valid disagreeing mapper issues a token on this node. Problems are never kept:
 * a fixed realm issues again at once.
 */
final class DefinitionCache {

    static final long KEEP_MILLIS = 10_000;
    private static final int MAX_REALMS = 10_000;

    private record Entry(RealmIdentifier.Definition definition, long until) {
    }

    private final BoundedMap<String, Entry> byRealm = new BoundedMap<>(MAX_REALMS);

    RealmIdentifier.Definition definitionFor(RealmModel realm, IdentifierMapperConfig asking, long now) {
        Entry entry = byRealm.get(realm.getId());
        if (entry != null && entry.until() > now && entry.definition().config().agreesWith(asking)) {
            return entry.definition();
        }
        RealmIdentifier.Definition definition = RealmIdentifier.define(realm);
        if (definition.problem() == null) {
            byRealm.put(realm.getId(), new Entry(definition, now + KEEP_MILLIS));
        } else {
            byRealm.remove(realm.getId());
        }
        return definition;
    }
}
