package io.github.customerauth.identifier;

import jakarta.persistence.EntityManager;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Users of a realm whose account-number attribute has the given canonical form, whatever its spelling (spaces,
 * '-', '.', letter case), including users imported without going through the user profile and therefore absent
 * from the identifier index. The one place that reads Keycloak's own user-attribute table; run when an account
 * number is saved, never per token. Values longer than Keycloak's 255-character column are not folded.
 */
final class AccountNumberHolders {

    // The database does the same folding as AccountNumbers.canonical for the spellings people type; what it cannot
    // fold (full-width digits, tabs) is caught by the identifier index once the holder has been indexed.
    private static final String QUERY = "select a.user.id from UserAttributeEntity a where a.user.realmId = :realmId"
            + " and a.name = :name and upper(replace(replace(replace(a.value, ' ', ''), '-', ''), '.', '')) = :canonical";

    private AccountNumberHolders() {
    }

    /**
     * The ids of the holders found: in the local database by canonical form, and through Keycloak's user search
     * (user federation included) by the value as given and its canonical form.
     */
    static Set<String> of(KeycloakSession session, RealmModel realm, String attribute, String value, String canonical) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Set<String> holders = new LinkedHashSet<>(em.createQuery(QUERY, String.class)
                .setParameter("realmId", realm.getId()).setParameter("name", attribute)
                .setParameter("canonical", canonical).setMaxResults(10).getResultList());
        Stream.of(value, canonical).filter(Objects::nonNull).distinct()
                .flatMap(candidate -> session.users().searchForUserByUserAttributeStream(realm, attribute, candidate))
                // Not UserModel::getId: that reference names 26.7's new Model interface, which 26.5 lacks.
                .forEach(holder -> holders.add(holder.getId()));
        return holders;
    }
}
