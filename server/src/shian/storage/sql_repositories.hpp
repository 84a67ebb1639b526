// The SQL repositories of places, access control and the audit log, over a connection the
// caller keeps open while they are used (SqlStore's). The business registry's is in
// sql_store.cpp, beside the store whose transactions it takes part in.
#pragma once

#include <memory>

#include "shian/access/audit.hpp"
#include "shian/access/user.hpp"
#include "shian/places/region.hpp"
#include "shian/storage/connection.hpp"

namespace shian::storage {

std::unique_ptr<places::RegionRepository> MakeSqlRegionRepository(Connection* c);
std::unique_ptr<access::AccessRepository> MakeSqlAccessRepository(Connection* c);
std::unique_ptr<access::AuditRepository> MakeSqlAuditRepository(Connection* c);

}  // namespace shian::storage
