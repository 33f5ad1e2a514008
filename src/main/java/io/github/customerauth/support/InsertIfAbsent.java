package io.github.customerauth.support;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.hibernate.Session;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.engine.spi.SessionFactoryImplementor;
import org.hibernate.persister.entity.AbstractEntityPersister;

/**
 * Inserts a row unless its unique key is taken, in the caller's transaction and without ever failing it, so that a
 * request thread needs no transaction (and no connection) of its own for a row another node may be creating too.
 * PostgreSQL aborts a transaction at its first failed statement, so there the statement itself skips a taken key
 * ({@code ON CONFLICT DO NOTHING}, which waits for a concurrent insert of the key to commit or roll back); the other
 * databases undo only the failed statement, whose duplicate-key error is taken as "present". Plain JDBC on the
 * transaction's connection: through Hibernate, any failed statement would mark the whole transaction for rollback.
 */
public final class InsertIfAbsent {

    private static final String INTEGRITY_VIOLATION_CLASS = "23";

    private InsertIfAbsent() {
    }

    /**
     * @param columns the row's column names and values, in the order they are written
     * @return whether this call inserted the row (false: a row with the same unique key exists)
     */
    public static boolean insert(EntityManager em, Class<?> entity, Map<String, Object> columns) {
        SessionFactoryImplementor factory = em.getEntityManagerFactory().unwrap(SessionFactoryImplementor.class);
        String table = ((AbstractEntityPersister) factory.getMappingMetamodel().getEntityDescriptor(entity))
                .getIdentifierTableName();
        boolean postgres = factory.getJdbcServices().getDialect() instanceof PostgreSQLDialect;
        Map<String, Object> ordered = new LinkedHashMap<>(columns);
        String sql = "INSERT INTO " + table + " (" + String.join(", ", ordered.keySet()) + ") VALUES ("
                + ordered.keySet().stream().map(column -> "?").collect(Collectors.joining(", ")) + ")"
                + (postgres ? " ON CONFLICT DO NOTHING" : "");
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int position = 1;
                for (Object value : ordered.values()) {
                    statement.setObject(position++, value);
                }
                return statement.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!postgres && e.getSQLState() != null && e.getSQLState().startsWith(INTEGRITY_VIOLATION_CLASS)) {
                    return false;
                }
                throw e;
            }
        });
    }
}
