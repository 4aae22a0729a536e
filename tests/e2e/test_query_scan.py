"""Query and Scan end to end: randomized comparison with an in-test model, paging, segments,
capacity, AWS's error messages, and the product examples through the aws CLI.

Model: items in a dict; Query = the partition's items sorted by sort key (numbers numerically,
S as UTF-8 bytes, B as unsigned bytes; reversed for ScanIndexForward=false) restricted by the
key condition, then the filter. Every page is followed through LastEvaluatedKey until the
whole result set is collected, and compared with the model.

Error messages: dynalite validations/query.js, scan.js, index.js and actions/query.js, scan.js
(validated against AWS); Select combinations from AWS-verified tests.
"""

import base64
import decimal
import json
import random
import unittest

import botocore.exceptions

from strata_harness import ServerTestCase, sort_value

D = decimal.Decimal


class QueryScanTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rng = random.Random(1234)
        cls.models = {}
        for sk_type in ("N", "S", "B"):
            name = "Rng" + sk_type
            cls.ddb.create_table(
                TableName=name, BillingMode="PAY_PER_REQUEST",
                AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "sk", "AttributeType": sk_type}],
                KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"},
                           {"AttributeName": "sk", "KeyType": "RANGE"}])
            model = {}
            seen = set()
            for i in range(240):
                pk = "p%d" % cls.rng.randrange(6)
                sk = cls.random_sk(sk_type)
                key = (pk, json.dumps(sk, sort_keys=True, default=str))
                if key in seen:
                    continue
                seen.add(key)
                item = {"pk": {"S": pk}, "sk": sk, "v": {"N": str(cls.rng.randrange(10))},
                        "pad": {"S": "x" * cls.rng.randrange(1, 50)}}
                if cls.rng.random() < 0.5:
                    item["tag"] = {"S": cls.rng.choice(["red", "blue", "green"])}
                cls.ddb.put_item(TableName=name, Item=item)
                model[(pk, sort_value(sk))] = item
            cls.models[sk_type] = model

    @classmethod
    def random_sk(cls, sk_type):
        r = cls.rng
        if sk_type == "N":
            return {"N": str(r.choice([
                r.randrange(-1000, 1000),
                D(r.randrange(-10 ** 6, 10 ** 6)) / D(10 ** r.randrange(0, 8)),
                D("%de%d" % (r.randrange(1, 99), r.randrange(-20, 20)))]))}
        alphabet = "ab\u00e9\u4e2dzAZ09"
        if sk_type == "S":
            return {"S": "".join(r.choice(alphabet) for _ in range(r.randrange(1, 6)))}
        return {"B": bytes(r.choice([0, 1, 0x7f, 0x80, 0xfe, 0xff, 0x41])
                           for _ in range(r.randrange(1, 6)))}

    # ---- helpers ----
    def pages(self, op, **req):
        items, count, scanned, pages = [], 0, 0, 0
        while True:
            out = getattr(self.ddb, op)(**req)
            pages += 1
            items.extend(out.get("Items", []))
            count += out["Count"]
            scanned += out["ScannedCount"]
            self.assertEqual(out["Count"], len(out.get("Items", [])) if "Items" in out
                             else out["Count"])
            if "Limit" in req:
                self.assertLessEqual(out["ScannedCount"], req["Limit"])
            if "LastEvaluatedKey" not in out:
                return items, count, scanned, pages
            req["ExclusiveStartKey"] = out["LastEvaluatedKey"]

    @staticmethod
    def as_plain(items):
        """Comparable text of items; numbers compared by value ("2.2E-7" == "0.00000022")."""
        def canon(av):
            if "N" in av:
                return {"N": str(D(av["N"]).normalize())}
            return av
        return [json.dumps({k: canon(v) for k, v in i.items()}, sort_keys=True,
                           default=lambda b: base64.b64encode(b).decode()) for i in items]

    def random_filter(self):
        r = self.rng
        choice = r.randrange(4)
        if choice == 0:
            return None, None, lambda it: True
        if choice == 1:
            n = r.randrange(10)
            return "v > :fv", {":fv": {"N": str(n)}}, lambda it: int(it["v"]["N"]) > n
        if choice == 2:
            return ("attribute_exists(tag)", None, lambda it: "tag" in it)
        c = r.choice(["red", "blue"])
        return ("tag = :ft OR v = :fz", {":ft": {"S": c}, ":fz": {"N": "0"}},
                lambda it: it.get("tag", {}).get("S") == c or it["v"]["N"] == "0")

    # ---- tests ----
    def test_random_queries_match_the_model(self):
        r = self.rng
        for sk_type, model in self.models.items():
            table = "Rng" + sk_type
            for trial in range(40):
                pk = "p%d" % r.randrange(6)
                part = sorted((k[1], it) for k, it in model.items() if k[0] == pk)
                values = {":p": {"S": pk}}
                cond = "pk = :p"
                pred = lambda it: True
                op = r.choice(["none", "=", "<", "<=", ">", ">=", "between", "begins"])
                if op == "begins" and sk_type == "N":
                    op = "between"
                if part and op != "none":
                    a = r.choice(part)[1]["sk"]
                    b = r.choice(part)[1]["sk"]
                    if sort_value(a) > sort_value(b):
                        a, b = b, a
                    va, vb = sort_value(a), sort_value(b)
                    values[":a"] = a
                    if op == "between":
                        cond += " AND sk BETWEEN :a AND :b"
                        values[":b"] = b
                        pred = lambda it, va=va, vb=vb: va <= sort_value(it["sk"]) <= vb
                    elif op == "begins":
                        (t, raw), = a.items()
                        raw = raw[:max(1, len(raw) // 2)]
                        values[":a"] = {t: raw}
                        pre = raw.encode("utf-8") if t == "S" else bytes(raw)
                        cond += " AND begins_with(sk, :a)"
                        pred = lambda it, pre=pre: sort_value(it["sk"])[2].startswith(pre)
                    else:
                        cond += " AND sk %s :a" % op
                        cmp = {"=": lambda x: x == va, "<": lambda x: x < va,
                               "<=": lambda x: x <= va, ">": lambda x: x > va,
                               ">=": lambda x: x >= va}[op]
                        pred = lambda it, cmp=cmp: cmp(sort_value(it["sk"]))
                fexpr, fvals, fpred = self.random_filter()
                forward = r.random() < 0.5
                req = {"TableName": table, "KeyConditionExpression": cond,
                       "ExpressionAttributeValues": dict(values), "ScanIndexForward": forward}
                if fexpr:
                    req["FilterExpression"] = fexpr
                    if fvals:
                        req["ExpressionAttributeValues"].update(fvals)
                if r.random() < 0.7:
                    req["Limit"] = r.randrange(1, 12)
                matched = [it for _, it in part if pred(it)]
                if not forward:
                    matched.reverse()
                expected = [it for it in matched if fpred(it)]
                items, count, scanned, _ = self.pages("query", **req)
                self.assertEqual(self.as_plain(items), self.as_plain(expected),
                                 "%s %s" % (table, req))
                self.assertEqual(count, len(expected))
                self.assertEqual(scanned, len(matched))

    def test_parallel_scans_return_every_item_once(self):
        for sk_type, model in self.models.items():
            table = "Rng" + sk_type
            for total in (1, 2, 5, 13):
                fexpr, fvals, fpred = self.random_filter()
                got = []
                scanned = 0
                for seg in range(total):
                    req = {"TableName": table, "Segment": seg, "TotalSegments": total,
                           "Limit": self.rng.randrange(1, 40)}
                    if fexpr:
                        req["FilterExpression"] = fexpr
                        if fvals:
                            req["ExpressionAttributeValues"] = fvals
                    items, _, s, _ = self.pages("scan", **req)
                    got.extend(items)
                    scanned += s
                self.assertEqual(scanned, len(model))
                expected = [it for it in model.values() if fpred(it)]
                self.assertEqual(sorted(self.as_plain(got)), sorted(self.as_plain(expected)))

    def test_count_projection_and_capacity(self):
        pk = "p1"
        part = [it for k, it in self.models["N"].items() if k[0] == pk]
        out = self.ddb.query(TableName="RngN", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": pk}}, Select="COUNT",
                             ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
        self.assertNotIn("Items", out)
        self.assertEqual(out["Count"], len(part))
        self.assertEqual(out["ConsumedCapacity"]["TableName"], "RngN")
        out = self.ddb.query(TableName="RngN", KeyConditionExpression="pk = :p",
                             ExpressionAttributeValues={":p": {"S": pk}},
                             ProjectionExpression="v", Limit=1)
        self.assertEqual(list(out["Items"][0].keys()), ["v"])
        self.assertEqual(set(out["LastEvaluatedKey"].keys()), {"pk", "sk"})

    def test_capacity_of_known_sizes(self):
        c = self.ddb
        c.create_table(TableName="Cap", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}])
        # Item size = len("k") + 1 + len("d") + 3000 = 3003 bytes; three of them = 9009 bytes
        # -> 3 units strong, 1.5 eventual (rounded once over the sum).
        for k in "abc":
            c.put_item(TableName="Cap", Item={"k": {"S": k}, "d": {"S": "x" * 3000}})
        out = c.scan(TableName="Cap", ReturnConsumedCapacity="TOTAL", ConsistentRead=True)
        self.assertEqual(out["ConsumedCapacity"], {"TableName": "Cap", "CapacityUnits": 3.0})
        out = c.scan(TableName="Cap", ReturnConsumedCapacity="INDEXES",
                     FilterExpression="k = :n", ExpressionAttributeValues={":n": {"S": "zz"}})
        self.assertEqual(out["ConsumedCapacity"],
                         {"TableName": "Cap", "CapacityUnits": 1.5, "Table": {"CapacityUnits": 1.5}})
        self.assertEqual(out["Count"], 0)
        self.assertEqual(out["ScannedCount"], 3)

    def test_errors(self):
        c = self.ddb
        V = "ValidationException"
        q = {"TableName": "RngN", "ExpressionAttributeValues": {":p": {"S": "p1"}, ":n": {"N": "1"}}}
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p OR sk = :n",
                    ExpressionAttributeValues=q["ExpressionAttributeValues"])
        self.assertClientError(e.exception, V,
                               "Invalid operator used in KeyConditionExpression: OR")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p AND sk = :n AND sk = :n",
                    ExpressionAttributeValues=q["ExpressionAttributeValues"])
        self.assertClientError(e.exception, V,
                               "KeyConditionExpressions must only contain one condition per key")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="sk = :n",
                    ExpressionAttributeValues={":n": {"N": "1"}})
        self.assertClientError(e.exception, V, "Query condition missed key schema element: pk")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p AND begins_with(sk, :n)",
                    ExpressionAttributeValues=q["ExpressionAttributeValues"])
        self.assertClientError(
            e.exception, V, "Invalid KeyConditionExpression: Incorrect operand type for operator "
            "or function; operator or function: begins_with, operand type: N")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p1"}}, Select="ALL_PROJECTED_ATTRIBUTES")
        self.assertClientError(e.exception, V, "1 validation error detected: ALL_PROJECTED_ATTRIBUTES "
                               "can be used only when Querying using an IndexName")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.scan(TableName="RngN", Select="SPECIFIC_ATTRIBUTES")
        self.assertClientError(e.exception, V, "Must specify the AttributesToGet or "
                               "ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.scan(TableName="RngN", ExclusiveStartKey={"pk": {"S": "a"}})
        self.assertClientError(e.exception, V, "The provided starting key is invalid: The provided "
                               "key element does not match the schema")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p1"}},
                    ExclusiveStartKey={"pk": {"S": "a"}})
        self.assertClientError(e.exception, V,
                               "Exclusive Start Key must have same size as table's key schema")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.scan(TableName="RngN", Segment=1)
        self.assertClientError(e.exception, V, "The TotalSegments parameter is required but was not "
                               "present in the request when Segment parameter is present")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.scan(TableName="RngN", Segment=0, TotalSegments=1000001)
        self.assertClientError(e.exception, V, "1 validation error detected: Value '1000001' at "
                               "'totalSegments' failed to satisfy constraint: Member must have "
                               "value less than or equal to 1000000")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p1"}}, IndexName="nope")
        self.assertClientError(e.exception, V, "The table does not have the specified index: nope")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="RngN")
        self.assertClientError(e.exception, V, "Either the KeyConditions or KeyConditionExpression "
                               "parameter must be specified in the request.")
        with self.assertRaises(botocore.exceptions.ClientError) as e:
            c.query(TableName="Nope", KeyConditionExpression="pk = :p",
                    ExpressionAttributeValues={":p": {"S": "p1"}})
        self.assertClientError(e.exception, "ResourceNotFoundException")

    def test_cli_examples_with_automatic_pagination(self):
        c = self.ddb
        c.create_table(TableName="Users", BillingMode="PAY_PER_REQUEST",
                       AttributeDefinitions=[{"AttributeName": "userId", "AttributeType": "S"}],
                       KeySchema=[{"AttributeName": "userId", "KeyType": "HASH"}])
        for i in range(23):
            c.put_item(TableName="Users", Item={"userId": {"S": "u%d" % i},
                                                "age": {"N": str(20 + i)}})
        res = self.server.cli("query", "--table-name", "Users", "--key-condition-expression",
                              "userId = :id", "--expression-attribute-values",
                              '{":id":{"S":"u1"}}')
        self.assertEqual(res.returncode, 0, res.stderr)
        out = json.loads(res.stdout)
        self.assertEqual(out["Items"], [{"userId": {"S": "u1"}, "age": {"N": "21"}}])
        self.assertEqual(out["Count"], 1)
        for extra in ([], ["--page-size", "2"]):
            res = self.server.cli("scan", "--table-name", "Users", "--filter-expression",
                                  "age > :min", "--expression-attribute-values",
                                  '{":min":{"N":"30"}}', *extra)
            self.assertEqual(res.returncode, 0, res.stderr)
            out = json.loads(res.stdout)
            ages = sorted(int(i["age"]["N"]) for i in out["Items"])
            self.assertEqual(ages, list(range(31, 43)))
            self.assertEqual(out["Count"], 12)
            self.assertEqual(out["ScannedCount"], 23)


if __name__ == "__main__":
    unittest.main()
