"""The DynamoDB expression language through boto3: UpdateItem (SET / REMOVE / ADD / DELETE),
ConditionExpression on PutItem / UpdateItem / DeleteItem, ReturnValues,
ReturnValuesOnConditionCheckFailure, ProjectionExpression on GetItem and BatchGetItem, AWS's
exact error messages, and concurrent ADDs on one counter.

The expectations were validated against dynalite (github.com/mhart/dynalite, itself validated
against live AWS): run `STRATA_TEST_ENDPOINT=http://127.0.0.1:8123 python3 -m unittest -v
test_expressions` with dynalite listening there. Where dynalite is known to differ from AWS the
test asserts AWS's behaviour (AWS docs; ScyllaDB Alternator's tests, which run against AWS), is
marked "# dynalite differs: ..." and is skipped against an external endpoint unless
STRATA_TEST_STRICT=1.
"""

import json
import re
import threading
import time
import unittest
import uuid

import botocore.exceptions

from strata_harness import ServerTestCase, aws_only

# Tests of behaviour where dynalite (the reference used with STRATA_TEST_ENDPOINT) differs from
# AWS run only against strata itself, or anywhere with STRATA_TEST_STRICT=1.
def S(v):
    return {"S": v}


def N(v):
    return {"N": v}


def L(*v):
    return {"L": list(v)}


def M(**v):
    return {"M": v}


def unique_name(prefix):
    return "%s-%s" % (prefix, uuid.uuid4().hex[:10])


def create_tables(client, specs):
    """Creates tables {name: (hash (name, type), range (name, type) or None)} and waits until
    all are ACTIVE (a reference implementation may keep them CREATING briefly)."""
    for name, (hash_key, range_key) in specs.items():
        attrs = [{"AttributeName": hash_key[0], "AttributeType": hash_key[1]}]
        keys = [{"AttributeName": hash_key[0], "KeyType": "HASH"}]
        if range_key is not None:
            attrs.append({"AttributeName": range_key[0], "AttributeType": range_key[1]})
            keys.append({"AttributeName": range_key[0], "KeyType": "RANGE"})
        client.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                            AttributeDefinitions=attrs, KeySchema=keys)
    deadline = time.monotonic() + 30
    for name in specs:
        while client.describe_table(TableName=name)["Table"]["TableStatus"] != "ACTIVE":
            if time.monotonic() > deadline:
                raise AssertionError("table %s did not become ACTIVE" % name)
            time.sleep(0.05)


def delete_tables(client, names):
    for name in names:
        try:
            client.delete_table(TableName=name)
        except botocore.exceptions.ClientError:
            pass


def body(out):
    """A response without its ResponseMetadata, for exact comparisons."""
    out = dict(out)
    out.pop("ResponseMetadata", None)
    return out


