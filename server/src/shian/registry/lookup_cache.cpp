#include "shian/registry/lookup_cache.hpp"

#include "shian/storage/store.hpp"

namespace shian::registry {

std::optional<places::Region> LookupCache::Place(const std::string& code, TimeMs now) {
    std::lock_guard lock(mu_);
    auto it = places_.find(code);
    if (it == places_.end()) return std::nullopt;
    if (!Fresh(it->second.second, now)) {
        places_.erase(it);
        return std::nullopt;
    }
    return it->second.first;
}

void LookupCache::PutPlace(const places::Region& place, TimeMs now) {
    if (ttl_ms_ <= 0) return;
    std::lock_guard lock(mu_);
    if (places_.size() >= max_places_ && places_.count(place.code) == 0) places_.clear();
    places_.insert_or_assign(place.code, std::make_pair(place, now));
}

std::optional<std::vector<places::Region>> LookupCache::Children(const std::string& parent_code, TimeMs now) {
    std::lock_guard lock(mu_);
    auto it = children_.find(parent_code);
    if (it == children_.end()) return std::nullopt;
    if (!Fresh(it->second.second, now)) {
        children_.erase(it);
        return std::nullopt;
    }
    return it->second.first;
}

void LookupCache::PutChildren(const std::string& parent_code, std::vector<places::Region> children, TimeMs now) {
    if (ttl_ms_ <= 0) return;
    std::lock_guard lock(mu_);
    if (children_.size() >= max_places_ && children_.count(parent_code) == 0) children_.clear();
    children_.insert_or_assign(parent_code, std::make_pair(std::move(children), now));
}

std::optional<std::vector<Kind>> LookupCache::Kinds(TimeMs now) {
    std::lock_guard lock(mu_);
    if (!kinds_ || !Fresh(kinds_->second, now)) return std::nullopt;
    return kinds_->first;
}

void LookupCache::PutKinds(std::vector<Kind> kinds, TimeMs now) {
    if (ttl_ms_ <= 0) return;
    std::lock_guard lock(mu_);
    kinds_.emplace(std::move(kinds), now);
}

void LookupCache::Clear() {
    std::lock_guard lock(mu_);
    places_.clear();
    children_.clear();
    kinds_.reset();
}

Result<std::optional<places::Region>> CachedPlace(LookupCache* cache, storage::Store& store,
                                                  const std::string& code, TimeMs now) {
    if (cache) {
        if (auto cached = cache->Place(code, now)) return cached;
    }
    SHIAN_ASSIGN_OR_RETURN(auto place, store.regions().Find(code));
    if (place && cache) cache->PutPlace(*place, now);
    return place;
}

Result<std::vector<places::Region>> CachedChildren(LookupCache* cache, storage::Store& store,
                                                   const std::string& parent_code, TimeMs now) {
    if (cache) {
        if (auto cached = cache->Children(parent_code, now)) return std::move(*cached);
    }
    std::vector<places::Region> children;
    if (parent_code.empty()) {
        SHIAN_ASSIGN_OR_RETURN(children, store.regions().Roots());
    } else {
        SHIAN_ASSIGN_OR_RETURN(children, store.regions().Children(parent_code));
    }
    if (cache) cache->PutChildren(parent_code, children, now);
    return children;
}

}  // namespace shian::registry
