#!/usr/bin/env python3
"""The database floor: the SQL that shian issues for each benchmark scenario, timed directly in
the sqlite3 / psql shell (`.timer on` / `\\timing on`), one connection, no HTTP, no JSON.

Usage: bench/floor.py sqlite PATH | postgres URL  [--township CODE] [--village CODE] [--repeat 7]

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
           "b.address, b.lng, b.lat, b.status, b.risk_grade, b.people, b.tags, b.created_at, b.updated_at")
FROM_B = " FROM business b"
COUNTY = "511902"
FROM_FTS = " FROM business_fts CROSS JOIN business b ON b.id = business_fts.rowid"
ORDER = " ORDER BY b.updated_at DESC, b.id DESC"
LIST_LIMIT = 10000      # kListTotalLimit
SEARCH_LIMIT = 200      # kSearchTotalLimit
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

    def __init__(self, engine, q="", township_path="", code="", db="", kind=""):
        self.engine, self.q, self.path, self.code, self.db, self.kind = engine, q, township_path, code, db, kind

    def narrowing_terms(self):
        """Within a township (self.code) nothing beyond its joined bigrams (gram_prefix) — or its
        place term when the query is not all ideographs — or with a kind the kind's term joined
        to the township (FieldTerms, SqlBusinessRepository::NarrowingTerms); county-wide the
        kind's plain term."""
        kind_term = "k" + self.kind.encode().hex() if self.kind else ""
        if self.code and kind_term:
            return ["p" + self.code + kind_term]
        if self.code and not self.joined():
            return ["p" + self.code]
        return [kind_term] if kind_term else []

    def joined(self):
        """True when the query is asked by its bigrams joined to the township: within one, and
        all its characters ideographs (AsksJoinedGrams, migration 15)."""
        ideograph = lambda c: 0x3400 <= ord(c) <= 0x4DBF or 0x4E00 <= ord(c) <= 0x9FFF
        return bool(self.code) and len(self.q) >= 2 and all(ideograph(c) for c in self.q)

    def gram_prefix(self):
        """The township's prefix of its joined bigrams (TownshipGramPrefix, migration 14)."""
        return "w" + self.code if self.joined() else ""

    def where(self, use_fts):
        conds = []
        pg_terms = use_fts and self.engine == "postgres" and self.q
        if self.path:
            conds.append(region_cond(self.path).replace("b.region_path", "(b.region_path || '')")
                         if pg_terms else region_cond(self.path))
        if self.kind:
            conds.append(("(b.kind || '')" if pg_terms else "b.kind") + " = " + lit(self.kind))
        from_ = " FROM business b"
        if self.q:
            terms = [self.gram_prefix() + g for g in bigrams(self.q)] + self.narrowing_terms()
            if use_fts and self.engine == "postgres":
                conds.append("b.search_grams @> " + lit("{" + ",".join(f'"{t}"' for t in terms) + "}") + "::text[]")
            elif use_fts:
                conds.append("business_fts MATCH " + lit(self.fts_match()))
                from_ = FROM_FTS
            fn = "strpos" if self.engine == "postgres" else "instr"
            conds.append(f"{fn}(b.search_text, {lit(self.q)}) > 0")
        return from_, (" WHERE " + " AND ".join(conds)) if conds else ""

    def fts_match(self):
        """SQLite: the query's bigrams in order as one phrase (FtsDocument/BuildFtsMatch), joined
        to the township (gram_prefix), AND the kind's term (joined to the township)."""
        phrase = '"' + " ".join(self.gram_prefix() + self.q[i:i + 2] for i in range(len(self.q) - 1)) + '"'
        return phrase + "".join(f' AND "{t}"' for t in self.narrowing_terms())

    def text_walk(self):
        """PostgreSQL, a text query's page in id order by an index-only walk of (id, text, kind…)
        entries (TextWalkClauses): the township's (business_township_text) or the county's
        (business_id_text)."""
        conds = [f"strpos(b.search_text, {lit(self.q)}) > 0"]
        index = "business_id_text"
        if self.path:
            expr = "coalesce(substring(b.region_path from '^/[^/]+/[^/]+/'), '')"
            conds.insert(0, f"{expr} = {lit(self.path)}")
            index = "business_township_text"
        if self.kind:
            conds.append(f"(b.kind || '') = {lit(self.kind)}")
        walk = f"SELECT b.id FROM business b WHERE {' AND '.join(conds)} ORDER BY b.id DESC LIMIT 20 OFFSET 0"
        return (f"page (walk {index})", f"{COLUMNS}{FROM_B} WHERE b.id IN ({walk}) ORDER BY b.id DESC")

    def statements(self, run_scalar):
        """[(label, sql)] in the server's order; run_scalar(sql) -> int decides the path."""
        out = []
        if self.q and self.engine == "sqlite":
            # A search without sort: newest entered first, read in the FTS5 index's own order;
            # the positional index answers "contains" exactly, so no row is read to count. The
            # first limit + 1 matches (ascending: FTS5 reads backwards at ~1.6x the cost) give
            # the count, and all the pages when they fit under the limit; otherwise the first
            # page is read newest first.
            inner = "SELECT rowid FROM business_fts WHERE business_fts MATCH " + lit(self.fts_match())
            first = f"{inner} ORDER BY rowid LIMIT {SEARCH_LIMIT + 1}"
            out.append(("count and ids (search index)", first))
            if run_scalar(f"SELECT count(*) FROM ({first})") > SEARCH_LIMIT:
                out.append(("page ids (search index, newest first)", f"{inner} ORDER BY rowid DESC LIMIT 20 OFFSET 0"))
            ids = run_scalar(f"{inner} ORDER BY rowid DESC LIMIT 20", all_rows=True)
            idlist = ",".join(str(i) for i in ids) or "0"
            out.append(("page rows", f"{COLUMNS} FROM business b WHERE b.id IN ({idlist}) ORDER BY b.id DESC"))
            return out
        if self.q:
            # PostgreSQL, newest entered first. A frequent two-character word (planner estimate
            # ≥ 5 × the limit) is not counted; the page walks the primary key.
            region = (" AND " + region_cond(self.path)) if self.path else ""
            gram = "b.search_grams @> " + lit('{"' + self.q + '"}') + "::text[]"
            frequent = False
            if len(self.q) == 2 and not self.kind:  # with a filter the keys are always read
                est = f"EXPLAIN (FORMAT JSON) SELECT 1 FROM business b WHERE {gram}{region}"
                out.append(("estimate", est))
                plan = subprocess.run(["psql", "-X", "-A", "-t", "-q", self.db], input=est + ";\n",
                                      capture_output=True, text=True, check=True).stdout
                m = re.search(r'"Plan Rows": ([0-9.]+)', plan)
                frequent = m is not None and float(m.group(1)) >= 5 * SEARCH_LIMIT
            if frequent:
                out.append(self.text_walk())
                return out
            from_, where = self.where(True)
            keys = f"SELECT b.id, b.id{from_}{where} LIMIT {SEARCH_LIMIT + 1}"
            out.append(("keys", keys))
            n = run_scalar(f"SELECT count(*) FROM ({keys}) k")
            if n <= SEARCH_LIMIT:
                ids = run_scalar(f"SELECT id FROM ({keys}) k(id, key) ORDER BY id DESC LIMIT 20", all_rows=True)
                idlist = ",".join(str(i) for i in ids) or "0"
                out.append(("page by id", f"{COLUMNS} FROM business b WHERE b.id IN ({idlist}) ORDER BY b.id DESC"))
            else:
                out.append(self.text_walk())
            return out
        # A list without a text query: the total is a sum of maintained counts (business_tally),
        # the page walks the default order's index: the township's own (business_township) or
        # the village's (business_region) when the list is within one.
        place = self.path or f"/{COUNTY}/"
        out.append(("total (business_tally)", f"SELECT coalesce(sum(n), 0) FROM business_tally WHERE place_path = {lit(place)}"))
        depth = place.strip("/").count("/") + 1
        if depth == 2:
            # storage::TownshipPathExpression: SQLite's generated column, PostgreSQL's indexed expression.
            expr = ("b.township_path" if self.engine == "sqlite"
                    else "coalesce(substring(b.region_path from '^/[^/]+/[^/]+/'), '')")
            index, where = "business_township", f" WHERE {expr} = {lit(place)}"
        elif depth == 3:
            index, where = "business_region", f" WHERE b.region_path = {lit(place)}"
        else:
            index, where = "business_updated", ""
        from_ = f" FROM business b INDEXED BY {index}" if self.engine == "sqlite" else FROM_B
        out.append((f"page (walk {index})", f"{COLUMNS}{from_}{where}{ORDER} LIMIT 20 OFFSET 0"))
        return out


