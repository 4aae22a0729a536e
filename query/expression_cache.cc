#include "query/expression_cache.h"

#include <array>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "query/parser.h"
#include "util/hash.h"

namespace strata::query {
namespace {

constexpr size_t kShards = 16;

// Cache key: the kind as one leading byte, then the text. Lookups use a (kind, view) pair so
// that a hit allocates nothing.
struct KeyView {
  ExpressionKind kind;
  std::string_view text;
};

uint64_t HashKey(ExpressionKind kind, std::string_view text) {
  return Hash64(text) ^ (static_cast<uint64_t>(kind) * 0x9E3779B97F4A7C15ull);
}

struct KeyHash {
  using is_transparent = void;
  size_t operator()(const std::string& key) const {
    return HashKey(static_cast<ExpressionKind>(key[0]), std::string_view(key).substr(1));
  }
  size_t operator()(const KeyView& k) const { return HashKey(k.kind, k.text); }
};

struct KeyEq {
  using is_transparent = void;
  bool operator()(const std::string& a, const std::string& b) const { return a == b; }
  bool operator()(const KeyView& a, const std::string& b) const {
    return static_cast<char>(a.kind) == b[0] && a.text == std::string_view(b).substr(1);
  }
  bool operator()(const std::string& a, const KeyView& b) const { return (*this)(b, a); }
};

struct Shard {
  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const ParsedExpression>, KeyHash, KeyEq> map;
};

}  // namespace

struct ExpressionCache::Impl {
  size_t shard_capacity;
  std::array<Shard, kShards> shards;
};

ExpressionCache::ExpressionCache(size_t capacity) : impl_(std::make_unique<Impl>()) {
  impl_->shard_capacity = capacity / kShards > 0 ? capacity / kShards : 1;
}

ExpressionCache::~ExpressionCache() = default;

Result<std::shared_ptr<const ParsedExpression>> ExpressionCache::Get(ExpressionKind kind,
                                                                     std::string_view text) {
  KeyView key{kind, text};
  Shard& shard = impl_->shards[HashKey(kind, text) % kShards];
  {
    std::lock_guard<std::mutex> lock(shard.mu);
    auto it = shard.map.find(key);
    if (it != shard.map.end()) return it->second;
  }
  // Parse outside the lock; a concurrent miss on the same text parses twice, harmlessly.
  auto parsed = ParseExpression(kind, text);
  if (!parsed.ok()) return parsed;
  std::string stored;
  stored.reserve(text.size() + 1);
  stored.push_back(static_cast<char>(kind));
  stored.append(text);
  std::lock_guard<std::mutex> lock(shard.mu);
  if (shard.map.size() >= impl_->shard_capacity) {
    // Simple eviction: drop an arbitrary entry (the first of the bucket order).
    shard.map.erase(shard.map.begin());
  }
  shard.map.emplace(std::move(stored), parsed.value());
  return parsed;
}

ExpressionCache& ExpressionCache::Global() {
  static ExpressionCache cache;
  return cache;
}

}  // namespace strata::query
