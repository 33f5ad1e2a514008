package io.github.customerauth.support;

import jakarta.persistence.EntityManager;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.AbstractEntityPersister;

/** What plain SQL on the transaction's connection needs to know of Hibernate's mapping: table names, the database. */
public final class Tables {

    private Tables() {
    }

    /** The entity's table, with Keycloak's schema when it runs with one ({@code --db-schema}). */
    public static String of(EntityManager em, Class<?> entity) {
        return ((AbstractEntityPersister) factory(em).getMappingMetamodel().getEntityDescriptor(entity))
                .getIdentifierTableName();
    }

    public static boolean onPostgres(EntityManager em) {
        return factory(em).getJdbcServices().getDialect() instanceof PostgreSQLDialect;
    }

    private static SessionFactoryImplementor factory(EntityManager em) {
        return em.getEntityManagerFactory().unwrap(SessionFactoryImplementor.class);
    }
}
