// shian: the food-safety supervision platform — server and command line in one binary.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "shian/access/auth_service.hpp"
#include "shian/access/user_service.hpp"
#include "shian/app/demo_data.hpp"
#include "shian/app/search_index_upkeep.hpp"
#include "shian/app/setup.hpp"
#include "shian/http/routes.hpp"
#include "shian/http/server.hpp"
#include "shian/io/csv.hpp"
#include "shian/io/read_table.hpp"
#include "shian/io/xlsx_writer.hpp"
#include "shian/registry/business_service.hpp"
#include "shian/registry/place_service.hpp"
#include "shian/storage/connection_pool.hpp"
#include "shian/storage/sql_store.hpp"

namespace {

using namespace shian;

int Fail(const Error& e) {
    std::cerr << "shian: " << e.message;
    if (!e.field.empty()) std::cerr << " [" << e.field << "]";
    std::cerr << "\n";
    return e.code == ErrorCode::kInvalidArgument || e.code == ErrorCode::kRejected ? 2 : 1;
}

// Everything a command needs: the database, a pool, the stores and the services.
struct Context {
    std::unique_ptr<storage::ConnectionPool> pool;
    std::unique_ptr<storage::SqlStoreProvider> stores;
    SystemClock clock;
    std::unique_ptr<access::SessionCache> sessions;
    std::unique_ptr<registry::LookupCache> lookups;
    std::unique_ptr<access::AuthService> auth;
    std::unique_ptr<access::UserService> users;
    std::unique_ptr<registry::BusinessService> businesses;
    std::unique_ptr<registry::PlaceService> places;
};

Result<std::unique_ptr<Context>> OpenContext(const std::string& db_url, const app::SetupOptions& setup,
                                             size_t pool_size, TimeMs session_cache_ms, bool quiet) {
    storage::DatabaseOptions options;
    if (pool_size <= 2) options.sqlite_cache_kib = 256 * 1024;  // a one-shot command: one busy connection
    SHIAN_ASSIGN_OR_RETURN(auto db, storage::OpenDatabase(db_url, options));
    auto ctx = std::make_unique<Context>();
    // At most twice the kept connections open at once: a burst waits for one rather than
    // pushing several processes past PostgreSQL's max_connections (100 by default).
    ctx->pool = std::make_unique<storage::ConnectionPool>(std::move(db), pool_size, 2 * pool_size);
    {
        SHIAN_ASSIGN_OR_RETURN(auto conn, ctx->pool->Acquire());
        SHIAN_TRY(app::PrepareDatabase(*conn, setup, quiet ? nullptr : &std::cerr));
    }
    ctx->stores = std::make_unique<storage::SqlStoreProvider>(ctx->pool.get());
    ctx->sessions = std::make_unique<access::SessionCache>(session_cache_ms);
    ctx->auth = std::make_unique<access::AuthService>(ctx->stores.get(), &ctx->clock, ctx->sessions.get());
    ctx->users = std::make_unique<access::UserService>(ctx->stores.get(), &ctx->clock, ctx->sessions.get());
    ctx->lookups = std::make_unique<registry::LookupCache>(session_cache_ms);
    ctx->businesses = std::make_unique<registry::BusinessService>(ctx->stores.get(), &ctx->clock,
                                                                  registry::BusinessServiceOptions{},
                                                                  ctx->lookups.get());
    ctx->places = std::make_unique<registry::PlaceService>(ctx->stores.get(), &ctx->clock, ctx->sessions.get(),
                                                           ctx->lookups.get());
    return ctx;
}

Result<std::string> ReadFileBytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Error::NotFound("无法读取文件：" + path);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

}  // namespace

