"""The README example, run with the real aws CLI, compared with what AWS prints.

Expected outputs follow the AWS CLI reference examples shipped with awscli
(awscli/examples/dynamodb/create-table.rst "Example 2: To create a table in On-Demand Mode",
describe-table.rst, list-tables.rst, delete-table.rst, get-item.rst), adapted to the Users
table, region us-east-1 and account 000000000000. Only values that differ per call are
normalised: CreationDateTime, TableId and LastUpdateToPayPerRequestDateTime (their types and
formats are still checked).
"""

import datetime
import json
import re
import time
import unittest

from strata_harness import DEFAULT_ACCOUNT, DEFAULT_REGION, ServerTestCase

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ARN = "arn:aws:dynamodb:%s:%s:table/Users" % (DEFAULT_REGION, DEFAULT_ACCOUNT)

# Fields AWS adds to TableDescription today that the 2020 docs example predates; allowed with
# exactly these values when present.
OPTIONAL_FIELDS = {"DeletionProtectionEnabled": False}


def expected_description(status):
    """create-table.rst Example 2, for Users."""
    return {
        "AttributeDefinitions": [{"AttributeName": "userId", "AttributeType": "S"}],
        "TableName": "Users",
        "KeySchema": [{"AttributeName": "userId", "KeyType": "HASH"}],
        "TableStatus": status,
        "CreationDateTime": "<timestamp>",
        "ProvisionedThroughput": {
            "NumberOfDecreasesToday": 0,
            "ReadCapacityUnits": 0,
            "WriteCapacityUnits": 0,
        },
        "TableSizeBytes": 0,
        "ItemCount": 0,
        "TableArn": ARN,
        "TableId": "<uuid>",
        "BillingModeSummary": {"BillingMode": "PAY_PER_REQUEST"},
    }


