package io.github.customerauth.linking.store;

import jakarta.persistence.Query;
import org.hibernate.query.NativeQuery;

/**
 * Native statements told which entity's table they change (or read). Without that, Hibernate assumes a native
 * statement may change any table: it flushes the whole session first (in Keycloak's AUTO flush mode) and schedules
 * the cleanup of every entity's caches when the transaction ends, work that costs more than the statement on a login.
 */
final class NativeUpdates {

    private NativeUpdates() {
    }

    static Query of(Query nativeUpdate, Class<?> changedEntity) {
        return nativeUpdate.unwrap(NativeQuery.class).addSynchronizedEntityClass(changedEntity);
    }
}