int main(int argc, char** argv) {
    CLI::App cli{"shian 食安 — 县级食品安全监管平台（服务端与命令行）"};
    cli.require_subcommand(1);
    std::string db_url = "sqlite:./shian.db";
    app::SetupOptions setup;
    auto add_db = [&](CLI::App* cmd) {
        cmd->add_option("--db", db_url, "数据库：sqlite:路径 或 postgresql://用户@主机:端口/库名")
            ->capture_default_str();
        cmd->add_option("--county", setup.county_code, "本系统服务的县级区划代码（首次初始化时载入其区划）")
            ->capture_default_str();
        cmd->add_option("--regions-dir", setup.regions_dir, "全国区划数据目录（areas.csv、streets.csv、villages*.csv.gz）");
    };

    auto* serve = cli.add_subcommand("serve", "启动 HTTP 服务（接口与网页）");
    add_db(serve);
    http::ServerOptions server_options;
    serve->add_option("--port", server_options.port, "监听端口（0 = 任选空闲端口）")->capture_default_str();
    serve->add_option("--host", server_options.host, "监听地址")->capture_default_str();
    serve->add_option("--web", server_options.web_root, "网页文件目录（web/dist）");
    serve->add_option("--threads", server_options.threads,
                      "请求线程数（每个保持中的浏览器连接占用一个线程，最多同时保持这么多连接）")
        ->capture_default_str()
        ->check(CLI::Range(2, 1024));
    int active_requests = -1;  // not given: by engine, below
    serve->add_option("--active-requests", active_requests,
                      "同时处理的查询请求数，其余按到达顺序排队（0 = 不限；导入、导出与写操作不排队；"
                      "默认：SQLite 为 CPU 核数的 2 倍，PostgreSQL 不限）")
        ->check(CLI::Range(0, 1024));
    TimeMs session_cache_ms = 2000;
    serve->add_option("--session-cache-ms", session_cache_ms,
                      "登录会话及列表筛选所用区划、业态在本进程内缓存的毫秒数（0 = 不缓存；多进程部署时，"
                      "其他进程的退出登录、停用账号、修改角色、区划调整、新增业态最迟这么久后在本进程生效）")
        ->capture_default_str()
        ->check(CLI::Range(0, 60'000));

    auto* migrate = cli.add_subcommand("migrate", "创建或升级数据库结构，并载入区划");
    add_db(migrate);

    auto* user = cli.add_subcommand("user", "管理用户");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "新增用户");
    add_db(user_add);
    access::UserInput user_in;
    std::string u_name, u_pass, u_role, u_region, u_display;
    int64_t u_business = 0;
    user_add->add_option("--username", u_name, "用户名")->required();
    user_add->add_option("--password", u_pass, "密码（至少8位，含三类字符）")->required();
    user_add->add_option("--role", u_role, "角色：admin, office, inspector, cadre, business, public")->required();
    user_add->add_option("--region", u_region, "所属区划代码（数据范围）")->required();
    user_add->add_option("--name", u_display, "姓名");
    user_add->add_option("--business-id", u_business, "企业账号关联的主体 id");
    auto* user_passwd = user->add_subcommand("passwd", "重置密码（同时解除锁定）");
    add_db(user_passwd);
    user_passwd->add_option("--username", u_name, "用户名")->required();
    user_passwd->add_option("--password", u_pass, "新密码")->required();
    auto* user_list = user->add_subcommand("list", "列出用户");
    add_db(user_list);

    auto* region = cli.add_subcommand("region", "区划调整（撤并、撤销）");
    region->require_subcommand(1);
    std::string r_code, r_into;
    auto* region_merge = region->add_subcommand("merge", "将一个区划并入同级的另一个区划，其主体、用户、部门随之迁移");
    add_db(region_merge);
    region_merge->add_option("--code", r_code, "被撤并的区划代码")->required();
    region_merge->add_option("--into", r_into, "并入的区划代码")->required();
    auto* region_retire = region->add_subcommand("retire", "撤销一个已无下级、主体、用户的区划");
    add_db(region_retire);
    region_retire->add_option("--code", r_code, "区划代码")->required();

    auto* import_cmd = cli.add_subcommand("import", "从 CSV/XLSX 导入");
    import_cmd->require_subcommand(1);
    auto* import_biz = import_cmd->add_subcommand("businesses", "导入主体档案（全部通过才写入）");
    add_db(import_biz);
    std::string file_path;
    bool dry_run = false;
    import_biz->add_option("FILE", file_path, "CSV 或 XLSX 文件")->required();
    import_biz->add_flag("--dry-run", dry_run, "只检查，不写入");

    auto* export_cmd = cli.add_subcommand("export", "导出为 CSV/XLSX");
    export_cmd->require_subcommand(1);
    auto* export_biz = export_cmd->add_subcommand("businesses", "导出主体档案（按扩展名选择格式）");
    add_db(export_biz);
    export_biz->add_option("FILE", file_path, "输出文件 .xlsx 或 .csv")->required();
    registry::BusinessQuery export_q;
    export_biz->add_option("--region", export_q.region_code, "区划代码（含下级）");
    export_biz->add_option("--kind", export_q.kind, "业态");
    export_biz->add_option("-q,--query", export_q.q, "名称/地址/代码 关键词");

    auto* demo = cli.add_subcommand("demo", "创建演示县（巴州区）的演示数据与各角色账号");
    add_db(demo);
    app::DemoOptions demo_options;
    demo->add_option("--seed", demo_options.seed, "随机种子（相同种子生成相同数据）")->capture_default_str();
    demo->add_option("--businesses", demo_options.businesses, "主体数量")->capture_default_str();

    auto* bench = cli.add_subcommand("bench-data", "生成用于性能测试的合成数据");
    add_db(bench);
    int64_t bench_count = 100000;
    uint64_t bench_seed = 1;
    bench->add_option("--businesses", bench_count, "主体数量")->capture_default_str();
    bench->add_option("--seed", bench_seed, "随机种子")->capture_default_str();

    CLI11_PARSE(cli, argc, argv);

    // Database connections kept open for reuse: as many as requests run at once on a few cores
    // (most threads wait on idle keep-alive connections and hold none); a burst opens up to as
    // many again and closes them afterwards. SQLite keeps a 4 MB page cache per connection.
    size_t pool_size = serve->parsed() ? static_cast<size_t>(std::min(server_options.threads, 16)) + 4 : 2;
    auto ctx_result = OpenContext(db_url, setup, pool_size, serve->parsed() ? session_cache_ms : 0,
                                  !serve->parsed() && !migrate->parsed());
    if (!ctx_result.ok()) return Fail(ctx_result.error());
    Context& ctx = **ctx_result;
    access::Principal system = access::SystemPrincipal();

    if (migrate->parsed()) {
        std::cout << "database ready: " << ctx.pool->database().Describe() << "\n";
        return 0;
    }
    if (serve->parsed()) {
        http::Router router(ctx.auth.get());
        http::Services services{ctx.stores.get(), ctx.auth.get(), ctx.users.get(), ctx.businesses.get(),
                                ctx.places.get()};
        http::AddAllRoutes(router, services);
        // SQLite works in this process: two requests per core at a time, the others in turn,
        // cut every scenario's p99 and a search mix's from 52 to 19 ms. With PostgreSQL the
        // work is in the database's processes and the same gate made some searches' p99 worse
        // (docs/performance.md, "Requests take turns"), so there it is the operator's choice.
        server_options.active_requests =
            active_requests >= 0 ? active_requests
            : ctx.pool->dialect() == storage::Dialect::kSqlite
                ? 2 * static_cast<int>(std::max(1u, std::thread::hardware_concurrency()))
                : 0;
        http::HttpServer server(&router, server_options);
        std::signal(SIGTERM, OnSignal);
        std::signal(SIGINT, OnSignal);
        std::signal(SIGPIPE, SIG_IGN);
        auto port = server.Start();
        if (!port.ok()) return Fail(port.error());
        std::cout << "listening on http://" << server_options.host << ":" << *port << std::endl;
        // Merges the search index's segments a bounded step at a time (SQLite; see
        // SearchIndexUpkeep), on a connection of the pool like any request.
        constexpr int64_t kMergePages = 500;
        app::SearchIndexUpkeep upkeep(
            [&ctx]() -> Result<bool> {
                SHIAN_ASSIGN_OR_RETURN(auto store, ctx.stores->Open());
                return store->businesses().CompactSearchIndexStep(kMergePages);
            },
            &ctx.clock);
        while (!g_stop) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (Status st = upkeep.Tick(); !st.ok()) {
                std::cerr << "shian: merging the search index: " << st.error().message << "\n";
            }
        }
        std::cout << "shutting down" << std::endl;
        server.Stop(5000);
        return 0;
    }
    if (user_add->parsed()) {
        user_in.username = u_name;
        user_in.password = u_pass;
        user_in.role = u_role;
        user_in.region_code = u_region;
        if (!u_display.empty()) user_in.display_name = u_display;
        if (u_business > 0) user_in.business_id = std::optional<int64_t>(u_business);
        auto v = ctx.users->Create(system, user_in);
        if (!v.ok()) return Fail(v.error());
        std::cout << "created user " << v->user.username << " (" << v->role_label << ", " << v->region_name
                  << ")\n";
        return 0;
    }
    if (user_passwd->parsed()) {
        auto st = ctx.users->SetPasswordByName(system, u_name, u_pass);
        if (!st.ok()) return Fail(st.error());
        std::cout << "password reset for " << u_name << "\n";
        return 0;
    }
    if (region_merge->parsed()) {
        auto report = ctx.places->Merge(system, r_code, r_into);
        if (!report.ok()) return Fail(report.error());
        std::cout << report->from.name << " (" << report->from.code << ") merged into " << report->into.name << " ("
                  << report->into.code << "): " << report->places << " places, " << report->businesses
                  << " businesses, " << report->users << " users, " << report->departments << " departments, "
                  << report->roles << " roles moved\n";
        return 0;
    }
    if (region_retire->parsed()) {
        auto retired = ctx.places->Retire(system, r_code);
        if (!retired.ok()) return Fail(retired.error());
        std::cout << "retired " << retired->name << " (" << retired->code << ")\n";
        return 0;
    }
    if (user_list->parsed()) {
        access::UserQuery q;
        q.page_size = 200;
        for (q.page = 1;; ++q.page) {
            auto page = ctx.users->List(system, q);
            if (!page.ok()) return Fail(page.error());
            for (const auto& v : page->first) {
                std::cout << v.user.id << "\t" << v.user.username << "\t" << v.user.display_name << "\t"
                          << v.role_label << "\t" << v.region_name << (v.user.disabled ? "\t停用" : "") << "\n";
            }
            if (page->first.size() < 200) break;
        }
        return 0;
    }
    if (import_biz->parsed()) {
        auto bytes = ReadFileBytes(file_path);
        if (!bytes.ok()) return Fail(bytes.error());
        auto start = std::chrono::steady_clock::now();
        auto table = io::ReadTable(*bytes, file_path, 2'000'000);
        if (!table.ok()) return Fail(table.error());
        std::string().swap(*bytes);
        size_t rows = table->rows.size();
        auto report = ctx.businesses->Import(system, std::move(table).value(), dry_run);
        if (!report.ok()) return Fail(report.error());
        double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        for (const auto& r : report->rejected) {
            std::cerr << "第" << r.row << "行 [" << r.column << "] " << r.message << "\n";
        }
        if (!report->rejected.empty()) {
            std::cerr << "rejected: " << report->rejected.size() << " problem(s); nothing stored\n";
            return 2;
        }
        std::cout << (dry_run ? "dry run: " : "") << "inserted " << report->inserted << ", updated "
                  << report->updated << " (unchanged " << report->unchanged << ") in " << secs << " s ("
                  << static_cast<int64_t>(static_cast<double>(rows) / std::max(secs, 1e-6))
                  << " rows/s)\n";
        return 0;
    }
    if (export_biz->parsed()) {
        export_q.page_size = 200;
        bool csv = file_path.size() > 4 && file_path.substr(file_path.size() - 4) == ".csv";
        auto writer = csv ? io::MakeCsvWriter(true) : io::MakeXlsxWriter("主体档案");
        auto rows = ctx.businesses->Export(system, export_q, 5'000'000, writer.get());
        if (!rows.ok()) return Fail(rows.error());
        auto bytes = writer->Finish();
        if (!bytes.ok()) return Fail(bytes.error());
        const std::string& out = *bytes;
        std::ofstream f(file_path, std::ios::binary);
        f.write(out.data(), static_cast<std::streamsize>(out.size()));
        if (!f) return Fail(Error::Internal("无法写入文件：" + file_path));
        std::cout << "exported " << *rows << " businesses to " << file_path << "\n";
        return 0;
    }
    if (demo->parsed()) {
        auto conn = ctx.pool->Acquire();
        if (!conn.ok()) return Fail(conn.error());
        auto st = app::CreateDemo(**conn, ctx.clock, demo_options, std::cout);
        if (!st.ok()) return Fail(st.error());
        return 0;
    }
    if (bench->parsed()) {
        auto conn = ctx.pool->Acquire();
        if (!conn.ok()) return Fail(conn.error());
        auto st = app::CreateBenchData(**conn, ctx.clock, bench_seed, bench_count, std::cout);
        if (!st.ok()) return Fail(st.error());
        return 0;
    }
    return 0;
}
