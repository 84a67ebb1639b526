// Router: which requests take a turn in the request gate (Pace).
#include "shian/http/router.hpp"

#include <gtest/gtest.h>

#include <string>

namespace shian::http {
namespace {

// Each handler records how many requests were through the gate while it ran.
TEST(RouterTest, OnlyQuickReadsTakeATurn) {
    RequestGate gate(4);
    int inside = -1;
    auto record = [&](Request&) -> Result<Response> {
        inside = gate.active();
        return JsonResponse(200, "{}");
    };
    Router router(nullptr);
    router.Add("GET", "/api/v1/things", Access::kPublic, record);
    router.Add("GET", "/api/v1/things/export", Access::kPublic, record, {}, Pace::kLong);
    router.Add("POST", "/api/v1/things", Access::kPublic, record);
    struct Case {
        const char* method;
        const char* path;
        int inside;  // -1: the handler did not run
        int status;
    };
    const Case cases[] = {
        {"GET", "/api/v1/things", 1, 200},          // a quick read holds a turn
        {"GET", "/api/v1/things/export", 0, 200},   // a long one does not
        {"POST", "/api/v1/things", 0, 200},         // nor does a write
        {"DELETE", "/api/v1/things", -1, 405},
        {"GET", "/api/v1/nothing", -1, 404},
    };
    for (const Case& c : cases) {
        inside = -1;
        Request req;
        req.method = c.method;
        req.path = c.path;
        Response r = router.Dispatch(req, &gate);
        EXPECT_EQ(r.status, c.status) << c.method << " " << c.path;
        EXPECT_EQ(inside, c.inside) << c.method << " " << c.path;
        EXPECT_EQ(gate.active(), 0) << c.method << " " << c.path;  // the turn is given back
    }
    // Without a gate nothing waits.
    Request req;
    req.method = "GET";
    req.path = "/api/v1/things";
    EXPECT_EQ(router.Dispatch(req).status, 200);
    EXPECT_EQ(inside, 0);
}

}  // namespace
}  // namespace shian::http
