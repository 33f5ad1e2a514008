package io.github.customerauth.support;

import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import org.hibernate.Session;
import org.hibernate.engine.spi.SharedSessionContractImplementor;
import org.hibernate.jdbc.ReturningWork;
import org.hibernate.jdbc.Work;

/**
 * Plain JDBC on the transaction's connection whose failure makes the transaction's commit fail, as a failed flush
 * of an entity does. H2, MySQL and MariaDB undo only the failed statement: without this, a caller that catches the
 * error and goes on (the listener does not fail a logout itself) would commit what came before it, such as links
 * ended with no message telling the platform. Not a rollback-only mark: Keycloak rolls a marked transaction back
 * without a word and answers as if nothing had failed (a login's tokens, a logout's success), where a failed commit
 * answers with an error.
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
            em.unwrap(SharedSessionContractImplementor.class).getTransactionCoordinator().getLocalSynchronizations()
                    .registerSynchronization(new FailingCommit(e));
            throw e;
        }
    }

    private record FailingCommit(RuntimeException cause) implements Synchronization {
        @Override
        public void beforeCompletion() {
            throw cause;
        }

        @Override
        public void afterCompletion(int status) {
        }
    }
}
