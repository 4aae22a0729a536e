"""Harness for the end-to-end tests: runs the real strata binary and talks to it.

What it gives the test modules:
  - StrataServer: starts `$STRATA_BIN` on a free port with a fresh temporary --data-dir, waits
    for GET /_strata/health to answer 200, captures stdout/stderr to files, and stops it with
    SIGTERM (or SIGINT), returning the exit code.
  - ServerTestCase: a unittest.TestCase that shares one server per test class (setUpClass) and
    asserts in tearDownClass that the server exited 0 on SIGTERM.
  - aws_cli(): runs `aws dynamodb ... --endpoint-url ... --output json` with its own
    credentials/region and empty config files, so ~/.aws never matters.
  - boto3_client(): a DynamoDB client with retries disabled (max_attempts=1) so errors surface.
  - raw_request() / signed_request(): wire-level HTTP (http.client) for checks that SDKs hide.

Everything here is Python 3 standard library plus boto3/botocore; no pip installs.
"""

import atexit
import decimal
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid
import zlib

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.config
import botocore.credentials

DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "000000000000"
TARGET_PREFIX = "DynamoDB_20120810."
JSON_10 = "application/x-amz-json-1.0"

# Keys used when a test does not care about the account: not 12 digits, so the server must map
# them to the default account.
DEFAULT_ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
DEFAULT_SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

STARTUP_TIMEOUT_S = 20.0
STOP_TIMEOUT_S = 15.0

# An empty directory with empty AWS config/credentials files, shared by the CLI and boto3 so
# that neither reads the user's ~/.aws.
_AWS_HOME = tempfile.mkdtemp(prefix="strata-e2e-awshome-")
_AWS_CONFIG = os.path.join(_AWS_HOME, "config")
_AWS_CREDS = os.path.join(_AWS_HOME, "credentials")
for _p in (_AWS_CONFIG, _AWS_CREDS):
    with open(_p, "w", encoding="utf-8"):
        pass
atexit.register(shutil.rmtree, _AWS_HOME, True)
os.environ["AWS_CONFIG_FILE"] = _AWS_CONFIG
os.environ["AWS_SHARED_CREDENTIALS_FILE"] = _AWS_CREDS
for _v in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL",
           "AWS_ENDPOINT_URL_DYNAMODB", "AWS_CA_BUNDLE"):
    os.environ.pop(_v, None)


def strata_bin():
    """Path of the binary under test, from $STRATA_BIN (as set by ctest)."""
    path = os.environ.get("STRATA_BIN", "")
    if not path:
        raise RuntimeError("STRATA_BIN is not set; run via ctest or "
                           "`STRATA_BIN=<build>/strata python3 -m unittest -v`")
    if not os.access(path, os.X_OK):
        raise RuntimeError("STRATA_BIN=%r is not an executable file" % path)
    return path


