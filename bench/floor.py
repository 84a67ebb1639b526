#!/usr/bin/env python3
"""The database floor: the SQL that shian issues for each benchmark scenario, timed directly in
the sqlite3 / psql shell (`.timer on` / `\\timing on`), one connection, no HTTP, no JSON.

Usage: bench/floor.py sqlite PATH | postgres URL  [--township CODE] [--repeat 7]

Each statement runs --repeat times in one shell session; the median of its timings is taken
and a scenario's floor is the sum of its statements' medians (the server runs a count and a
page query for a list). sqlite3: CPU time (user + sys, microsecond resolution; its wall clock
has only milliseconds); psql: wall clock of the round trip. Prints `FLOOR scenario ms` lines
and, with -v, each statement. --explain prints the query plans instead.

Keep the SQL here in step with server/src/shian/storage/sql_store.cpp (the WHERE/ORDER BY
built by SqlBusinessRepository::Where/OrderBy, List, Count, Find, History).
"""
import argparse
import re
import statistics
import subprocess
import sys

COLUMNS = ("SELECT b.id, b.version, b.name, b.uscc, b.licence_no, b.kind, b.region_code, b.region_path, "
           "b.address, b.lng, b.lat, b.status, b.risk_grade, b.people, b.tags, b.created_at, b.updated_at, "
           "r.name")
JOIN_REGION = " JOIN region r ON r.code = b.region_code"
FROM_FTS = " FROM business_fts CROSS JOIN business b ON b.id = business_fts.rowid"
ORDER = " ORDER BY b.updated_at DESC, b.id DESC"
LIST_LIMIT = 10000      # kListTotalLimit
SEARCH_LIMIT = 2000     # kSearchTotalLimit
SMALL_INDEX_ONLY = 500  # SqlBusinessRepository::SmallResult
SMALL_OTHER = 2000


def lit(s):
    return "'" + s.replace("'", "''") + "'"


def region_cond(path):
    return f"b.region_path >= {lit(path)} AND b.region_path < {lit(path[:-1] + '0')}"


def bigrams(q):
    out = []
    for i in range(len(q) - 1):
        g = q[i:i + 2]
        if g not in out:
            out.append(g)
    return out


class Scenario:
    """What SqlBusinessRepository::List runs for one filter (the bench user's scope is the whole
    county, which BusinessService::MakeFilter drops)."""

    def __init__(self, engine, q="", township_path="", code=""):
        self.engine, self.q, self.path, self.code = engine, q, township_path, code

    def where(self, use_fts):
        conds = []
        if self.path:
            conds.append(region_cond(self.path))
        from_ = " FROM business b"
        if self.q:
            terms = bigrams(self.q) + (["p" + self.code] if self.code else [])
            if use_fts and self.engine == "postgres":
                conds.append("b.search_grams @> " + lit("{" + ",".join(f'"{t}"' for t in terms) + "}") + "::text[]")
            elif use_fts:
                conds.append("business_fts MATCH " + lit(" AND ".join(f'"{t}"' for t in terms)))
                from_ = FROM_FTS
            fn = "strpos" if self.engine == "postgres" else "instr"
            conds.append(f"{fn}(b.search_text, {lit(self.q)}) > 0")
        return from_, (" WHERE " + " AND ".join(conds)) if conds else ""

    def index_alone(self):
        return len(self.q) == 2 and self.engine == "sqlite"

    def statements(self, run_scalar):
        """[(label, sql)] in the server's order; run_scalar(sql) -> int decides the path."""
        out = []
        limit = SEARCH_LIMIT if self.q else LIST_LIMIT
        from_, where = self.where(True)
        total = None
        if self.q:
            read_keys = True
            if self.index_alone():
                terms = bigrams(self.q) + (["p" + self.code] if self.code else [])
                inner = ("SELECT rowid FROM business_fts WHERE business_fts MATCH " +
                         lit(" AND ".join(f'"{t}"' for t in terms)))
                sql = f"SELECT count(*) FROM ({inner} LIMIT {limit + 1}) m"
                out.append(("count (search index)", sql))
                read_keys = run_scalar(sql) <= limit
            if read_keys:
                sql = f"SELECT b.id, b.updated_at{from_}{where} LIMIT {limit + 1}"
                out.append(("keys", sql))
                n = run_scalar(f"SELECT count(*) FROM ({sql}) k")
                if n <= limit:
                    # The page: its rows by id (the ids are those of the first page of the keys).
                    ids = f"SELECT id FROM ({sql}) k ORDER BY updated_at DESC, id DESC LIMIT 20"
                    idlist = ",".join(str(i) for i in run_scalar(ids, all_rows=True))
                    out.append(("page by id", f"{COLUMNS} FROM business b{JOIN_REGION} WHERE b.id IN ({idlist}){ORDER}"))
                    return out
            total = limit
        else:
            sql = f"SELECT count(*) FROM (SELECT 1{from_}{where} LIMIT {limit + 1}) m"
            out.append(("count", sql))
            total = min(run_scalar(sql), limit)
        small = SMALL_OTHER if self.q else SMALL_INDEX_ONLY
        if total >= small:
            from_, where = self.where(False)
            if self.engine == "sqlite":
                from_ = " FROM business b INDEXED BY business_updated"
            out.append(("page (walk business_updated)", f"{COLUMNS}{from_}{JOIN_REGION}{where}{ORDER} LIMIT 20 OFFSET 0"))
        else:
            out.append(("page (sort matches)", f"{COLUMNS}{from_}{JOIN_REGION}{where}{ORDER} LIMIT 20 OFFSET 0"))
        return out


