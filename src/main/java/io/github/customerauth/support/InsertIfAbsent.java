package io.github.customerauth.support;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Inserts a row unless its unique key is taken, in the caller's transaction and without ever failing it, so that a
 * request thread needs no transaction (and no connection) of its own for a row another node may be creating too.
 * PostgreSQL aborts a transaction at its first failed statement, so there the statement itself skips a taken key
 * ({@code ON CONFLICT DO NOTHING}, which waits for a concurrent insert of the key to commit or roll back); the other
 * databases undo only the failed statement, whose duplicate-key error is taken as "present". Plain JDBC on the
 * transaction's connection: through Hibernate, any failed statement would mark the whole transaction for rollback;
 * here only another error fails it, by failing its commit ({@link JdbcInTransaction}).
 */
public final class InsertIfAbsent {

    /** The standard's unique violation (H2, PostgreSQL); MySQL, MariaDB, Oracle and SQL Server say 23000 for all. */
    private static final String UNIQUE_VIOLATION = "23505";
    /** MySQL/MariaDB ER_DUP_ENTRY and ER_DUP_ENTRY_WITH_KEY_NAME, Oracle ORA-00001, SQL Server 2627 and 2601. */
    private static final Set<Integer> DUPLICATE_KEY_CODES = Set.of(1062, 1586, 1, 2627, 2601);

    private InsertIfAbsent() {
    }

    /** Only a taken unique key: a missing value or a broken reference is an error the caller must hear of. */
    private static boolean isDuplicateKey(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState())
                || "23000".equals(e.getSQLState()) && DUPLICATE_KEY_CODES.contains(e.getErrorCode());
    }

    /**
     * @param columns the row's column names and values, in the order they are written
     * @return whether this call inserted the row (false: a row with the same unique key exists)
     */
    public static boolean insert(EntityManager em, Class<?> entity, Map<String, Object> columns) {
        String table = Tables.of(em, entity);
        boolean postgres = Tables.onPostgres(em);
        Map<String, Object> ordered = new LinkedHashMap<>(columns);
        String sql = "INSERT INTO " + table + " (" + String.join(", ", ordered.keySet()) + ") VALUES ("
                + ordered.keySet().stream().map(column -> "?").collect(Collectors.joining(", ")) + ")"
                + (postgres ? " ON CONFLICT DO NOTHING" : "");
        return JdbcInTransaction.returning(em, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                int position = 1;
                for (Object value : ordered.values()) {
                    statement.setObject(position++, value);
                }
                return statement.executeUpdate() == 1;
            } catch (SQLException e) {
                if (!postgres && isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
        });
    }
}