def free_port():
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_accepts(port, host="127.0.0.1", timeout=0.5):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def http_get(port, path, host="127.0.0.1", timeout=5.0):
    """GET path; returns (status, headers{lower: value}, body bytes)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body
    finally:
        conn.close()


class StrataServer:
    """One strata process. Not thread-safe; start() once, stop() once.

    args: extra command-line flags. By default the harness passes --host 127.0.0.1, a free
    --port and a fresh temporary --data-dir; pass port=None / data_dir=None to leave those flags
    out (for env-precedence tests) and set `port` explicitly for health polling.
    """

    def __init__(self, args=(), env=None, port="auto", data_dir="auto", host="127.0.0.1",
                 cwd=None):
        self.tmp = tempfile.mkdtemp(prefix="strata-e2e-")
        self.host = host
        self.port = free_port() if port == "auto" else port
        self.data_dir = os.path.join(self.tmp, "data") if data_dir == "auto" else data_dir
        self.cmd = [strata_bin()]
        if host is not None:
            self.cmd += ["--host", host]
        if port == "auto":
            self.cmd += ["--port", str(self.port)]
        if data_dir == "auto":
            self.cmd += ["--data-dir", self.data_dir]
        self.cmd += list(args)
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("FLOCI_"):
                del self.env[k]
        self.env.update(env or {})
        self.cwd = cwd or self.tmp
        self.stdout_path = os.path.join(self.tmp, "stdout.txt")
        self.stderr_path = os.path.join(self.tmp, "stderr.txt")
        self.proc = None
        self.returncode = None

    @property
    def endpoint(self):
        return "http://%s:%d" % (self.host or "127.0.0.1", self.port)

    def launch(self):
        """Start the process without waiting for health (for tests of failing startups)."""
        self._out = open(self.stdout_path, "wb")
        self._err = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(self.cmd, stdout=self._out, stderr=self._err,
                                     stdin=subprocess.DEVNULL, env=self.env, cwd=self.cwd)
        return self

    def start(self, timeout=STARTUP_TIMEOUT_S):
        """Start and wait until GET /_strata/health answers 200."""
        self.launch()
        deadline = time.monotonic() + timeout
        last = None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                self._close_files()
                raise RuntimeError("strata exited with %s during startup\ncmd: %s\n"
                                   "stdout: %s\nstderr: %s" % (self.proc.returncode, self.cmd,
                                                               self.stdout(), self.stderr()))
            try:
                status, _, _ = http_get(self.port, "/_strata/health", timeout=1.0)
                if status == 200:
                    return self
                last = "status %d" % status
            except OSError as e:
                last = repr(e)
            time.sleep(0.05)
        self.kill()
        raise RuntimeError("strata did not become healthy within %.0fs (last: %s)\ncmd: %s\n"
                           "stdout: %s\nstderr: %s" % (timeout, last, self.cmd, self.stdout(),
                                                       self.stderr()))

    def wait(self, timeout):
        """Wait for the process to exit by itself; returns its exit code (None on timeout)."""
        try:
            self.returncode = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None
        self._close_files()
        return self.returncode

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT_S):
        """Send sig and wait; returns the exit code, or None if it had to be killed."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        self.returncode = self.proc.returncode
        self._close_files()
        return self.returncode

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_files()

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def _close_files(self):
        for f in (getattr(self, "_out", None), getattr(self, "_err", None)):
            if f is not None and not f.closed:
                f.close()

    def stdout(self):
        return _read_text(self.stdout_path)

    def stderr(self):
        return _read_text(self.stderr_path)

    # Client helpers bound to this server.
    def client(self, **kw):
        return boto3_client(self.endpoint, **kw)

    def cli(self, *args, **kw):
        return aws_cli(self.endpoint, *args, **kw)


def _read_text(path):
    try:
        with open(path, "rb") as f:
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


class ExternalServer:
    """An already-running DynamoDB-compatible endpoint named by $STRATA_TEST_ENDPOINT (e.g.
    http://127.0.0.1:8123, a reference implementation such as dynalite). The harness neither
    starts nor stops it; stop() reports None so exit-code assertions are skipped."""

    def __init__(self, endpoint):
        parsed = urllib.parse.urlsplit(endpoint)
        self.host = parsed.hostname or "127.0.0.1"
        self.port = parsed.port or 80
        self._endpoint = endpoint.rstrip("/")
        self.proc = None
        self.returncode = None

    @property
    def endpoint(self):
        return self._endpoint

    def start(self, timeout=STARTUP_TIMEOUT_S):
        return self

    def stop(self, sig=signal.SIGTERM, timeout=STOP_TIMEOUT_S):
        return None

    def kill(self):
        pass

    def cleanup(self):
        pass

    def stdout(self):
        return ""

    def stderr(self):
        return ""

    def client(self, **kw):
        return boto3_client(self.endpoint, **kw)

    def cli(self, *args, **kw):
        return aws_cli(self.endpoint, *args, **kw)


def external_endpoint():
    """$STRATA_TEST_ENDPOINT, or None when the tests must start $STRATA_BIN themselves."""
    return os.environ.get("STRATA_TEST_ENDPOINT") or None


