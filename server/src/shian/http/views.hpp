// JSON views of domain objects for the API (the only place that knows their JSON names).
#pragma once

#include <nlohmann/json.hpp>

#include "shian/access/audit.hpp"
#include "shian/access/user_service.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business_service.hpp"

namespace shian::http {

std::string Dump(const nlohmann::json& value);
nlohmann::json PrincipalJson(const access::Principal& p);
nlohmann::json RegionJson(const places::Region& r);
nlohmann::json BusinessJson(const registry::Business& b);
nlohmann::json BusinessDetailJson(const registry::BusinessDetail& d);
nlohmann::json UserJson(const access::UserView& v);
nlohmann::json AuditJson(const access::AuditEntry& e);

}  // namespace shian::http
