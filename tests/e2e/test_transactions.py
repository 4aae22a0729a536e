"""TransactWriteItems and TransactGetItems through boto3 and raw HTTP (DESIGN 5.6, 6.3).

Expected behaviour follows Alternator's test_transact.py (validated against DynamoDB): failed
conditions cancel with one CancellationReasons entry per action (Code None without Message for
the others), an invalid key cancels with ValidationError, expression errors and two actions on
one item are whole-request ValidationExceptions, a repeated ClientRequestToken applies once.
The TransactionCanceledException body has a capital `Message` (moto, DESIGN 6.3).

The conservation test runs 32 threads of transfers between 10 accounts for ~5 s, beside a
reader and a plain writer; the total must be unchanged and every TransactGetItems of all
accounts must see the same total. A transfer, read or plain write meeting an account that
another transfer holds fails at once with AWS's TransactionConflict errors (counted); each
transfer also puts a marker item, present exactly when the transfer committed.
"""

import random
import threading
import time
import unittest
import uuid

import botocore.exceptions

from strata_harness import ServerTestCase, signed_request

CANCELLED = "Transaction cancelled, please refer cancellation reasons for specific reasons [%s]"
CONFLICT = "Transaction is ongoing for the item"
ACCOUNTS = 10
INITIAL = 1000


def s(v):
    return {"S": v}


def n(v):
    return {"N": str(v)}


def run_threads(threads):
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def transfer(table, src, dst, amount):
    return [
        {"Update": {"TableName": table, "Key": {"id": s(src)},
                    "UpdateExpression": "ADD balance :neg",
                    "ConditionExpression": "balance >= :x",
                    "ExpressionAttributeValues": {":neg": n(-amount), ":x": n(amount)}}},
        {"Update": {"TableName": table, "Key": {"id": s(dst)},
                    "UpdateExpression": "ADD balance :x",
                    "ExpressionAttributeValues": {":x": n(amount)}}},
    ]


class TransactionsTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for name in ("TxItems", "Bank"):
            cls.ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                                 AttributeDefinitions=[{"AttributeName": "id",
                                                        "AttributeType": "S"}],
                                 KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
        cls.raw = cls.server.client(validate=False)

    def key(self, prefix="k"):
        return prefix + uuid.uuid4().hex[:12]

    def get(self, table, key):
        return self.ddb.get_item(TableName=table, Key={"id": s(key)},
                                 ConsistentRead=True).get("Item")

    # ---- success paths ----------------------------------------------------------------------

    def test_all_actions_commit_together(self):
        a, b, c, d = (self.key() for _ in range(4))
        self.ddb.put_item(TableName="TxItems", Item={"id": s(b), "v": n(1)})
        self.ddb.put_item(TableName="TxItems", Item={"id": s(c), "v": n(1)})
        out = self.ddb.transact_write_items(
            ReturnConsumedCapacity="TOTAL",
            TransactItems=[
                {"Put": {"TableName": "TxItems", "Item": {"id": s(a), "x": s("dog")},
                         "ConditionExpression": "attribute_not_exists(id)"}},
                {"Update": {"TableName": "TxItems", "Key": {"id": s(b)},
                            "UpdateExpression": "SET #v = #v + :one",
                            "ExpressionAttributeNames": {"#v": "v"},
                            "ExpressionAttributeValues": {":one": n(1)}}},
                {"Delete": {"TableName": "TxItems", "Key": {"id": s(c)}}},
                {"ConditionCheck": {"TableName": "TxItems", "Key": {"id": s(d)},
                                    "ConditionExpression": "attribute_not_exists(id)"}},
            ])
        self.assertEqual(out["ConsumedCapacity"], [{"TableName": "TxItems", "CapacityUnits": 8.0}])
        self.assertEqual(self.get("TxItems", a), {"id": s(a), "x": s("dog")})
        self.assertEqual(self.get("TxItems", b), {"id": s(b), "v": n(2)})
        self.assertIsNone(self.get("TxItems", c))
        self.assertIsNone(self.get("TxItems", d))

    def test_transact_get_items(self):
        a, missing = self.key(), self.key()
        self.ddb.put_item(TableName="TxItems", Item={"id": s(a), "x": n(1), "y": n(2), "z": n(3)})
        out = self.ddb.transact_get_items(
            ReturnConsumedCapacity="TOTAL",
            TransactItems=[
                {"Get": {"TableName": "TxItems", "Key": {"id": s(a)},
                         "ProjectionExpression": "#x, z",
                         "ExpressionAttributeNames": {"#x": "x"}}},
                {"Get": {"TableName": "Bank", "Key": {"id": s(missing)}}},
                {"Get": {"TableName": "TxItems", "Key": {"id": s(missing)}}},
            ])
        self.assertEqual(out["Responses"], [{"Item": {"x": n(1), "z": n(3)}}, {}, {}])
        self.assertEqual(out["ConsumedCapacity"], [{"TableName": "TxItems", "CapacityUnits": 4.0},
                                                   {"TableName": "Bank", "CapacityUnits": 2.0}])

    # ---- cancellation -----------------------------------------------------------------------

    def test_cancellation_reasons(self):
        old, p1, p2 = self.key(), self.key(), self.key()
        self.ddb.put_item(TableName="TxItems", Item={"id": s(old), "x": n(42)})
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "TxItems", "Item": {"id": s(p1)}}},
                {"Put": {"TableName": "TxItems", "Item": {"id": s(p2)},
                         "ConditionExpression": "attribute_not_exists(id)"}},
                {"Update": {"TableName": "TxItems", "Key": {"id": s(old)},
                            "ReturnValuesOnConditionCheckFailure": "ALL_OLD",
                            "UpdateExpression": "SET x = x + :one",
                            "ConditionExpression": "x = :fortythree",
                            "ExpressionAttributeValues": {":one": n(1), ":fortythree": n(43)}}},
                {"ConditionCheck": {"TableName": "TxItems", "Key": {"id": s(self.key())},
                                    "ConditionExpression": "attribute_exists(id)"}},
            ])
        self.assertClientError(ctx.exception, "TransactionCanceledException",
                               CANCELLED % "None, None, ConditionalCheckFailed, "
                                           "ConditionalCheckFailed")
        self.assertEqual(ctx.exception.response["CancellationReasons"], [
            {"Code": "None"}, {"Code": "None"},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
             "Item": {"id": s(old), "x": n(42)}},
            {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}])
        self.assertIsNone(self.get("TxItems", p1))
        self.assertIsNone(self.get("TxItems", p2))
        self.assertEqual(self.get("TxItems", old), {"id": s(old), "x": n(42)})

    def test_cancellation_wire_shape(self):
        r = signed_request(self.server.port, "TransactWriteItems", {"TransactItems": [
            {"ConditionCheck": {"TableName": "TxItems", "Key": {"id": s(self.key())},
                                "ConditionExpression": "attribute_exists(id)"}},
            {"Put": {"TableName": "TxItems", "Item": {"id": s(self.key())}}}]})
        self.assertEqual(r.status, 400)
        self.assertEqual(r.json(), {
            "__type": "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            "Message": CANCELLED % "ConditionalCheckFailed, None",
            "CancellationReasons": [
                {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"},
                {"Code": "None"}]})

    def test_invalid_key_is_a_validation_error_reason(self):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "TxItems", "Item": {"id": n(7)}}},
                {"Put": {"TableName": "TxItems", "Item": {"id": n(8)}}}])
        self.assertClientError(ctx.exception, "TransactionCanceledException",
                               CANCELLED % "ValidationError, None")
        self.assertEqual(ctx.exception.response["CancellationReasons"], [
            {"Code": "ValidationError",
             "Message": "One or more parameter values were invalid: Type mismatch for key id "
                        "expected: S actual: N"},
            {"Code": "None"}])

    # ---- validation -------------------------------------------------------------------------

    def assertValidation(self, call, message, client=None, contains=False, **kw):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            getattr(client or self.raw, call)(**kw)
        self.assertClientError(ctx.exception, "ValidationException")
        got = ctx.exception.response["Error"]["Message"]
        if contains:
            self.assertIn(message, got)
        else:
            self.assertEqual(got, message)

    def test_validation_errors(self):
        a = self.key()
        put_a = {"Put": {"TableName": "TxItems", "Item": {"id": s(a)}}}
        self.assertValidation(
            "transact_write_items",
            "1 validation error detected: Value '[]' at 'transactItems' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1", TransactItems=[])
        self.assertValidation(
            "transact_write_items",
            "at 'transactItems' failed to satisfy constraint: Member must have length less "
            "than or equal to 100", contains=True,
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(str(i))}}}
                           for i in range(101)])
        self.assertValidation(
            "transact_write_items",
            "1 validation error detected: Value null at "
            "'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy "
            "constraint: Member must not be null",
            TransactItems=[{"ConditionCheck": {"TableName": "TxItems", "Key": {"id": s(a)}}}])
        self.assertValidation(
            "transact_write_items",
            "1 validation error detected: Value '%s' at 'clientRequestToken' failed to satisfy "
            "constraint: Member must have length less than or equal to 36" % ("t" * 37),
            TransactItems=[put_a], ClientRequestToken="t" * 37)
        self.assertValidation(
            "transact_write_items",
            "1 validation error detected: Value 'dog' at "
            "'transactItems.1.member.update.returnValuesOnConditionCheckFailure' failed to "
            "satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]",
            TransactItems=[{"Update": {"TableName": "TxItems", "Key": {"id": s(a)},
                                       "UpdateExpression": "SET x = :one",
                                       "ExpressionAttributeValues": {":one": n(1)},
                                       "ReturnValuesOnConditionCheckFailure": "dog"}}])
        self.assertValidation(
            "transact_write_items",
            "TransactItems can only contain one of Check, Put, Update or Delete",
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(a)}},
                            "Delete": {"TableName": "TxItems", "Key": {"id": s(a)}}}])
        self.assertValidation(
            "transact_write_items",
            "Transaction request cannot include multiple operations on one item",
            TransactItems=[put_a, {"ConditionCheck": {
                "TableName": "TxItems", "Key": {"id": s(a)},
                "ConditionExpression": "attribute_not_exists(id)"}}])
        self.assertValidation(
            "transact_write_items",
            "Invalid ConditionExpression: An expression attribute name used in the document "
            "path is not defined; attribute name: #xyz",
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(a)},
                                    "ConditionExpression": "attribute_exists(#xyz)"}}])
        self.assertValidation(
            "transact_write_items",
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:xyz}",
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(a)},
                                    "ConditionExpression": "attribute_exists(id)",
                                    "ExpressionAttributeValues": {":xyz": n(7)}}}])
        self.assertValidation(
            "transact_write_items", "Syntax error", contains=True,
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(a)},
                                    "ConditionExpression": "hello!"}}])
        long = "x" * 100000
        self.assertValidation(
            "transact_write_items", "size cannot exceed", contains=True,
            TransactItems=[{"Put": {"TableName": "TxItems", "Item": {"id": s(a + str(i)),
                                                                 "x": s(long)}}}
                           for i in range(50)])
        self.assertIsNone(self.get("TxItems", a))
        self.assertValidation(
            "transact_get_items",
            "at 'transactItems' failed to satisfy constraint: Member must have length less "
            "than or equal to 100", contains=True,
            TransactItems=[{"Get": {"TableName": "TxItems", "Key": {"id": s(str(i))}}}
                           for i in range(101)])
        self.assertValidation(
            "transact_get_items",
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#qq}",
            TransactItems=[{"Get": {"TableName": "TxItems", "Key": {"id": s(a)},
                                    "ProjectionExpression": "#xx",
                                    "ExpressionAttributeNames": {"#xx": "x", "#qq": "q"}}}])

    def test_missing_table(self):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": "NoSuchTable", "Item": {"id": s("a")}}}])
        self.assertClientError(ctx.exception, "ResourceNotFoundException",
                               "Requested resource not found")

    def test_serialization_error_of_names(self):
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.raw.transact_write_items(TransactItems=[
                {"Put": {"TableName": "TxItems", "Item": {"id": s("a")},
                         "ConditionExpression": "attribute_exists(#xyz)",
                         "ExpressionAttributeNames": {"#xyz": 7}}}])
        self.assertEqual(ctx.exception.response["Error"]["Code"], "SerializationException")

    # ---- idempotency ------------------------------------------------------------------------

    def test_client_request_token(self):
        p = self.key()
        self.ddb.put_item(TableName="TxItems", Item={"id": s(p), "x": n(42)})
        inc = [{"Update": {"TableName": "TxItems", "Key": {"id": s(p)},
                           "UpdateExpression": "SET x = x + :one",
                           "ExpressionAttributeValues": {":one": n(1)}}}]
        self.ddb.transact_write_items(TransactItems=inc)  # boto3 adds a fresh token
        self.ddb.transact_write_items(TransactItems=inc)
        self.assertEqual(self.get("TxItems", p)["x"], n(44))
        token = str(uuid.uuid4())
        self.ddb.transact_write_items(ClientRequestToken=token, TransactItems=inc)
        out = self.ddb.transact_write_items(ClientRequestToken=token, TransactItems=inc,
                                            ReturnConsumedCapacity="TOTAL")
        self.assertEqual(self.get("TxItems", p)["x"], n(45))
        # A replay reports read units (docs).
        self.assertEqual(out["ConsumedCapacity"], [{"TableName": "TxItems", "CapacityUnits": 2.0}])
        other = [{"Put": {"TableName": "TxItems", "Item": {"id": s(self.key())}}}]
        with self.assertRaises(botocore.exceptions.ClientError) as ctx:
            self.ddb.transact_write_items(ClientRequestToken=token, TransactItems=other)
        self.assertClientError(
            ctx.exception, "IdempotentParameterMismatchException",
            "DynamoDB rejected the request because you retried a request with a different "
            "payload but with an idempotent token that was already used.")

    def test_token_in_progress_or_applied_once(self):
        # Many concurrent calls with one token: exactly one applies, the others replay it or
        # see it in progress.
        p = self.key()
        self.ddb.put_item(TableName="TxItems", Item={"id": s(p), "x": n(0)})
        token = str(uuid.uuid4())
        inc = [{"Update": {"TableName": "TxItems", "Key": {"id": s(p)},
                           "UpdateExpression": "ADD x :one",
                           "ExpressionAttributeValues": {":one": n(1)}}}]
        codes = []
        lock = threading.Lock()

        def call():
            client = self.server.client()
            try:
                client.transact_write_items(ClientRequestToken=token, TransactItems=inc)
                code = "OK"
            except botocore.exceptions.ClientError as e:
                code = e.response["Error"]["Code"]
            with lock:
                codes.append(code)

        run_threads([threading.Thread(target=call) for _ in range(16)])
        self.assertEqual(self.get("TxItems", p)["x"], n(1))
        self.assertTrue(set(codes) <= {"OK", "TransactionInProgressException"}, codes)
        self.assertIn("OK", codes)

    # ---- concurrency ------------------------------------------------------------------------

    def test_conservation_under_concurrent_transfers(self):
        prefix = self.key("acct")
        ids = ["%s-%d" % (prefix, i) for i in range(ACCOUNTS)]
        for i in ids:
            self.ddb.put_item(TableName="Bank", Item={"id": s(i), "balance": n(INITIAL)})
        # boto3 clients are slow to make: all of them first, then the clock starts.
        clients = [self.server.client() for _ in range(34)]
        stop = time.monotonic() + 5.0
        stats = {"ok": 0, "cancelled": 0, "conflicts": 0, "torn": 0, "reads": 0,
                 "read_conflicts": 0, "plain_writes": 0, "plain_conflicts": 0}
        committed_markers, conflicted_markers = [], []
        errors = []
        lock = threading.Lock()

        def conflict_reasons(e):
            """The TransactionConflict reasons of a TransactionCanceledException, checked."""
            reasons = e.response.get("CancellationReasons", [])
            conflicts = [r for r in reasons if r["Code"] == "TransactionConflict"]
            for r in conflicts:
                if r != {"Code": "TransactionConflict", "Message": CONFLICT}:
                    raise AssertionError(reasons)
            if conflicts and any(r["Code"] not in ("None", "TransactionConflict")
                                 for r in reasons):
                raise AssertionError(reasons)
            return conflicts

        def worker(seed):
            rng = random.Random(seed)
            client = clients[seed]
            ok = cancelled = conflicts = 0
            mine_ok, mine_conflicted = [], []
            try:
                while time.monotonic() < stop:
                    src, dst = rng.sample(ids, 2)
                    marker = "%s-m%d-%d" % (prefix, seed, ok + cancelled)
                    items = transfer("Bank", src, dst, rng.randint(1, 300))
                    items.append({"Put": {"TableName": "TxItems", "Item": {"id": s(marker)}}})
                    try:
                        client.transact_write_items(TransactItems=items)
                        ok += 1
                        mine_ok.append(marker)
                    except botocore.exceptions.ClientError as e:
                        if e.response["Error"]["Code"] != "TransactionCanceledException":
                            raise
                        cancelled += 1
                        if conflict_reasons(e):
                            conflicts += 1
                            mine_conflicted.append(marker)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))
            with lock:
                stats["ok"] += ok
                stats["cancelled"] += cancelled
                stats["conflicts"] += conflicts
                committed_markers.extend(mine_ok)
                conflicted_markers.extend(mine_conflicted)

        def read_all(client):
            """The total of one TransactGetItems, or None when a transfer was in flight."""
            try:
                out = client.transact_get_items(TransactItems=[
                    {"Get": {"TableName": "Bank", "Key": {"id": s(i)}}} for i in ids])
            except botocore.exceptions.ClientError as e:
                if (e.response["Error"]["Code"] != "TransactionCanceledException"
                        or not conflict_reasons(e)):
                    raise
                return None
            return sum(int(r["Item"]["balance"]["N"]) for r in out["Responses"])

        def reader():
            try:
                while time.monotonic() < stop:
                    total = read_all(clients[32])
                    with lock:
                        if total is None:
                            stats["read_conflicts"] += 1
                            continue
                        stats["reads"] += 1
                        if total != INITIAL * ACCOUNTS:
                            stats["torn"] += 1
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        def plain_writer():
            # Adds 0 to an account: a no-op unless a transfer holds the account, when it fails.
            rng = random.Random(99)
            try:
                while time.monotonic() < stop:
                    try:
                        clients[33].update_item(
                            TableName="Bank", Key={"id": s(rng.choice(ids))},
                            UpdateExpression="ADD balance :zero",
                            ExpressionAttributeValues={":zero": n(0)})
                        outcome = "plain_writes"
                    except botocore.exceptions.ClientError as e:
                        err = e.response["Error"]
                        if (err["Code"] != "TransactionConflictException"
                                or err["Message"] != CONFLICT):
                            raise
                        outcome = "plain_conflicts"
                    with lock:
                        stats[outcome] += 1
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        run_threads([threading.Thread(target=worker, args=(i,)) for i in range(32)]
                    + [threading.Thread(target=reader), threading.Thread(target=plain_writer)])
        print("\nconservation:", stats)
        self.assertEqual(errors, [])
        self.assertGreater(stats["ok"], 100, stats)
        self.assertEqual(stats["torn"], 0, stats)
        # Nothing in flight any more: a read succeeds and sees the total.
        self.assertEqual(read_all(self.ddb), INITIAL * ACCOUNTS)
        total = 0
        for i in ids:
            balance = int(self.get("Bank", i)["balance"]["N"])
            self.assertGreaterEqual(balance, 0)
            total += balance
        self.assertEqual(total, INITIAL * ACCOUNTS, stats)
        # A committed transfer wrote its marker; a conflicted one wrote nothing.
        present = set()
        markers = committed_markers + conflicted_markers
        for at in range(0, len(markers), 100):
            out = self.ddb.batch_get_item(RequestItems={"TxItems": {
                "Keys": [{"id": s(m)} for m in markers[at:at + 100]], "ConsistentRead": True}})
            self.assertEqual(out["UnprocessedKeys"], {})
            present.update(it["id"]["S"] for it in out["Responses"]["TxItems"])
        self.assertEqual(present, set(committed_markers))
        d = self.ddb.describe_table(TableName="Bank")["Table"]
        self.assertGreaterEqual(d["ItemCount"], ACCOUNTS)

    def test_batch_write_leaves_items_in_flight_unprocessed(self):
        # BatchWriteItem has no TransactionConflictException: a put or delete of an item a
        # transaction holds comes back in UnprocessedItems exactly as sent; the rest is written.
        hot = [self.key("hot") for _ in range(4)]
        clients = [self.server.client() for _ in range(9)]
        stop = time.monotonic() + 2.0
        stats = {"batches": 0, "unprocessed": 0}
        errors = []

        def transactions(seed):
            rng = random.Random(seed)
            try:
                while time.monotonic() < stop:
                    try:
                        clients[seed].transact_write_items(TransactItems=[
                            {"Update": {"TableName": "TxItems", "Key": {"id": s(k)},
                                        "UpdateExpression": "ADD n :one",
                                        "ExpressionAttributeValues": {":one": n(1)}}}
                            for k in rng.sample(hot, 2)])
                    except botocore.exceptions.ClientError as e:
                        if e.response["Error"]["Code"] != "TransactionCanceledException":
                            raise
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        def batches():
            try:
                i = 0
                while time.monotonic() < stop:
                    i += 1
                    requests = [{"PutRequest": {"Item": {"id": s(k), "b": n(i)}}}
                                for k in hot[:3]]
                    requests.append({"DeleteRequest": {"Key": {"id": s(hot[3])}}})
                    out = clients[8].batch_write_item(RequestItems={"TxItems": requests})
                    stats["batches"] += 1
                    left = out["UnprocessedItems"].get("TxItems", [])
                    if set(out["UnprocessedItems"]) - {"TxItems"}:
                        raise AssertionError(out["UnprocessedItems"])
                    if [r for r in requests if r in left] != left:
                        raise AssertionError((requests, left))
                    stats["unprocessed"] += len(left)
            except Exception as e:  # noqa: BLE001 - reported below
                errors.append(repr(e))

        run_threads([threading.Thread(target=transactions, args=(i,)) for i in range(8)]
                    + [threading.Thread(target=batches)])
        print("\nbatch writes beside transactions:", stats)
        self.assertEqual(errors, [])
        self.assertGreater(stats["batches"], 0)
        # Nothing in flight any more: the whole batch is written.
        out = self.ddb.batch_write_item(RequestItems={"TxItems": [
            {"PutRequest": {"Item": {"id": s(k), "b": n(-1)}}} for k in hot]})
        self.assertEqual(out["UnprocessedItems"], {})
        for k in hot:
            self.assertEqual(self.get("TxItems", k), {"id": s(k), "b": n(-1)})


if __name__ == "__main__":
    unittest.main()
