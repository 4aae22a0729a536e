"""The strata process itself: flags and Floci environment variables (flags win), startup line,
exit codes (bad flag 2, port in use 1, SIGTERM/SIGINT 0), the DynamoDB service switch, storage
modes on disk, restarting with the same flags, and the POST /_strata/compact admin endpoint.

Each test starts its own short-lived servers.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import unittest
import urllib.error
import urllib.request

import botocore.exceptions

from strata_harness import (StrataServer, boto3_client, free_port, http_get, port_accepts,
                            strata_bin, users_table)


def files_under(path):
    """All regular files below path (empty list if path does not exist)."""
    out = []
    for root, _, names in os.walk(path):
        out.extend(os.path.join(root, n) for n in names)
    return out


class ServerProcessTest(unittest.TestCase):

    def setUp(self):
        self.servers = []
        self.tmp = tempfile.mkdtemp(prefix="strata-e2e-srv-")

    def tearDown(self):
        for s in self.servers:
            s.cleanup()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def server(self, args=(), env=None, port="auto", data_dir="auto", cwd=None):
        s = StrataServer(args=args, env=env, port=port, data_dir=data_dir, cwd=cwd)
        self.servers.append(s)
        return s

    def stop_ok(self, s, sig=signal.SIGTERM):
        code = s.stop(sig)
        self.assertEqual(code, 0, "exit code %r on %s\nstderr: %s" % (code, sig.name,
                                                                      s.stderr()[-3000:]))

    def run_to_exit(self, args, env=None, timeout=10):
        """Runs the binary expecting it to exit by itself; returns (code, stdout, stderr)."""
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("FLOCI_")}
        full_env.update(env or {})
        try:
            p = subprocess.run([strata_bin()] + list(args), env=full_env, capture_output=True,
                               text=True, timeout=timeout, cwd=self.tmp,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            self.fail("strata %s did not exit within %ds" % (" ".join(args), timeout))
        return p.returncode, p.stdout, p.stderr

    def wait_for_stdout(self, s, text, timeout=3.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in s.stdout():
                return s.stdout()
            time.sleep(0.05)
        return s.stdout()

    # --- startup and shutdown ------------------------------------------------------------------

    def test_startup_line_has_address(self):
        s = self.server().start()
        addr = "127.0.0.1:%d" % s.port
        out = self.wait_for_stdout(s, addr)
        lines = [l for l in out.splitlines() if l.strip()]
        self.assertEqual(len(lines), 1, "expected one startup line, got %r" % out)
        self.assertIn(addr, lines[0])
        self.stop_ok(s)

    def test_sigterm_exits_0(self):
        s = self.server().start()
        c = boto3_client(s.endpoint)
        users_table(c)
        c.put_item(TableName="Users", Item={"userId": {"S": "u1"}})
        self.stop_ok(s, signal.SIGTERM)

    def test_sigint_exits_0(self):
        s = self.server().start()
        boto3_client(s.endpoint).list_tables()
        self.stop_ok(s, signal.SIGINT)

    def test_sigterm_while_idle_connection_open(self):
        s = self.server().start()
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=5)
        try:
            self.stop_ok(s, signal.SIGTERM)
        finally:
            sock.close()

    def test_bad_flag_exits_2(self):
        port = str(free_port())
        cases = [
            ["--no-such-flag"],
            ["--port", port, "--no-such-flag", "x"],
            ["--port", "not-a-port"],
            ["--port", "70000"],
            ["--port", port, "--storage-mode", "bogus"],
            ["--port", port, "--flush-interval-ms", "abc"],
        ]
        for args in cases:
            with self.subTest(args=args):
                code, out, err = self.run_to_exit(args)
                self.assertEqual(code, 2, "stdout: %r stderr: %r" % (out, err))
                self.assertTrue(err.strip(), "no message on stderr")
                self.assertFalse(port_accepts(int(port)), "it listened anyway")

    def test_bad_flag_message_names_the_flag(self):
        code, _, err = self.run_to_exit(["--no-such-flag"])
        self.assertEqual(code, 2)
        self.assertIn("no-such-flag", err)
        code, _, err = self.run_to_exit(["--storage-mode", "bogus"])
        self.assertEqual(code, 2)
        self.assertIn("bogus", err)

    def test_port_in_use_exits_1(self):
        blocker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            blocker.bind(("127.0.0.1", 0))
            blocker.listen(1)
            port = blocker.getsockname()[1]
            s = self.server(port=port, args=["--port", str(port)]).launch()
            code = s.wait(10)
            self.assertEqual(code, 1, "stdout: %r stderr: %r" % (s.stdout(), s.stderr()))
            message = s.stderr() + s.stdout()
            self.assertIn(str(port), message, "the message does not name the port")
            self.assertTrue(s.stderr().strip(), "no message on stderr")
        finally:
            blocker.close()

    # --- flags vs environment ------------------------------------------------------------------

    def test_port_flag_beats_env(self):
        env_port, flag_port = free_port(), free_port()
        s = self.server(port=flag_port, args=["--port", str(flag_port)],
                        env={"FLOCI_PORT": str(env_port)}).start()
        self.assertFalse(port_accepts(env_port), "listening on FLOCI_PORT despite --port")
        self.stop_ok(s)

    def test_port_from_env(self):
        env_port = free_port()
        s = self.server(port=env_port, env={"FLOCI_PORT": str(env_port)}).start()
        self.assertEqual(http_get(env_port, "/")[0], 200)
        self.stop_ok(s)

    def test_default_region_from_env(self):
        s = self.server(env={"FLOCI_DEFAULT_REGION": "eu-west-1"}).start()
        status, _, body = http_get(s.port, "/")
        self.assertEqual(status, 200)
        self.assertEqual(body, b"healthy: dynamodb.eu-west-1.amazonaws.com ")
        self.stop_ok(s)

    def test_default_region_is_us_east_1(self):
        s = self.server().start()
        self.assertEqual(http_get(s.port, "/")[2], b"healthy: dynamodb.us-east-1.amazonaws.com ")
        self.stop_ok(s)

    def test_default_account_from_env(self):
        s = self.server(env={"FLOCI_DEFAULT_ACCOUNT_ID": "123456789012"}).start()
        c = boto3_client(s.endpoint, access_key="AKIAIOSFODNN7EXAMPLE")
        arn = users_table(c)["TableDescription"]["TableArn"]
        self.assertEqual(arn, "arn:aws:dynamodb:us-east-1:123456789012:table/Users")
        self.stop_ok(s)

    def test_dynamodb_disabled(self):
        s = self.server(env={"FLOCI_SERVICES_DYNAMODB_ENABLED": "false"}).start()
        c = boto3_client(s.endpoint)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            c.list_tables()
        err = cm.exception.response
        self.assertEqual(err["Error"]["Code"], "UnknownOperationException", err)
        self.assertEqual(err["ResponseMetadata"]["HTTPStatusCode"], 400, err)
        self.stop_ok(s)

    def test_dynamodb_enabled_explicitly(self):
        s = self.server(env={"FLOCI_SERVICES_DYNAMODB_ENABLED": "true"}).start()
        self.assertEqual(boto3_client(s.endpoint).list_tables()["TableNames"], [])
        self.stop_ok(s)

    def test_flush_interval_flag_and_env(self):
        s = self.server(args=["--flush-interval-ms", "20"],
                        env={"FLOCI_STORAGE_SERVICES_DYNAMODB_FLUSH_INTERVAL_MS": "5000"}).start()
        c = boto3_client(s.endpoint)
        users_table(c)
        c.put_item(TableName="Users", Item={"userId": {"S": "u1"}})
        self.assertIn("Item", c.get_item(TableName="Users", Key={"userId": {"S": "u1"}}))
        self.stop_ok(s)

    # --- storage modes and restarts ------------------------------------------------------------

    def write_sample(self, endpoint):
        c = boto3_client(endpoint)
        users_table(c)
        c.put_item(TableName="Users", Item={"userId": {"S": "u1"}, "age": {"N": "1e3"}})

    def read_sample(self, endpoint):
        """Returns the sample item, or None when the table or item is gone."""
        c = boto3_client(endpoint)
        if "Users" not in c.list_tables()["TableNames"]:
            return None
        return c.get_item(TableName="Users", Key={"userId": {"S": "u1"}},
                          ConsistentRead=True).get("Item")

    def assert_durable(self, s):
        """Every disk mode is durable now: the old "not durable yet" warning must not appear."""
        time.sleep(0.1)
        for line in s.stderr().splitlines():
            self.assertNotIn("not durable yet", line)

    def restart_cycle(self, args, env=None, cwd=None):
        """Start, write, SIGTERM, start again with the same flags; returns what survived."""
        port = free_port()
        full = ["--port", str(port)] + list(args)
        first = self.server(port=port, data_dir=None, args=full, env=env, cwd=cwd).start()
        self.assert_durable(first)
        self.write_sample(first.endpoint)
        self.stop_ok(first)
        second = self.server(port=port, data_dir=None, args=full, env=env, cwd=cwd).start()
        item = self.read_sample(second.endpoint)
        self.stop_ok(second)
        return item

    def test_restart_with_same_flags_keeps_data_in_wal_mode(self):
        data = os.path.join(self.tmp, "d-wal")
        item = self.restart_cycle(["--data-dir", data, "--storage-mode", "wal"])
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})
        self.assertTrue(files_under(data), "wal mode wrote no files")

    def test_default_mode_keeps_data(self):
        data = os.path.join(self.tmp, "d-default")
        item = self.restart_cycle(["--data-dir", data])
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})

    def test_restart_keeps_data_in_persistent_mode(self):
        data = os.path.join(self.tmp, "d-persistent")
        item = self.restart_cycle(["--data-dir", data, "--storage-mode", "persistent"])
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})

    def test_restart_keeps_data_in_hybrid_mode(self):
        data = os.path.join(self.tmp, "d-hybrid")
        item = self.restart_cycle(["--data-dir", data, "--storage-mode", "hybrid",
                                   "--flush-interval-ms", "50"])
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})

    # --- POST /_strata/compact -----------------------------------------------------------------

    def post_compact(self, endpoint):
        """POSTs /_strata/compact; returns (HTTP status, decoded JSON body)."""
        req = urllib.request.Request(endpoint + "/_strata/compact", data=b"", method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, json.loads(r.read())
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read())

    def scan_users(self, c):
        items = {}
        kw = dict(TableName="Users", ConsistentRead=True)
        while True:
            page = c.scan(**kw)
            for it in page["Items"]:
                items[it["userId"]["S"]] = it["v"]["N"]
            if "LastEvaluatedKey" not in page:
                return items
            kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def test_compact_endpoint_merges_every_table_and_keeps_the_data(self):
        data = os.path.join(self.tmp, "d-compact")
        port = free_port()
        args = ["--port", str(port), "--data-dir", data, "--storage-mode", "wal"]
        s = self.server(port=port, data_dir=None, args=args).start()
        c = boto3_client(s.endpoint)
        users_table(c)
        model = {}
        for rnd in range(4):
            for i in range(60):
                c.put_item(TableName="Users",
                           Item={"userId": {"S": "u%d" % i}, "v": {"N": str(rnd * 100 + i)}})
                model["u%d" % i] = str(rnd * 100 + i)
            for i in range(rnd, 60, 7):
                c.delete_item(TableName="Users", Key={"userId": {"S": "u%d" % i}})
                model.pop("u%d" % i, None)
            status, body = self.post_compact(s.endpoint)
            self.assertEqual((status, body), (200, {"status": "ok"}))
            # Memtable flushed, then every table merged into one level: one SSTable holds all.
            tables = [f for f in files_under(data) if f.endswith(".sst")]
            self.assertEqual(len(tables), 1, tables)
            self.assertEqual(self.scan_users(c), model)
        self.stop_ok(s)
        again = self.server(port=port, data_dir=None, args=args).start()
        self.assertEqual(self.scan_users(boto3_client(again.endpoint)), model)
        self.stop_ok(again)

    def test_compact_endpoint_in_memory_mode_is_a_400(self):
        s = self.server(args=["--storage-mode", "memory"]).start()
        status, body = self.post_compact(s.endpoint)
        self.assertEqual(status, 400)
        self.assertEqual(body["status"], "error")
        self.assertIn("memory storage mode", body["message"])
        self.stop_ok(s)

    def test_memory_mode_writes_no_files_and_forgets(self):
        data = os.path.join(self.tmp, "d-memory")
        item = self.restart_cycle(["--data-dir", data, "--storage-mode", "memory"])
        self.assertIsNone(item, "memory mode kept data across a restart")
        self.assertEqual(files_under(data), [], "memory mode wrote files")

    def test_storage_mode_from_env(self):
        data = os.path.join(self.tmp, "d-env-memory")
        item = self.restart_cycle(["--data-dir", data], env={"FLOCI_STORAGE_MODE": "memory"})
        self.assertIsNone(item)
        self.assertEqual(files_under(data), [])

    def test_storage_mode_flag_beats_env(self):
        data = os.path.join(self.tmp, "d-flag-wal")
        item = self.restart_cycle(["--data-dir", data, "--storage-mode", "wal"],
                                  env={"FLOCI_STORAGE_MODE": "memory"})
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})

    def test_dynamodb_storage_mode_env_beats_global_env(self):
        data = os.path.join(self.tmp, "d-svc-memory")
        item = self.restart_cycle(["--data-dir", data],
                                  env={"FLOCI_STORAGE_MODE": "wal",
                                       "FLOCI_STORAGE_SERVICES_DYNAMODB_MODE": "memory"})
        self.assertIsNone(item)
        self.assertEqual(files_under(data), [])

    def test_data_dir_from_env(self):
        data = os.path.join(self.tmp, "d-env-path")
        cwd = os.path.join(self.tmp, "cwd")
        os.makedirs(cwd)
        item = self.restart_cycle(["--storage-mode", "wal"], cwd=cwd,
                                  env={"FLOCI_STORAGE_PERSISTENT_PATH": data})
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})
        self.assertTrue(files_under(data), "nothing written under FLOCI_STORAGE_PERSISTENT_PATH")
        self.assertEqual(files_under(os.path.join(cwd, "data")), [],
                         "wrote to ./data despite FLOCI_STORAGE_PERSISTENT_PATH")

    def test_data_dir_flag_beats_env(self):
        flag_dir = os.path.join(self.tmp, "d-flag")
        env_dir = os.path.join(self.tmp, "d-env-ignored")
        item = self.restart_cycle(["--data-dir", flag_dir, "--storage-mode", "wal"],
                                  env={"FLOCI_STORAGE_PERSISTENT_PATH": env_dir})
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})
        self.assertTrue(files_under(flag_dir))
        self.assertEqual(files_under(env_dir), [])

    def test_default_data_dir_is_cwd_data(self):
        cwd = os.path.join(self.tmp, "cwd-default")
        os.makedirs(cwd)
        item = self.restart_cycle(["--storage-mode", "wal"], cwd=cwd)
        self.assertEqual(item, {"userId": {"S": "u1"}, "age": {"N": "1000"}})
        self.assertTrue(files_under(os.path.join(cwd, "data")), "nothing under ./data")

    def test_second_process_on_same_data_dir_fails_fast(self):
        data = os.path.join(self.tmp, "d-locked")
        first = self.server(data_dir=None, args=["--data-dir", data]).start()
        self.assert_durable(first)
        port2 = free_port()
        second = self.server(port=port2, data_dir=None,
                             args=["--port", str(port2), "--data-dir", data]).launch()
        code = second.wait(10)
        self.assertIsNotNone(code, "a second process on a locked data dir kept running")
        self.assertNotEqual(code, 0)
        self.assertTrue(second.stderr().strip(), "no message on stderr")
        self.stop_ok(first)


if __name__ == "__main__":
    unittest.main()
