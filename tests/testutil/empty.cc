// Keeps strata_testutil non-empty while it has no other sources.
