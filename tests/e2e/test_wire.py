"""Wire-level behaviour: health page, 404s, content types, x-amz-crc32, request ids,
keep-alive, and the DescribeEndpoints / DescribeLimits shapes.

Sources: DESIGN.md section 6.1/6.2; dynalite test/connection.js (validated against live AWS):
GET / answers 'healthy: dynamodb.<region>.amazonaws.com ' (trailing space); a non-POST or a
body with a wrong content type answers 404 with '<UnknownOperationException/>\\n' (29 bytes,
x-amz-crc32 3552371480); x-amzn-RequestId is 52 characters [0-9A-Z]. The AWS CLI reference
examples (describe-endpoints.rst, describe-limits.rst) give the two account shapes.
"""

import http.client
import re
import unittest

from strata_harness import (JSON_10, TARGET_PREFIX, ServerTestCase, crc32_of, raw_request,
                            sign_headers, signed_request, users_table)

HEALTHY = b"healthy: dynamodb.us-east-1.amazonaws.com "
NOT_FOUND_BODY = b"<UnknownOperationException/>\n"
REQUEST_ID_RE = re.compile(r"^[0-9A-Z]{52}$")


class WireTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users_table(cls.ddb)
        cls.ddb.put_item(TableName="Users", Item={"userId": {"S": "u1"}, "name": {"S": "Alice"}})

    def port(self):
        return self.server.port

    def assertCommonHeaders(self, resp):
        self.assertIn("x-amzn-requestid", resp.headers, resp)
        self.assertTrue(resp.headers["x-amzn-requestid"], resp)
        self.assertIn("x-amz-crc32", resp.headers, resp)
        self.assertRegex(resp.headers["x-amz-crc32"], r"^[0-9]+$")
        self.assertEqual(int(resp.headers["x-amz-crc32"]), crc32_of(resp.body), resp)
        if "content-length" in resp.headers:
            self.assertEqual(int(resp.headers["content-length"]), len(resp.body))

    def assert404(self, resp):
        self.assertEqual(resp.status, 404, resp)
        self.assertEqual(resp.body, NOT_FOUND_BODY)
        self.assertEqual(resp.headers.get("x-amz-crc32"), "3552371480")
        self.assertCommonHeaders(resp)

    # --- GET / and 404s ------------------------------------------------------------------------

    def test_get_root_is_healthy(self):
        resp = raw_request(self.port(), "GET", "/")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.body, HEALTHY)
        self.assertCommonHeaders(resp)

    def test_get_other_paths_are_healthy(self):
        # AWS (and dynalite, validated against it) answers any GET with the health line.
        for path in ("/foo", "/index.html", "/_strata", "/healthz"):
            with self.subTest(path=path):
                resp = raw_request(self.port(), "GET", path)
                self.assertEqual(resp.status, 200)
                self.assertEqual(resp.body, HEALTHY)

    def test_other_methods_404(self):
        for method in ("PUT", "DELETE", "PATCH"):
            with self.subTest(method=method):
                self.assert404(raw_request(self.port(), method, "/", body=b"{}",
                                           headers={"Content-Type": JSON_10}))

    def test_wrong_content_type_404(self):
        # strata accepts application/x-amz-json-1.0, 1.1 and application/json; anything else
        # is AWS's 404.
        for ctype in ("text/plain", "whatever", "application/jsonasdf", "application/xml",
                      "application/x-amz-json-1.2"):
            with self.subTest(content_type=ctype):
                body = b"{}"
                headers = sign_headers(self.port(), body, target=TARGET_PREFIX + "ListTables",
                                       content_type=ctype)
                self.assert404(raw_request(self.port(), "POST", "/", body=body, headers=headers))

    def test_body_without_content_type_404(self):
        resp = raw_request(self.port(), "POST", "/", body=b"hi",
                           headers={"X-Amz-Target": TARGET_PREFIX + "ListTables"})
        self.assert404(resp)

    # --- content types -------------------------------------------------------------------------

    def test_content_types_accepted_and_echoed(self):
        for ctype in (JSON_10, "application/x-amz-json-1.1", "application/json"):
            with self.subTest(content_type=ctype):
                resp = signed_request(self.port(), "ListTables", {}, content_type=ctype)
                self.assertEqual(resp.status, 200, resp)
                self.assertEqual(resp.headers.get("content-type"), ctype)
                self.assertEqual(resp.json(), {"TableNames": ["Users"]})
                self.assertCommonHeaders(resp)

    def test_content_type_with_parameters(self):
        resp = signed_request(self.port(), "ListTables", {},
                              content_type="application/json;charset=utf-8")
        self.assertEqual(resp.status, 200, resp)
        self.assertEqual(resp.headers.get("content-type"), "application/json")

    def test_error_reply_echoes_content_type(self):
        for ctype in (JSON_10, "application/x-amz-json-1.1", "application/json"):
            with self.subTest(content_type=ctype):
                resp = signed_request(self.port(), "DescribeTable", {"TableName": "Nope"},
                                      content_type=ctype)
                self.assertEqual(resp.status, 400, resp)
                self.assertEqual(resp.headers.get("content-type"), ctype)
                self.assertCommonHeaders(resp)

    # --- crc32 and request ids -----------------------------------------------------------------

    def test_crc32_on_success_replies(self):
        cases = [
            ("ListTables", {}),
            ("DescribeTable", {"TableName": "Users"}),
            ("GetItem", {"TableName": "Users", "Key": {"userId": {"S": "u1"}}}),
            ("GetItem", {"TableName": "Users", "Key": {"userId": {"S": "missing"}}}),
            ("DescribeLimits", {}),
            ("DescribeEndpoints", {}),
        ]
        for op, payload in cases:
            with self.subTest(op=op):
                resp = signed_request(self.port(), op, payload)
                self.assertEqual(resp.status, 200, resp)
                self.assertCommonHeaders(resp)

    def test_crc32_on_error_replies(self):
        cases = [
            ("DescribeTable", {"TableName": "Nope"}, None),
            ("PutItem", {"TableName": "Users", "Item": {"userId": {"N": "1"}}}, None),
            ("ListTables", None, b"not json"),
            (None, {}, None),
        ]
        for op, payload, raw in cases:
            with self.subTest(op=op, raw=raw):
                target = None if op else TARGET_PREFIX + "NoSuchOp"
                resp = signed_request(self.port(), op, payload, raw_body=raw, target=target)
                self.assertEqual(resp.status, 400, resp)
                self.assertCommonHeaders(resp)

    def test_crc32_with_non_ascii_body(self):
        """The checksum covers the UTF-8 bytes sent, not characters."""
        item = {"userId": {"S": "\u00fcml\u00e4ut-\u2603"}, "v": {"S": "\U0001F600 \u00e9"}}
        self.ddb.put_item(TableName="Users", Item=item)
        resp = signed_request(self.port(), "GetItem",
                              {"TableName": "Users", "Key": {"userId": item["userId"]}})
        self.assertEqual(resp.status, 200, resp)
        self.assertCommonHeaders(resp)
        self.assertEqual(resp.json()["Item"], item)

    def test_request_ids_are_unique_and_aws_shaped(self):
        ids = set()
        for _ in range(5):
            resp = signed_request(self.port(), "ListTables", {})
            rid = resp.headers.get("x-amzn-requestid", "")
            self.assertRegex(rid, REQUEST_ID_RE)
            ids.add(rid)
        self.assertEqual(len(ids), 5)

    def test_boto3_sees_request_id(self):
        meta = self.ddb.list_tables()["ResponseMetadata"]
        self.assertTrue(meta.get("RequestId"))
        self.assertEqual(meta["HTTPStatusCode"], 200)

    # --- keep-alive ----------------------------------------------------------------------------

    def test_keep_alive(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port(), timeout=10)
        try:
            conn.connect()
            sock = conn.sock
            for i in range(6):
                if i % 3 == 2:
                    resp = raw_request(self.port(), "GET", "/", conn=conn)
                    self.assertEqual(resp.body, HEALTHY)
                elif i % 3 == 1:
                    resp = signed_request(self.port(), "DescribeTable", {"TableName": "Nope"},
                                          conn=conn)
                    self.assertEqual(resp.status, 400)
                else:
                    resp = signed_request(self.port(), "ListTables", {}, conn=conn)
                    self.assertEqual(resp.status, 200)
                self.assertIs(conn.sock, sock, "the server closed a keep-alive connection")
                self.assertNotEqual(resp.headers.get("connection", "").lower(), "close")
        finally:
            conn.close()

    # --- account operations --------------------------------------------------------------------

    def test_describe_endpoints_shape(self):
        out = self.ddb.describe_endpoints()
        out.pop("ResponseMetadata")
        self.assertEqual(list(out), ["Endpoints"])
        self.assertEqual(len(out["Endpoints"]), 1)
        ep = out["Endpoints"][0]
        self.assertEqual(sorted(ep), ["Address", "CachePeriodInMinutes"])
        self.assertIsInstance(ep["Address"], str)
        self.assertTrue(ep["Address"])
        self.assertEqual(ep["CachePeriodInMinutes"], 1440)

    def test_describe_limits_shape(self):
        out = self.ddb.describe_limits()
        out.pop("ResponseMetadata")
        self.assertEqual(out, {
            "AccountMaxReadCapacityUnits": 80000,
            "AccountMaxWriteCapacityUnits": 80000,
            "TableMaxReadCapacityUnits": 40000,
            "TableMaxWriteCapacityUnits": 40000,
        })


if __name__ == "__main__":
    unittest.main()
