#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/db.h"
#include "engine/write_batch.h"
#include "util/status.h"

namespace strata::tables {

// IdempotencyStore remembers the ClientRequestTokens of committed TransactWriteItems calls for
// ten minutes after they complete (DESIGN 5.6), so that a repeat returns the first result
// without writing again. Tokens are persisted in the catalog keyspace (table id 0, kind 0x04;
// docs/formats/catalog.md) by the caller, in the same engine WriteBatch as the transaction, so
// they survive a restart and a kill -9; Load() reads the live ones back.
//
//   token key   := TablePrefix(0) | u8 0x04 | str account | str region | token
//   token value := u8 version=1 | fixed64 fingerprint | varint64 completed_ms
//                  | varint32 n_tables | (str table_name | varint64 write_half_units
//                                         | varint64 read_half_units)*n_tables
//   str         := varint32 length | bytes
//
// Only committed transactions are remembered: a cancelled or failed one wrote nothing, and a
// retry with its token runs again. Expired tokens are dropped lazily: Begin() ignores them, and
// TakeExpired()/ForgetIfExpired() let the caller delete them in batches of many tokens.
//
// Thread-safety: every method may be called concurrently (one internal mutex, held briefly).
// Lifecycle: construct, Load() once before use (TableService::Open), then serve.
class IdempotencyStore {
 public:
  static constexpr int64_t kWindowMs = 10 * 60 * 1000;
  // The catalog kind byte of token records. On disk: DO NOT CHANGE.
  static constexpr char kTokenKind = 0x04;

  // The reply of a committed transaction, per table in order of first use.
  struct TableUnits {
    std::string table_name;
    int64_t write_half_units = 0;
    int64_t read_half_units = 0;
  };
  struct Record {
    uint64_t fingerprint = 0;  // XXH3 of the canonical request (TransactItems)
    int64_t completed_ms = 0;  // epoch milliseconds
    std::vector<TableUnits> tables;
  };

  enum class BeginResult {
    kStarted,     // no live record: the caller runs the transaction, then Complete() or Abort()
    kReplay,      // a live record with the same fingerprint: *replay holds it
    kInProgress,  // the same token is running right now
    kMismatch,    // a live record (or running call) with another fingerprint
  };

  // `now_ms` is the clock (epoch milliseconds); empty = the wall clock.
  explicit IdempotencyStore(std::function<int64_t()> now_ms = {});

  IdempotencyStore(const IdempotencyStore&) = delete;
  IdempotencyStore& operator=(const IdempotencyStore&) = delete;

  // Reads every live token record of `db`; deletes the expired ones.
  Status Load(engine::Db* db);

  static std::string Key(std::string_view account, std::string_view region, std::string_view token);
  static void EncodeRecord(const Record& record, std::string* dst);
  static Status DecodeRecord(std::string_view in, Record* record);

  BeginResult Begin(const std::string& key, uint64_t fingerprint, Record* replay);
  // The transaction of Begin() committed with `record` (already in the engine).
  void Complete(const std::string& key, Record record);
  // The transaction of Begin() wrote nothing: forget the token.
  void Abort(const std::string& key);

  // Expired-record cleanup, done by the caller in its own batch while it holds the stripe
  // lock of every key (so that no transaction reusing a key commits in between):
  // TakeExpired() pops up to `max_count` expired keys off the expiry queue, but only once at
  // least `min_count` have expired (amortising the extra batch); for each, under its lock,
  // ForgetIfExpired() drops the in-memory record and says whether the stored one may be deleted
  // (false when the token was reused since).
  std::vector<std::string> TakeExpired(size_t min_count, size_t max_count);
  bool ForgetIfExpired(const std::string& key);

  int64_t NowMs() const;
  size_t size() const;  // records held (tests)

 private:
  struct Entry {
    bool in_flight = false;
    Record record;  // fingerprint is set while in flight too
  };

  bool Live(const Entry& e, int64_t now) const {
    return e.in_flight || now - e.record.completed_ms < kWindowMs;
  }

  const std::function<int64_t()> now_ms_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Entry> entries_;            // guarded by mu_
  std::deque<std::pair<int64_t, std::string>> expiry_order_;  // (completed_ms, key); guarded
};

}  // namespace strata::tables
