"""The legacy (pre-expression) parameters through boto3: Expected with ConditionalOperator and
every ComparisonOperator, AttributeUpdates PUT / ADD / DELETE, AttributesToGet, and AWS's errors
for malformed legacy parameters and for mixing them with expressions.

Expectations were validated against dynalite (see test_expressions.py for how to run against a
reference endpoint with STRATA_TEST_ENDPOINT).
"""

import unittest

import botocore.exceptions

from test_expressions import L, M, N, S, ExpressionTestCase, aws_only, body

MIXING = "Can not use both expression and non-expression parameters in the same request: "


class ExpectedTest(ExpressionTestCase):

    ITEM = {"s": S("abc"), "n": N("5"), "b": {"B": b"\x01\x02"}, "ss": {"SS": ["x", "y"]},
            "ns": {"NS": ["1", "2"]}, "l": L(S("e"), N("1")), "z": {"NULL": True},
            "t": {"BOOL": True}, "m": M(k=S("v"))}

    def put_cond(self, key, item, **kw):
        return self.ddb.put_item(TableName=self.T, Item=dict(key, **item), **kw)

    def test_exists_false_is_create_only(self):
        k = self.key("exists-false")
        self.put_cond(k, {"v": S("1")}, Expected={"pk": {"Exists": False}})
        resp = self.assertConditionFails(self.put_cond, k, {"v": S("2")},
                                         Expected={"pk": {"Exists": False}})
        self.assertNotIn("Item", resp)
        self.assertEqual(self.get(k), dict(k, v=S("1")))

    def test_exists_true_and_value(self):
        k = self.key("exists-true")
        self.put(dict(k, v=S("1")))
        self.put_cond(k, {"v": S("2")}, Expected={"v": {"Value": S("1")}})
        self.put_cond(k, {"v": S("3")}, Expected={"v": {"Exists": True, "Value": S("2")}})
        self.assertConditionFails(self.put_cond, k, {"v": S("4")},
                                  Expected={"v": {"Value": S("2")}})
        self.assertConditionFails(self.put_cond, k, {"v": S("4")},
                                  Expected={"v": {"Exists": False}})
        self.assertEqual(self.get(k), dict(k, v=S("3")))
        out = self.ddb.delete_item(TableName=self.T, Key=k, Expected={"v": {"Value": S("3")}},
                                   ReturnValues="ALL_OLD")
        self.assertEqual(body(out), {"Attributes": dict(k, v=S("3"))})
        self.assertIsNone(self.get(k))

    @aws_only("dynalite treats Exists: true as NOT_NULL and ignores Value; compares legacy "
              "numbers as text; lets NOT_CONTAINS match an absent attribute; stops at the "
              "first false condition even with ConditionalOperator OR")
    def test_legacy_semantics_where_dynalite_differs(self):
        # dynalite differs: see the reason above. AWS: Exists true + Value compares the value;
        # numbers compare numerically ("5.0" = "5"); S "3" is not N "3"; NOT_CONTAINS on an
        # absent attribute fails (Alternator test_expected.py, run against AWS); OR is true when
        # any condition is.
        k = self.key("legacy-aws")
        self.put(dict(k, v=S("3"), n=N("5")))
        self.assertConditionFails(self.put_cond, k, {"v": S("4"), "n": N("5")},
                                  Expected={"v": {"Exists": True, "Value": S("2")}})
        self.assertConditionFails(self.put_cond, k, {"v": S("4"), "n": N("5")},
                                  Expected={"v": {"Value": N("3")}})
        self.assertConditionFails(self.put_cond, k, {"v": S("4"), "n": N("5")},
                                  Expected={"nope": {"ComparisonOperator": "NOT_CONTAINS",
                                                     "AttributeValueList": [S("x")]}})
        self.assertEqual(self.get(k), dict(k, v=S("3"), n=N("5")))
        self.put_cond(k, {"v": S("5"), "n": N("5")},
                      Expected={"n": {"ComparisonOperator": "EQ",
                                      "AttributeValueList": [N("5.0")]}})
        self.put_cond(k, {"v": S("6"), "n": N("5")}, Expected={"n": {"Value": N("50e-1")}})
        self.put_cond(k, {"v": S("7"), "n": N("5")}, ConditionalOperator="OR",
                      Expected={"v": {"Value": S("nope")}, "n": {"Value": N("5")}})
        self.assertEqual(self.get(k), dict(k, v=S("7"), n=N("5")))

    def test_comparison_operators(self):
        k = self.key("ops")
        self.put(dict(k, **self.ITEM))
        cases = [
            ("n", "EQ", [N("5")], True), ("n", "EQ", [S("5")], False),
            ("n", "NE", [N("5")], False), ("n", "NE", [S("5")], True),
            ("nope", "NE", [N("5")], True),
            ("n", "LT", [N("6")], True), ("n", "LT", [N("5")], False),
            ("n", "LE", [N("5")], True), ("n", "GT", [N("4")], True),
            ("n", "GT", [N("5")], False), ("n", "GE", [N("5")], True),
            ("n", "LT", [S("9")], False), ("s", "LT", [S("abd")], True),
            ("b", "GT", [{"B": b"\x01"}], True),
            ("nope", "NULL", [], True), ("s", "NULL", [], False), ("z", "NULL", [], False),
            ("s", "NOT_NULL", [], True), ("nope", "NOT_NULL", [], False),
            ("s", "CONTAINS", [S("bc")], True), ("s", "CONTAINS", [S("x")], False),
            ("ss", "CONTAINS", [S("x")], True), ("ns", "CONTAINS", [N("2")], True),
            ("l", "CONTAINS", [S("e")], True), ("nope", "CONTAINS", [S("e")], False),
            ("s", "NOT_CONTAINS", [S("x")], True), ("ss", "NOT_CONTAINS", [S("x")], False),
            ("s", "BEGINS_WITH", [S("ab")], True), ("s", "BEGINS_WITH", [S("b")], False),
            ("b", "BEGINS_WITH", [{"B": b"\x01"}], True),
            ("n", "IN", [N("1"), N("5")], True), ("n", "IN", [N("1"), N("2")], False),
            ("s", "IN", [S("abc")], True),
            ("n", "BETWEEN", [N("5"), N("6")], True), ("n", "BETWEEN", [N("6"), N("9")], False),
            ("s", "BETWEEN", [S("a"), S("b")], True),
        ]
        for attr, op, args, want in cases:
            with self.subTest(attr=attr, op=op, args=args):
                kw = dict(TableName=self.T, Key=k,
                          AttributeUpdates={"touched": {"Action": "PUT",
                                                        "Value": S(attr + op)}},
                          Expected={attr: {"ComparisonOperator": op,
                                           "AttributeValueList": args}})
                if want:
                    self.ddb.update_item(**kw)
                    self.assertEqual(self.get(k)["touched"], S(attr + op))
                else:
                    before = self.get(k)
                    self.assertConditionFails(self.ddb.update_item, **kw)
                    self.assertEqual(self.get(k), before)

    def test_conditional_operator(self):
        k = self.key("condop")
        self.put(dict(k, a=N("1"), b=N("2")))
        one_true = {"a": {"Value": N("1")}, "b": {"Value": N("9")}}
        both_true = {"a": {"Value": N("1")}, "b": {"ComparisonOperator": "GE",
                                                    "AttributeValueList": [N("2")]}}
        self.assertConditionFails(self.ddb.delete_item, TableName=self.T, Key=k,
                                  Expected=one_true)
        self.assertConditionFails(self.ddb.delete_item, TableName=self.T, Key=k,
                                  Expected=one_true, ConditionalOperator="AND")
        self.ddb.update_item(TableName=self.T, Key=k, Expected=one_true, ConditionalOperator="OR",
                             AttributeUpdates={"c": {"Action": "PUT", "Value": S("or")}})
        self.ddb.update_item(TableName=self.T, Key=k, Expected=both_true,
                             ConditionalOperator="AND",
                             AttributeUpdates={"d": {"Action": "PUT", "Value": S("and")}})
        self.assertConditionFails(self.ddb.delete_item, TableName=self.T, Key=k,
                                  ConditionalOperator="OR",
                                  Expected={"a": {"Exists": False}, "b": {"Value": N("3")}})
        self.assertEqual(self.get(k), dict(k, a=N("1"), b=N("2"), c=S("or"), d=S("and")))

    def test_expected_errors(self):
        k = self.key("experr")
        item = dict(k, a=N("1"))
        self.put(item)
        pre = "One or more parameter values were invalid: "
        cases = [
            ({"a": {"Exists": True}},
             pre + "Value must be provided when Exists is true for Attribute: a"),
            ({"a": {"Exists": False, "Value": S("x")}},
             pre + "Value cannot be used when Exists is false for Attribute: a"),
            ({"a": {"ComparisonOperator": "EQ"}},
             pre + "Value or AttributeValueList must be used with ComparisonOperator: EQ for "
                   "Attribute: a"),
            ({"a": {"ComparisonOperator": "EQ", "AttributeValueList": [S("x"), S("y")]}},
             pre + "Invalid number of argument(s) for the EQ ComparisonOperator"),
            ({"a": {"ComparisonOperator": "NULL", "AttributeValueList": [S("x")]}},
             pre + "Invalid number of argument(s) for the NULL ComparisonOperator"),
            ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N("1")]}},
             pre + "Invalid number of argument(s) for the BETWEEN ComparisonOperator"),
            ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N("5"), N("1")]}},
             "The BETWEEN condition was provided a range where the lower bound is greater than "
             "the upper bound"),
            ({"a": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [N("5"), S("1")]}},
             pre + "AttributeValues inside AttributeValueList must be of same type"),
            ({"a": {"ComparisonOperator": "IN", "AttributeValueList": [N("5"), S("1")]}},
             pre + "AttributeValues inside AttributeValueList must be of same type"),
            ({"a": {"Value": S("x"), "ComparisonOperator": "EQ",
                    "AttributeValueList": [S("x")]}},
             pre + "Value and AttributeValueList cannot be used together for Attribute: a"),
            ({"a": {"Exists": False, "ComparisonOperator": "EQ",
                    "AttributeValueList": [S("x")]}},
             pre + "Exists and ComparisonOperator cannot be used together for Attribute: a"),
        ]
        for expected, message in cases:
            with self.subTest(expected=expected):
                self.assertValidation(message, self.ddb.put_item, TableName=self.T,
                                      Item=dict(k, a=N("2")), Expected=expected)
        self.assertEqual(self.get(k), item)