def scenarios(engine, county, township, detail_id, run_scalar):
    tpath = f"/{county}/{township}/"
    return {
        "list": Scenario(engine).statements(run_scalar),
        "list_region": Scenario(engine, township_path=tpath).statements(run_scalar),
        "search2 (火锅)": Scenario(engine, "火锅").statements(run_scalar),
        "search2 (超市)": Scenario(engine, "超市").statements(run_scalar),
        "search3 (串串香)": Scenario(engine, "串串香").statements(run_scalar),
        "search3 (便利店)": Scenario(engine, "便利店").statements(run_scalar),
        "search_region (火锅)": Scenario(engine, "火锅", tpath, township).statements(run_scalar),
        "search_region (便利店)": Scenario(engine, "便利店", tpath, township).statements(run_scalar),
        "detail": [
            ("find", f"{COLUMNS} FROM business b{JOIN_REGION} WHERE b.id = {detail_id}"),
            ("status_history", "SELECT value, reason, at, by_user FROM business_history "
                               f"WHERE business_id = {detail_id} AND field = 'status' ORDER BY id"),
            ("grade_history", "SELECT value, reason, at, by_user FROM business_history "
                              f"WHERE business_id = {detail_id} AND field = 'risk_grade' ORDER BY id"),
        ],
        "stats_kind": [("group", "SELECT b.kind AS k, count(*) FROM business b GROUP BY b.kind ORDER BY b.kind")],
        "stats_region": [("group", "SELECT b.region_path AS k, count(*) FROM business b "
                                   "GROUP BY b.region_path ORDER BY b.region_path")],
    }


def run_sqlite(path, statements, repeat):
    script = ".timer on\n.output /dev/null\n"
    for _, sql in statements:
        script += (sql + ";\n") * repeat
    out = subprocess.run(["sqlite3", path], input=script, capture_output=True, text=True, check=True)
    # real is printed in whole milliseconds; user + sys (the shell's CPU) to the microsecond.
    times = [(float(u) + float(y)) * 1000
             for u, y in re.findall(r"Run Time: real [0-9.]+ user ([0-9.]+) sys ([0-9.]+)", out.stdout + out.stderr)]
    return times


def run_psql(url, statements, repeat):
    script = "\\timing on\n"
    for _, sql in statements:
        script += (sql + ";\n") * repeat
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", url], input=script,
                         capture_output=True, text=True, check=True)
    return [float(m) for m in re.findall(r"Time: ([0-9.]+) ms", out.stdout)]


def scalar_runner(engine, db):
    def run(sql, all_rows=False):
        cmd = ["sqlite3", db] if engine == "sqlite" else ["psql", "-X", "-A", "-t", "-q", db]
        out = subprocess.run(cmd, input=sql + ";\n", capture_output=True, text=True, check=True).stdout
        vals = [int(v) for v in out.split()]
        return vals if all_rows else vals[0]
    return run


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("engine", choices=["sqlite", "postgres"])
    ap.add_argument("db")
    ap.add_argument("--county", default="511902")
    ap.add_argument("--township", default="511902001")
    ap.add_argument("--detail-id", type=int, default=123457)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--explain", action="store_true", help="print the query plans instead")
    args = ap.parse_args()
    all_scenarios = scenarios(args.engine, args.county, args.township, args.detail_id,
                              scalar_runner(args.engine, args.db))
    only = [s for s in args.only.split(",") if s]
    for name, statements in all_scenarios.items():
        if only and not any(name.startswith(o) for o in only):
            continue
        if args.explain:
            for label, sql in statements:
                prefix = "EXPLAIN QUERY PLAN " if args.engine == "sqlite" else "EXPLAIN (ANALYZE, BUFFERS) "
                cmd = ["sqlite3", args.db] if args.engine == "sqlite" else ["psql", "-X", "-q", args.db]
                out = subprocess.run(cmd, input=prefix + sql + ";\n", capture_output=True, text=True)
                print(f"== {name} / {label}\n{sql}\n{out.stdout}{out.stderr}")
            continue
        run = run_sqlite if args.engine == "sqlite" else run_psql
        times = run(args.db, statements, args.repeat)
        if len(times) != len(statements) * args.repeat:
            sys.exit(f"floor: expected {len(statements) * args.repeat} timings for {name}, got {len(times)}")
        total = 0.0
        for i, (label, _) in enumerate(statements):
            t = times[i * args.repeat:(i + 1) * args.repeat]
            med = statistics.median(t)
            total += med
            if args.verbose:
                print(f"  {name} / {label}: median {med:.3f} ms (min {min(t):.3f}, max {max(t):.3f})")
        print(f"FLOOR {name} {total:.3f}")


if __name__ == "__main__":
    main()
