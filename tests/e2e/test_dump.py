"""strata-dump (tools/) on the files of a real server: write through the API, stop the server,
dump its data directory and find the items; a damaged SSTable exits 1, usage errors exit 2.

strata-dump is found next to the server binary ($STRATA_BIN's directory).
"""

import glob
import os
import shutil
import subprocess
import unittest

from strata_harness import StrataServer, strata_bin, users_table


def dump_bin():
    path = os.path.join(os.path.dirname(strata_bin()), "strata-dump")
    if not os.access(path, os.X_OK):
        raise RuntimeError("%s is not built (cmake --build <dir> --target strata-dump)" % path)
    return path


def run_dump(*args):
    return subprocess.run([dump_bin(), *args], capture_output=True, text=True, timeout=120)


def data_files(server):
    """The engine's files (not LOCK, not a segment being prepared), in name order."""
    names = sorted(glob.glob(os.path.join(server.data_dir, "dynamodb", "*")))
    return [p for p in names if os.path.basename(p) != "LOCK" and not p.endswith(".tmp")]


@unittest.skipIf(os.environ.get("STRATA_TEST_ENDPOINT"), "needs the local binary's files")
class DumpTest(unittest.TestCase):

    def serve_and_write(self, mode):
        s = StrataServer(args=["--storage-mode", mode, "--flush-interval-ms", "60000"])
        self.addCleanup(s.cleanup)
        s.start()
        c = s.client()
        users_table(c, name="DumpUsers")
        c.put_item(TableName="DumpUsers", Item={"userId": {"S": "dump-u1"}, "age": {"N": "42"}})
        c.put_item(TableName="DumpUsers", Item={"userId": {"S": "dump-u2"}})
        c.delete_item(TableName="DumpUsers", Key={"userId": {"S": "dump-u2"}})
        self.assertEqual(s.stop(), 0, s.stderr())
        return s

    def test_wal_mode_files_show_the_items(self):
        s = self.serve_and_write("wal")
        files = data_files(s)
        self.assertTrue(any(f.endswith(".wal") for f in files), files)
        r = run_dump(*files)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        out = r.stdout
        self.assertIn("catalog table 000000000000/us-east-1/'DumpUsers'", out)
        # The key decodes with the table's schema, from the catalog row in the same log.
        self.assertIn('\'DumpUsers\' base hash ', out)
        self.assertIn('{"userId":{"S":"dump-u1"}} => {"age":{"N":"42"},"userId":{"S":"dump-u1"}}',
                      out)
        self.assertRegex(out, r'DEL table 1 \'DumpUsers\' base hash [0-9a-f]{16} '
                              r'\{"userId":\{"S":"dump-u2"\}\}')
        self.assertIn("names MANIFEST-", out)

    def test_damaged_sstable_exits_1(self):
        s = self.serve_and_write("hybrid")  # flushes the memtable to an SSTable at shutdown
        tables = [f for f in data_files(s) if f.endswith(".sst")]
        self.assertEqual(len(tables), 1, data_files(s))
        r = run_dump("--no-values", tables[0])
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn('{"userId":{"S":"dump-u1"}} @', r.stdout)
        self.assertIn("every block checksum verified", r.stdout)

        damaged = os.path.join(s.tmp, "000999.sst")
        shutil.copyfile(tables[0], damaged)
        with open(damaged, "r+b") as f:
            f.seek(5)  # the first data block starts at offset 0
            b = f.read(1)
            f.seek(5)
            f.write(bytes([b[0] ^ 0x10]))
        r = run_dump(damaged)
        self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
        self.assertIn("offset 0", r.stderr)
        self.assertIn("DAMAGED", r.stdout)

    def test_usage(self):
        self.assertEqual(run_dump("--help").returncode, 0)
        for args in (["--kind", "bogus", "x"], ["--no-such-flag", "x"], []):
            with self.subTest(args=args):
                r = run_dump(*args)
                self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
                self.assertIn("Usage: strata-dump", r.stderr)
        r = run_dump("/nonexistent/000001.sst")
        self.assertEqual(r.returncode, 1)


if __name__ == "__main__":
    unittest.main()
