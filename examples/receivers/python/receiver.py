#!/usr/bin/env python3
"""A webhook receiver for Keycloak's customer-auth messages, standard library only (signature format customer-auth).

    WEBHOOK_SECRET=... python3 receiver.py 8090

Checks the Customer-Auth-Signature header (HMAC-SHA-256 of "<t>.<body>", 5 minutes' tolerance), answers 401 to a
message it cannot verify, de-duplicates by id and keeps, per customer, the highest seq it applied: a message with a
lower seq (a replayed dead letter) is reported as late. Prints one JSON line per message it accepts.
"""
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECRET = os.environ["WEBHOOK_SECRET"].encode()
TOLERANCE_SECONDS = 300
seen_ids = set()
highest_seq = {}  # (realm, customer) -> highest seq applied
lock = threading.Lock()


def verified(header, body):
    pairs = [part.split("=", 1) for part in header.split(",") if "=" in part]
    timestamps = [value for key, value in pairs if key == "t"]
    if len(timestamps) != 1 or not timestamps[0].isdigit():
        return False
    if abs(time.time() - int(timestamps[0])) > TOLERANCE_SECONDS:
        return False
    expected = hmac.new(SECRET, timestamps[0].encode() + b"." + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, value) for key, value in pairs if key == "v1")


def outcome(message):
    """What this receiver does with a verified message: apply it, or recognise it as a repeat or a late one."""
    customer = message.get("customer_id") or message.get("previous_customer_id")
    with lock:
        if message["id"] in seen_ids:
            return "duplicate"
        seen_ids.add(message["id"])
        if customer is None or "seq" not in message:
            return "applied"
        key = (message["realm"], customer)
        if message["seq"] < highest_seq.get(key, -1):
            return "late"
        highest_seq[key] = message["seq"]
        return "applied"


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if not verified(self.headers.get("Customer-Auth-Signature", ""), body):
            self.send_response(401)
            self.end_headers()
            return
        message = json.loads(body)
        result = outcome(message)
        print(json.dumps({"outcome": result, "id": message["id"], "type": message["type"],
                          "customer_id": message.get("customer_id"), "seq": message.get("seq")}), flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, format, *args):
        pass


if __name__ == "__main__":
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8090
    print(json.dumps({"listening": port}), flush=True)
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
