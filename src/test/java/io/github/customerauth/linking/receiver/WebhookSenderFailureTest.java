package io.github.customerauth.linking.receiver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.http.conn.ConnectTimeoutException;
import org.apache.http.conn.ConnectionPoolTimeoutException;
import org.junit.jupiter.api.Test;

class WebhookSenderFailureTest {

    @Test
    void aSilentReceiverReadsAsNoAnswerWhicheverTimeoutFiresFirst() {
        assertThat(WebhookSender.failure(new IOException("aborted"), true, 5000)).isEqualTo("no answer within 5000 ms");
        assertThat(WebhookSender.failure(new SocketTimeoutException("Read timed out"), false, 5000))
                .isEqualTo("no answer within 5000 ms");
        assertThat(WebhookSender.failure(new ConnectTimeoutException("connect timed out"), false, 5000))
                .isEqualTo("no answer within 5000 ms");
    }

    @Test
    void otherFailuresNameTheirKindButNeverTheMessageWhichMayHoldTheUrl() {
        assertThat(WebhookSender.failure(new ConnectException("http://user:secret@host"), false, 5000))
                .isEqualTo("ConnectException");
        assertThat(WebhookSender.failure(new ConnectionPoolTimeoutException("no connection"), false, 5000))
                .as("this node's pool, not the receiver").isEqualTo("ConnectionPoolTimeoutException");
    }
}
