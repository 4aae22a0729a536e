"""Shared fixture of the kill -9 crash tests (tests/crash/*_test.py).

  - Server: one $STRATA_BIN process on a data directory (start, wait for /_strata/health,
    kill -9, SIGTERM), its stderr kept in a file for failure messages;
  - call(): one DynamoDB request over raw HTTP (http.client keeps the request rate high and
    the dependencies to the standard library); create_table();
  - SEED (env CRASH_SEED) and iterations(): the iteration bound of a test from its env var;
  - CrashTestCase: a temporary directory per test, data_dir(mode), start() (servers still
    running when a test ends are killed in tearDown), and run_load(), which runs workers
    in threads, each with its own connection, kills the server -9 at a given moment (or just
    stops them) and waits for them. A connection error ends a worker quietly only once the
    kill has begun; any other exception, or a connection error before the kill, fails the
    test.

This module has no tests of its own (unittest collects nothing from it).
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
import traceback
import unittest

SEED = int(os.environ.get("CRASH_SEED", str(random.randrange(1 << 30))))

AUTH_HEADERS = {
    "Content-Type": "application/x-amz-json-1.0",
    "X-Amz-Date": "20240101T000000Z",
    # Signatures are not checked; the credential scope gives region and account.
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20240101/us-east-1/"
                     "dynamodb/aws4_request, SignedHeaders=host;x-amz-date, Signature=00",
}

# What a request to a server that was just killed can raise (a truncated body may also fail
# to decode).
CONNECTION_ERRORS = (OSError, ValueError, http.client.HTTPException)


def iterations(env_var, default):
    """The number of kill -9 iterations: $env_var, else default (ctest runs the default)."""
    value = int(os.environ.get(env_var, str(default)))
    if value < 1:
        raise ValueError("%s must be at least 1" % env_var)
    return value


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
    """One strata process on a data directory. `killed` is set just before the SIGKILL, so
    workers can tell errors caused by the kill from earlier ones."""

    def __init__(self, mode, data_dir, log_dir, flush_interval_ms=200):
        self.mode = mode
        self.port = free_port()
        self.killed = threading.Event()
        self.err_path = os.path.join(log_dir, "stderr-%d.txt" % self.port)
        self.err = open(self.err_path, "wb")
        self.proc = subprocess.Popen(
            [strata_bin(), "--host", "127.0.0.1", "--port", str(self.port), "--storage-mode",
             mode, "--data-dir", data_dir, "--flush-interval-ms", str(flush_interval_ms)],
            stdout=subprocess.DEVNULL, stderr=self.err, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self.err.close()
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
        self.abort()
        raise AssertionError("strata did not become healthy: " + self.stderr())

    def stderr(self):
        if not self.err.closed:
            self.err.flush()
        with open(self.err_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def connect(self):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def kill9(self):
        """SIGKILL; returns the exit code (-SIGKILL unless it had died by itself)."""
        self.killed.set()
        self.proc.send_signal(signal.SIGKILL)
        code = self.proc.wait()
        self.err.close()
        return code

    def terminate(self):
        """SIGTERM (a clean shutdown); returns the exit code."""
        self.proc.send_signal(signal.SIGTERM)
        code = self.proc.wait(timeout=30)
        self.err.close()
        return code

    def abort(self):
        """Kills the process if it still runs (cleanup after a failure)."""
        if self.proc.poll() is None:
            self.killed.set()
            self.proc.kill()
            self.proc.wait()
        if not self.err.closed:
            self.err.close()


def call(conn, op, payload):
    """One DynamoDB request; returns (status, decoded body)."""
    headers = dict(AUTH_HEADERS)
    headers["X-Amz-Target"] = "DynamoDB_20120810." + op
    conn.request("POST", "/", body=json.dumps(payload).encode(), headers=headers)
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read() or b"{}")


def create_table(conn, name, hash_key):
    """CreateTable of an on-demand table with a string hash key; returns (status, body)."""
    return call(conn, "CreateTable", {
        "TableName": name, "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [{"AttributeName": hash_key, "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": hash_key, "KeyType": "HASH"}]})


class CrashTestCase(unittest.TestCase):
    """Base class of the crash tests: a temporary directory per test, a seeded rng (self.rng,
    from SEED, printed so a failure can be replayed), servers started with start() are
    killed if still running when the test ends."""

    TMP_PREFIX = "strata-crash-"

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix=self.TMP_PREFIX)
        self.rng = random.Random(SEED)
        self.servers = []
        print("\nCRASH_SEED=%d" % SEED, flush=True)

    def tearDown(self):
        for server in self.servers:
            server.abort()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def data_dir(self, mode):
        return os.path.join(self.tmp, "data-" + mode)

    def start(self, mode, **kwargs):
        """Starts strata on data_dir(mode) and waits until it is healthy."""
        server = Server(mode, self.data_dir(mode), self.tmp, **kwargs)
        self.servers.append(server)
        return server

    def create_tables(self, server, tables):
        """tables: {name: hash key attribute}."""
        conn = server.connect()
        try:
            for name, hash_key in tables.items():
                status, body = create_table(conn, name, hash_key)
                self.assertEqual(status, 200, body)
        finally:
            conn.close()

    def run_load(self, server, worker, threads, seconds, kill9=True):
        """Runs worker(t, conn, stop) for t in range(threads), each thread with its own
        connection, for `seconds`; then kills the server -9 (kill9) or just sets stop (the
        server keeps running). A worker loops `while not stop.is_set()` and raises
        AssertionError on an unexpected answer. Asserts that no worker failed and, with
        kill9, that the server died of the kill; returns the time.monotonic() of the kill (or
        of the stop)."""
        stop = threading.Event()
        errors = []

        def run(t):
            conn = server.connect()
            try:
                worker(t, conn, stop)
            except CONNECTION_ERRORS:
                if not server.killed.is_set():
                    errors.append("worker %d, before any kill: %s" %
                                  (t, traceback.format_exc()))
            except Exception:  # noqa: BLE001 - reported below
                errors.append("worker %d: %s" % (t, traceback.format_exc()))
            finally:
                conn.close()

        pool = [threading.Thread(target=run, args=(t,)) for t in range(threads)]
        for th in pool:
            th.start()
        time.sleep(seconds)
        stopped_at = time.monotonic()
        code = server.kill9() if kill9 else None
        stop.set()
        for th in pool:
            th.join(timeout=60)
        self.assertFalse([th for th in pool if th.is_alive()], "workers hang")
        if kill9:
            self.assertEqual(code, -signal.SIGKILL, "strata died by itself: " + server.stderr())
        else:
            self.assertIsNone(server.proc.poll(), "strata died: " + server.stderr())
        self.assertFalse(errors, "%d workers failed, first: %s" % (len(errors), errors[:2]))
        return stopped_at
