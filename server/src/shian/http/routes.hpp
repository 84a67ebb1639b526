// The API's route tables, one function per domain, and the services they call.
#pragma once

#include "shian/access/auth_service.hpp"
#include "shian/access/user_service.hpp"
#include "shian/http/router.hpp"
#include "shian/registry/business_service.hpp"
#include "shian/registry/place_service.hpp"
#include "shian/storage/store.hpp"

namespace shian::http {

struct Services {
    storage::StoreProvider* stores;
    access::AuthService* auth;
    access::UserService* users;
    registry::BusinessService* businesses;
    registry::PlaceService* places;
};

void AddAuthRoutes(Router& router, Services& services);
void AddRegionRoutes(Router& router, Services& services);
void AddBusinessRoutes(Router& router, Services& services);
void AddSystemRoutes(Router& router, Services& services);
// /healthz and /api/v1/openapi.json (generated from the router's own table).
void AddMetaRoutes(Router& router, Services& services);

// Every route of the API.
void AddAllRoutes(Router& router, Services& services);

}  // namespace shian::http
