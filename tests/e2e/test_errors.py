"""Error replies: type, exact message and HTTP status, through boto3 and raw HTTP.

Expected messages are AWS's wording as recorded by dynalite, which was validated against live
DynamoDB (github.com/mhart/dynalite and its fork architect/dynalite):
  - validations/index.js (validateAttributeValue, checkNum): number, set and datatype messages;
  - test/helpers.js assertType: SerializationException messages for wrong JSON types;
  - test/putItem.js, test/getItem.js: key, item-size and empty-key messages;
  - test/createTable.js: table-name messages;
  - db/index.js getTable: ResourceNotFoundException messages;
  - index.js and test/connection.js: SerializationException / UnknownOperationException bodies
    (no message) and the 16 MiB request limit (413).
"Table already exists: <name>" is the wording real DynamoDB returns for CreateTable on an
existing table (dynalite returns an empty message there).

After every rejected write the test checks that nothing was written. No reply may be a 500.
"""

import socket
import unittest

import botocore.exceptions

from strata_harness import JSON_10, TARGET_PREFIX, ServerTestCase, signed_request, users_table

SERIALIZATION = "com.amazon.coral.service#SerializationException"
UNKNOWN_OP = "com.amazon.coral.service#UnknownOperationException"
VALIDATION = "com.amazon.coral.validate#ValidationException"
NOT_FOUND = "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException"
IN_USE = "com.amazonaws.dynamodb.v20120810#ResourceInUseException"

INVALID = "One or more parameter values were invalid: "
OVERFLOW = ("Number overflow. Attempting to store a number with magnitude larger than "
            "supported range")
UNDERFLOW = ("Number underflow. Attempting to store a number with magnitude smaller than "
             "supported range")
TOO_PRECISE = "Attempting to store more than 38 significant digits in a Number"
NOT_NUMERIC = "The parameter cannot be converted to a numeric value"
KEY_MISMATCH = "The provided key element does not match the schema"
TOO_BIG = "Item size has exceeded the maximum allowed size"
TABLE_NAME_LEN = "TableName must be at least 3 characters long and at most 255 characters long"
MAP_OF_AV = ("Unrecognized collection type java.util.Map<java.lang.String, "
             "com.amazonaws.dynamodb.v20120810.AttributeValue>")

MAX_ITEM = 409600  # 400 KB, binary units


class ErrorsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        users_table(cls.ddb)

    # --- helpers -------------------------------------------------------------------------------

    def port(self):
        return self.server.port

    def assertNoItem(self, key, table="Users"):
        got = self.ddb.get_item(TableName=table, Key=key, ConsistentRead=True)
        self.assertNotIn("Item", got, "a rejected write left an item behind: %r" % got)

    def assertTableNames(self, names):
        self.assertEqual(sorted(self.ddb.list_tables()["TableNames"]), sorted(names))

    def assertRawError(self, resp, type_, message, status=400, message_key=None):
        """Checks a raw reply: status, full __type, message (None: no message at all)."""
        self.assertEqual(resp.status, status, resp)
        body = resp.json()
        self.assertEqual(body.get("__type"), type_, resp)
        if message is None:
            self.assertIsNone(body.get("message", body.get("Message")), resp)
        else:
            self.assertEqual(resp.error_message(), message, resp)
        if message_key is not None:
            self.assertIn(message_key, body, resp)

    def put_error(self, item, code, message, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.put_item(TableName="Users", Item=item, **kw)
        self.assertClientError(cm.exception, code, message)

    def put_validation(self, key, attr, message):
        """PutItem {userId: key, v: attr} must fail with message and write nothing."""
        item = {"userId": {"S": key}, "v": attr}
        self.put_error(item, "ValidationException", message)
        self.assertNoItem({"userId": {"S": key}})

    # --- protocol-level ------------------------------------------------------------------------

    def test_bad_json_body(self):
        for body in (b"hi", b'{"TableName": ', b"[1,2", b"\xff\xfe"):
            with self.subTest(body=body):
                resp = signed_request(self.port(), "ListTables", None, raw_body=body)
                self.assertRawError(resp, SERIALIZATION, None)

    def test_bad_json_body_on_write_writes_nothing(self):
        body = b'{"TableName":"Users","Item":{"userId":{"S":"ser1"}}'  # missing final brace
        resp = signed_request(self.port(), "PutItem", None, raw_body=body)
        self.assertRawError(resp, SERIALIZATION, None)
        self.assertNoItem({"userId": {"S": "ser1"}})

    def test_unknown_target(self):
        for target in ("DynamoDB_20120810.NoSuchOperation", "DynamoDB_20120810.ListTable",
                       "whatever", "Foo_20120810.ListTables", "DynamoDB_20120810.listTables",
                       "DynamoDB_20120810."):
            with self.subTest(target=target):
                resp = signed_request(self.port(), None, {}, target=target)
                self.assertRawError(resp, UNKNOWN_OP, None)

    def test_wrong_json_types(self):
        # (operation, payload, expected SerializationException message)
        cases = [
            ("DescribeTable", {"TableName": 5}, "NUMBER_VALUE cannot be converted to String"),
            ("DescribeTable", {"TableName": 34.56}, "DECIMAL_VALUE cannot be converted to String"),
            ("DescribeTable", {"TableName": True}, "TRUE_VALUE cannot be converted to String"),
            ("DescribeTable", {"TableName": False}, "FALSE_VALUE cannot be converted to String"),
            ("DescribeTable", {"TableName": []},
             "Unrecognized collection type class java.lang.String"),
            ("DescribeTable", {"TableName": {}},
             "Start of structure or map found where not expected"),
            ("PutItem", {"TableName": "Users", "Item": []}, MAP_OF_AV),
            ("PutItem", {"TableName": "Users", "Item": {"userId": {"S": 5}}},
             "NUMBER_VALUE cannot be converted to String"),
            ("PutItem", {"TableName": "Users", "Item": {"userId": {"S": "wt1"}, "n": {"N": 5}}},
             "NUMBER_VALUE cannot be converted to String"),
            ("GetItem", {"TableName": "Users", "Key": []}, MAP_OF_AV),
        ]
        for op, payload, message in cases:
            with self.subTest(op=op, payload=payload):
                resp = signed_request(self.port(), op, payload)
                self.assertRawError(resp, SERIALIZATION, message)
        self.assertNoItem({"userId": {"S": "wt1"}})

    def test_attribute_value_shape(self):
        cases = [
            ({}, "Supplied AttributeValue is empty, must contain exactly one of the supported "
                 "datatypes"),
            ({"S": "a", "N": "1"}, "Supplied AttributeValue has more than one datatypes set, "
                                   "must contain exactly one of the supported datatypes"),
            ({"NULL": False}, INVALID + "Null attribute value types must have the value of true"),
        ]
        for i, (attr, message) in enumerate(cases):
            with self.subTest(attr=attr):
                key = "shape%d" % i
                resp = signed_request(self.port(), "PutItem", {
                    "TableName": "Users", "Item": {"userId": {"S": key}, "v": attr}})
                self.assertRawError(resp, VALIDATION, message)
                self.assertNoItem({"userId": {"S": key}})

    def test_request_body_over_16_mib(self):
        """A body over 16 MiB gets a 4xx (dynalite/AWS: 413), never a 500 or a hang."""
        size = 16 * 1024 * 1024 + 1
        head = ("POST / HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Type: %s\r\n"
                "X-Amz-Target: %sListTables\r\nContent-Length: %d\r\n\r\n"
                % (self.port(), JSON_10, TARGET_PREFIX, size)).encode()
        chunk = b"a" * (1024 * 1024)
        sock = socket.create_connection(("127.0.0.1", self.port()), timeout=30)
        try:
            try:
                sock.sendall(head)
                sent = 0
                while sent < size:
                    n = min(len(chunk), size - sent)
                    sock.sendall(chunk[:n])
                    sent += n
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server may answer and close before reading everything
            data = b""
            try:
                while b"\r\n" not in data:
                    part = sock.recv(4096)
                    if not part:
                        break
                    data += part
            except ConnectionResetError:
                pass
        finally:
            sock.close()
        self.assertTrue(data.startswith(b"HTTP/1."), "no HTTP reply to a 16 MiB+1 body: %r"
                        % data[:200])
        status = int(data.split(b" ", 2)[1])
        self.assertGreaterEqual(status, 400, data[:200])
        self.assertLess(status, 500, data[:200])
        # The server is still serving.
        self.assertIn("Users", self.ddb.list_tables()["TableNames"])

    # --- numbers -------------------------------------------------------------------------------

    def test_number_errors(self):
        cases = [
            ("1e999", OVERFLOW),
            ("1e126", OVERFLOW),
            ("-1e126", OVERFLOW),
            ("1e-999", UNDERFLOW),
            ("1e-131", UNDERFLOW),
            ("-1e-131", UNDERFLOW),
            ("abc", NOT_NUMERIC + ": abc"),
            ("", NOT_NUMERIC),
            ("123456789012345678901234567890123456789", TOO_PRECISE),
            ("-1.23456789012345678901234567890123456789", TOO_PRECISE),
        ]
        for i, (num, message) in enumerate(cases):
            with self.subTest(number=num):
                self.put_validation("num%d" % i, {"N": num}, message)

    def test_number_errors_inside_sets(self):
        self.put_validation("nsbad1", {"NS": ["1", "b"]}, NOT_NUMERIC + ": b")
        self.put_validation("nsbad2", {"NS": ["1", "1e999"]}, OVERFLOW)

    def test_number_limits_accepted(self):
        """Boundary values that AWS accepts (dynalite 'should put really long numbers')."""
        item = {
            "userId": {"S": "numok"},
            "b": {"N": "0000012345678901234567890123456789012345678"},
            "c": {"N": "-00001.23456789012345678901234567890123456780000"},
            "d": {"N": "0009.99999999999999999999999999999999999990000e125"},
            "f": {"N": "0001.000e-130"},
        }
        self.ddb.put_item(TableName="Users", Item=item)
        got = self.ddb.get_item(TableName="Users", Key={"userId": {"S": "numok"}},
                                ConsistentRead=True)["Item"]
        self.assertEqual(got["b"], {"N": "12345678901234567890123456789012345678"})
        self.assertEqual(got["c"], {"N": "-1.2345678901234567890123456789012345678"})
        self.assertEqual(got["d"], {"N": "9" * 38 + "0" * 88})
        self.assertEqual(got["f"], {"N": "0." + "0" * 129 + "1"})

    # --- sets ----------------------------------------------------------------------------------

    def test_empty_sets(self):
        self.put_validation("set1", {"SS": []}, INVALID + "An string set  may not be empty")
        self.put_validation("set2", {"NS": []}, INVALID + "An number set  may not be empty")
        self.put_validation("set3", {"BS": []}, INVALID + "Binary sets should not be empty")

    def test_duplicate_set_members(self):
        self.put_validation("dup1", {"SS": ["a", "a"]},
                            INVALID + "Input collection [a, a] contains duplicates.")
        self.put_validation("dup2", {"NS": ["1", "1"]}, "Input collection contains duplicates")
        # Numeric equality: "1" and "1.0" are the same number.
        self.put_validation("dup3", {"NS": ["1", "1.0"]}, "Input collection contains duplicates")
        self.put_validation("dup4", {"NS": ["1000", "1e3"]}, "Input collection contains duplicates")

    # --- keys ----------------------------------------------------------------------------------

    def test_key_attribute_wrong_type(self):
        for i, attr in enumerate(({"N": "1"}, {"B": b"ab"}, {"BOOL": True}, {"SS": ["a"]},
                                  {"M": {}}, {"L": []}, {"NULL": True})):
            actual = list(attr)[0]
            with self.subTest(attr=attr):
                self.put_error({"userId": attr, "tag": {"S": "kt%d" % i}}, "ValidationException",
                               INVALID + "Type mismatch for key userId expected: S actual: "
                               + actual)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.get_item(TableName="Users", Key={"userId": {"N": "1"}})
        self.assertClientError(cm.exception, "ValidationException", KEY_MISMATCH)
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.delete_item(TableName="Users", Key={"userId": {"N": "1"}})
        self.assertClientError(cm.exception, "ValidationException", KEY_MISMATCH)

    def test_missing_key_attribute(self):
        self.put_error({"name": {"S": "nobody"}}, "ValidationException",
                       INVALID + "Missing the key userId in the item")
        self.put_error({}, "ValidationException", INVALID + "Missing the key userId in the item")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.get_item(TableName="Users", Key={"name": {"S": "x"}})
        self.assertClientError(cm.exception, "ValidationException", KEY_MISMATCH)

    def test_extra_key_attribute(self):
        self.ddb.put_item(TableName="Users", Item={"userId": {"S": "extra"}, "b": {"S": "x"}})
        for call in (self.ddb.get_item, self.ddb.delete_item):
            with self.subTest(call=call.__name__):
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    call(TableName="Users", Key={"userId": {"S": "extra"}, "b": {"S": "x"}})
                self.assertClientError(cm.exception, "ValidationException", KEY_MISMATCH)
        # DeleteItem with the bad key deleted nothing.
        self.assertIn("Item", self.ddb.get_item(TableName="Users",
                                                Key={"userId": {"S": "extra"}}))

    def test_empty_string_key(self):
        self.put_error({"userId": {"S": ""}}, "ValidationException",
                       "One or more parameter values are not valid. The AttributeValue for a key "
                       "attribute cannot contain an empty string value. Key: userId")
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.get_item(TableName="Users", Key={"userId": {"S": ""}})
        self.assertClientError(cm.exception, "ValidationException",
                               INVALID + "The AttributeValue for a key attribute cannot contain "
                               "an empty string value. Key: userId")

    def test_empty_string_non_key_is_allowed(self):
        item = {"userId": {"S": "emptyok"}, "b": {"S": ""}, "d": {"SS": [""]}}
        self.ddb.put_item(TableName="Users", Item=item)
        got = self.ddb.get_item(TableName="Users", Key={"userId": {"S": "emptyok"}},
                                ConsistentRead=True)
        self.assertEqual(got["Item"], item)

    # --- item size -----------------------------------------------------------------------------

    def test_item_over_400_kb(self):
        # Size = len("userId") + len(key) + len("data") + len(value) (S: UTF-8 bytes).
        key = "big1"
        overhead = len("userId") + len(key) + len("data")
        too_big = {"userId": {"S": key}, "data": {"S": "x" * (MAX_ITEM + 1 - overhead)}}
        self.put_error(too_big, "ValidationException", TOO_BIG)
        self.assertNoItem({"userId": {"S": key}})

    def test_item_of_exactly_400_kb_is_accepted(self):
        key = "big2"
        overhead = len("userId") + len(key) + len("data")
        item = {"userId": {"S": key}, "data": {"S": "x" * (MAX_ITEM - overhead)}}
        self.ddb.put_item(TableName="Users", Item=item)
        got = self.ddb.get_item(TableName="Users", Key={"userId": {"S": key}},
                                ConsistentRead=True)
        self.assertEqual(len(got["Item"]["data"]["S"]), MAX_ITEM - overhead)

    def test_item_over_400_kb_multibyte(self):
        # "é" is 2 UTF-8 bytes: 204,795 of them plus the overhead is 409,604 bytes.
        key = "big3"
        overhead = len("userId") + len(key) + len("data")
        n = (MAX_ITEM - overhead) // 2 + 1
        item = {"userId": {"S": key}, "data": {"S": "\u00e9" * n}}
        self.put_error(item, "ValidationException", TOO_BIG)
        self.assertNoItem({"userId": {"S": key}})

    # --- table names ---------------------------------------------------------------------------

    def create_error(self, name, code, message):
        before = self.ddb.list_tables()["TableNames"]
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
                KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}])
        self.assertClientError(cm.exception, code, message)
        self.assertTableNames(before)

    def test_table_name_too_short(self):
        self.create_error("ab", "ValidationException", TABLE_NAME_LEN)

    def test_table_name_too_long(self):
        self.create_error("a" * 256, "ValidationException", TABLE_NAME_LEN)

    def test_table_name_bad_characters(self):
        self.create_error("bad name!", "ValidationException",
                          "1 validation error detected: Value 'bad name!' at 'tableName' failed "
                          "to satisfy constraint: Member must satisfy regular expression "
                          "pattern: [a-zA-Z0-9_.-]+")

    def test_table_name_limits_accepted(self):
        for name in ("abc", "a" * 255, "A-z_0.9"):
            with self.subTest(name=name):
                users_table(self.ddb, name=name)
                self.ddb.delete_table(TableName=name)
        self.assertNotIn("abc", self.ddb.list_tables()["TableNames"])

    def test_table_already_exists(self):
        self.create_error("Users", "ResourceInUseException", "Table already exists: Users")

    # --- missing tables ------------------------------------------------------------------------

    def test_table_not_found(self):
        name = "NoSuchTable"
        key = {"userId": {"S": "u1"}}
        calls = [
            ("DescribeTable", lambda: self.ddb.describe_table(TableName=name),
             "Requested resource not found: Table: NoSuchTable not found"),
            ("DeleteTable", lambda: self.ddb.delete_table(TableName=name),
             "Requested resource not found: Table: NoSuchTable not found"),
            ("GetItem", lambda: self.ddb.get_item(TableName=name, Key=key),
             "Requested resource not found"),
            ("PutItem", lambda: self.ddb.put_item(TableName=name, Item=key),
             "Requested resource not found"),
            ("DeleteItem", lambda: self.ddb.delete_item(TableName=name, Key=key),
             "Requested resource not found"),
            ("UpdateTable", lambda: self.ddb.update_table(
                TableName=name, BillingMode="PAY_PER_REQUEST"), None),
        ]
        for op, call, message in calls:
            with self.subTest(op=op):
                with self.assertRaises(botocore.exceptions.ClientError) as cm:
                    call()
                self.assertClientError(cm.exception, "ResourceNotFoundException", message)
        self.assertNotIn(name, self.ddb.list_tables()["TableNames"])

    def test_not_found_wire_shape(self):
        resp = signed_request(self.port(), "DescribeTable", {"TableName": "NoSuchTable"})
        self.assertRawError(resp, NOT_FOUND,
                            "Requested resource not found: Table: NoSuchTable not found",
                            message_key="message")

    def test_validation_wire_shape(self):
        resp = signed_request(self.port(), "PutItem", {
            "TableName": "Users", "Item": {"userId": {"S": "w1"}, "n": {"N": "1e999"}}})
        self.assertRawError(resp, VALIDATION, OVERFLOW, message_key="message")

    def test_in_use_wire_shape(self):
        resp = signed_request(self.port(), "CreateTable", {
            "TableName": "Users", "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "userId", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}]})
        self.assertRawError(resp, IN_USE, "Table already exists: Users", message_key="message")

    # --- request parameters --------------------------------------------------------------------

    def test_put_item_return_values(self):
        for rv in ("ALL_NEW", "UPDATED_OLD", "UPDATED_NEW"):
            with self.subTest(rv=rv):
                self.put_error({"userId": {"S": "rv1"}}, "ValidationException",
                               "ReturnValues can only be ALL_OLD or NONE", ReturnValues=rv)
        self.assertNoItem({"userId": {"S": "rv1"}})


if __name__ == "__main__":
    unittest.main()
