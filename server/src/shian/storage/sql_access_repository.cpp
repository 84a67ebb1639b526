#include "shian/storage/sql_repositories.hpp"

#include <string>
#include <vector>

#include "shian/storage/sql_values.hpp"

namespace shian::storage {
namespace {

using sql::JoinList;
using sql::OptInt;
using sql::SplitList;

class SqlAccessRepository final : public access::AccessRepository {
public:
    explicit SqlAccessRepository(Connection* c) : c_(c) {}

    Result<std::optional<access::User>> FindUserByName(const std::string& username) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kUserSelect + " WHERE username = $1", {username}));
        if (rows.empty()) return std::optional<access::User>();
        return std::optional<access::User>(ReadUser(rows, 0));
    }
    Result<std::optional<access::User>> FindUser(int64_t id) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kUserSelect + " WHERE id = $1", {id}));
        if (rows.empty()) return std::optional<access::User>();
        return std::optional<access::User>(ReadUser(rows, 0));
    }
    Result<int64_t> InsertUser(const access::User& u) override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows,
            c_->Query("INSERT INTO app_user (username, display_name, password_hash, role, region_code, "
                      "department_id, business_id, disabled, failed_logins, locked_until, last_login_at, "
                      "created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,0,0,0,$9,$9) RETURNING id",
                      {u.username, u.display_name, u.password_hash, u.role, u.region_code,
                       OptInt(u.department_id), OptInt(u.business_id), int64_t{u.disabled},
                       u.created_at}));
        return rows.Int(0, 0);
    }
    Status UpdateUser(const access::User& u) override {
        SHIAN_TRY(c_->Execute(
            "UPDATE app_user SET display_name=$2, password_hash=$3, role=$4, region_code=$5, "
            "department_id=$6, business_id=$7, disabled=$8, failed_logins=$9, locked_until=$10, "
            "updated_at=$11 WHERE id=$1",
            {u.id, u.display_name, u.password_hash, u.role, u.region_code, OptInt(u.department_id),
             OptInt(u.business_id), int64_t{u.disabled}, int64_t{u.failed_logins}, u.locked_until,
             u.updated_at}));
        return Ok();
    }
    Result<std::pair<std::vector<access::User>, int64_t>> ListUsers(const access::UserQuery& q) override {
        // Substring match, ASCII letters in either case, on both engines (SQLite's LIKE
        // ignores ASCII case, PostgreSQL's does not); % and _ in the query are literal.
        std::string where =
            " WHERE ($1 = '' OR lower(username) LIKE $2 ESCAPE '\\' OR "
            "lower(display_name) LIKE $2 ESCAPE '\\')";
        std::string like = "%";
        for (char ch : q.q) {
            if (ch == '%' || ch == '_' || ch == '\\') like.push_back('\\');
            like.push_back(ch >= 'A' && ch <= 'Z' ? static_cast<char>(ch - 'A' + 'a') : ch);
        }
        like.push_back('%');
        SHIAN_ASSIGN_OR_RETURN(Rows count, c_->Query("SELECT count(*) FROM app_user" + where, {q.q, like}));
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query(kUserSelect + where + " ORDER BY id LIMIT $3 OFFSET $4",
                                 {q.q, like, int64_t{q.page_size},
                                  int64_t{(q.page - 1) * static_cast<int64_t>(q.page_size)}}));
        std::vector<access::User> users;
        for (size_t i = 0; i < rows.size(); ++i) users.push_back(ReadUser(rows, i));
        return std::make_pair(std::move(users), count.Int(0, 0));
    }
    Status RecordLoginResult(int64_t user_id, int failed, TimeMs locked_until, TimeMs last_login_at) override {
        SHIAN_TRY(c_->Execute(
            "UPDATE app_user SET failed_logins=$2, locked_until=$3, "
            "last_login_at=CASE WHEN $4 > 0 THEN $4 ELSE last_login_at END WHERE id=$1",
            {user_id, int64_t{failed}, locked_until, last_login_at}));
        return Ok();
    }

    Result<int> IncrementFailedLogins(int64_t user_id) override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("UPDATE app_user SET failed_logins = failed_logins + 1 WHERE id = $1 "
                                 "RETURNING failed_logins", {user_id}));
        if (rows.empty()) return Error::NotFound("用户不存在");
        return static_cast<int>(rows.Int(0, 0));
    }

    Result<std::vector<access::Role>> ListRoles() override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kRoleSelect + " ORDER BY builtin DESC, code"));
        std::vector<access::Role> out;
        for (size_t i = 0; i < rows.size(); ++i) out.push_back(ReadRole(rows, i));
        SHIAN_TRY(ReadRolePlaces("", &out));
        return out;
    }
    Result<std::optional<access::Role>> FindRole(const std::string& code) override {
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(kRoleSelect + " WHERE code = $1", {code}));
        if (rows.empty()) return std::optional<access::Role>();
        std::vector<access::Role> one = {ReadRole(rows, 0)};
        SHIAN_TRY(ReadRolePlaces(code, &one));
        return std::optional<access::Role>(std::move(one.front()));
    }
    Status UpsertRole(const access::Role& r) override {
        std::string perms = JoinList(r.permissions);
        SHIAN_TRY(c_->Execute(
            "INSERT INTO role (code, label, data_scope, permissions, builtin) VALUES ($1,$2,$3,$4,$5) "
            "ON CONFLICT (code) DO UPDATE SET label=excluded.label, data_scope=excluded.data_scope, "
            "permissions=excluded.permissions",
            {r.code, r.label, std::string(access::DataScopeName(r.data_scope)), perms,
             int64_t{r.builtin}}));
        SHIAN_TRY(c_->Execute("DELETE FROM role_place WHERE role_code = $1", {r.code}));
        for (const auto& place : r.places) {
            SHIAN_TRY(c_->Execute("INSERT INTO role_place (role_code, place_code) VALUES ($1, $2)",
                                  {r.code, place.code}));
        }
        return Ok();
    }

    Result<std::vector<access::Department>> ListDepartments() override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("SELECT id, name, parent_id, region_code, kind FROM department ORDER BY id"));
        std::vector<access::Department> out;
        for (size_t i = 0; i < rows.size(); ++i) {
            access::Department d;
            d.id = rows.Int(i, 0);
            d.name = rows.Text(i, 1);
            if (!rows.IsNull(i, 2)) d.parent_id = rows.Int(i, 2);
            d.region_code = rows.Text(i, 3);
            d.kind = rows.Text(i, 4);
            out.push_back(std::move(d));
        }
        return out;
    }
    Status UpdateDepartment(const access::Department& d) override {
        SHIAN_ASSIGN_OR_RETURN(int64_t changed,
                               c_->Execute("UPDATE department SET name = $2, parent_id = $3, region_code = $4, "
                                           "kind = $5 WHERE id = $1",
                                           {d.id, d.name, OptInt(d.parent_id), d.region_code, d.kind}));
        if (changed == 0) return Error::NotFound("部门不存在");
        return Ok();
    }
    Result<int64_t> InsertDepartment(const access::Department& d) override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("INSERT INTO department (name, parent_id, region_code, kind) "
                                 "VALUES ($1,$2,$3,$4) RETURNING id",
                                 {d.name, OptInt(d.parent_id), d.region_code, d.kind}));
        return rows.Int(0, 0);
    }

    Status InsertSession(const access::Session& s) override {
        SHIAN_TRY(c_->Execute("INSERT INTO user_session (token_hash, user_id, created_at, last_seen_at) "
                              "VALUES ($1,$2,$3,$4)",
                              {s.token_hash, s.user_id, s.created_at, s.last_seen_at}));
        return Ok();
    }
    Result<std::optional<access::Session>> FindSession(const std::string& token_hash) override {
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows, c_->Query("SELECT token_hash, user_id, created_at, last_seen_at FROM user_session "
                                 "WHERE token_hash = $1", {token_hash}));
        if (rows.empty()) return std::optional<access::Session>();
        return std::optional<access::Session>(
            access::Session{rows.Text(0, 0), rows.Int(0, 1), rows.Int(0, 2), rows.Int(0, 3)});
    }
    Result<std::optional<access::SessionUser>> FindSessionUser(const std::string& token_hash) override {
        // One round trip per authenticated request instead of four (session, user, role, place,
        // and a custom scope's places).
        SHIAN_ASSIGN_OR_RETURN(
            Rows rows,
            c_->Query(c_->dialect() == Dialect::kPostgres ? kSessionUserPostgres : kSessionUserSqlite,
                      {token_hash}));
        if (rows.empty()) return std::optional<access::SessionUser>();
        access::SessionUser out;
        out.session = {rows.Text(0, 19), rows.Int(0, 20), rows.Int(0, 21), rows.Int(0, 22)};
        if (!rows.IsNull(0, 0)) out.user = ReadUser(rows, 0);
        if (!rows.IsNull(0, 14)) {
            out.role = ReadRole(rows, 0, 14);
            // A custom scope's places, as paths (the code is the path's last step).
            for (const auto& path : SplitList(rows.IsNull(0, 25) ? std::string() : rows.Text(0, 25))) {
                std::string code = path.substr(0, path.size() - 1);
                code = code.substr(code.rfind('/') + 1);
                out.role->places.push_back({code, "", path});
            }
        }
        if (!rows.IsNull(0, 24)) {
            out.region_name = rows.Text(0, 23);
            out.region_path = rows.Text(0, 24);
        }
        return std::optional<access::SessionUser>(std::move(out));
    }
    Status TouchSession(const std::string& token_hash, TimeMs at) override {
        SHIAN_TRY(c_->TryExecute("UPDATE user_session SET last_seen_at = $2 WHERE token_hash = $1",
                                 {token_hash, at}));
        return Ok();
    }
    Status DeleteSession(const std::string& token_hash) override {
        SHIAN_TRY(c_->Execute("DELETE FROM user_session WHERE token_hash = $1", {token_hash}));
        return Ok();
    }
    Status DeleteSessionsOfUser(int64_t user_id) override {
        SHIAN_TRY(c_->Execute("DELETE FROM user_session WHERE user_id = $1", {user_id}));
        return Ok();
    }
    Status DeleteSessionsIdleSince(TimeMs before) override {
        SHIAN_TRY(c_->Execute("DELETE FROM user_session WHERE last_seen_at < $1", {before}));
        return Ok();
    }