class CliExampleTest(ServerTestCase):
    """One server; the steps run in README order inside one test so the order is guaranteed."""

    def run_cli(self, *args):
        res = self.server.cli(*args)
        self.assertEqual(res.returncode, 0, "aws %s failed:\nstdout: %s\nstderr: %s"
                         % (" ".join(args), res.stdout, res.stderr))
        return res

    def parse(self, text):
        try:
            return json.loads(text)
        except ValueError as e:
            self.fail("CLI output is not JSON (%s): %r" % (e, text))

    def check_timestamp(self, value, started, what):
        """CLI v1 prints the wire value (epoch seconds, a number); CLI v2 prints ISO 8601."""
        if isinstance(value, bool):
            self.fail("%s is a bool: %r" % (what, value))
        if isinstance(value, (int, float)):
            ts = float(value)
        else:
            self.assertIsInstance(value, str, what)
            ts = datetime.datetime.fromisoformat(value).timestamp()
        self.assertGreaterEqual(ts, started - 5, "%s=%r is before the test started" % (what, value))
        self.assertLessEqual(ts, time.time() + 5, "%s=%r is in the future" % (what, value))

    def normalise(self, desc, started):
        """Replaces per-call values by placeholders after checking them; drops optional
        fields after checking their values."""
        desc = json.loads(json.dumps(desc))
        self.assertIn("CreationDateTime", desc)
        self.check_timestamp(desc["CreationDateTime"], started, "CreationDateTime")
        desc["CreationDateTime"] = "<timestamp>"
        self.assertIn("TableId", desc)
        self.assertRegex(desc["TableId"], UUID_RE)
        desc["TableId"] = "<uuid>"
        summary = desc.get("BillingModeSummary")
        if isinstance(summary, dict) and "LastUpdateToPayPerRequestDateTime" in summary:
            self.check_timestamp(summary.pop("LastUpdateToPayPerRequestDateTime"), started,
                                 "LastUpdateToPayPerRequestDateTime")
        for key, value in OPTIONAL_FIELDS.items():
            if key in desc:
                self.assertEqual(desc.pop(key), value, key)
        return desc

    def test_readme_example(self):
        started = time.time()

        # aws dynamodb create-table --table-name Users \
        #   --attribute-definitions AttributeName=userId,AttributeType=S \
        #   --key-schema AttributeName=userId,KeyType=HASH --billing-mode PAY_PER_REQUEST
        res = self.run_cli("create-table", "--table-name", "Users",
                           "--attribute-definitions", "AttributeName=userId,AttributeType=S",
                           "--key-schema", "AttributeName=userId,KeyType=HASH",
                           "--billing-mode", "PAY_PER_REQUEST")
        out = self.parse(res.stdout)
        self.assertEqual(list(out), ["TableDescription"])
        created = out["TableDescription"]
        table_id = created.get("TableId")
        creation = created.get("CreationDateTime")
        self.assertEqual(self.normalise(created, started), expected_description("CREATING"))

        # describe-table: same description, ACTIVE, same TableId and CreationDateTime.
        res = self.run_cli("describe-table", "--table-name", "Users")
        out = self.parse(res.stdout)
        self.assertEqual(list(out), ["Table"])
        table = out["Table"]
        self.assertEqual(table.get("TableId"), table_id)
        self.assertEqual(table.get("CreationDateTime"), creation)
        self.assertEqual(self.normalise(table, started), expected_description("ACTIVE"))

        # list-tables
        res = self.run_cli("list-tables")
        self.assertEqual(self.parse(res.stdout), {"TableNames": ["Users"]})

        # put-item prints nothing at all.
        item = '{"userId":{"S":"u1"},"name":{"S":"Alice"},"age":{"N":"30"}}'
        res = self.run_cli("put-item", "--table-name", "Users", "--item", item)
        self.assertEqual(res.stdout, "")

        # get-item
        res = self.run_cli("get-item", "--table-name", "Users", "--key", '{"userId":{"S":"u1"}}')
        self.assertEqual(self.parse(res.stdout), {
            "Item": {
                "userId": {"S": "u1"},
                "name": {"S": "Alice"},
                "age": {"N": "30"},
            }
        })

        # get-item of a missing key prints nothing (the response is {}).
        res = self.run_cli("get-item", "--table-name", "Users", "--key", '{"userId":{"S":"zz"}}')
        self.assertEqual(res.stdout.strip(), "")

        # delete-table (delete-table.rst): TableStatus DELETING.
        res = self.run_cli("delete-table", "--table-name", "Users")
        out = self.parse(res.stdout)
        self.assertEqual(list(out), ["TableDescription"])
        desc = out["TableDescription"]
        self.assertEqual(desc.get("TableName"), "Users")
        self.assertEqual(desc.get("TableStatus"), "DELETING")
        self.assertEqual(desc.get("ProvisionedThroughput"), {
            "NumberOfDecreasesToday": 0, "ReadCapacityUnits": 0, "WriteCapacityUnits": 0})
        self.assertIsInstance(desc.get("TableSizeBytes"), int)
        self.assertIsInstance(desc.get("ItemCount"), int)
        if "TableArn" in desc:
            self.assertEqual(desc["TableArn"], ARN)
        if "TableId" in desc:
            self.assertEqual(desc["TableId"], table_id)

        # The table is gone: list-tables is empty, describe-table fails as on AWS.
        res = self.run_cli("list-tables")
        self.assertEqual(self.parse(res.stdout), {"TableNames": []})
        res = self.server.cli("describe-table", "--table-name", "Users")
        self.assertNotEqual(res.returncode, 0)
        self.assertEqual(res.stdout, "")
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the "
                      "DescribeTable operation: Requested resource not found: Table: Users "
                      "not found", res.stderr)

    def test_cli_error_output(self):
        """A service error is printed by the CLI the way AWS's is (code, operation, message)."""
        res = self.server.cli("get-item", "--table-name", "NoSuchTable",
                              "--key", '{"userId":{"S":"u1"}}')
        self.assertNotEqual(res.returncode, 0)
        self.assertEqual(res.stdout, "")
        self.assertIn("An error occurred (ResourceNotFoundException) when calling the GetItem "
                      "operation: Requested resource not found", res.stderr)


if __name__ == "__main__":
    unittest.main()
