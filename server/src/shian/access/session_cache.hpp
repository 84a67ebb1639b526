// SessionCache: the principal a session token resolved to, kept for a few seconds so that a
// burst of requests with one token (a page asks for its list, counts and places at once; a
// phone retries) reads the session from the database once instead of once per request.
//
// What it trades (ARCHITECTURE.md, "Sessions"): this process learns of its own logouts and of
// changes it makes to users and roles at once (AuthService::Logout forgets the token,
// UserService and PlaceService clear the cache after they commit). Another `shian serve`
// process on the same database, or the `shian user passwd` command, is learnt of when the
// entry runs out: a logout, a disabled account or a changed role takes effect in the other
// processes at most `ttl` later. `shian serve --session-cache-ms 0` turns the cache off.
//
// An entry is used only while it is younger than `ttl` and its session was seen (touched in
// the database) less than kTouchIntervalMs before, so idle expiry and the once-a-minute touch
// still go through AuthService's database path.
//
// Thread-safety: every method may be called from several threads.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"

namespace shian::access {

class SessionCache {
public:
    // ttl_ms: how long an entry is trusted (0: nothing is kept). max_entries bounds memory (a
    // principal is ~2–3 KB with its permission strings: ~25 MB at most by default — a county
    // has hundreds of users, a province a few thousand active within one ttl); when a shard is
    // full its stale entries go, and if none are stale, all of its entries.
    explicit SessionCache(TimeMs ttl_ms, size_t max_entries = 8'192);

    // The principal cached for `token_hash`, if it was put less than ttl before `now` and its
    // session was last seen less than `touch_interval_ms` before `now`.
    std::optional<Principal> Find(const std::string& token_hash, TimeMs now, TimeMs touch_interval_ms) const;
    // Remembers what `token_hash` resolved to at `now`; `last_seen_at` is the session's
    // last_seen_at as now stored.
    void Put(const std::string& token_hash, const Principal& principal, TimeMs last_seen_at, TimeMs now);
    void Forget(const std::string& token_hash);
    // After a change to users, roles or places: every entry goes.
    void Clear();

    TimeMs ttl_ms() const { return ttl_ms_; }
    size_t size() const;

private:
    struct Entry {
        std::shared_ptr<const Principal> principal;
        TimeMs last_seen_at = 0;
        TimeMs cached_at = 0;
    };
    struct Shard {
        mutable std::mutex mu;
        std::unordered_map<std::string, Entry> entries;
    };
    static constexpr size_t kShards = 16;

    Shard& ShardOf(const std::string& token_hash) const;

    TimeMs ttl_ms_;
    size_t max_per_shard_;
    mutable std::array<Shard, kShards> shards_;
};

}  // namespace shian::access
