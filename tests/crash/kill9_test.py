"""kill -9 crash test of the storage modes that write to disk (DESIGN 2.5: "a real kill -9 loop
with a checker").

For each of the `wal`, `persistent` and `hybrid` modes, on one data directory, a few
iterations of:
  1. start $STRATA_BIN on the data directory and wait for /_strata/health;
  2. check the model (below) against what was recovered;
  3. hammer the server with concurrent PutItem/DeleteItem requests from many threads (each
     thread owns its keys, so the writes to a key form one sequence), recording when each
     write was sent and when it was acknowledged (HTTP 200);
  4. kill -9 it at a random moment while requests are in flight.
One more thread calls POST /_strata/compact in a loop meanwhile (flush + compaction of
everything), so kills also land in the middle of flushes, compactions and MANIFEST edits.
Then it recovers and checks once more, writes for a second without a kill, stops the server
with SIGTERM (exit 0) and checks after the clean restart that every acknowledged write is
there.

The check, per key: the value found is that of the write to the key acknowledged last before
the durability cutoff, or of a later write to it (acknowledged or in flight at the kill); after
a DeleteItem the key is absent the same way; values are unique per write, so nothing that was
never sent can pass. A Scan finds exactly the keys GetItem found, with the same values. The
cutoff:
  - wal and persistent: none, every acknowledged write survives. A process kill loses nothing
    acknowledged (wal mode has written every group to the file before answering; the page
    cache survives the process), so only the one write a thread had in flight may or may not
    have landed.
  - hybrid (no WAL; the memtable is flushed to an SSTable every --flush-interval-ms, here
    500 ms, and at shutdown): writes acknowledged at least 2 intervals + 1 s before the kill
    (one interval to the next flush, one for a flush in progress, slack for a busy machine)
    survive; later ones may be lost. The test prints how many were lost and how long before
    the kill the oldest lost one was acknowledged.
In every mode the recovered state is also a prefix of the history: when a write is found,
every write acknowledged before it was sent is found too (or a later write to its key). A
flush writes the memtable as of one moment, never a newer write without an older one.

Power loss is not simulated here (see tests/engine/durable_db_test.cc with the
fault-injecting sink). Env: STRATA_BIN (set by ctest), CRASH_ITERATIONS (default 4, kills per
mode), CRASH_SEED.
"""

import math
import random
import time
import unittest

import crash_harness
from crash_harness import call

TABLE = "Crash"
THREADS = 16
KEYS_PER_THREAD = 12
ITERATIONS = crash_harness.iterations("CRASH_ITERATIONS", 4)
SEED = crash_harness.SEED
DELETED = object()  # model value of a deleted (absent) key
CLEAN_LOAD_SECONDS = 1.0  # writes before the clean shutdown

# mode -> (--flush-interval-ms, seconds before the kill an acknowledged write must have been
# acknowledged to be durable (None: any acknowledged write), range of the load before a kill).
HYBRID_FLUSH_MS = 500
MODES = {
    "wal": (200, None, (0.3, 1.5)),
    "persistent": (200, None, (0.3, 1.5)),
    # The load outlasts the margin, so that every iteration has writes that must survive.
    "hybrid": (HYBRID_FLUSH_MS, 2 * HYBRID_FLUSH_MS / 1000 + 1.0, (2.5, 5.0)),
}


class Write:
    """One write to a key: its value (DELETED for a DeleteItem), when it was sent and when it
    was acknowledged (time.monotonic(); acked None: no answer before the kill)."""

    __slots__ = ("value", "sent", "acked")

    def __init__(self, value, sent, acked):
        self.value, self.sent, self.acked = value, sent, acked


def recovered(value):
    """The history entry of a value found at a check: older than anything sent since."""
    return Write(value, -math.inf, -math.inf)


class KeyState:
    """What the checker knows about one key: history[0] is what the last check found (at
    first: absent), then the writes sent to the key since, in order. Only the last can be
    unacknowledged: its thread waits for each answer."""

    __slots__ = ("history",)

    def __init__(self):
        self.history = [recovered(DELETED)]