class ServerTestCase(unittest.TestCase):
    """Shares one strata server per test class. Subclasses may set server_args / server_env.

    With $STRATA_TEST_ENDPOINT set, the class talks to that endpoint instead of starting
    $STRATA_BIN, and the exit-code check at teardown is skipped."""

    server_args = ()
    server_env = None
    server = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if external_endpoint():
            cls.server = ExternalServer(external_endpoint())
        else:
            cls.server = StrataServer(args=cls.server_args, env=cls.server_env)
        try:
            cls.server.start()
        except Exception:
            cls.server.cleanup()
            raise
        cls.ddb = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        server = cls.server
        if isinstance(server, ExternalServer):
            super().tearDownClass()
            return
        try:
            code = server.stop()
            if code != 0:
                raise AssertionError("strata did not exit 0 on SIGTERM (got %r)\nstderr: %s"
                                     % (code, server.stderr()[-4000:]))
        finally:
            server.cleanup()
            super().tearDownClass()

    # Assertion helpers shared by the modules.
    def assertClientError(self, ctx_exc, code, message=None, status=400):
        """Checks a botocore ClientError: error code, exact message and HTTP status."""
        resp = ctx_exc.response
        self.assertEqual(resp["Error"]["Code"], code, resp)
        self.assertEqual(resp["ResponseMetadata"]["HTTPStatusCode"], status, resp)
        if message is not None:
            self.assertEqual(resp["Error"].get("Message", ""), message, resp)


def boto3_client(endpoint, region=DEFAULT_REGION, access_key=DEFAULT_ACCESS_KEY,
                 secret_key=DEFAULT_SECRET_KEY, validate=True):
    """A DynamoDB client with one attempt per call, so errors are never retried away."""
    session = boto3.session.Session(aws_access_key_id=access_key,
                                    aws_secret_access_key=secret_key, region_name=region)
    cfg = botocore.config.Config(retries={"max_attempts": 1, "mode": "standard"},
                                 parameter_validation=validate, connect_timeout=5,
                                 read_timeout=60)
    return session.client("dynamodb", endpoint_url=endpoint, config=cfg)


def aws_cli(endpoint, *args, region=DEFAULT_REGION, access_key=DEFAULT_ACCESS_KEY,
            secret_key=DEFAULT_SECRET_KEY, timeout=60):
    """Runs `aws dynamodb <args> --endpoint-url <endpoint> --output json`.

    Returns subprocess.CompletedProcess with text stdout/stderr.
    """
    env = dict(os.environ)
    env.update({
        "AWS_ACCESS_KEY_ID": access_key,
        "AWS_SECRET_ACCESS_KEY": secret_key,
        "AWS_DEFAULT_REGION": region,
        "AWS_REGION": region,
        "AWS_CONFIG_FILE": _AWS_CONFIG,
        "AWS_SHARED_CREDENTIALS_FILE": _AWS_CREDS,
        "AWS_PAGER": "",
    })
    for var in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        env.pop(var, None)
    cmd = _aws_command() + ["dynamodb"] + list(args) + ["--endpoint-url", endpoint,
                                                        "--output", "json"]
    return subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


_AWS_CMD = None


def _aws_command():
    """`python3 -m awscli` when this interpreter has it (skips the shell shims, faster),
    else the `aws` on PATH."""
    global _AWS_CMD
    if _AWS_CMD is None:
        try:
            import awscli  # noqa: F401
            _AWS_CMD = [sys.executable, "-m", "awscli"]
        except ImportError:
            _AWS_CMD = ["aws"]
    return list(_AWS_CMD)


class RawResponse:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-case names
        self.body = body        # bytes

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def error_type(self):
        """The error code as botocore derives it from __type (after the last '#')."""
        t = self.json().get("__type", "")
        return t.split("#")[-1].split(":")[0]

    def error_message(self):
        d = self.json()
        return d.get("message", d.get("Message"))

    def __repr__(self):
        return "RawResponse(%d, %r, %r)" % (self.status, self.headers, self.body[:500])


