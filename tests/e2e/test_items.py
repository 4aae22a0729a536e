"""Item operations through boto3: canonical numbers, ReturnValues, ConsumedCapacity, and
UpdateTable billing changes.

Number normalisation follows DESIGN.md section 5.1 (AWS "Data types" doc; Alternator's
test_number.py). Capacity units follow the AWS read/write unit rules: writes ceil(size/1 KB),
strongly consistent reads ceil(size/4 KB), eventually consistent reads half of that.
"""

import unittest

from strata_harness import ServerTestCase


class ItemsTest(ServerTestCase):

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

    def get(self, key, table="Users", **kw):
        return self.ddb.get_item(TableName=table, Key=key, ConsistentRead=True, **kw)

    # --- numbers -------------------------------------------------------------------------------

    def test_numbers_are_returned_canonical(self):
        cases = [
            ("1e3", "1000"),
            ("1000", "1000"),
            ("1.50", "1.5"),
            ("-0", "0"),
            ("0.0", "0"),
            (".5", "0.5"),
            ("007", "7"),
            ("0.00012300", "0.000123"),
            ("-1.5e-3", "-0.0015"),
            ("1E2", "100"),
            ("1e125", "1" + "0" * 125),
            ("12345678901234567890123456789012345678", "12345678901234567890123456789012345678"),
        ]
        for i, (given, want) in enumerate(cases):
            with self.subTest(number=given):
                key = {"userId": {"S": "num%d" % i}}
                self.ddb.put_item(TableName="Users", Item=dict(key, v={"N": given}))
                self.assertEqual(self.get(key)["Item"]["v"], {"N": want})

    def test_number_sets_and_nesting_are_canonical(self):
        key = {"userId": {"S": "numset"}}
        self.ddb.put_item(TableName="Users", Item=dict(
            key,
            s={"NS": ["1.50", "2e1", "-0.0"]},
            l={"L": [{"N": "1e1"}, {"M": {"x": {"N": "5.000"}}}]}))
        item = self.get(key)["Item"]
        self.assertEqual(sorted(item["s"]["NS"]), sorted(["1.5", "20", "0"]))
        self.assertEqual(item["l"], {"L": [{"N": "10"}, {"M": {"x": {"N": "5"}}}]})

    def test_numeric_keys_compare_by_value(self):
        self.ddb.put_item(TableName="Nums", Item={"n": {"N": "1e3"}, "v": {"S": "first"}})
        got = self.get({"n": {"N": "1000"}}, table="Nums")
        self.assertEqual(got["Item"], {"n": {"N": "1000"}, "v": {"S": "first"}})
        # "1000.0" names the same item; the put replaces it.
        old = self.ddb.put_item(TableName="Nums", Item={"n": {"N": "1000.0"}, "v": {"S": "second"}},
                                ReturnValues="ALL_OLD")
        self.assertEqual(old["Attributes"], {"n": {"N": "1000"}, "v": {"S": "first"}})
        self.assertEqual(self.get({"n": {"N": "10e2"}}, table="Nums")["Item"]["v"],
                         {"S": "second"})
        self.ddb.delete_item(TableName="Nums", Key={"n": {"N": "0.1e4"}})
        self.assertNotIn("Item", self.get({"n": {"N": "1000"}}, table="Nums"))

    # --- ReturnValues --------------------------------------------------------------------------

    def test_put_item_return_values(self):
        key = {"userId": {"S": "rv"}}
        first = self.ddb.put_item(TableName="Users", Item=dict(key, a={"S": "1"}),
                                  ReturnValues="ALL_OLD")
        self.assertNotIn("Attributes", first)
        second = self.ddb.put_item(TableName="Users", Item=dict(key, a={"S": "2"}),
                                   ReturnValues="ALL_OLD")
        self.assertEqual(second["Attributes"], dict(key, a={"S": "1"}))
        third = self.ddb.put_item(TableName="Users", Item=dict(key, a={"S": "3"}),
                                  ReturnValues="NONE")
        self.assertNotIn("Attributes", third)
        self.assertEqual(self.get(key)["Item"], dict(key, a={"S": "3"}))

    def test_delete_item_return_values(self):
        key = {"userId": {"S": "del"}}
        self.ddb.put_item(TableName="Users", Item=dict(key, a={"N": "1"}))
        out = self.ddb.delete_item(TableName="Users", Key=key, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"], dict(key, a={"N": "1"}))
        self.assertNotIn("Item", self.get(key))
        again = self.ddb.delete_item(TableName="Users", Key=key, ReturnValues="ALL_OLD")
        self.assertNotIn("Attributes", again)
        self.ddb.put_item(TableName="Users", Item=dict(key, a={"N": "2"}))
        none = self.ddb.delete_item(TableName="Users", Key=key, ReturnValues="NONE")
        none.pop("ResponseMetadata")
        self.assertEqual(none, {})
        self.assertNotIn("Item", self.get(key))

    def test_empty_responses(self):
        out = self.ddb.put_item(TableName="Users", Item={"userId": {"S": "empty"}})
        out.pop("ResponseMetadata")
        self.assertEqual(out, {})
        out = self.ddb.get_item(TableName="Users", Key={"userId": {"S": "nope"}})
        out.pop("ResponseMetadata")
        self.assertEqual(out, {})

    def test_all_attribute_types_round_trip(self):
        item = {
            "userId": {"S": "types"},
            "b": {"N": "-56.789"},
            "c": {"B": b"b"},
            "d": {"BOOL": False},
            "e": {"NULL": True},
            "f": {"SS": ["a"]},
            "g": {"NS": ["-56.789"]},
            "h": {"BS": [b"b"]},
            "i": {"L": [{"S": "a"}, {"BOOL": True}, {"L": []}, {"M": {}}]},
            "j": {"M": {"a": {"S": "a"}, "j": {"M": {"a": {"M": {}}, "b": {"L": []}}}}},
        }
        self.ddb.put_item(TableName="Users", Item=item)
        self.assertEqual(self.get({"userId": {"S": "types"}})["Item"], item)

    # --- consumed capacity ---------------------------------------------------------------------

    def capacity(self, out):
        self.assertIn("ConsumedCapacity", out)
        cc = out["ConsumedCapacity"]
        self.assertEqual(cc["TableName"], "Users")
        return cc["CapacityUnits"]

    def test_consumed_capacity_write(self):
        # size = len("userId") + len(key) + len("d") + n
        key = "cap1"
        base = len("userId") + len(key) + len("d")
        out = self.ddb.put_item(TableName="Users", ReturnConsumedCapacity="TOTAL",
                                Item={"userId": {"S": key}, "d": {"S": "x" * (1024 - base)}})
        self.assertEqual(self.capacity(out), 1.0)
        out = self.ddb.put_item(TableName="Users", ReturnConsumedCapacity="TOTAL",
                                Item={"userId": {"S": key}, "d": {"S": "x" * (1025 - base)}})
        self.assertEqual(self.capacity(out), 2.0)
        out = self.ddb.put_item(TableName="Users", ReturnConsumedCapacity="NONE",
                                Item={"userId": {"S": key}})
        self.assertNotIn("ConsumedCapacity", out)
        out = self.ddb.delete_item(TableName="Users", Key={"userId": {"S": key}},
                                   ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.capacity(out), 1.0)

    def test_consumed_capacity_read(self):
        key = "cap2"
        base = len("userId") + len(key) + len("d")
        self.ddb.put_item(TableName="Users",
                          Item={"userId": {"S": key}, "d": {"S": "x" * (4097 - base)}})
        k = {"userId": {"S": key}}
        out = self.ddb.get_item(TableName="Users", Key=k, ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.capacity(out), 1.0)
        out = self.ddb.get_item(TableName="Users", Key=k, ReturnConsumedCapacity="TOTAL",
                                ConsistentRead=True)
        self.assertEqual(self.capacity(out), 2.0)
        out = self.ddb.get_item(TableName="Users", Key={"userId": {"S": "missing"}},
                                ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.capacity(out), 0.5)
        out = self.ddb.get_item(TableName="Users", Key={"userId": {"S": "missing"}},
                                ReturnConsumedCapacity="INDEXES")
        self.assertEqual(out["ConsumedCapacity"]["Table"], {"CapacityUnits": 0.5})

    # --- UpdateTable ---------------------------------------------------------------------------

    def test_update_table_billing_mode(self):
        c = self.ddb
        c.create_table(TableName="Billing", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        try:
            out = c.update_table(TableName="Billing", BillingMode="PROVISIONED",
                                 ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                        "WriteCapacityUnits": 7})
            desc = out["TableDescription"]
            self.assertEqual(desc["TableName"], "Billing")
            self.assertEqual(desc["BillingModeSummary"]["BillingMode"], "PROVISIONED")
            self.assertEqual(desc["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
            self.assertEqual(desc["ProvisionedThroughput"]["WriteCapacityUnits"], 7)
            table = c.describe_table(TableName="Billing")["Table"]
            self.assertEqual(table["TableStatus"], "ACTIVE")
            self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PROVISIONED")
            self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 5)
            self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 7)

            c.update_table(TableName="Billing", ProvisionedThroughput={
                "ReadCapacityUnits": 10, "WriteCapacityUnits": 11})
            table = c.describe_table(TableName="Billing")["Table"]
            self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 10)
            self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 11)

            c.update_table(TableName="Billing", BillingMode="PAY_PER_REQUEST")
            table = c.describe_table(TableName="Billing")["Table"]
            self.assertEqual(table["BillingModeSummary"]["BillingMode"], "PAY_PER_REQUEST")
            self.assertEqual(table["ProvisionedThroughput"]["ReadCapacityUnits"], 0)
            self.assertEqual(table["ProvisionedThroughput"]["WriteCapacityUnits"], 0)
            # Items survive UpdateTable.
            c.put_item(TableName="Billing", Item={"k": {"S": "x"}})
            self.assertIn("Item", c.get_item(TableName="Billing", Key={"k": {"S": "x"}}))
        finally:
            c.delete_table(TableName="Billing")

    def test_provisioned_table_description(self):
        c = self.ddb
        out = c.create_table(TableName="Prov",
                             AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                             KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                             ProvisionedThroughput={"ReadCapacityUnits": 5,
                                                    "WriteCapacityUnits": 5})
        try:
            pt = out["TableDescription"]["ProvisionedThroughput"]
            self.assertEqual(pt, {"NumberOfDecreasesToday": 0, "ReadCapacityUnits": 5,
                                  "WriteCapacityUnits": 5})
        finally:
            c.delete_table(TableName="Prov")


if __name__ == "__main__":
    unittest.main()
