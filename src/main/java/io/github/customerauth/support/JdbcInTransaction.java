package io.github.customerauth.support;

import jakarta.persistence.EntityManager;
import org.hibernate.Session;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.jdbc.ReturningWork;
import org.hibernate.jdbc.Work;

/**
 * Plain JDBC on the transaction's connection whose failure fails the whole transaction, as a failed Hibernate
 * statement does. H2, MySQL and MariaDB undo only the failed statement; without the mark, a caller that catches
 * the error and goes on (a logout is never failed for want of its message) would commit what came before it: links
 * ended with no message telling the platform so.
 */
public final class JdbcInTransaction {

    private JdbcInTransaction() {
    }

    public static void run(EntityManager em, Work work) {
        returning(em, connection -> {
            work.execute(connection);
            return null;
        });
    }

    public static <T> T returning(EntityManager em, ReturningWork<T> work) {
        try {
            return em.unwrap(Session.class).doReturningWork(work);
        } catch (RuntimeException e) {
            em.unwrap(SharedSessionContractImplementor.class).markForRollbackOnly();
            throw e;
        }
    }
}