class AttributeUpdatesTest(ExpressionTestCase):

    def au(self, key, updates, **kw):
        return body(self.ddb.update_item(TableName=self.T, Key=key, AttributeUpdates=updates,
                                         **kw))

    def test_put_add_delete(self):
        k = self.key("au")
        # Creates the item; PUT is the default action.
        out = self.au(k, {"a": {"Value": S("x")}, "n": {"Action": "ADD", "Value": N("0.1")},
                          "ss": {"Action": "ADD", "Value": {"SS": ["p", "q"]}}},
                      ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"]["a"], S("x"))
        self.assertEqual(out["Attributes"]["n"], N("0.1"))
        self.assertEqual(sorted(out["Attributes"]["ss"]["SS"]), ["p", "q"])
        out = self.au(k, {"n": {"Action": "ADD", "Value": N("0.2")},
                          "a": {"Action": "PUT", "Value": N("7")},
                          "ss": {"Action": "ADD", "Value": {"SS": ["r"]}}},
                      ReturnValues="UPDATED_OLD")
        self.assertEqual(out["Attributes"]["a"], S("x"))
        self.assertEqual(out["Attributes"]["n"], N("0.1"))
        item = self.get(k)
        self.assertEqual(item["n"], N("0.3"))
        self.assertEqual(item["a"], N("7"))
        self.assertEqual(sorted(item["ss"]["SS"]), ["p", "q", "r"])
        # DELETE with a value removes set elements; emptying the set removes the attribute.
        self.au(k, {"ss": {"Action": "DELETE", "Value": {"SS": ["p", "nothere"]}}})
        self.assertEqual(sorted(self.get(k)["ss"]["SS"]), ["q", "r"])
        out = self.au(k, {"ss": {"Action": "DELETE", "Value": {"SS": ["q", "r"]}},
                          "a": {"Action": "DELETE"}}, ReturnValues="ALL_NEW")
        self.assertEqual(out, {"Attributes": dict(k, n=N("0.3"))})
        # DELETE of an absent attribute does nothing.
        self.au(k, {"nothere": {"Action": "DELETE"}})
        self.assertEqual(self.get(k), dict(k, n=N("0.3")))

    def test_add_to_list_appends(self):
        k = self.key("au-list")
        self.put(dict(k, l=L(S("a"))))
        out = self.au(k, {"l": {"Action": "ADD", "Value": L(S("b"))}}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"l": L(S("a"), S("b"))}})

    def test_empty_attribute_updates(self):
        k = self.key("au-empty")
        out = self.au(k, {}, ReturnValues="ALL_NEW")
        self.assertEqual(out, {"Attributes": k})
        self.assertEqual(self.get(k), k)

    def test_attribute_updates_with_expected(self):
        k = self.key("au-exp")
        self.put(dict(k, v=N("1")))
        self.assertConditionFails(self.au, k, {"v": {"Value": N("2")}},
                                  Expected={"v": {"Value": N("0")}})
        self.au(k, {"v": {"Value": N("2")}}, Expected={"v": {"Value": N("1")}})
        self.assertEqual(self.get(k), dict(k, v=N("2")))

    def test_errors(self):
        k = self.key("au-err")
        item = dict(k, s=S("abc"), n=N("5"), ss={"SS": ["a", "b"]})
        self.put(item)
        pre = "One or more parameter values were invalid: "
        cases = [
            ({"s": {"Action": "ADD", "Value": N("1")}}, "Type mismatch for attribute to update"),
            ({"ss": {"Action": "ADD", "Value": {"NS": ["1"]}}},
             "Type mismatch for attribute to update"),
            ({"ss": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
             "Type mismatch for attribute to update"),
            ({"n": {"Action": "DELETE", "Value": {"NS": ["1"]}}},
             "Type mismatch for attribute to update"),
            ({"n": {"Action": "ADD", "Value": S("x")}},
             pre + "ADD action is not supported for the type S"),
            ({"n": {"Action": "DELETE", "Value": S("x")}},
             pre + "DELETE action with value is not supported for the type S"),
            ({"s": {"Action": "PUT"}},
             pre + "Only DELETE action is allowed when no attribute value is specified"),
            ({"s": {"Action": "ADD"}},
             pre + "Only DELETE action is allowed when no attribute value is specified"),
            ({"pk": {"Action": "PUT", "Value": S("x")}},
             pre + "Cannot update attribute pk. This attribute is part of the key"),
        ]
        for updates, message in cases:
            with self.subTest(updates=updates):
                self.assertValidation(message, self.au, k, updates)
        self.assertEqual(self.get(k), item)


class AttributesToGetTest(ExpressionTestCase):

    def test_get_item_and_batch_get(self):
        k = self.key("atg")
        self.put(dict(k, a=S("1"), b=N("2"), c=M(d=S("x"))))
        self.assertEqual(self.get(k, AttributesToGet=["a", "c", "nope"]),
                         {"a": S("1"), "c": M(d=S("x"))})
        self.assertEqual(self.get(k, AttributesToGet=["nope"]), {})
        self.assertIsNone(self.get(self.key("atg-absent"), AttributesToGet=["a"]))
        out = self.ddb.batch_get_item(RequestItems={
            self.T: {"Keys": [k], "AttributesToGet": ["b", "pk"]}})
        self.assertEqual(out["Responses"][self.T], [{"b": N("2"), "pk": S("atg")}])

    def test_duplicates_rejected(self):
        self.assertValidation(
            "One or more parameter values were invalid: Duplicate value in attribute name: a",
            self.get, self.key("atg"), AttributesToGet=["a", "b", "a"])


class MixingTest(ExpressionTestCase):

    def test_mixing_legacy_and_expression_parameters(self):
        k = self.key("mix")
        self.put(dict(k, a=S("x")))
        v = {":x": S("y")}
        self.assertValidation(
            MIXING + "Non-expression parameters: {Expected} Expression parameters: "
                     "{ConditionExpression}",
            self.ddb.put_item, TableName=self.T, Item=k, Expected={"a": {"Exists": False}},
            ConditionExpression="a = :x", ExpressionAttributeValues=v)
        self.assertValidation(
            MIXING + "Non-expression parameters: {Expected} Expression parameters: "
                     "{ConditionExpression}",
            self.ddb.delete_item, TableName=self.T, Key=k, Expected={"a": {"Exists": False}},
            ConditionExpression="attribute_exists(a)")
        self.assertValidation(
            MIXING + "Non-expression parameters: {AttributeUpdates} Expression parameters: "
                     "{UpdateExpression}",
            self.ddb.update_item, TableName=self.T, Key=k, UpdateExpression="SET a = :x",
            AttributeUpdates={"a": {"Action": "DELETE"}}, ExpressionAttributeValues=v)
        self.assertValidation(
            MIXING + "Non-expression parameters: {AttributeUpdates, Expected} Expression "
                     "parameters: {UpdateExpression, ConditionExpression}",
            self.ddb.update_item, TableName=self.T, Key=k, UpdateExpression="SET a = :x",
            ConditionExpression="a = :x", Expected={"a": {"Exists": False}},
            AttributeUpdates={"s": {"Action": "PUT", "Value": S("x")}},
            ExpressionAttributeValues=v)
        self.assertValidation(
            MIXING + "Non-expression parameters: {Expected} Expression parameters: "
                     "{UpdateExpression, ConditionExpression}",
            self.ddb.update_item, TableName=self.T, Key=k, UpdateExpression="SET a = :x",
            ConditionExpression="a = :x", Expected={"a": {"Exists": False}},
            ExpressionAttributeValues=v)
        self.assertValidation(
            MIXING + "Non-expression parameters: {AttributesToGet} Expression parameters: "
                     "{ProjectionExpression}",
            self.get, k, ProjectionExpression="a", AttributesToGet=["a"])
        self.assertValidation(
            "ExpressionAttributeNames can only be specified when using expressions",
            self.ddb.put_item, TableName=self.T, Item=k, Expected={"a": {"Exists": False}},
            ExpressionAttributeNames={"#a": "a"})
        self.assertEqual(self.get(k), dict(k, a=S("x")))


if __name__ == "__main__":
    unittest.main()
