"""BatchWriteItem and BatchGetItem through boto3 and raw HTTP.

Expected messages are AWS's wording as recorded by dynalite, validated against live DynamoDB
(architect/dynalite validations/batchWriteItem.js, batchGetItem.js, actions/*.js and
test/batch*.js; test/helpers.js assertType for SerializationExceptions). The per-table limit
messages render the request as Java's toString
("{T=[com.amazonaws.dynamodb.v20120810.WriteRequest@caad9cb8, ...]}", as quoted from AWS in
boto/boto3#483), so those checks compare the message around the rendered value.

Capacity: writes 1 KB units (puts charge max(old, new)), reads 4 KB units per item rounded
separately, eventual reads half; missing items cost the minimum (DESIGN.md 5.5).
"""

import unittest

import botocore.exceptions

from strata_harness import ServerTestCase, signed_request

SERIALIZATION = "com.amazon.coral.service#SerializationException"
DUPLICATES = "Provided list of item keys contains duplicates"
KEY_MISMATCH = "The provided key element does not match the schema"
NOT_FOUND = "Requested resource not found"
MAP_VALUE_25 = ("at 'requestItems' failed to satisfy constraint: Map value must satisfy "
                "constraint: [Member must have length less than or equal to 25, Member must "
                "have length greater than or equal to 1]")


def put(item):
    return {"PutRequest": {"Item": item}}


def delete(key):
    return {"DeleteRequest": {"Key": key}}


def user(uid, **attrs):
    item = {"userId": {"S": uid}}
    item.update(attrs)
    return item


class BatchTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        c = cls.ddb
        c.create_table(TableName="Users", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}])
        c.create_table(TableName="Nums", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "n", "AttributeType": "N"}],
                       KeySchema=[{"AttributeName": "n", "KeyType": "HASH"}])
        c.create_table(TableName="Events", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                             {"AttributeName": "sk", "AttributeType": "N"}],
                       KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                                  {"AttributeName": "sk", "KeyType": "RANGE"}])
        cls.raw = cls.server.client(validate=False)

    # --- helpers -------------------------------------------------------------------------------

    def get(self, key, table="Users"):
        return self.ddb.get_item(TableName=table, Key=key, ConsistentRead=True).get("Item")

    def write_error(self, request_items, code, message=None, client=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            (client or self.ddb).batch_write_item(RequestItems=request_items, **kw)
        self.assertClientError(cm.exception, code, message)
        return cm.exception.response["Error"]["Message"]

    def get_error(self, request_items, code, message=None, client=None, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            (client or self.ddb).batch_get_item(RequestItems=request_items, **kw)
        self.assertClientError(cm.exception, code, message)
        return cm.exception.response["Error"]["Message"]

    # --- BatchWriteItem ------------------------------------------------------------------------

    def test_write_mixed_tables_and_read_back(self):
        out = self.ddb.batch_write_item(RequestItems={
            "Users": [put(user("w1", v={"N": "1e3"})), put(user("w2"))],
            "Events": [put({"pk": {"S": "e"}, "sk": {"N": "1.50"}, "x": {"S": "y"}})],
        })
        self.assertEqual(out["UnprocessedItems"], {})
        self.assertNotIn("ConsumedCapacity", out)
        self.assertEqual(self.get({"userId": {"S": "w1"}}), user("w1", v={"N": "1000"}))
        self.assertEqual(self.get({"pk": {"S": "e"}, "sk": {"N": "15e-1"}}, "Events"),
                         {"pk": {"S": "e"}, "sk": {"N": "1.5"}, "x": {"S": "y"}})
        out = self.ddb.batch_write_item(RequestItems={
            "Users": [delete({"userId": {"S": "w1"}}), put(user("w3"))],
        })
        self.assertEqual(out["UnprocessedItems"], {})
        self.assertIsNone(self.get({"userId": {"S": "w1"}}))
        self.assertIsNotNone(self.get({"userId": {"S": "w3"}}))

    def test_write_capacity_per_table(self):
        big = user("cap1", pad={"S": "x" * 1500})  # 2 write units
        out = self.ddb.batch_write_item(
            RequestItems={"Users": [put(big), put(user("cap2"))],
                          "Nums": [put({"n": {"N": "77"}})]},
            ReturnConsumedCapacity="TOTAL", ReturnItemCollectionMetrics="SIZE")
        self.assertEqual(out["ConsumedCapacity"], [
            {"TableName": "Users", "CapacityUnits": 3.0},
            {"TableName": "Nums", "CapacityUnits": 1.0},
        ])
        out = self.ddb.batch_write_item(
            RequestItems={"Users": [delete({"userId": {"S": "cap1"}}),
                                    delete({"userId": {"S": "never-there"}})]},
            ReturnConsumedCapacity="INDEXES")
        self.assertEqual(out["ConsumedCapacity"], [
            {"TableName": "Users", "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}},
        ])
        self.assertEqual(out["UnprocessedItems"], {})

    def test_write_limits(self):
        many = [put(user("lim%d" % i)) for i in range(26)]
        msg = self.write_error({"Users": many}, "ValidationException")
        self.assertTrue(msg.startswith("1 validation error detected: Value '{Users=[com.amazonaws."
                                       "dynamodb.v20120810.WriteRequest@"), msg)
        self.assertTrue(msg.endswith("]}' " + MAP_VALUE_25), msg)
        self.write_error({"Users": many[:13], "Nums": [put({"n": {"N": str(i)}})
                                                       for i in range(13)]},
                         "ValidationException",
                         "Too many items requested for the BatchWriteItem call")
        self.write_error({}, "ValidationException",
                         "1 validation error detected: Value '{}' at 'requestItems' failed to "
                         "satisfy constraint: Member must have length greater than or equal to 1",
                         client=self.raw)
        msg = self.write_error({"Users": []}, "ValidationException", client=self.raw)
        self.assertEqual(msg, "1 validation error detected: Value '{Users=[]}' " + MAP_VALUE_25)
        self.write_error({"Users": [{}]}, "ValidationException",
                         "Supplied AttributeValue has more than one datatypes set, must contain "
                         "exactly one of the supported datatypes", client=self.raw)
        msg = self.write_error({"Users": [{"PutRequest": {}}]}, "ValidationException",
                               client=self.raw)
        self.assertEqual(msg, "1 validation error detected: Value null at "
                              "'requestItems.Users.member.1.member.putRequest.item' failed to "
                              "satisfy constraint: Member must not be null")
        for i in range(26):
            self.assertIsNone(self.get({"userId": {"S": "lim%d" % i}}))

    def test_write_duplicates_and_keys(self):
        self.write_error({"Users": [put(user("d1")), delete({"userId": {"S": "d1"}})]},
                         "ValidationException", DUPLICATES)
        self.write_error({"Nums": [put({"n": {"N": "1e3"}}), put({"n": {"N": "1000"}})]},
                         "ValidationException", DUPLICATES)
        # Table existence is checked before duplicates.
        self.write_error({"NoSuchTable": [put(user("d1")), put(user("d1"))]},
                         "ResourceNotFoundException", NOT_FOUND)
        self.write_error({"Users": [put({"other": {"S": "x"}})]}, "ValidationException",
                         KEY_MISMATCH)
        self.write_error({"Users": [put({"userId": {"N": "1"}})]}, "ValidationException",
                         KEY_MISMATCH)
        self.write_error({"Users": [delete({"userId": {"S": "a"}, "extra": {"S": "b"}})]},
                         "ValidationException", KEY_MISMATCH)
        self.write_error({"Users": [put(user("big", pad={"S": "x" * 409600}))]},
                         "ValidationException", "Item size has exceeded the maximum allowed size")
        self.assertIsNone(self.get({"userId": {"S": "d1"}}))
        self.assertIsNone(self.get({"n": {"N": "1000"}}, "Nums"))

    def test_one_invalid_request_writes_nothing(self):
        self.ddb.put_item(TableName="Users", Item=user("keeper"))
        before = self.ddb.describe_table(TableName="Users")["Table"]["ItemCount"]
        self.write_error({"Users": [put(user("nw1")), delete({"userId": {"S": "keeper"}})],
                          "Nums": [put({"n": {"N": "5"}}), put({"n": {"S": "five"}})]},
                         "ValidationException", KEY_MISMATCH)
        self.write_error({"Users": [put(user("nw1"))], "Missing": [put(user("nw2"))]},
                         "ResourceNotFoundException", NOT_FOUND)
        self.write_error({"Users": [put(user("nw1")), put(user("nw1"))]},
                         "ValidationException", DUPLICATES)
        self.assertIsNone(self.get({"userId": {"S": "nw1"}}))
        self.assertIsNotNone(self.get({"userId": {"S": "keeper"}}))
        self.assertIsNone(self.get({"n": {"N": "5"}}, "Nums"))
        self.assertEqual(self.ddb.describe_table(TableName="Users")["Table"]["ItemCount"], before)

    def test_write_serialization_errors(self):
        port = self.server.port
        r = signed_request(port, "BatchWriteItem", {"RequestItems": []})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json()["__type"], SERIALIZATION)
        self.assertEqual(r.error_message(),
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "java.util.List<com.amazonaws.dynamodb.v20120810.WriteRequest>>")
        r = signed_request(port, "BatchWriteItem", {"RequestItems": {"Users": {}}})
        self.assertEqual(r.error_message(), "Start of structure or map found where not expected")
        r = signed_request(port, "BatchWriteItem", {"RequestItems": {"Users": [5]}})
        self.assertEqual(r.error_message(), "Unexpected value type in payload")
        r = signed_request(port, "BatchWriteItem", {"RequestItems": {"Users": [[]]}})
        self.assertEqual(r.error_message(),
                         "Unrecognized collection type class "
                         "com.amazonaws.dynamodb.v20120810.WriteRequest")

    # --- BatchGetItem --------------------------------------------------------------------------

    def test_get_mixed_tables(self):
        self.ddb.batch_write_item(RequestItems={
            "Users": [put(user("g1", a={"S": "x"})), put(user("g2"))],
            "Nums": [put({"n": {"N": "42"}, "v": {"BOOL": True}})],
        })
        out = self.ddb.batch_get_item(RequestItems={
            "Users": {"Keys": [{"userId": {"S": "g2"}}, {"userId": {"S": "nope"}},
                               {"userId": {"S": "g1"}}], "ConsistentRead": True},
            "Nums": {"Keys": [{"n": {"N": "4.2e1"}}]},
            "Events": {"Keys": [{"pk": {"S": "none"}, "sk": {"N": "1"}}]},
        })
        self.assertEqual(out["UnprocessedKeys"], {})
        self.assertEqual(set(out["Responses"]), {"Users", "Nums", "Events"})
        self.assertEqual(sorted(i["userId"]["S"] for i in out["Responses"]["Users"]),
                         ["g1", "g2"])
        self.assertIn(user("g1", a={"S": "x"}), out["Responses"]["Users"])
        self.assertEqual(out["Responses"]["Nums"], [{"n": {"N": "42"}, "v": {"BOOL": True}}])
        self.assertEqual(out["Responses"]["Events"], [])
        self.assertNotIn("ConsumedCapacity", out)

    def test_get_stops_at_16_mb_and_returns_unprocessed_keys(self):
        big = "z" * (350 * 1024)
        keys = [{"userId": {"S": "big%02d" % i}} for i in range(60)]  # 60 x 350 KB = 21 MB
        for k in keys:
            self.ddb.put_item(TableName="Users", Item=dict(k, pad={"S": big}))
        request = {"Users": {"Keys": keys, "ProjectionExpression": "userId, #p",
                             "ExpressionAttributeNames": {"#p": "pad"}, "ConsistentRead": True}}
        out = self.ddb.batch_get_item(RequestItems=request)
        got = out["Responses"]["Users"]
        rest = out["UnprocessedKeys"]["Users"]
        self.assertGreaterEqual(len(got) * 350 * 1024, 16 * 1024 * 1024)
        self.assertEqual(len(got) + len(rest["Keys"]), 60)
        self.assertEqual({k: v for k, v in rest.items() if k != "Keys"},
                         {"ProjectionExpression": "userId, #p",
                          "ExpressionAttributeNames": {"#p": "pad"}, "ConsistentRead": True})
        again = self.ddb.batch_get_item(RequestItems={"Users": rest})
        self.assertEqual(again["UnprocessedKeys"], {})
        names = sorted(i["userId"]["S"] for i in got + again["Responses"]["Users"])
        self.assertEqual(names, sorted(k["userId"]["S"] for k in keys))

    def test_get_capacity_rounds_each_item(self):
        items = [user("rc%d" % i, pad={"S": "x" * 3000}) for i in range(3)]  # 1 unit each
        items.append(user("rc-big", pad={"S": "y" * 5000}))                  # 2 units
        self.ddb.batch_write_item(RequestItems={"Users": [put(i) for i in items]})
        keys = [{"userId": i["userId"]} for i in items] + [{"userId": {"S": "rc-missing"}}]
        out = self.ddb.batch_get_item(RequestItems={"Users": {"Keys": keys,
                                                              "ConsistentRead": True}},
                                      ReturnConsumedCapacity="TOTAL")
        self.assertEqual(len(out["Responses"]["Users"]), 4)
        self.assertEqual(out["ConsumedCapacity"], [{"TableName": "Users", "CapacityUnits": 6.0}])
        out = self.ddb.batch_get_item(RequestItems={"Users": {"Keys": keys},
                                                    "Nums": {"Keys": [{"n": {"N": "-1"}}]}},
                                      ReturnConsumedCapacity="INDEXES")
        self.assertEqual(out["ConsumedCapacity"], [
            {"TableName": "Users", "CapacityUnits": 3.0, "Table": {"CapacityUnits": 3.0}},
            {"TableName": "Nums", "CapacityUnits": 0.5, "Table": {"CapacityUnits": 0.5}},
        ])

    def test_get_errors(self):
        keys = [{"userId": {"S": "k%d" % i}} for i in range(101)]
        msg = self.get_error({"Users": {"Keys": keys}}, "ValidationException")
        self.assertTrue(msg.startswith("1 validation error detected: Value '[{userId=com.amazonaws"
                                       ".dynamodb.v20120810.AttributeValue@"), msg)
        self.assertTrue(msg.endswith("}]' at 'requestItems.Users.member.keys' failed to satisfy "
                                     "constraint: Member must have length less than or equal "
                                     "to 100"), msg)
        self.get_error({"Users": {"Keys": keys[:100]}, "Nums": {"Keys": [{"n": {"N": "1"}}]}},
                       "ValidationException",
                       "Too many items requested for the BatchGetItem call")
        self.get_error({"Users": {"Keys": [keys[0], keys[1], keys[0]]}}, "ValidationException",
                       DUPLICATES)
        self.get_error({"NoSuchTable": {"Keys": [{"n": {"N": "1e3"}}, {"n": {"N": "1000"}}]}},
                       "ValidationException", DUPLICATES)
        self.get_error({"NoSuchTable": {"Keys": [keys[0]]}}, "ResourceNotFoundException",
                       NOT_FOUND)
        self.get_error({"Users": {"Keys": [{"userId": {"N": "1"}}]}}, "ValidationException",
                       KEY_MISMATCH)
        self.get_error({"Users": {"Keys": [keys[0]], "ProjectionExpression": "userId",
                                  "AttributesToGet": ["userId"]}},
                       "ValidationException",
                       "Can not use both expression and non-expression parameters in the same "
                       "request: Non-expression parameters: {AttributesToGet} Expression "
                       "parameters: {ProjectionExpression}")
        self.get_error({"Users": {"Keys": [keys[0]], "AttributesToGet": ["a", "a"]}},
                       "ValidationException",
                       "One or more parameter values were invalid: Duplicate value in attribute "
                       "name: a")
        self.get_error({"Users": {"Keys": []}}, "ValidationException",
                       "1 validation error detected: Value '[]' at 'requestItems.Users.member."
                       "keys' failed to satisfy constraint: Member must have length greater "
                       "than or equal to 1", client=self.raw)
        self.get_error({}, "ValidationException",
                       "1 validation error detected: Value '{}' at 'requestItems' failed to "
                       "satisfy constraint: Member must have length greater than or equal to 1",
                       client=self.raw)

    def test_get_serialization_errors(self):
        port = self.server.port
        r = signed_request(port, "BatchGetItem", {"RequestItems": []})
        self.assertEqual(r.json()["__type"], SERIALIZATION)
        self.assertEqual(r.error_message(),
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.KeysAndAttributes>")
        r = signed_request(port, "BatchGetItem", {"RequestItems": {"Users": {"Keys": [[]]}}})
        self.assertEqual(r.error_message(),
                         "Unrecognized collection type java.util.Map<java.lang.String, "
                         "com.amazonaws.dynamodb.v20120810.AttributeValue>")
        r = signed_request(port, "BatchGetItem", {"RequestItems": {"Users": {"Keys": "x"}}})
        self.assertEqual(r.error_message(), "Unexpected field type")


if __name__ == "__main__":
    unittest.main()