class ExpressionTestCase(ServerTestCase):
    """One hash-key table `T` (pk S) and one composite table `C` (pk S, sk N) per class."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.T = unique_name("expr-" + cls.__name__)
        cls.C = unique_name("exprc-" + cls.__name__)
        create_tables(cls.ddb, {cls.T: (("pk", "S"), None),
                                cls.C: (("pk", "S"), ("sk", "N"))})

    @classmethod
    def tearDownClass(cls):
        delete_tables(cls.ddb, [cls.T, cls.C])
        super().tearDownClass()

    def key(self, name):
        return {"pk": S(name)}

    def put(self, item, table=None):
        self.ddb.put_item(TableName=table or self.T, Item=item)

    def get(self, key, table=None, **kw):
        out = self.ddb.get_item(TableName=table or self.T, Key=key, ConsistentRead=True, **kw)
        return out.get("Item")

    def update(self, key, expr, values=None, names=None, table=None, **kw):
        if values is not None:
            kw["ExpressionAttributeValues"] = values
        if names is not None:
            kw["ExpressionAttributeNames"] = names
        return body(self.ddb.update_item(TableName=table or self.T, Key=key,
                                         UpdateExpression=expr, **kw))

    def assertValidation(self, message, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        self.assertClientError(cm.exception, "ValidationException", message)

    def assertConditionFails(self, fn, *args, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            fn(*args, **kw)
        self.assertClientError(cm.exception, "ConditionalCheckFailedException",
                               "The conditional request failed")
        return cm.exception.response


class UpdateItemTest(ExpressionTestCase):

    def test_update_creates_absent_item(self):
        k = self.key("create")
        out = self.update(k, "SET a = :a, b = :b", {":a": S("x"), ":b": N("1.50")},
                          ReturnValues="ALL_NEW")
        self.assertEqual(out, {"Attributes": {"pk": S("create"), "a": S("x"), "b": N("1.5")}})
        self.assertEqual(self.get(k), {"pk": S("create"), "a": S("x"), "b": N("1.5")})
        # ADD also creates the item.
        k2 = self.key("create-add")
        self.assertEqual(self.update(k2, "ADD n :one", {":one": N("1")}), {})
        self.assertEqual(self.get(k2), {"pk": S("create-add"), "n": N("1")})

    def test_update_on_composite_key_creates_item(self):
        k = {"pk": S("c"), "sk": N("1e1")}
        out = self.update(k, "SET v = :v", {":v": S("x")}, table=self.C, ReturnValues="ALL_NEW")
        self.assertEqual(out, {"Attributes": {"pk": S("c"), "sk": N("10"), "v": S("x")}})

    @aws_only("dynalite creates the item {pk} for a REMOVE-only update of an absent item; "
              "AWS creates nothing (Alternator test_update_item_non_existent)")
    def test_remove_only_update_of_absent_item_creates_nothing(self):
        # dynalite differs: it creates {pk} and returns it as ALL_NEW.
        k = self.key("remove-absent")
        out = self.update(k, "REMOVE b", ReturnValues="ALL_NEW")
        self.assertEqual(out, {})
        self.assertIsNone(self.get(k))

    def test_set_nested_map_paths_and_list_indexes(self):
        k = self.key("nested")
        self.put(dict(k, a=M(b=M(c=N("1"))), l=L(N("0"), N("1"), N("2"))))
        # A name containing a dot is one attribute; it must exist as a map to be set into.
        self.update(k, "SET a.b.c = :v, a.b.d = :w, a.e = :e, l[1] = :x, l[10] = :y, #m = :m",
                    {":v": N("2"), ":w": S("w"), ":e": L(), ":x": S("one"), ":y": S("end"),
                     ":m": M(z=N("0"))}, names={"#m": "we.ird"})
        self.update(k, "SET #m.#z = :nine", {":nine": N("9")}, names={"#m": "we.ird", "#z": "z"})
        self.assertEqual(self.get(k), {
            "pk": S("nested"),
            "a": M(b=M(c=N("2"), d=S("w")), e=L()),
            # Setting past the end of a list appends.
            "l": L(N("0"), S("one"), N("2"), S("end")),
            "we.ird": M(z=N("9")),
        })

    def test_set_into_missing_or_wrong_type_path_is_rejected(self):
        k = self.key("badpath")
        item = dict(k, s=S("abc"), m=M(x=N("1")), l=L(N("1")))
        self.put(item)
        msg = "The document path provided in the update expression is invalid for update"
        for expr in ("SET s.b = :n", "SET zz.b = :n", "SET s[0] = :n", "SET m.x.y = :n",
                     "SET m[0] = :n", "SET l.x = :n"):
            with self.subTest(expr=expr):
                self.assertValidation(msg, self.update, k, expr, {":n": N("1")})
        self.assertEqual(self.get(k), item)

    def test_set_plus_minus_use_the_old_values(self):
        k = self.key("arith")
        self.put(dict(k, n=N("5"), f=N("0.1")))
        out = self.update(k, "SET n = n + :two, m = n - :one, f = f + :f, g = :a - :b",
                          {":two": N("2"), ":one": N("1"), ":f": N("0.2"), ":a": N("1"),
                           ":b": N("3.5")}, ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], dict(k, n=N("7"), m=N("4"), f=N("0.3"),
                                                 g=N("-2.5")))
        # Exact decimal arithmetic with 38 digits.
        self.update(k, "SET big = :a + :b", {":a": N("1"), ":b": N("1" + "0" * 37)})
        self.assertEqual(self.get(k)["big"], N("1" + "0" * 36 + "1"))
        self.update(k, "SET big = big - :a", {":a": N("1e37")})
        self.assertEqual(self.get(k)["big"], N("1"))
        self.update(k, "SET d = :a + :b", {":a": N("0.1"),
                                           ":b": N("1234567890123456789012345678901234567")})
        self.assertEqual(self.get(k)["d"], N("1234567890123456789012345678901234567.1"))

    def test_arithmetic_operand_errors(self):
        k = self.key("arith-bad")
        item = dict(k, s=S("abc"), n=N("1"))
        self.put(item)
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: +, operand type: S",
            self.update, k, "SET a = :s + :n", {":s": S("x"), ":n": N("1")})
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: -, operand type: SS",
            self.update, k, "SET a = :n - :ss", {":ss": {"SS": ["x"]}, ":n": N("1")})
        self.assertValidation(
            "An operand in the update expression has an incorrect data type",
            self.update, k, "SET a = s + :n", {":n": N("1")})
        self.assertValidation(
            "The provided expression refers to an attribute that does not exist in the item",
            self.update, k, "SET a = nope + :n", {":n": N("1")})
        self.assertEqual(self.get(k), item)

    def test_if_not_exists(self):
        k = self.key("ine")
        self.put(dict(k, a=N("1")))
        self.update(k, "SET a = if_not_exists(a, :d), b = if_not_exists(b, :d), "
                       "c = if_not_exists(a, :d) + :one",
                    {":d": N("100"), ":one": N("1")})
        self.assertEqual(self.get(k), dict(k, a=N("1"), b=N("100"), c=N("2")))
        self.assertValidation(
            "Invalid UpdateExpression: Operator or function requires a document path; "
            "operator or function: if_not_exists",
            self.update, k, "SET a = if_not_exists(:n, b)", {":n": N("1")})

    def test_list_append_both_sides(self):
        k = self.key("append")
        self.put(dict(k, l=L(N("1"), N("2"))))
        out = self.update(k, "SET l = list_append(l, :tail), h = list_append(:head, l)",
                          {":tail": L(S("t")), ":head": L(S("h"))}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {
            "l": L(N("1"), N("2"), S("t")),
            "h": L(S("h"), N("1"), N("2"))}})
        self.update(k, "SET l = list_append(if_not_exists(nope, :empty), l)", {":empty": L()})
        self.assertEqual(self.get(k)["l"], L(N("1"), N("2"), S("t")))
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator or function: list_append, operand type: S",
            self.update, k, "SET l = list_append(l, :s)", {":s": S("x")})
        self.assertValidation(
            "The provided expression refers to an attribute that does not exist in the item",
            self.update, k, "SET l = list_append(zz, :e)", {":e": L()})

    def test_remove_attributes_and_list_elements_shift(self):
        k = self.key("remove")
        self.put(dict(k, a=S("a"), b=S("b"), m=M(x=N("1"), y=N("2")),
                      l=L(N("0"), N("1"), N("2"), N("3"), N("4"))))
        out = self.update(k, "REMOVE a, m.x, l[1], l[9], nope", ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], dict(k, b=S("b"), m=M(y=N("2")),
                                                 l=L(N("0"), N("2"), N("3"), N("4"))))
        self.update(k, "REMOVE l[0] SET c = :c", {":c": S("c")})
        self.assertEqual(self.get(k), dict(k, b=S("b"), m=M(y=N("2")),
                                           l=L(N("2"), N("3"), N("4")), c=S("c")))

    @aws_only("dynalite applies REMOVE list indexes one after another, so later indexes see "
              "the shifted list")
    def test_list_indexes_refer_to_the_original_list(self):
        # dynalite differs: REMOVE l[1], l[3] on [0,1,2,3,4] gives [0,2,3]. In AWS every path
        # names a position in the item before the update (Alternator
        # test_update_expression_nested_remove_list_item_original_number).
        k = self.key("remove-orig")
        self.put(dict(k, l=L(N("0"), N("1"), N("2"), N("3"), N("4"))))
        self.update(k, "REMOVE l[1], l[3]")
        self.assertEqual(self.get(k)["l"], L(N("0"), N("2"), N("4")))
        self.put(dict(k, l=L(N("2"), N("3"), N("4"), N("5"), N("6"), N("7"))))
        self.update(k, "REMOVE l[1] SET l[3] = :v", {":v": N("17")})
        self.assertEqual(self.get(k)["l"], L(N("2"), N("4"), N("17"), N("6"), N("7")))
        self.put(dict(k, l=L(N("2"), N("3"), N("4"), N("5"), N("6"), N("7"))))
        self.update(k, "SET l[3] = :v REMOVE l[1]", {":v": N("17")})
        self.assertEqual(self.get(k)["l"], L(N("2"), N("4"), N("17"), N("6"), N("7")))

    def test_add_numbers_exactly(self):
        k = self.key("addnum")
        self.update(k, "ADD n :v", {":v": N("0.1")})
        out = self.update(k, "ADD n :v", {":v": N("0.2")}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"n": N("0.3")}})
        out = self.update(k, "ADD n :v", {":v": N("-0.3")}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"n": N("0")}})
        out = self.update(k, "ADD n :v", {":v": N("12345678901234567890123456789012345678")},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"n": N("12345678901234567890123456789012345678")}})

    @aws_only("dynalite computes with unlimited precision and stores the 51-digit result")
    def test_add_beyond_38_digits_is_rejected(self):
        # dynalite differs: stores 100000000000000000000000000000000000000000000000001.
        # AWS answers the overflow message for a precision loss (Alternator test_number.py,
        # test_update_expression_plus_imprecise).
        k = self.key("precision")
        self.put(dict(k, n=N("1e50")))
        msg = ("Number overflow. Attempting to store a number with magnitude larger than "
               "supported range")
        self.assertValidation(msg, self.update, k, "ADD n :one", {":one": N("1")})
        self.assertValidation(msg, self.update, k, "SET n = n + :one", {":one": N("1")})
        self.assertValidation(msg, self.update, k, "SET x = :a - :b",
                              {":a": N("1e50"), ":b": N("1")})
        self.assertEqual(self.get(k), dict(k, n=N("1" + "0" * 50)))

    @aws_only("dynalite computes with unlimited precision and stores 1.8e126")
    def test_add_overflow_is_rejected(self):
        # dynalite differs: stores 18 followed by 125 zeros.
        k = self.key("overflow")
        self.put(dict(k, n=N("9e125")))
        msg = ("Number overflow. Attempting to store a number with magnitude larger than "
               "supported range")
        self.assertValidation(msg, self.update, k, "ADD n :v", {":v": N("9e125")})
        self.assertValidation(msg, self.update, k, "SET n = n - :v", {":v": N("-9e125")})
        self.assertValidation(msg, self.update, k, "SET x = :v + :v", {":v": N("9e125")})
        self.assertEqual(self.get(k), dict(k, n=N("9" + "0" * 125)))

    def test_add_and_delete_sets(self):
        k = self.key("sets")
        self.update(k, "ADD ss :a, ns :n, bs :b",
                    {":a": {"SS": ["x", "y"]}, ":n": {"NS": ["1", "2.0"]}, ":b": {"BS": [b"\x01"]}})
        out = self.update(k, "ADD ss :a, ns :n", {":a": {"SS": ["y", "z"]}, ":n": {"NS": ["3"]}},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(sorted(out["Attributes"]["ss"]["SS"]), ["x", "y", "z"])
        self.assertEqual(sorted(out["Attributes"]["ns"]["NS"]), ["1", "2", "3"])
        self.update(k, "DELETE ss :a, ns :n", {":a": {"SS": ["x", "nothere"]},
                                               ":n": {"NS": ["2"]}})
        item = self.get(k)
        self.assertEqual(sorted(item["ss"]["SS"]), ["y", "z"])
        self.assertEqual(sorted(item["ns"]["NS"]), ["1", "3"])
        # Deleting every element removes the attribute.
        out = self.update(k, "DELETE ss :a, bs :b", {":a": {"SS": ["y", "z"]},
                                                     ":b": {"BS": [b"\x01"]}},
                          ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], dict(k, ns={"NS": out["Attributes"]["ns"]["NS"]}))
        self.assertNotIn("ss", self.get(k))
        # DELETE from an absent attribute does nothing.
        self.update(k, "DELETE nothere :a", {":a": {"SS": ["q"]}})
        self.assertEqual(set(self.get(k)), {"pk", "ns"})

    def test_add_delete_type_errors(self):
        k = self.key("settypes")
        item = dict(k, s=S("abc"), n=N("5"), ss={"SS": ["a"]})
        self.put(item)
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator: ADD, operand type: STRING",
            self.update, k, "ADD n :s", {":s": S("x")})
        self.assertValidation(
            "Invalid UpdateExpression: Incorrect operand type for operator or function; "
            "operator: DELETE, operand type: STRING",
            self.update, k, "DELETE ss :s", {":s": S("x")})
        self.assertValidation("An operand in the update expression has an incorrect data type",
                              self.update, k, "ADD s :n", {":n": N("1")})
        self.assertValidation("An operand in the update expression has an incorrect data type",
                              self.update, k, "ADD ss :n", {":n": {"NS": ["1"]}})
        self.assertValidation("An operand in the update expression has an incorrect data type",
                              self.update, k, "DELETE n :s", {":s": {"SS": ["x"]}})
        self.assertEqual(self.get(k), item)

    def test_updating_a_key_attribute_is_rejected(self):
        k = self.key("keyupd")
        self.put(dict(k, a=S("x")))
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute pk. "
            "This attribute is part of the key",
            self.update, k, "SET pk = :v", {":v": S("y")})
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute pk. "
            "This attribute is part of the key",
            self.update, k, "REMOVE pk")
        ck = {"pk": S("c"), "sk": N("1")}
        self.assertValidation(
            "One or more parameter values were invalid: Cannot update attribute sk. "
            "This attribute is part of the key",
            self.update, ck, "ADD sk :one", {":one": N("1")}, table=self.C)
        self.assertEqual(self.get(k), dict(k, a=S("x")))
        self.assertIsNone(self.get(ck, table=self.C))

    def test_result_over_400kb_is_rejected_and_nothing_changes(self):
        k = self.key("big")
        item = dict(k, a=S("x" * 300000))
        self.put(item)
        self.assertValidation("Item size to update has exceeded the maximum allowed size",
                              self.update, k, "SET b = :v", {":v": S("y" * 120000)})
        self.assertEqual(self.get(k), item)
        # An absent item that would be too large is not created either.
        k2 = self.key("big2")
        self.assertValidation("Item size to update has exceeded the maximum allowed size",
                              self.update, k2, "SET a = :v, b = :v", {":v": S("y" * 210000)})
        self.assertIsNone(self.get(k2))


class CliTest(ExpressionTestCase):

    def test_cli_update_item(self):
        # One CLI call only: each starts a Python interpreter (seconds on a loaded machine).
        key = '{"pk": {"S": "cli"}}'
        res = self.server.cli(
            "update-item", "--table-name", self.T, "--key", key,
            "--update-expression", "SET visits = if_not_exists(visits, :zero) + :one",
            "--expression-attribute-values", '{":zero": {"N": "0"}, ":one": {"N": "1"}}',
            "--return-values", "UPDATED_NEW")
        self.assertEqual(res.returncode, 0, res.stderr)
        self.assertEqual(json.loads(res.stdout), {"Attributes": {"visits": {"N": "1"}}})
        self.assertEqual(self.get(self.key("cli")), {"pk": S("cli"), "visits": N("1")})


class ReturnValuesTest(ExpressionTestCase):

    def test_none_and_all_old_and_all_new(self):
        k = self.key("rv")
        self.put(dict(k, a=S("hi"), b=S("dog")))
        self.assertEqual(self.update(k, "SET b = :v", {":v": S("cat")}), {})
        self.assertEqual(self.update(k, "SET b = :v", {":v": S("cow")}, ReturnValues="NONE"), {})
        out = self.update(k, "SET b = :v", {":v": S("rat")}, ReturnValues="ALL_OLD")
        self.assertEqual(out, {"Attributes": dict(k, a=S("hi"), b=S("cow"))})
        out = self.update(k, "REMOVE b SET c = :v", {":v": S("x")}, ReturnValues="ALL_NEW")
        self.assertEqual(out, {"Attributes": dict(k, a=S("hi"), c=S("x"))})
        # ALL_OLD of an absent item: no Attributes.
        out = self.update(self.key("rv-absent"), "SET b = :v", {":v": S("x")},
                          ReturnValues="ALL_OLD")
        self.assertEqual(out, {})

    def test_updated_old_and_updated_new(self):
        k = self.key("rv-upd")
        self.put(dict(k, a=S("hi"), b=S("dog")))
        out = self.update(k, "SET b = :v, c = :w", {":v": S("cat"), ":w": S("hello")},
                          ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"b": S("dog")}})
        # Setting the same value again is an update.
        out = self.update(k, "SET b = :v", {":v": S("cat")}, ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"b": S("cat")}})
        out = self.update(k, "REMOVE b", ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"b": S("cat")}})
        out = self.update(k, "SET a = :v, b = :w REMOVE c", {":v": S("dog"), ":w": S("tiger")},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"a": S("dog"), "b": S("tiger")}})
        out = self.update(k, "ADD n :one", {":one": N("1")}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"n": N("1")}})
        # UPDATED_NEW never returns key attributes, even when the update creates the item.
        out = self.update(self.key("rv-new"), "SET a = :v", {":v": N("1")},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"a": N("1")}})

    @aws_only("dynalite answers \"Attributes\": {} when nothing matched; AWS omits it")
    def test_updated_values_absent_when_nothing_matches(self):
        # dynalite differs: returns {"Attributes": {}} (Alternator test_returnvalues.py).
        k = self.key("rv-empty")
        self.put(dict(k, a=S("hi")))
        self.assertEqual(self.update(k, "SET b = :v", {":v": S("x")},
                                     ReturnValues="UPDATED_OLD"), {})
        self.assertEqual(self.update(k, "REMOVE b", ReturnValues="UPDATED_NEW"), {})
        self.put(dict(k, a=M(c=L(N("1")))))
        self.assertEqual(self.update(k, "SET a.x = :v", {":v": N("8")},
                                     ReturnValues="UPDATED_OLD"), {})
        # Setting past the end of a list appends, and a.c[100] is then not in the new item.
        self.assertEqual(self.update(k, "SET a.c[100] = :v", {":v": N("70")},
                                     ReturnValues="UPDATED_NEW"), {})
        self.assertEqual(self.get(k)["a"], M(c=L(N("1"), N("70")), x=N("8")))

    def test_nested_paths(self):
        k = self.key("rv-nested")
        self.put(dict(k, a=M(b=S("dog"), c=L(N("1"), N("2"), N("3"))), d=S("cat")))
        out = self.update(k, "SET a.b = :v", {":v": S("hi")}, ReturnValues="ALL_OLD")
        self.assertEqual(out["Attributes"], dict(k, a=M(b=S("dog"), c=L(N("1"), N("2"), N("3"))),
                                                 d=S("cat")))
        out = self.update(k, "SET a.b = :v", {":v": S("yo")}, ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"a": M(b=S("hi"))}})
        out = self.update(k, "SET a.c[1] = :v", {":v": N("7")}, ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"a": M(c=L(N("2")))}})
        out = self.update(k, "SET a.c[1] = :v, a.b = :w", {":v": N("8"), ":w": S("dog")},
                          ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"a": M(b=S("yo"), c=L(N("7")))}})
        out = self.update(k, "SET a.c[1] = :v, a.b = :w", {":v": N("3"), ":w": S("dog")},
                          ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"a": M(b=S("dog"), c=L(N("3")))}})
        out = self.update(k, "SET a.c[1] = :v", {":v": N("4")}, ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], dict(k, a=M(b=S("dog"), c=L(N("1"), N("4"), N("3"))),
                                                 d=S("cat")))
        # REMOVE of an element that does not exist is not in UPDATED_OLD.
        out = self.update(k, "REMOVE a.c[1], a.c[3]", ReturnValues="UPDATED_OLD")
        self.assertEqual(out, {"Attributes": {"a": M(c=L(N("4")))}})
        out = self.update(k, "SET a.x2 = :v", {":v": N("8")}, ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"a": M(x2=N("8"))}})
        # After REMOVE a.c[0] the new a.c[0] is the shifted element, and UPDATED_NEW shows it.
        out = self.update(k, "REMOVE a.c[0]", ReturnValues="UPDATED_NEW")
        self.assertEqual(out, {"Attributes": {"a": M(c=L(N("3")))}})
        self.assertEqual(self.get(k), dict(k, a=M(b=S("dog"), c=L(N("3")), x2=N("8")),
                                           d=S("cat")))

    def test_invalid_return_values(self):
        k = self.key("rv-bad")
        self.assertValidation(
            "1 validation error detected: Value 'ALL_OLDX' at 'returnValues' failed to satisfy "
            "constraint: Member must satisfy enum value set: "
            "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
            self.update, k, "SET a = :v", {":v": N("1")}, ReturnValues="ALL_OLDX")
        self.assertValidation("ReturnValues can only be ALL_OLD or NONE",
                              self.ddb.put_item, TableName=self.T, Item=k,
                              ReturnValues="ALL_NEW")
        self.assertIsNone(self.get(k))


class ConditionTest(ExpressionTestCase):

    ITEM = {
        "s": S("abc"), "n": N("5"), "b": {"B": b"\x01\x02"}, "t": {"BOOL": True},
        "z": {"NULL": True}, "ss": {"SS": ["x", "y"]}, "ns": {"NS": ["1", "2"]},
        "l": L(S("e"), N("1"), M(k=S("v"))), "m": M(x=M(y=N("10")), e=S("")),
        "name": S("reserved"),
    }

    def test_put_create_only(self):
        k = self.key("create-only")
        self.ddb.put_item(TableName=self.T, Item=dict(k, v=S("first")),
                          ConditionExpression="attribute_not_exists(pk)")
        resp = self.assertConditionFails(self.ddb.put_item, TableName=self.T,
                                         Item=dict(k, v=S("second")),
                                         ConditionExpression="attribute_not_exists(pk)")
        self.assertNotIn("Item", resp)
        self.assertEqual(self.get(k), dict(k, v=S("first")))

    def test_condition_matrix(self):
        """Each condition against ITEM, checked through UpdateItem (touching only `touched`)."""
        k = self.key("matrix")
        self.put(dict(k, **self.ITEM))
        values = {
            ":n4": N("4"), ":n5": N("5.0"), ":n6": N("6"), ":s5": S("5"), ":abc": S("abc"),
            ":abd": S("abd"), ":ab": S("ab"), ":bc": S("bc"), ":x": S("x"), ":one": N("1"),
            ":three": N("3"), ":b": {"B": b"\x01\x03"}, ":e": S("e"), ":true": {"BOOL": True},
            ":ten": N("10"), ":tS": S("S"), ":tN": S("N"), ":tSS": S("SS"), ":tNULL": S("NULL"),
            ":tM": S("M"), ":tL": S("L"),
        }
        cases = [
            ("n = :n5", True), ("n <> :n5", False), ("n < :n6", True), ("n <= :n5", True),
            ("n > :n4", True), ("n >= :n6", False), ("s < :abd", True), ("s > :abd", False),
            ("b < :b", True), ("s = :abc", True),
            # Comparisons across types: = is false, <> is true, ordering is false.
            ("n = :s5", False), ("n <> :s5", True), ("n < :s5", False), ("t = :true", True),
            ("nope = :n5", False), ("nope <> :n5", True),
            ("n BETWEEN :n4 AND :n6", True), ("n BETWEEN :n5 AND :n5", True),
            ("n BETWEEN :n6 AND :ten", False), ("s BETWEEN :ab AND :abd", True),
            ("n IN (:n4, :n5)", True), ("n IN (:n4, :n6, :s5)", False), ("s IN (:abc)", True),
            ("attribute_exists(s)", True), ("attribute_exists(nope)", False),
            ("attribute_not_exists(nope)", True), ("attribute_exists(m.x.y)", True),
            ("attribute_exists(l[2].k)", True), ("attribute_exists(l[3])", False),
            ("attribute_exists(z)", True),
            ("attribute_type(s, :tS)", True), ("attribute_type(n, :tS)", False),
            ("attribute_type(ss, :tSS)", True), ("attribute_type(z, :tNULL)", True),
            ("attribute_type(m, :tM)", True), ("attribute_type(l, :tL)", True),
            ("attribute_type(nope, :tN)", False),
            ("begins_with(s, :ab)", True), ("begins_with(s, :bc)", False),
            ("begins_with(n, :ab)", False),
            ("contains(s, :bc)", True), ("contains(s, :x)", False), ("contains(ss, :x)", True),
            ("contains(l, :e)", True), ("contains(l, :one)", True),
            ("contains(ns, :three)", False),
            ("size(s) = :three", True), ("size(l) = :three", True), ("size(ss) < :three", True),
            ("size(m) = :one", False), ("size(b) > :one", True), ("size(m.e) = :one", False),
            ("size(nope) >= :one", False),
            ("m.x.y = :ten", True), ("l[1] = :one", True), ("l[2].k = :e", False),
            ("#name = :x", False), ("#name <> :x", True),
            ("NOT n = :n5", False), ("NOT (n = :n4)", True),
            ("n = :n4 OR s = :abc", True), ("n = :n4 OR s = :abd", False),
            ("n = :n5 AND s = :abc", True), ("n = :n5 AND s = :abd", False),
            # AND binds tighter than OR; NOT tighter than AND.
            ("n = :n4 AND s = :abd OR n = :n5", True),
            ("n = :n4 AND (s = :abd OR n = :n5)", False),
            ("NOT n = :n4 AND s = :abc", True),
            ("nOt n = :n4 aNd s In (:abc) oR n bEtWeEn :n4 AnD :n6", True),
        ]
        for cond, want in cases:
            with self.subTest(condition=cond):
                used = {v: values[v] for v in re.findall(r":\w+", cond)}
                used[":touch"] = S(cond)
                kw = dict(TableName=self.T, Key=k, UpdateExpression="SET touched = :touch",
                          ConditionExpression=cond, ExpressionAttributeValues=used)
                if "#name" in cond:
                    kw["ExpressionAttributeNames"] = {"#name": "name"}
                if want:
                    self.ddb.update_item(**kw)
                    self.assertEqual(self.get(k)["touched"], S(cond))
                else:
                    before = self.get(k)
                    self.assertConditionFails(self.ddb.update_item, **kw)
                    self.assertEqual(self.get(k), before)

    def test_conditions_on_absent_item(self):
        k = self.key("absent")
        self.assertConditionFails(self.ddb.update_item, TableName=self.T, Key=k,
                                  UpdateExpression="SET a = :v", ConditionExpression="a = :v",
                                  ExpressionAttributeValues={":v": N("1")})
        self.assertIsNone(self.get(k))
        self.assertConditionFails(self.ddb.delete_item, TableName=self.T, Key=k,
                                  ConditionExpression="attribute_exists(pk)")
        out = self.ddb.update_item(TableName=self.T, Key=k, UpdateExpression="SET a = :v",
                                   ConditionExpression="attribute_not_exists(a) AND a <> :v",
                                   ExpressionAttributeValues={":v": N("1")},
                                   ReturnValues="ALL_NEW")
        self.assertEqual(out["Attributes"], dict(k, a=N("1")))

    def test_conditional_delete(self):
        k = self.key("cdel")
        self.put(dict(k, v=N("1")))
        self.assertConditionFails(self.ddb.delete_item, TableName=self.T, Key=k,
                                  ConditionExpression="v > :v",
                                  ExpressionAttributeValues={":v": N("1")})
        self.assertEqual(self.get(k), dict(k, v=N("1")))
        out = self.ddb.delete_item(TableName=self.T, Key=k, ConditionExpression="v >= :v",
                                   ExpressionAttributeValues={":v": N("1")},
                                   ReturnValues="ALL_OLD")
        self.assertEqual(body(out), {"Attributes": dict(k, v=N("1"))})
        self.assertIsNone(self.get(k))

    def test_conditional_put_compares_old_item(self):
        k = self.key("cput")
        self.put(dict(k, version=N("1"), data=S("a")))
        self.assertConditionFails(self.ddb.put_item, TableName=self.T,
                                  Item=dict(k, version=N("2"), data=S("b")),
                                  ConditionExpression="version = :v",
                                  ExpressionAttributeValues={":v": N("0")})
        out = self.ddb.put_item(TableName=self.T, Item=dict(k, version=N("2"), data=S("b")),
                                ConditionExpression="version = :v",
                                ExpressionAttributeValues={":v": N("1")},
                                ReturnValues="ALL_OLD")
        self.assertEqual(body(out), {"Attributes": dict(k, version=N("1"), data=S("a"))})
        self.assertEqual(self.get(k), dict(k, version=N("2"), data=S("b")))

    @aws_only("dynalite does not implement ReturnValuesOnConditionCheckFailure")
    def test_return_values_on_condition_check_failure(self):
        # dynalite differs: ignores the parameter and never returns Item (AWS API reference,
        # PutItem/UpdateItem/DeleteItem ReturnValuesOnConditionCheckFailure; Alternator
        # test_returnvalues.py ran against AWS).
        k = self.key("rvoccf")
        old = dict(k, s=S("dog"), n=N("1"))
        self.put(old)
        calls = [
            (self.ddb.put_item, dict(Item=dict(k, s=S("cow")))),
            (self.ddb.update_item, dict(Key=k, UpdateExpression="SET s = :w")),
            (self.ddb.delete_item, dict(Key=k)),
        ]
        for fn, kw in calls:
            with self.subTest(op=fn.__name__):
                values = {":v": S("cat")}
                if "UpdateExpression" in kw:
                    values[":w"] = S("cow")
                resp = self.assertConditionFails(
                    fn, TableName=self.T, ConditionExpression="s = :v",
                    ExpressionAttributeValues=values, ReturnValuesOnConditionCheckFailure="ALL_OLD",
                    **kw)
                # The item is in the error body, beside __type and message.
                self.assertEqual(resp["Item"], old)
                resp = self.assertConditionFails(
                    fn, TableName=self.T, ConditionExpression="s = :v",
                    ExpressionAttributeValues=values, ReturnValuesOnConditionCheckFailure="NONE",
                    **kw)
                self.assertNotIn("Item", resp)
                self.assertEqual(self.get(k), old)
        # Absent item: no Item in the error.
        resp = self.assertConditionFails(
            self.ddb.update_item, TableName=self.T, Key=self.key("rvoccf-absent"),
            UpdateExpression="SET s = :v", ConditionExpression="attribute_exists(s)",
            ExpressionAttributeValues={":v": S("x")},
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertNotIn("Item", resp)
        # Success returns neither Attributes nor Item.
        out = self.ddb.update_item(TableName=self.T, Key=k, UpdateExpression="SET s = :w",
                                   ConditionExpression="s = :v",
                                   ExpressionAttributeValues={":v": S("dog"), ":w": S("cat")},
                                   ReturnValuesOnConditionCheckFailure="ALL_OLD")
        self.assertEqual(body(out), {})

    @aws_only("dynalite does not validate ReturnValuesOnConditionCheckFailure")
    def test_return_values_on_condition_check_failure_enum(self):
        # dynalite differs: accepts any value.
        with self.assertRaises(botocore.exceptions.ClientError) as cm:
            self.ddb.put_item(TableName=self.T, Item=self.key("rvoccf-enum"),
                              ReturnValuesOnConditionCheckFailure="ALL_NEW")
        self.assertClientError(cm.exception, "ValidationException")
        message = cm.exception.response["Error"]["Message"]
        self.assertTrue(message.startswith(
            "1 validation error detected: Value 'ALL_NEW' at "
            "'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must "
            "satisfy enum value set: ["), message)
        self.assertIn("ALL_OLD", message)
        self.assertIn("NONE", message)


class ExpressionErrorsTest(ExpressionTestCase):

    def setUp(self):
        self.k = self.key("errors")
        self.item = dict(self.k, a=N("1"), s=S("abc"))
        self.put(self.item)

    def tearDown(self):
        # No rejected request changed the item.
        self.assertEqual(self.get(self.k), self.item)

    def upd(self, message, expr, values=None, names=None, **kw):
        self.assertValidation(message, self.update, self.k, expr, values, names, **kw)

    def cond(self, message, cond, values=None, names=None):
        kw = dict(TableName=self.T, Key=self.k, UpdateExpression="SET a = :zz",
                  ConditionExpression=cond,
                  ExpressionAttributeValues=dict(values or {}, **{":zz": N("2")}))
        if names:
            kw["ExpressionAttributeNames"] = names
        self.assertValidation(message, self.ddb.update_item, **kw)

    @aws_only("dynalite's syntax errors are PEG.js messages ('Expected ... but ... found.')")
    def test_syntax_errors_name_token_and_near(self):
        # dynalite differs: e.g. 'Syntax error; Expected "#", "(", ":", "_", or [a-zA-Z] but end
        # of input found.'. AWS names the token and the text around it (previous token, the
        # token, next token).
        one = {":v": N("1"), ":w": N("2")}
        self.upd('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="',
                 "SET a =")
        self.upd('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"', "SET")
        self.upd('Invalid UpdateExpression: Syntax error; token: ":w", near: ":v :w"',
                 "SET a = :v :w", one)
        self.upd('Invalid UpdateExpression: Syntax error; token: "/", near: "a / :v"',
                 "SET a = a / :v", {":v": N("1")})
        self.cond('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"',
                  "a = :v AND", {":v": N("1")})

    def test_reserved_words(self):
        self.upd("Invalid UpdateExpression: Attribute name is a reserved keyword; "
                 "reserved keyword: name", "SET name = :n", {":n": N("1")})
        self.upd("Invalid UpdateExpression: Attribute name is a reserved keyword; "
                 "reserved keyword: Date", "SET a.Date = :n", {":n": N("1")})
        self.cond("Invalid ConditionExpression: Attribute name is a reserved keyword; "
                  "reserved keyword: status", "attribute_exists(status)")
        self.assertValidation("Invalid ProjectionExpression: Attribute name is a reserved "
                              "keyword; reserved keyword: name",
                              self.get, self.k, ProjectionExpression="a, name")

    def test_undefined_and_unused_placeholders(self):
        self.upd("Invalid UpdateExpression: An expression attribute name used in the document "
                 "path is not defined; attribute name: #n", "SET a = #n")
        self.upd("Invalid UpdateExpression: An expression attribute value used in expression "
                 "is not defined; attribute value: :w", "SET a = :w")
        self.upd("Invalid UpdateExpression: An expression attribute value used in expression "
                 "is not defined; attribute value: :w", "SET a = :w", {":v": N("1")})
        self.upd("Value provided in ExpressionAttributeValues unused in expressions: "
                 "keys: {:w}", "SET a = :v", {":v": N("1"), ":w": N("2")})
        self.upd("Value provided in ExpressionAttributeNames unused in expressions: "
                 "keys: {#x}", "SET a = :v", {":v": N("1")}, {"#x": "y"})
        self.cond("Invalid ConditionExpression: An expression attribute name used in the "
                  "document path is not defined; attribute name: #q", "attribute_exists(#q)")

    def test_placeholder_maps_must_be_valid(self):
        self.upd("ExpressionAttributeNames must not be empty", "SET a = :v", {":v": N("1")}, {})
        self.upd("ExpressionAttributeValues must not be empty", "REMOVE q", {})
        self.upd('ExpressionAttributeNames contains invalid key: Syntax error; key: "x"',
                 "SET a = :v", {":v": N("1")}, {"x": "y"})
        self.upd('ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
                 "SET a = :v", {"v": N("1")})
        self.upd("ExpressionAttributeValues contains invalid value: One or more parameter "
                 "values were invalid: An string set  may not be empty for key :n",
                 "SET a = :n", {":n": {"SS": []}})

    def test_overlapping_and_conflicting_paths(self):
        v = {":n": N("1")}
        self.upd("Invalid UpdateExpression: Two document paths overlap with each other; must "
                 "remove or rewrite one of these paths; path one: [a, b], path two: [a]",
                 "SET a.b = :n, a = :n", v)
        self.upd("Invalid UpdateExpression: Two document paths overlap with each other; must "
                 "remove or rewrite one of these paths; path one: [a], path two: [a]",
                 "SET a = :n REMOVE a", v)
        self.upd("Invalid UpdateExpression: Two document paths conflict with each other; must "
                 "remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
                 "SET a.b = :n, a[0] = :n", v)
        self.upd('Invalid UpdateExpression: The "SET" section can only be used once in an '
                 "update expression;", "SET a = :n SET b = :n", v)
        self.upd('Invalid UpdateExpression: The "REMOVE" section can only be used once in an '
                 "update expression;", "REMOVE a REMOVE b")

    def test_invalid_functions_and_operands(self):
        v = {":n": N("1")}
        self.upd("Invalid UpdateExpression: Invalid function name; function: foo",
                 "SET a = foo(:n)", v)
        self.cond("Invalid ConditionExpression: Invalid function name; function: foo",
                  "foo(a)")
        self.cond("Invalid ConditionExpression: Incorrect number of operands for operator or "
                  "function; operator or function: begins_with, number of operands: 1",
                  "begins_with(a)")
        self.cond("Invalid ConditionExpression: The function is not allowed to be used this "
                  "way in an expression; function: attribute_exists",
                  "attribute_exists(a) = :n", v)
        self.cond("Invalid ConditionExpression: The function is not allowed to be used this "
                  "way in an expression; function: size", "size(a)")
        self.cond("Invalid ConditionExpression: Incorrect operand type for operator or "
                  "function; operator or function: attribute_type, operand type: N",
                  "attribute_type(a, :n)", v)
        self.cond("Invalid ConditionExpression: Invalid attribute type name found; type: XX, "
                  "valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}",
                  "attribute_type(a, :t)", {":t": S("XX")})

    @aws_only("dynalite answers 'Invalid function name' for condition functions in an update "
              "and update functions in a condition")
    def test_functions_used_in_the_wrong_expression(self):
        # dynalite differs: "Invalid UpdateExpression: Invalid function name; function: size".
        v = {":n": N("1")}
        for fn in ("size", "attribute_exists", "contains"):
            with self.subTest(function=fn):
                self.upd("Invalid UpdateExpression: The function is not allowed in an update "
                         "expression; function: " + fn,
                         "SET a = %s(:n)" % fn if fn != "contains" else "SET a = contains(s, :n)",
                         v)
        self.cond("Invalid ConditionExpression: The function is not allowed in a condition "
                  "expression; function: if_not_exists", "if_not_exists(a, :n) = :n", v)

    def test_between_bounds(self):
        self.cond("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be "
                  "greater than or equal to lower bound; lower bound operand: AttributeValue: "
                  "{N:9}, upper bound operand: AttributeValue: {N:1}",
                  "a BETWEEN :hi AND :lo", {":hi": N("9"), ":lo": N("1")})

    def test_redundant_parentheses_and_empty_expressions(self):
        v = {":n": N("1")}
        self.cond("Invalid ConditionExpression: The expression has redundant parentheses;",
                  "((a = :n))", v)
        self.cond("Invalid ConditionExpression: The expression has redundant parentheses;",
                  "a = :n AND ((s = :n))", v)
        self.upd("Invalid UpdateExpression: The expression can not be empty;", "")
        self.cond("Invalid ConditionExpression: The expression can not be empty;", "")
        self.assertValidation("Invalid ProjectionExpression: The expression can not be empty;",
                              self.get, self.k, ProjectionExpression="")

    def test_placeholders_without_expressions(self):
        self.assertValidation("ExpressionAttributeNames can only be specified when using "
                              "expressions", self.get, self.k,
                              ExpressionAttributeNames={"#x": "y"})
        self.assertValidation("ExpressionAttributeValues can only be specified when using "
                              "expressions: ConditionExpression is null",
                              self.ddb.put_item, TableName=self.T, Item=self.item,
                              ExpressionAttributeValues={":x": S("y")})
        self.assertValidation("ExpressionAttributeValues can only be specified when using "
                              "expressions: ConditionExpression is null",
                              self.ddb.delete_item, TableName=self.T, Key=self.k,
                              ExpressionAttributeValues={":x": S("y")})
        self.assertValidation("ExpressionAttributeValues can only be specified when using "
                              "expressions: UpdateExpression and ConditionExpression are null",
                              self.ddb.update_item, TableName=self.T, Key=self.k,
                              ExpressionAttributeValues={":x": S("y")})


class ProjectionTest(ExpressionTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ITEM = {
            "pk": S("proj"), "a": M(b=M(c=N("1"), d=S("x")), e=L(N("0"), N("1"), N("2"))),
            "l": L(M(x=N("1"), y=N("2")), S("s1"), L(S("in0"), S("in1"))),
            "name": S("reserved"), "x.y": S("dotted"), "z": {"SS": ["q"]},
        }
        cls.ddb.put_item(TableName=cls.T, Item=cls.ITEM)

    def project(self, expr, names=None):
        kw = {"ProjectionExpression": expr}
        if names:
            kw["ExpressionAttributeNames"] = names
        return self.get(self.key("proj"), **kw)

    def test_top_level_and_nested(self):
        self.assertEqual(self.project("z, pk"), {"z": {"SS": ["q"]}, "pk": S("proj")})
        self.assertEqual(self.project("a.b.c"), {"a": M(b=M(c=N("1")))})
        self.assertEqual(self.project("a.b.c, a.e"),
                         {"a": M(b=M(c=N("1")), e=L(N("0"), N("1"), N("2")))})
        self.assertEqual(self.project("a.e[2], a.e[0]"), {"a": M(e=L(N("0"), N("2")))})
        self.assertEqual(self.project("l[0].y, l[2][1]"),
                         {"l": L(M(y=N("2")), L(S("in1")))})
        self.assertEqual(self.project("#n, #d", {"#n": "name", "#d": "x.y"}),
                         {"name": S("reserved"), "x.y": S("dotted")})
        self.assertEqual(self.project("#a.#b.d", {"#a": "a", "#b": "b"}), {"a": M(b=M(d=S("x")))})

    def test_missing_paths_are_omitted(self):
        # The item exists, so Item is present even when no path matched.
        self.assertEqual(self.project("nope"), {})
        self.assertEqual(self.project("a.nope, l[9], a.b.c.d, z[0]"), {})
        self.assertEqual(self.project("nope, a.b.d"), {"a": M(b=M(d=S("x")))})

    def test_projection_errors(self):
        k = self.key("proj")
        self.assertValidation(
            "Invalid ProjectionExpression: Two document paths overlap with each other; must "
            "remove or rewrite one of these paths; path one: [a], path two: [a, b]",
            self.get, k, ProjectionExpression="a, a.b")
        self.assertValidation(
            "Invalid ProjectionExpression: Two document paths conflict with each other; must "
            "remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]",
            self.get, k, ProjectionExpression="a[0], a.b")
        self.assertValidation(
            "Invalid ProjectionExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #x",
            self.get, k, ProjectionExpression="#x")
        self.assertValidation(
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#y}",
            self.get, k, ProjectionExpression="a", ExpressionAttributeNames={"#y": "y"})

    def test_batch_get_per_table_projection(self):
        other = self.C
        self.ddb.put_item(TableName=other, Item={"pk": S("b"), "sk": N("1"), "v": S("x"),
                                                 "w": M(q=N("1"), r=N("2"))})
        out = self.ddb.batch_get_item(RequestItems={
            self.T: {"Keys": [self.key("proj"), self.key("absent")],
                     "ProjectionExpression": "#n, a.b.d", "ExpressionAttributeNames":
                         {"#n": "name"}, "ConsistentRead": True},
            other: {"Keys": [{"pk": S("b"), "sk": N("1")}], "ProjectionExpression": "w.r, sk"},
        })
        self.assertEqual(out["UnprocessedKeys"], {})
        self.assertEqual(out["Responses"][self.T], [{"name": S("reserved"),
                                                      "a": M(b=M(d=S("x")))}])
        self.assertEqual(out["Responses"][other], [{"sk": N("1"), "w": M(r=N("2"))}])


class ConcurrencyTest(ExpressionTestCase):

    THREADS = 32
    PER_THREAD = 50

    def test_concurrent_adds_lose_nothing(self):
        k = self.key("counter")
        errors = []
        barrier = threading.Barrier(self.THREADS)

        def worker():
            try:
                client = self.server.client()  # one client (and connection pool) per thread
                barrier.wait()
                for _ in range(self.PER_THREAD):
                    client.update_item(TableName=self.T, Key=k, UpdateExpression="ADD n :one",
                                       ExpressionAttributeValues={":one": N("1")})
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        threads = [threading.Thread(target=worker) for _ in range(self.THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(self.get(k), dict(k, n=N(str(self.THREADS * self.PER_THREAD))))


if __name__ == "__main__":
    unittest.main()