private:
    inline static const std::string kUserSelect =
        "SELECT id, username, display_name, password_hash, role, region_code, department_id, "
        "business_id, disabled, failed_logins, locked_until, last_login_at, created_at, updated_at "
        "FROM app_user";
    inline static const std::string kRoleSelect =
        "SELECT code, label, data_scope, permissions, builtin FROM role";

    static access::User ReadUser(const Rows& r, size_t i) {
        access::User u;
        u.id = r.Int(i, 0);
        u.username = r.Text(i, 1);
        u.display_name = r.Text(i, 2);
        u.password_hash = r.Text(i, 3);
        u.role = r.Text(i, 4);
        u.region_code = r.Text(i, 5);
        if (!r.IsNull(i, 6)) u.department_id = r.Int(i, 6);
        if (!r.IsNull(i, 7)) u.business_id = r.Int(i, 7);
        u.disabled = r.Int(i, 8) != 0;
        u.failed_logins = static_cast<int>(r.Int(i, 9));
        u.locked_until = r.Int(i, 10);
        u.last_login_at = r.Int(i, 11);
        u.created_at = r.Int(i, 12);
        u.updated_at = r.Int(i, 13);
        return u;
    }
    // The places of the roles in *roles (of `code` only, when given), in code order.
    Status ReadRolePlaces(const std::string& code, std::vector<access::Role>* roles) {
        std::vector<Value> params;
        std::string sql = "SELECT rp.role_code, rg.code, rg.name, rg.path FROM role_place rp "
                          "JOIN region rg ON rg.code = rp.place_code";
        if (!code.empty()) {
            sql += " WHERE rp.role_code = $1";
            params.push_back(code);
        }
        SHIAN_ASSIGN_OR_RETURN(Rows rows, c_->Query(sql + " ORDER BY rp.role_code, rg.code", params));
        for (size_t i = 0; i < rows.size(); ++i) {
            for (auto& role : *roles) {
                if (role.code == rows.Text(i, 0)) role.places.push_back({rows.Text(i, 1), rows.Text(i, 2), rows.Text(i, 3)});
            }
        }
        return Ok();
    }

