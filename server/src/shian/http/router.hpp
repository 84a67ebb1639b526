// Router: method + path pattern ("/api/v1/businesses/{id}") → handler. Authentication runs
// before every handler of a route marked kAuth; handlers then check permission and scope
// through the services. Handlers return Result<Response>; errors go through error_mapping.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "shian/access/auth_service.hpp"
#include "shian/http/http_types.hpp"
#include "shian/http/request_gate.hpp"

namespace shian::http {

using Handler = std::function<Result<Response>(Request&)>;

enum class Access { kPublic, kAuth };

// How long a route's requests run. A GET of a kQuick route takes a turn in the request gate
// (RequestGate: a few at a time, the others in arrival order); a kLong one (an export: seconds)
// does not, so that a few of them cannot hold every turn; nor does a write, which may wait
// for SQLite's write lock (an import holds it for seconds).
enum class Pace { kQuick, kLong };

// What the generated OpenAPI document says about a route.
struct RouteDoc {
    std::string summary;                      // Chinese, one line
    std::vector<std::string> query;           // query parameter names
    std::string request_schema;               // components/schemas name of the JSON body, if any
    std::string response_schema;              // components/schemas name of the 2xx body, if any
    std::string permission;                   // the permission the route needs, if any
};

class Router {
public:
    explicit Router(access::AuthService* auth) : auth_(auth) {}

    void Add(std::string method, std::string pattern, Access access, Handler handler, RouteDoc doc = {},
             Pace pace = Pace::kQuick);

    // Dispatches; 404 for an unknown path, 405 for a known path with another method. A GET of a
    // kQuick route is authenticated and handled holding a turn in `gate` (none when null).
    Response Dispatch(Request& request, RequestGate* gate = nullptr) const;

    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Access access;
        Handler handler;
        RouteDoc doc;
        Pace pace = Pace::kQuick;
    };
    const std::vector<Route>& routes() const { return routes_; }

private:
    access::AuthService* auth_;
    std::vector<Route> routes_;
};

// Helpers for handlers.
Response JsonResponse(int status, const std::string& json_text);
Response NoContent();
// Parses a positive integer path or query parameter; invalid_argument naming `field` otherwise.
Result<int64_t> ParseId(const std::string& text, const std::string& field);
// Parses an optional positive int query parameter with a default and bounds.
Result<int> ParseIntParam(const Request& request, const std::string& name, int def, int min, int max);

}  // namespace shian::http
