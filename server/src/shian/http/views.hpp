// JSON views of domain objects for the API (the only place that knows their JSON names).
#pragma once

#include <nlohmann/json.hpp>

#include "shian/access/audit.hpp"
#include "shian/access/user_service.hpp"
#include "shian/http/json_writer.hpp"
#include "shian/places/region.hpp"
#include "shian/registry/business_service.hpp"

namespace shian::http {

// Response documents: objects keep their fields in the order written.
using Json = nlohmann::ordered_json;

std::string Dump(const Json& value);
Json PrincipalJson(const access::Principal& p);
Json RegionJson(const places::Region& r);
// A page of businesses ({"items", "total", "total_exact", "page", "page_size"}) and one
// business with its histories, written directly (JsonWriter: the two most frequent responses).
std::string BusinessPageDocument(const registry::BusinessPage& page, int page_no, int page_size);
std::string BusinessDetailDocument(const registry::BusinessDetail& d);
Json UserJson(const access::UserView& v);
Json AuditJson(const access::AuditEntry& e);

}  // namespace shian::http
