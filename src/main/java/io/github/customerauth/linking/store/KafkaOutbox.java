package io.github.customerauth.linking.store;

import io.github.customerauth.linking.message.LinkEvent;
import io.github.customerauth.support.JdbcInTransaction;
import io.github.customerauth.support.Tables;
import io.github.customerauth.support.WarnOnce;
import jakarta.persistence.EntityManager;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Messages for Kafka, in the caller's transaction: each is inserted into {@code CA_KAFKA_OUTBOX} and deleted again at
 * once. Debezium reads the insert from the database's log (the write-ahead log on PostgreSQL) after the commit, and
 * its Outbox Event Router skips the delete; so the table stays empty, a rolled-back transaction leaves nothing in the
 * log, and nothing needs cleaning up. Plain JDBC on the transaction's connection, since PostgreSQL's {@code uuid}
 * and {@code jsonb} columns need casts. PostgreSQL only: on another database nothing is written (the table's columns
 * there are named and typed for no connector this project tests), with one warning per realm.
 */
public final class KafkaOutbox {

    private static final Logger LOG = Logger.getLogger(KafkaOutbox.class);
    private static final WarnOnce WARNINGS = new WarnOnce();

    private final EntityManager em;

    private KafkaOutbox(EntityManager em) {
        this.em = em;
    }

    public static KafkaOutbox of(KeycloakSession session) {
        return new KafkaOutbox(session.getProvider(JpaConnectionProvider.class).getEntityManager());
    }

    /**
     * @param aggregateType the router's topic part
     * @param event         its id is the row's {@code id} (the record's {@code id} header), its ordering customer the
     *                      {@code aggregateid} (the record's key), so that one customer's messages stay in order
     * @param seq           the message's number in its customer's order, as in the webhook body
     */
    public void write(String aggregateType, LinkEvent event, long seq) {
        if (!Tables.onPostgres(em)) {
            if (WARNINGS.first(event.realm())) {
                LOG.warnf("Realm %s has a Kafka sink, but this Keycloak's database is not PostgreSQL (the one this"
                        + " sink supports, through Debezium's PostgreSQL connector): nothing is written for Kafka",
                        event.realm());
            }
            return;
        }
        String table = Tables.of(em, KafkaOutboxEntity.class);
        String id = uuid(event.id());
        String insert = "INSERT INTO " + table + " (ID, AGGREGATETYPE, AGGREGATEID, TYPE, PAYLOAD) VALUES ("
                + "CAST(? AS UUID), ?, ?, ?, CAST(? AS JSONB))";
        String delete = "DELETE FROM " + table + " WHERE ID = CAST(? AS UUID)";
        JdbcInTransaction.run(em, connection -> {
            try (PreparedStatement row = connection.prepareStatement(insert)) {
                row.setString(1, id);
                row.setString(2, aggregateType);
                row.setString(3, event.orderingCustomerId());
                row.setString(4, event.type());
                row.setString(5, event.toJson(seq));
                row.executeUpdate();
            }
            try (PreparedStatement gone = connection.prepareStatement(delete)) {
                gone.setString(1, id);
                gone.executeUpdate();
            }
        });
    }

    /** Keycloak's event ids are UUIDs; any other id is given a stable UUID of its own. */
    static String uuid(String eventId) {
        try {
            return UUID.fromString(eventId).toString();
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes(eventId.getBytes(StandardCharsets.UTF_8)).toString();
        }
    }
}
