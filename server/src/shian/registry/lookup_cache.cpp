#include "shian/registry/lookup_cache.hpp"

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

}  // namespace shian::registry
