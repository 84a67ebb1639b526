#include "shian/access/session_cache.hpp"

#include <functional>

namespace shian::access {

SessionCache::SessionCache(TimeMs ttl_ms, size_t max_entries)
    : ttl_ms_(ttl_ms < 0 ? 0 : ttl_ms), max_per_shard_(max_entries / kShards + 1) {}

SessionCache::Shard& SessionCache::ShardOf(const std::string& token_hash) const {
    return shards_[std::hash<std::string>{}(token_hash) % kShards];
}

std::optional<Principal> SessionCache::Find(const std::string& token_hash, TimeMs now,
                                            TimeMs touch_interval_ms) const {
    if (ttl_ms_ == 0) return std::nullopt;
    std::shared_ptr<const Principal> principal;
    {
        Shard& shard = ShardOf(token_hash);
        std::lock_guard lock(shard.mu);
        auto it = shard.entries.find(token_hash);
        if (it == shard.entries.end()) return std::nullopt;
        const Entry& e = it->second;
        // A clock that went back counts as stale too.
        if (now < e.cached_at || now - e.cached_at >= ttl_ms_) return std::nullopt;
        if (now < e.last_seen_at || now - e.last_seen_at > touch_interval_ms) return std::nullopt;
        principal = e.principal;
    }
    return *principal;  // copied outside the lock
}

void SessionCache::Put(const std::string& token_hash, const Principal& principal, TimeMs last_seen_at,
                       TimeMs now) {
    if (ttl_ms_ == 0) return;
    auto copy = std::make_shared<const Principal>(principal);
    Shard& shard = ShardOf(token_hash);
    std::lock_guard lock(shard.mu);
    if (shard.entries.size() >= max_per_shard_ && shard.entries.count(token_hash) == 0) {
        std::erase_if(shard.entries, [&](const auto& kv) { return now - kv.second.cached_at >= ttl_ms_; });
        if (shard.entries.size() >= max_per_shard_) shard.entries.clear();
    }
    shard.entries[token_hash] = Entry{std::move(copy), last_seen_at, now};
}

void SessionCache::Forget(const std::string& token_hash) {
    Shard& shard = ShardOf(token_hash);
    std::lock_guard lock(shard.mu);
    shard.entries.erase(token_hash);
}

void SessionCache::Clear() {
    for (Shard& shard : shards_) {
        std::lock_guard lock(shard.mu);
        shard.entries.clear();
    }
}

size_t SessionCache::size() const {
    size_t n = 0;
    for (const Shard& shard : shards_) {
        std::lock_guard lock(shard.mu);
        n += shard.entries.size();
    }
    return n;
}

}  // namespace shian::access
