"""Tables are isolated per account (a 12-digit access key id names the account, anything else
is the default account 000000000000) and per region (the SigV4 credential scope).
A table ARN is accepted wherever a TableName is."""

import unittest

import botocore.exceptions

from strata_harness import DEFAULT_ACCOUNT, ServerTestCase, boto3_client, users_table


class IsolationTest(ServerTestCase):

    def client(self, region="us-east-1", access_key="AKIAIOSFODNN7EXAMPLE"):
        return boto3_client(self.server.endpoint, region=region, access_key=access_key)

    def arn(self, region, account, table="Users"):
        return "arn:aws:dynamodb:%s:%s:table/%s" % (region, account, table)

    def get(self, client, table, key):
        return client.get_item(TableName=table, Key={"userId": {"S": key}},
                               ConsistentRead=True).get("Item")

    def test_regions_are_distinct(self):
        east = self.client(region="us-east-1")
        west = self.client(region="eu-west-1")
        users_table(east, name="RegionT")
        self.assertNotIn("RegionT", west.list_tables()["TableNames"])
        users_table(west, name="RegionT")  # same name, other region: no ResourceInUse
        east.put_item(TableName="RegionT", Item={"userId": {"S": "k"}, "r": {"S": "east"}})
        west.put_item(TableName="RegionT", Item={"userId": {"S": "k"}, "r": {"S": "west"}})
        self.assertEqual(self.get(east, "RegionT", "k")["r"], {"S": "east"})
        self.assertEqual(self.get(west, "RegionT", "k")["r"], {"S": "west"})
        self.assertEqual(east.describe_table(TableName="RegionT")["Table"]["TableArn"],
                         self.arn("us-east-1", DEFAULT_ACCOUNT, "RegionT"))
        self.assertEqual(west.describe_table(TableName="RegionT")["Table"]["TableArn"],
                         self.arn("eu-west-1", DEFAULT_ACCOUNT, "RegionT"))
        east.delete_table(TableName="RegionT")
        self.assertNotIn("RegionT", east.list_tables()["TableNames"])
        self.assertIn("RegionT", west.list_tables()["TableNames"])
        self.assertEqual(self.get(west, "RegionT", "k")["r"], {"S": "west"})
        west.delete_table(TableName="RegionT")

    def test_accounts_are_distinct(self):
        a = self.client(access_key="111111111111")
        b = self.client(access_key="222222222222")
        d = self.client()
        users_table(a, name="AcctT")
        self.assertNotIn("AcctT", b.list_tables()["TableNames"])
        self.assertNotIn("AcctT", d.list_tables()["TableNames"])
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            b.get_item(TableName="AcctT", Key={"userId": {"S": "k"}})
        self.assertEqual(cm.exception.response["Error"]["Code"], "ResourceNotFoundException")
        users_table(b, name="AcctT")
        a.put_item(TableName="AcctT", Item={"userId": {"S": "k"}, "who": {"S": "a"}})
        b.put_item(TableName="AcctT", Item={"userId": {"S": "k"}, "who": {"S": "b"}})
        self.assertEqual(self.get(a, "AcctT", "k")["who"], {"S": "a"})
        self.assertEqual(self.get(b, "AcctT", "k")["who"], {"S": "b"})
        self.assertEqual(a.describe_table(TableName="AcctT")["Table"]["TableArn"],
                         self.arn("us-east-1", "111111111111", "AcctT"))
        self.assertEqual(b.describe_table(TableName="AcctT")["Table"]["TableArn"],
                         self.arn("us-east-1", "222222222222", "AcctT"))
        a.delete_table(TableName="AcctT")
        self.assertEqual(self.get(b, "AcctT", "k")["who"], {"S": "b"})
        b.delete_table(TableName="AcctT")

    def test_non_12_digit_keys_share_the_default_account(self):
        keys = ["AKIAIOSFODNN7EXAMPLE", "test", "12345678901", "1234567890123", "AKIA00000000"]
        first = self.client(access_key=keys[0])
        users_table(first, name="SharedT")
        first.put_item(TableName="SharedT", Item={"userId": {"S": "k"}, "v": {"S": "1"}})
        try:
            for key in keys:
                with self.subTest(access_key=key):
                    c = self.client(access_key=key)
                    self.assertIn("SharedT", c.list_tables()["TableNames"])
                    self.assertEqual(self.get(c, "SharedT", "k")["v"], {"S": "1"})
                    self.assertEqual(c.describe_table(TableName="SharedT")["Table"]["TableArn"],
                                     self.arn("us-east-1", DEFAULT_ACCOUNT, "SharedT"))
            # The default account id itself, as a key, is the same account.
            c = self.client(access_key=DEFAULT_ACCOUNT)
            self.assertIn("SharedT", c.list_tables()["TableNames"])
        finally:
            first.delete_table(TableName="SharedT")

    def test_table_arn_as_table_name(self):
        c = self.client()
        users_table(c, name="Users")
        arn = self.arn("us-east-1", DEFAULT_ACCOUNT, "Users")
        try:
            c.put_item(TableName="Users", Item={"userId": {"S": "u1"}, "name": {"S": "Alice"}})
            table = c.describe_table(TableName=arn)["Table"]
            self.assertEqual(table["TableName"], "Users")
            self.assertEqual(table["TableArn"], arn)
            self.assertEqual(self.get(c, arn, "u1"),
                             {"userId": {"S": "u1"}, "name": {"S": "Alice"}})
            c.put_item(TableName=arn, Item={"userId": {"S": "u2"}})
            self.assertEqual(self.get(c, "Users", "u2"), {"userId": {"S": "u2"}})
            old = c.delete_item(TableName=arn, Key={"userId": {"S": "u2"}},
                                ReturnValues="ALL_OLD")
            self.assertEqual(old["Attributes"], {"userId": {"S": "u2"}})
            # An ARN in another account or region never names this table (AWS answers
            # ResourceNotFound or AccessDenied; either is a 4xx).
            for other in (self.arn("us-east-1", "111111111111", "Users"),
                          self.arn("eu-west-1", DEFAULT_ACCOUNT, "Users")):
                with self.subTest(arn=other):
                    with self.assertRaises(botocore.exceptions.ClientError) as cm:
                        c.describe_table(TableName=other)
                    status = cm.exception.response["ResponseMetadata"]["HTTPStatusCode"]
                    self.assertEqual(status, 400, cm.exception.response)
        finally:
            c.delete_table(TableName=arn)
        self.assertNotIn("Users", c.list_tables()["TableNames"])


if __name__ == "__main__":
    unittest.main()