class Kill9Test(crash_harness.CrashTestCase):
    def test_wal_mode(self):
        self.run_loop("wal")

    def test_persistent_mode(self):
        self.run_loop("persistent")

    def test_hybrid_mode(self):
        self.run_loop("hybrid")

    # --- the loop -----------------------------------------------------------------------------

    def run_loop(self, mode):
        flush_ms, margin, load_seconds = MODES[mode]
        keys = {"t%02d-k%02d" % (t, k): KeyState()
                for t in range(THREADS) for k in range(KEYS_PER_THREAD)}
        totals = {"acked": 0, "due": 0, "lost": 0}
        killed_at = None
        self.compactions = 0
        for it in range(ITERATIONS):
            server = self.start(mode, flush_interval_ms=flush_ms)
            if it == 0:
                self.create_tables(server, {TABLE: "k"})
            self.check(server, keys, "%s iteration %d" % (mode, it), margin, killed_at, totals)
            killed_at = self.load(server, keys, it, self.rng.uniform(*load_seconds), True)
            acked = sum(1 for s in keys.values() for w in s.history[1:] if w.acked is not None)
            in_flight = sum(1 for s in keys.values() if s.history[-1].acked is None)
            totals["acked"] += acked
            print("%s iteration %d: %d writes acknowledged, %d in flight at kill -9, %d "
                  "compactions so far" % (mode, it, acked, in_flight, self.compactions), flush=True)
            self.assertGreater(acked, 0, "no write was acknowledged before the kill")
        # Recover once more, write without a kill, shut down cleanly and recover from that:
        # a clean shutdown keeps every acknowledged write, in every mode.
        server = self.start(mode, flush_interval_ms=flush_ms)
        self.check(server, keys, mode + " after the last kill", margin, killed_at, totals)
        self.load(server, keys, ITERATIONS, CLEAN_LOAD_SECONDS, False)
        self.assertEqual(server.terminate(), 0, server.stderr())
        server = self.start(mode, flush_interval_ms=flush_ms)
        self.check(server, keys, mode + " after a clean shutdown", None, None, None)
        self.assertEqual(server.terminate(), 0, server.stderr())
        if margin is None:
            print("%s: %d acknowledged writes over %d kills, all present" %
                  (mode, totals["acked"], ITERATIONS), flush=True)
        else:
            print("%s: %d acknowledged writes over %d kills, %d acknowledged >= %.1f s before "
                  "a kill (all present), %d later ones lost" %
                  (mode, totals["acked"], ITERATIONS, totals["due"], margin, totals["lost"]),
                  flush=True)
            self.assertGreater(totals["due"], 0, "no write was old enough to have to survive")
        self.assertGreater(self.compactions, 0, "no compaction ran during the loads")

    def load(self, server, keys, iteration, seconds, kill9):
        """Concurrent writers for `seconds`, then a kill -9 (or a stop); returns its time."""

        def writer(t, conn, stop):
            rng = random.Random(SEED * 1000 + iteration * 100 + t)
            mine = ["t%02d-k%02d" % (t, k) for k in range(KEYS_PER_THREAD)]
            n = 0
            while not stop.is_set():
                key = rng.choice(mine)
                n += 1
                if rng.random() < 0.1:
                    value = DELETED
                    op, payload = "DeleteItem", {"TableName": TABLE, "Key": {"k": {"S": key}}}
                else:
                    # Unique per write; sizes up to ~3 KB so records span WAL blocks.
                    value = "i%d-t%d-n%d-" % (iteration, t, n) + "x" * rng.randrange(3000)
                    op, payload = "PutItem", {"TableName": TABLE,
                                              "Item": {"k": {"S": key}, "v": {"S": value}}}
                write = Write(value, time.monotonic(), None)
                keys[key].history.append(write)
                status, body = call(conn, op, payload)  # killed: stays unacknowledged
                if status != 200:
                    raise AssertionError("%s %s -> %d %s" % (op, key, status, body))
                write.acked = time.monotonic()

        def compactor(conn, stop):
            # POST /_strata/compact in a loop: every kill may land mid-flush or mid-compaction.
            while not stop.is_set():
                conn.request("POST", "/_strata/compact", body=b"")
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    raise AssertionError("/_strata/compact -> %d %s" % (resp.status, body))
                self.compactions += 1
                stop.wait(0.05)

        def worker(t, conn, stop):
            if t == THREADS:
                compactor(conn, stop)
            else:
                writer(t, conn, stop)

        return self.run_load(server, worker, THREADS + 1, seconds, kill9)

    def check(self, server, keys, what, margin, killed_at, totals):
        """Checks what was recovered against the model (see the module comment) and makes it
        the new history[0] of each key. margin: seconds before killed_at a write must have
        been acknowledged to have to survive (None: every acknowledged write must)."""
        cutoff = math.inf if margin is None or killed_at is None else killed_at - margin
        conn = server.connect()
        problems = []
        found = {}  # key -> (first, last) index in its history of a write the value found is
        for key, state in sorted(keys.items()):
            h = state.history
            status, body = call(conn, "GetItem", {"TableName": TABLE, "Key": {"k": {"S": key}},
                                                  "ConsistentRead": True})
            if status != 200:
                problems.append("GetItem %s -> %d %s" % (key, status, body))
                continue
            got = body["Item"]["v"]["S"] if "Item" in body else DELETED
            due = max(i for i, w in enumerate(h) if w.acked is not None and w.acked <= cutoff)
            match = [i for i in range(due, len(h)) if same(h[i].value, got)]
            if not match:
                later = len(h) - due - 1
                problems.append("%s: found %s, expected %s%s" % (
                    key, describe(got), describe(h[due].value),
                    " or one of %d later writes" % later if later else ""))
                continue
            found[key] = (match[0], match[-1])  # deletes are not unique: a range
        # The recovered state is a prefix: nothing acknowledged before a found write was sent
        # is lost.
        newest_sent = max((keys[k].history[lo].sent for k, (lo, _) in found.items()),
                          default=-math.inf)
        for key, (_, hi) in sorted(found.items()):
            h = keys[key].history
            older = [i for i, w in enumerate(h) if w.acked is not None and w.acked < newest_sent]
            if older and hi < older[-1]:
                problems.append("%s: found %s, but %s is lost, acknowledged before a write found "
                                "on another key was sent" % (key, describe(h[hi].value),
                                                             describe(h[older[-1]].value)))
        # Tally, and make what was found the new starting point.
        due = lost = 0
        oldest_lost = None
        for key, (_, hi) in found.items():
            h = keys[key].history
            due += sum(1 for w in h[1:] if w.acked is not None and w.acked <= cutoff)
            for w in h[hi + 1:]:
                if w.acked is not None:
                    lost += 1
                    age = killed_at - w.acked if killed_at is not None else math.nan
                    oldest_lost = age if oldest_lost is None else max(oldest_lost, age)
            keys[key].history = [recovered(h[hi].value)]
        # A Scan finds exactly what GetItem found (once the server implements Scan).
        status, body = call(conn, "Scan", {"TableName": TABLE})
        conn.close()
        if "UnknownOperationException" not in body.get("__type", ""):
            self.assertEqual(status, 200, body)
            self.assertNotIn("LastEvaluatedKey", body)
            scanned = set()
            for item in body["Items"]:
                key = item["k"]["S"]
                scanned.add(key)
                if key not in keys:
                    problems.append("Scan found unknown key " + key)
                elif key in found and not same(keys[key].history[0].value, item["v"]["S"]):
                    problems.append("Scan: %s = %s, GetItem said %s" % (
                        key, describe(item["v"]["S"]), describe(keys[key].history[0].value)))
            missing = sorted(k for k in found
                             if keys[k].history[0].value is not DELETED and k not in scanned)
            if missing:
                problems.append("Scan misses %d keys GetItem found: %s" % (len(missing),
                                                                         missing[:5]))
        self.assertFalse(problems, "%s: %d problems, first: %s\nstderr: %s" % (
            what, len(problems), problems[:5], server.stderr()))
        if totals is not None and killed_at is not None:
            totals["due"] += due
            totals["lost"] += lost
            if margin is not None:
                print("%s: %d writes acknowledged >= %.1f s before the kill, all present; %d "
                      "later ones lost%s" % (what, due, margin, lost,
                                             ", the oldest acknowledged %.2f s before the kill" %
                                             oldest_lost if lost else ""), flush=True)
        self.assertTrue(margin is not None or lost == 0)  # implied by the checks above


def same(a, b):
    return a is b or (a is not DELETED and b is not DELETED and a == b)


def describe(value):
    if value is DELETED:
        return "<absent>"
    return repr(value[:24] + ("...(%d)" % len(value) if len(value) > 24 else ""))


if __name__ == "__main__":
    unittest.main()
