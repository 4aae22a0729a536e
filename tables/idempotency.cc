#include "tables/idempotency.h"

#include <algorithm>

#include "item/key_codec.h"
#include "tables/ids.h"
#include "util/coding.h"

namespace strata::tables {
namespace {

constexpr uint8_t kRecordVersion = 1;

std::string TokenPrefix() {
  std::string k = item::TablePrefix(0);
  k.push_back(IdempotencyStore::kTokenKind);
  return k;
}

}  // namespace

IdempotencyStore::IdempotencyStore(std::function<int64_t()> now_ms) : now_ms_(std::move(now_ms)) {}

int64_t IdempotencyStore::NowMs() const { return now_ms_ ? now_ms_() : NowMillis(); }

std::string IdempotencyStore::Key(std::string_view account, std::string_view region,
                                  std::string_view token) {
  std::string k = TokenPrefix();
  PutLengthPrefixed(&k, account);
  PutLengthPrefixed(&k, region);
  k.append(token);
  return k;
}

void IdempotencyStore::EncodeRecord(const Record& r, std::string* dst) {
  dst->push_back(static_cast<char>(kRecordVersion));
  PutFixed64(dst, r.fingerprint);
  PutVarint64(dst, static_cast<uint64_t>(r.completed_ms));
  PutVarint32(dst, static_cast<uint32_t>(r.tables.size()));
  for (const TableUnits& t : r.tables) {
    PutLengthPrefixed(dst, t.table_name);
    PutVarint64(dst, static_cast<uint64_t>(t.write_half_units));
    PutVarint64(dst, static_cast<uint64_t>(t.read_half_units));
  }
}

Status IdempotencyStore::DecodeRecord(std::string_view in, Record* r) {
  const Status bad = Status::Corruption("malformed idempotency token record");
  if (in.empty() || static_cast<uint8_t>(in[0]) != kRecordVersion) return bad;
  in.remove_prefix(1);
  uint64_t completed = 0;
  uint32_t n = 0;
  if (!GetFixed64(&in, &r->fingerprint) || !GetVarint64(&in, &completed) || !GetVarint32(&in, &n)) {
    return bad;
  }
  r->completed_ms = static_cast<int64_t>(completed);
  r->tables.clear();
  for (uint32_t i = 0; i < n; ++i) {
    std::string_view name;
    uint64_t write = 0, read = 0;
    if (!GetLengthPrefixed(&in, &name) || !GetVarint64(&in, &write) || !GetVarint64(&in, &read)) {
      return bad;
    }
    r->tables.push_back(
        TableUnits{std::string(name), static_cast<int64_t>(write), static_cast<int64_t>(read)});
  }
  return in.empty() ? Status::OK() : bad;
}

Status IdempotencyStore::Load(engine::Db* db) {
  const std::string prefix = TokenPrefix();
  const int64_t now = NowMs();
  std::unordered_map<std::string, Entry> entries;
  std::vector<std::pair<int64_t, std::string>> order;
  engine::WriteBatch expired;
  std::unique_ptr<engine::Iterator> it = db->NewIterator(engine::ReadOptions());
  for (it->Seek(prefix); it->Valid() && it->key().substr(0, prefix.size()) == prefix; it->Next()) {
    Entry e;
    RETURN_IF_ERROR(DecodeRecord(it->value(), &e.record));
    if (!Live(e, now)) {
      expired.Delete(it->key());
      continue;
    }
    std::string key(it->key());
    order.emplace_back(e.record.completed_ms, key);
    entries.emplace(std::move(key), std::move(e));
  }
  RETURN_IF_ERROR(it->status());
  it.reset();
  RETURN_IF_ERROR(db->Write(expired));
  std::sort(order.begin(), order.end());
  std::lock_guard<std::mutex> lock(mu_);
  entries_ = std::move(entries);
  expiry_order_.assign(order.begin(), order.end());
  return Status::OK();
}

IdempotencyStore::BeginResult IdempotencyStore::Begin(const std::string& key, uint64_t fingerprint,
                                                      Record* replay) {
  const int64_t now = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = entries_.try_emplace(key);
  Entry& e = it->second;
  if (!inserted && Live(e, now)) {
    if (e.record.fingerprint != fingerprint) return BeginResult::kMismatch;
    if (e.in_flight) return BeginResult::kInProgress;
    *replay = e.record;
    return BeginResult::kReplay;
  }
  e = Entry();
  e.in_flight = true;
  e.record.fingerprint = fingerprint;
  return BeginResult::kStarted;
}

void IdempotencyStore::Complete(const std::string& key, Record record) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.in_flight = false;
  expiry_order_.emplace_back(record.completed_ms, key);
  e.record = std::move(record);
}

void IdempotencyStore::Abort(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.in_flight) entries_.erase(it);
}

std::vector<std::string> IdempotencyStore::TakeExpired(size_t min_count, size_t max_count) {
  const int64_t now = NowMs();
  std::vector<std::string> keys;
  std::lock_guard<std::mutex> lock(mu_);
  // Completion times are (nearly) increasing along the queue: when the min_count-th is expired,
  // so are the ones before it.
  if (min_count == 0 || expiry_order_.size() < min_count ||
      now - expiry_order_[min_count - 1].first < kWindowMs) {
    return keys;
  }
  while (keys.size() < max_count && !expiry_order_.empty() &&
         now - expiry_order_.front().first >= kWindowMs) {
    keys.push_back(std::move(expiry_order_.front().second));
    expiry_order_.pop_front();
  }
  return keys;
}

bool IdempotencyStore::ForgetIfExpired(const std::string& key) {
  const int64_t now = NowMs();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return true;    // forgotten after a reuse that wrote nothing
  if (Live(it->second, now)) return false;  // reused since: a newer record or a call in flight
  entries_.erase(it);
  return true;
}

size_t IdempotencyStore::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return entries_.size();
}

}  // namespace strata::tables
