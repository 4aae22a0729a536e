"""kill -9 crash test of the durable storage modes (DESIGN 2.5: "a real kill -9 loop with a
checker").

For each of the `wal` and `persistent` modes, on one data directory, a few iterations of:
  1. start $STRATA_BIN on the data directory and wait for /_strata/health;
  2. check the model: every key whose write was acknowledged (HTTP 200) holds its last
     acknowledged value (or the value of the one write that was in flight when the server was
     killed, which may or may not have landed); keys deleted with an acknowledged DeleteItem
     are absent; a Scan finds no key or value that was never written;
  3. hammer the server with concurrent PutItem/DeleteItem requests from many threads (each
     thread owns its keys, so "last acknowledged value" is well defined), recording every
     acknowledgement;
  4. kill -9 it at a random moment while requests are in flight.
A final iteration checks once more, then stops the server with SIGTERM (exit 0) and checks
again after a clean restart.

A process kill loses nothing acknowledged in either mode (wal mode has written every group to
the file before answering; the page cache survives the process). Power loss is not simulated
here (see tests/engine/durable_db_test.cc with the fault-injecting sink).

Raw HTTP (http.client) keeps the request rate high and the dependencies to the standard
library. Env: STRATA_BIN (set by ctest), CRASH_ITERATIONS (default 4), CRASH_SEED.
"""

import http.client
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

TABLE = "Crash"
THREADS = 16
KEYS_PER_THREAD = 12
ITERATIONS = int(os.environ.get("CRASH_ITERATIONS", "4"))
SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(1 << 30))))
DELETED = object()  # model value of a deleted key

AUTH_HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20240101T000000Z",
    # Signatures are not checked; the credential scope gives region and account.
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/"
                     "dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
}


