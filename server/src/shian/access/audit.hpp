// The audit log: every write records who did what to which record, with before/after.
// Domain code describes a record as an ordered list of (field, value) pairs; storage keeps it
// as a JSON object. Entries are append-only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "shian/access/user.hpp"
#include "shian/core/clock.hpp"
#include "shian/core/error.hpp"

namespace shian::access {

// A snapshot of a record: field name → value as text (arrays encoded by the producer).
using FieldList = std::vector<std::pair<std::string, std::string>>;

struct AuditEntry {
    int64_t id = 0;
    TimeMs at = 0;
    int64_t user_id = 0;
    std::string username;
    std::string action;     // create, update, import, login, login_failed, logout, ...
    std::string entity;     // business, user, role, department, kind, session
    std::string entity_id;
    std::string summary;    // one Chinese line for lists
    std::optional<FieldList> before;
    std::optional<FieldList> after;
    // The place of the record (its path when written), by which the log is scoped: an auditor
    // sees the entries of the places in their data scope. "" = not bound to a place (roles,
    // dictionaries, place changes): only auditors whose scope is everything see those.
    std::string place_path;
};

struct AuditQuery {
    std::string entity;
    std::string entity_id;
    std::string username;
    std::string action;
    TimeMs from = 0;
    TimeMs to = 0;
    int page = 1;
    int page_size = 20;
    // Entries whose place_path the scope covers (see AuditEntry). UserService::Audit sets the
    // auditor's scope; internal readers see everything.
    ScopeFilter scope = ScopeFilter::Everything();
};

class AuditRepository {
public:
    virtual ~AuditRepository() = default;
    virtual Status Append(const AuditEntry& entry) = 0;
    // Many entries at once (an import), in order: a statement per few hundred entries.
    virtual Status AppendAll(const std::vector<AuditEntry>& entries) = 0;
    virtual Result<std::pair<std::vector<AuditEntry>, int64_t>> List(const AuditQuery& query) = 0;
};

}  // namespace shian::access
