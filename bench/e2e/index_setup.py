#!/usr/bin/env python3
"""Table setup for bench/e2e/index.lua: stdlib only, speaks the DynamoDB JSON protocol directly.

  index_setup.py create  URL   create bench_gsi (pk S) with GSIs ByGroup (grp S HASH, ord N
                               RANGE, ALL) and ByEmail (email S HASH, ALL); wait until the
                               table and both indexes are ACTIVE
  index_setup.py preload URL [--items N] [--groups G] [--payload B] [--conc C]
                               BatchWriteItem N items (25 per request, C connections):
                               pk k%08d, grp g%05d = i % G, ord = i // G, email u%08d@example.com,
                               payload (B chars; 950 makes a ~1 KB item)
  index_setup.py check   URL   Query both indexes for a sample of groups and emails
  index_setup.py delete  URL   delete bench_gsi

Defaults: 10,000 items, 100 groups (100 items each), 950-char payload, 8 connections.
"""
import argparse, http.client, json, random, string, sys, threading, time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

TABLE = "bench_gsi"
AUTH = ("AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/dynamodb/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "0" * 64)

_local = threading.local()


class DdbError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body[:300]!r}")
        self.status, self.body = status, body


def call(url, action, payload, timeout=30):
    u = urlparse(url)
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = _local.conn = http.client.HTTPConnection(u.hostname, u.port or 80, timeout=timeout)
    body = json.dumps(payload, separators=(",", ":")).encode()
    headers = {"Content-Type": "application/x-amz-json-1.0",
               "X-Amz-Target": "DynamoDB_20120810." + action,
               "X-Amz-Date": "20240101T000000Z", "Authorization": AUTH}
    for attempt in range(3):
        try:
            conn.request("POST", "/", body, headers)
            r = conn.getresponse()
            data = r.read()
            if r.will_close:
                conn.close()
            break
        except (ConnectionError, http.client.HTTPException, OSError):
            conn.close()
            if attempt == 2:
                raise
            time.sleep(0.05)
    if r.status != 200:
        raise DdbError(r.status, data.decode(errors="replace"))
    return json.loads(data) if data else {}


def create(a):
    gsi = lambda name, keys: {
        "IndexName": name, "Projection": {"ProjectionType": "ALL"},
        "KeySchema": [{"AttributeName": n, "KeyType": t} for n, t in keys]}
    req = {"TableName": TABLE, "BillingMode": "PAY_PER_REQUEST",
           "AttributeDefinitions": [{"AttributeName": n, "AttributeType": t}
                                    for n, t in (("pk", "S"), ("grp", "S"), ("ord", "N"),
                                                 ("email", "S"))],
           "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
           "GlobalSecondaryIndexes": [gsi("ByGroup", [("grp", "HASH"), ("ord", "RANGE")]),
                                      gsi("ByEmail", [("email", "HASH")])]}
    try:
        call(a.url, "CreateTable", req)
    except DdbError as e:
        if "ResourceInUse" not in e.body:
            raise
    deadline = time.time() + 60
    while True:
        t = call(a.url, "DescribeTable", {"TableName": TABLE}).get("Table", {})
        states = [t.get("TableStatus")] + [i.get("IndexStatus")
                                           for i in t.get("GlobalSecondaryIndexes", [])]
        if len(states) == 3 and all(s == "ACTIVE" for s in states):
            break
        if time.time() > deadline:
            sys.exit(f"table {TABLE} not ACTIVE after 60s: {states}")
        time.sleep(0.05)
    print(f"table {TABLE} and GSIs ByGroup, ByEmail ACTIVE")


def batch_write(url, items):
    reqs = {TABLE: [{"PutRequest": {"Item": it}} for it in items]}
    delay = 0.01
    while reqs:
        try:
            out = call(url, "BatchWriteItem", {"RequestItems": reqs})
        except DdbError as e:
            if e.status >= 500 or "Throttl" in e.body:
                time.sleep(delay); delay = min(delay * 2, 1.0)
                continue
            raise
        reqs = out.get("UnprocessedItems") or {}
        if reqs:
            time.sleep(delay); delay = min(delay * 2, 1.0)


def preload(a):
    rng = random.Random(42)
    alphabet = string.ascii_letters + string.digits
    pool = ["".join(rng.choices(alphabet, k=a.payload)) for _ in range(512)]
    items = [{"pk": {"S": f"k{i:08d}"}, "grp": {"S": f"g{i % a.groups:05d}"},
              "ord": {"N": str(i // a.groups)}, "email": {"S": f"u{i:08d}@example.com"},
              "payload": {"S": rng.choice(pool)}} for i in range(a.items)]
    chunks = [items[i:i + 25] for i in range(0, len(items), 25)]
    t0 = time.time()
    with ThreadPoolExecutor(a.conc) as ex:
        for f in [ex.submit(batch_write, a.url, c) for c in chunks]:
            f.result()
    dt = time.time() - t0
    print(f"preloaded {a.items} items ({a.groups} groups) into {TABLE} in {dt:.1f}s "
          f"({a.items / dt:.0f} items/s)")


def check(a):
    rng = random.Random()
    wrong = 0
    per_group = min(a.limit, a.items // a.groups)
    for _ in range(20):
        g = f"g{rng.randrange(a.groups):05d}"
        out = call(a.url, "Query", {"TableName": TABLE, "IndexName": "ByGroup",
                                    "KeyConditionExpression": "grp = :g",
                                    "ExpressionAttributeValues": {":g": {"S": g}},
                                    "Limit": a.limit})
        wrong += out.get("Count") != per_group
        e = f"u{rng.randrange(a.items):08d}@example.com"
        out = call(a.url, "Query", {"TableName": TABLE, "IndexName": "ByEmail",
                                    "KeyConditionExpression": "email = :e",
                                    "ExpressionAttributeValues": {":e": {"S": e}}})
        wrong += out.get("Count") != 1 or out["Items"][0]["email"]["S"] != e
    print(f"check: wrong index answers {wrong}/40")
    if wrong:
        sys.exit(1)


def delete(a):
    try:
        call(a.url, "DeleteTable", {"TableName": TABLE})
    except DdbError as e:
        if "ResourceNotFound" not in e.body:
            raise


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("cmd", choices=["create", "preload", "check", "delete"])
    ap.add_argument("url")
    ap.add_argument("--items", type=int, default=10000)
    ap.add_argument("--groups", type=int, default=100)
    ap.add_argument("--payload", type=int, default=950)
    ap.add_argument("--limit", type=int, default=25)
    ap.add_argument("--conc", type=int, default=8)
    a = ap.parse_args()
    {"create": create, "preload": preload, "check": check, "delete": delete}[a.cmd](a)


if __name__ == "__main__":
    main()