def raw_request(port, method="POST", path="/", body=b"", headers=None, conn=None,
                host="127.0.0.1", timeout=30.0):
    """Sends one HTTP request. Reuses conn (keep-alive) when given."""
    own = conn is None
    if own:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return RawResponse(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)
    finally:
        if own:
            conn.close()


def sign_headers(port, body, target=None, content_type=JSON_10, region=DEFAULT_REGION,
                 access_key=DEFAULT_ACCESS_KEY, secret_key=DEFAULT_SECRET_KEY,
                 host="127.0.0.1", extra=None):
    """SigV4 headers for a POST / to the server, as an SDK would send them."""
    if isinstance(body, str):
        body = body.encode("utf-8")
    headers = {"Content-Type": content_type}
    if target is not None:
        headers["X-Amz-Target"] = target
    headers.update(extra or {})
    url = "http://%s:%d/" % (host, port)
    req = botocore.awsrequest.AWSRequest(method="POST", url=url, data=body, headers=headers)
    creds = botocore.credentials.Credentials(access_key, secret_key)
    botocore.auth.SigV4Auth(creds, "dynamodb", region).add_auth(req)
    return dict(req.headers.items())


def signed_request(port, op, payload, content_type=JSON_10, region=DEFAULT_REGION,
                   access_key=DEFAULT_ACCESS_KEY, conn=None, target=None, raw_body=None):
    """POST / with X-Amz-Target DynamoDB_20120810.<op> and a JSON payload (or raw_body)."""
    body = raw_body if raw_body is not None else json.dumps(payload).encode("utf-8")
    if isinstance(body, str):
        body = body.encode("utf-8")
    tgt = target if target is not None else TARGET_PREFIX + op
    headers = sign_headers(port, body, target=tgt, content_type=content_type, region=region,
                           access_key=access_key)
    return raw_request(port, "POST", "/", body=body, headers=headers, conn=conn)


def crc32_of(body):
    return zlib.crc32(body) & 0xFFFFFFFF


def users_table(client, name="Users", billing="PAY_PER_REQUEST"):
    """Creates the README's Users table (userId S HASH, on demand)."""
    kw = dict(TableName=name,
              AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
              KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}])
    if billing == "PAY_PER_REQUEST":
        kw["BillingMode"] = "PAY_PER_REQUEST"
    else:
        kw["ProvisionedThroughput"] = {"ReadCapacityUnits": 5, "WriteCapacityUnits": 5}
    return client.create_table(**kw)


# ---- helpers shared by the test modules --------------------------------------------------------

# True when the tests run against another server (STRATA_TEST_ENDPOINT, e.g. dynalite) without
# STRATA_TEST_STRICT: tests of AWS behaviour that server lacks are then skipped.
_EXTERNAL = bool(os.environ.get("STRATA_TEST_ENDPOINT")) and not os.environ.get(
    "STRATA_TEST_STRICT")


def aws_only(reason):
    """Marks a test whose expectation is AWS's where dynalite differs (reason says how)."""
    return unittest.skipIf(_EXTERNAL, "dynalite differs: " + reason)


def unique(prefix):
    """A table name no other test uses."""
    return "%s-%s" % (prefix, uuid.uuid4().hex[:8])


def ad(*pairs):
    """AttributeDefinitions from (name, type) pairs."""
    return [{"AttributeName": n, "AttributeType": t} for n, t in pairs]


def ks(hash_key, range_key=None):
    """A KeySchema."""
    out = [{"AttributeName": hash_key, "KeyType": "HASH"}]
    if range_key:
        out.append({"AttributeName": range_key, "KeyType": "RANGE"})
    return out


def sort_value(av):
    """DynamoDB's order of a key value: N numerically, S by UTF-8 bytes, B as unsigned bytes."""
    (t, v), = av.items()
    if t == "N":
        return (0, decimal.Decimal(v), b"")
    if t == "S":
        return (1, 0, v.encode("utf-8"))
    return (2, 0, bytes(v))