def strata_bin():
    path = os.environ.get("STRATA_BIN", "")
    if not path or not os.access(path, os.X_OK):
        raise RuntimeError("set STRATA_BIN to the strata executable (ctest does)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One strata process on a data directory."""

    def __init__(self, mode, data_dir, log_dir):
        self.port = free_port()
        self.err_path = os.path.join(log_dir, "stderr-%d.txt" % self.port)
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(
            [strata_bin(), "--host", "127.0.0.1", "--port", str(self.port), "--storage-mode",
             mode, "--data-dir", data_dir, "--flush-interval-ms", "200"],
            stdout=subprocess.DEVNULL, stderr=self.err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("strata exited with %s at startup: %s" %
                                     (self.proc.returncode, self.stderr()))
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", "/_strata/health")
                if conn.getresponse().status == 200:
                    conn.close()
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.proc.kill()
        raise AssertionError("strata did not become healthy: " + self.stderr())

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait()
        self.err.close()
        return code

    def terminate(self):
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        self.err.close()
        return code


def call(conn, op, payload):
    """One DynamoDB request; returns (status, decoded body)."""
    headers = dict(AUTH_HEADERS)
    headers["X-Amz-Target"] = "DynamoDB_20120810." + op
    conn.request("POST", "/", body=json.dumps(payload).encode(), headers=headers)
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read() or b"{}")


class KeyState:
    """What the checker knows about one key: the last acknowledged value (None: never
    acknowledged, DELETED: deleted) and the value of a write in flight at the kill, if any."""

    __slots__ = ("acked", "pending", "has_pending")

    def __init__(self):
        self.acked = None
        self.pending = None
        self.has_pending = False


class Kill9Test(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="strata-crash-")
        self.rng = random.Random(SEED)
        print("\nCRASH_SEED=%d" % SEED, flush=True)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_wal_mode(self):
        self.run_loop("wal")

    def test_persistent_mode(self):
        self.run_loop("persistent")

    # --- the loop -----------------------------------------------------------------------------

    def run_loop(self, mode):
        data_dir = os.path.join(self.tmp, "data-" + mode)
        keys = {"t%02d-k%02d" % (t, k): KeyState()
                for t in range(THREADS) for k in range(KEYS_PER_THREAD)}
        total_acked = 0
        for it in range(ITERATIONS):
            server = Server(mode, data_dir, self.tmp)
            try:
                if it == 0:
                    self.create_table(server)
                self.check(server, keys, "%s iteration %d" % (mode, it))
                acked, in_flight, code = self.load_and_kill(server, keys, it)
            except BaseException:
                if server.proc.poll() is None:
                    server.proc.kill()
                raise
            self.assertEqual(code, -signal.SIGKILL, "strata died by itself: " + server.stderr())
            total_acked += acked
            print("%s iteration %d: %d writes acknowledged, %d in flight at kill -9" %
                  (mode, it, acked, in_flight), flush=True)
            self.assertGreater(acked, 0, "no write was acknowledged before the kill")
        # Recover once more, then shut down cleanly and recover from that too.
        server = Server(mode, data_dir, self.tmp)
        self.check(server, keys, mode + " after the last kill")
        self.assertEqual(server.terminate(), 0, server.stderr())
        server = Server(mode, data_dir, self.tmp)
        self.check(server, keys, mode + " after a clean shutdown")
        self.assertEqual(server.terminate(), 0, server.stderr())
        print("%s: %d acknowledged writes over %d kills, all present" %
              (mode, total_acked, ITERATIONS), flush=True)

    def create_table(self, server):
        conn = server.connect()
        status, body = call(conn, "CreateTable", {
            "TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "k", "KeyType": "HASH"}]})
        conn.close()
        self.assertEqual(status, 200, body)

    def load_and_kill(self, server, keys, iteration):
        """Concurrent writers until a random kill -9; returns (acked, in flight, exit code)."""
        stop = threading.Event()
        counts = [0] * THREADS
        errors = []

        def writer(t):
            rng = random.Random(SEED * 1000 + iteration * 100 + t)
            mine = ["t%02d-k%02d" % (t, k) for k in range(KEYS_PER_THREAD)]
            conn = server.connect()
            n = 0
            while not stop.is_set():
                key = rng.choice(mine)
                state = keys[key]
                n += 1
                if rng.random() < 0.1:
                    value = DELETED
                    op, payload = "DeleteItem", {"TableName": TABLE, "Key": {"k": {"S": key}}}
                else:
                    # Unique per write; sizes up to ~3 KB so records span WAL blocks.
                    value = "i%d-t%d-n%d-" % (iteration, t, n) + "x" * rng.randrange(3000)
                    op, payload = "PutItem", {"TableName": TABLE,
                                              "Item": {"k": {"S": key}, "v": {"S": value}}}
                state.pending, state.has_pending = value, True
                try:
                    status, body = call(conn, op, payload)
                except (OSError, http.client.HTTPException):
                    return  # killed: this write stays pending (may or may not have landed)
                if status != 200:
                    errors.append("%s %s -> %d %s" % (op, key, status, body))
                    return
                state.acked, state.pending, state.has_pending = value, None, False
                counts[t] += 1

        threads = [threading.Thread(target=writer, args=(t,)) for t in range(THREADS)]
        for th in threads:
            th.start()
        time.sleep(self.rng.uniform(0.3, 1.5))
        code = server.kill9()
        stop.set()
        for th in threads:
            th.join(timeout=60)
        self.assertFalse(errors, errors[:3])
        in_flight = sum(1 for s in keys.values() if s.has_pending)
        return sum(counts), in_flight, code

    def check(self, server, keys, what):
        """Every acknowledged write is there; resolves in-flight writes to what landed."""
        conn = server.connect()
        problems = []
        for key, state in sorted(keys.items()):
            status, body = call(conn, "GetItem", {"TableName": TABLE, "Key": {"k": {"S": key}},
                                                  "ConsistentRead": True})
            if status != 200:
                problems.append("GetItem %s -> %d %s" % (key, status, body))
                continue
            got = body["Item"]["v"]["S"] if "Item" in body else DELETED
            allowed = [DELETED if state.acked is None else state.acked]
            if state.has_pending:
                allowed.append(state.pending)
            if not any(got is a or got == a for a in allowed):
                problems.append("%s: found %s, expected %s" % (
                    key, describe(got), " or ".join(describe(a) for a in allowed)))
                continue
            if state.has_pending and (got is state.pending or got == state.pending):
                state.acked = state.pending  # the in-flight write landed
            state.pending, state.has_pending = None, False
        # Nothing that was never written shows up (once the server implements Scan).
        status, body = call(conn, "Scan", {"TableName": TABLE})
        conn.close()
        if "UnknownOperationException" not in body.get("__type", ""):
            self.assertEqual(status, 200, body)
            self.assertNotIn("LastEvaluatedKey", body)
        for item in body.get("Items", []) if status == 200 else []:
            key = item["k"]["S"]
            if key not in keys:
                problems.append("Scan found unknown key " + key)
            elif keys[key].acked is DELETED or keys[key].acked != item["v"]["S"]:
                problems.append("Scan: %s = %s, GetItem said %s" % (
                    key, describe(item["v"]["S"]), describe(keys[key].acked)))
        self.assertFalse(problems, "%s: %d problems, first: %s\nstderr: %s" % (
            what, len(problems), problems[:5], server.stderr()))


def describe(value):
    if value is DELETED:
        return "<absent>"
    if value is None:
        return "<never acknowledged>"
    return repr(value[:24] + ("...(%d)" % len(value) if len(value) > 24 else ""))


if __name__ == "__main__":
    unittest.main()
