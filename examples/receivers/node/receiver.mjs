// A webhook receiver for Keycloak's customer-auth messages in the Standard Webhooks format (signatureFormat
// standard-webhooks), verified with the official library:
//
//   npm install && WEBHOOK_SECRET=whsec_... node receiver.mjs 8091
//
// Answers 401 to a message it cannot verify, de-duplicates by id and keeps, per customer, the highest seq it
// applied: a message with a lower seq (a replayed dead letter) is reported as late. One JSON line per message.
import http from 'node:http';
import { Webhook } from 'standardwebhooks';

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
const seenIds = new Set();
const highestSeq = new Map(); // "realm customer" -> highest seq applied

function outcome(message) {
  if (seenIds.has(message.id)) return 'duplicate';
  seenIds.add(message.id);
  const customer = message.customer_id ?? message.previous_customer_id;
  if (customer === undefined || message.seq === undefined) return 'applied';
  const key = `${message.realm} ${customer}`;
  if (message.seq < (highestSeq.get(key) ?? -1)) return 'late';
  highestSeq.set(key, message.seq);
  return 'applied';
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    let message;
    try {
      message = webhook.verify(body, request.headers); // checks webhook-id, -timestamp and -signature
    } catch (error) {
      response.writeHead(401).end();
      return;
    }
    console.log(JSON.stringify({ outcome: outcome(message), id: message.id, type: message.type,
      customer_id: message.customer_id ?? null, seq: message.seq ?? null }));
    response.writeHead(204).end();
  });
});

const port = Number(process.argv[2] ?? 8091);
server.listen(port, '127.0.0.1', () => console.log(JSON.stringify({ listening: port })));