def scenarios(engine, db, county, township, village, detail_id, run_scalar):
    tpath = f"/{county}/{township}/"
    vpath = f"/{county}/{village[:9]}/{village}/"
    return {
        "list": Scenario(engine, db=db).statements(run_scalar),
        "list_region": Scenario(engine, township_path=tpath, db=db).statements(run_scalar),
        "list_village": Scenario(engine, township_path=vpath, db=db).statements(run_scalar),
        "search2 (火锅)": Scenario(engine, "火锅", db=db).statements(run_scalar),
        "search2 (超市)": Scenario(engine, "超市", db=db).statements(run_scalar),
        "search3 (串串香)": Scenario(engine, "串串香", db=db).statements(run_scalar),
        "search3 (便利店)": Scenario(engine, "便利店", db=db).statements(run_scalar),
        "search_region (火锅)": Scenario(engine, "火锅", tpath, township, db=db).statements(run_scalar),
        "search_region (便利店)": Scenario(engine, "便利店", tpath, township, db=db).statements(run_scalar),
        # search_filter's costliest kinds of request: a common word among a kind with matches,
        # and a very common word among a kind it never meets (no match: the whole intersection).
        "search_filter (火锅 餐饮服务)": Scenario(engine, "火锅", tpath, township, db=db,
                                             kind="catering").statements(run_scalar),
        "search_filter (超市 餐饮服务)": Scenario(engine, "超市", tpath, township, db=db,
                                             kind="catering").statements(run_scalar),
        "detail": [
            ("find", f"{COLUMNS} FROM business b WHERE b.id = {detail_id}"),
            ("histories", "SELECT field, value, reason, at, by_user FROM business_history "
                          f"WHERE business_id = {detail_id} ORDER BY field, id"),
        ],
        "stats_kind": [("tally", "SELECT kind, sum(n) FROM business_tally "
                                 f"WHERE place_path = '/{county}/' GROUP BY kind ORDER BY kind")],
        "stats_region": [("tally", "SELECT t.place_path, sum(t.n) FROM region r JOIN business_tally t "
                                   f"ON t.place_path = r.path WHERE r.parent_code = '{county}' "
                                   "GROUP BY t.place_path ORDER BY t.place_path")],
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
    ap.add_argument("--village", default="511902001001")
    ap.add_argument("--detail-id", type=int, default=123457)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("-v", "--verbose", action="store_true")
    ap.add_argument("--explain", action="store_true", help="print the query plans instead")
    args = ap.parse_args()
    all_scenarios = scenarios(args.engine, args.db, args.county, args.township, args.village, args.detail_id,
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