#define SHIAN_SESSION_USER_SELECT(ROLE_PATHS)                                                         \
    "SELECT u.id, u.username, u.display_name, u.password_hash, u.role, u.region_code, "               \
    "u.department_id, u.business_id, u.disabled, u.failed_logins, u.locked_until, "                   \
    "u.last_login_at, u.created_at, u.updated_at, "                                                    \
    "ro.code, ro.label, ro.data_scope, ro.permissions, ro.builtin, "                                   \
    "s.token_hash, s.user_id, s.created_at, s.last_seen_at, rg.name, rg.path, "                        \
    "CASE WHEN ro.data_scope = 'custom' THEN (SELECT " ROLE_PATHS " FROM role_place rp "              \
    "JOIN region p ON p.code = rp.place_code WHERE rp.role_code = ro.code) END "                        \
    "FROM user_session s LEFT JOIN app_user u ON u.id = s.user_id "                                    \
    "LEFT JOIN role ro ON ro.code = u.role LEFT JOIN region rg ON rg.code = u.region_code "             \
    "WHERE s.token_hash = $1"
    static constexpr const char* kSessionUserSqlite = SHIAN_SESSION_USER_SELECT("group_concat(p.path, '|')");
    static constexpr const char* kSessionUserPostgres = SHIAN_SESSION_USER_SELECT("string_agg(p.path, '|')");
#undef SHIAN_SESSION_USER_SELECT

    static access::Role ReadRole(const Rows& r, size_t i, size_t first = 0) {
        access::Role role;
        role.code = r.Text(i, first);
        role.label = r.Text(i, first + 1);
        access::ParseDataScope(r.Text(i, first + 2), &role.data_scope);
        role.permissions = SplitList(r.Text(i, first + 3));
        role.builtin = r.Int(i, first + 4) != 0;
        return role;
    }

    Connection* c_;
};

}  // namespace

std::unique_ptr<access::AccessRepository> MakeSqlAccessRepository(Connection* c) {
    return std::make_unique<SqlAccessRepository>(c);
}

}  // namespace shian::storage
