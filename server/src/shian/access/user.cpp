#include "shian/access/user.hpp"

namespace shian::access {

bool ScopeFilter::CoversPath(const std::string& path) const {
    if (all) return true;
    if (nothing || business_id) return false;
    for (const auto& p : subtree_paths) {
        if (path.compare(0, p.size(), p) == 0) return true;
    }
    for (const auto& p : exact_paths) {
        if (path == p) return true;
    }
    return false;
}

}  // namespace shian::access
