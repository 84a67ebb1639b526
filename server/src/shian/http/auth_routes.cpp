// /api/v1/auth/*: login, logout, the current user.
#include "shian/http/json_body.hpp"
#include "shian/http/routes.hpp"
#include "shian/http/views.hpp"

namespace shian::http {

void AddAuthRoutes(Router& router, Services& s) {
    router.Add("POST", "/api/v1/auth/login", Access::kPublic, [&s](Request& req) -> Result<Response> {
        SHIAN_ASSIGN_OR_RETURN(auto body, JsonBody::Parse(req.body, {"username", "password"}));
        SHIAN_ASSIGN_OR_RETURN(auto username, body.String("username", "用户名"));
        SHIAN_ASSIGN_OR_RETURN(auto password, body.String("password", "密码"));
        if (!username || username->empty()) return Error::Invalid("username", "请输入用户名");
        if (!password || password->empty()) return Error::Invalid("password", "请输入密码");
        if (username->size() > 64 || password->size() > 256) {
            return Error::Unauthenticated("用户名或密码错误");
        }
        SHIAN_ASSIGN_OR_RETURN(auto login, s.auth->Login(*username, *password));
        Json out = {{"token", login.token}, {"user", PrincipalJson(login.principal)}};
        return JsonResponse(200, Dump(out));
    },
               RouteDoc{"登录，返回令牌与用户信息；密码错误 401，锁定 423", {}, "LoginRequest", "LoginResponse", ""});
    router.Add("POST", "/api/v1/auth/logout", Access::kAuth, [&s](Request& req) -> Result<Response> {
        SHIAN_TRY(s.auth->Logout(req.token, *req.principal));
        return NoContent();
    },
               RouteDoc{"退出登录（令牌立即失效）", {}, "", "", ""});
    router.Add("GET", "/api/v1/auth/me", Access::kAuth, [](Request& req) -> Result<Response> {
        return JsonResponse(200, Dump({{"user", PrincipalJson(*req.principal)}}));
    },
               RouteDoc{"当前用户", {}, "", "UserEnvelope", ""});
}

}  // namespace shian::http
