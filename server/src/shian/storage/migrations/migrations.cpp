#include "shian/storage/migrations/migrations.hpp"

#include <algorithm>
#include <set>

namespace shian::storage {
namespace {

// Version 1: places, access control, audit, business registry.
// Times are BIGINT milliseconds since the epoch (UTC). search_text holds the normalised
// name/address/USCC/licence; search_grams its character bigrams (see registry search).
constexpr const char* kV1Sqlite = R"SQL(
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE region (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
  parent_code TEXT REFERENCES region(code), path TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1);
CREATE INDEX region_parent ON region(parent_code, code);
CREATE TABLE role (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, data_scope TEXT NOT NULL,
  permissions TEXT NOT NULL, builtin INTEGER NOT NULL DEFAULT 1);
CREATE TABLE department (
  id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL,
  parent_id INTEGER REFERENCES department(id), region_code TEXT NOT NULL REFERENCES region(code),
  kind TEXT NOT NULL);
CREATE TABLE kind_dict (
  code TEXT PRIMARY KEY, label TEXT NOT NULL UNIQUE, builtin INTEGER NOT NULL, sort INTEGER NOT NULL);
CREATE TABLE business (
  id INTEGER PRIMARY KEY AUTOINCREMENT, version INTEGER NOT NULL,
  name TEXT NOT NULL, uscc TEXT, licence_no TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL REFERENCES kind_dict(code),
  region_code TEXT NOT NULL REFERENCES region(code), region_path TEXT NOT NULL,
  address TEXT NOT NULL DEFAULT '', lng REAL, lat REAL,
  status TEXT NOT NULL, risk_grade TEXT NOT NULL DEFAULT '',
  people TEXT NOT NULL DEFAULT '[]', tags TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '', search_grams TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE UNIQUE INDEX business_uscc ON business(uscc) WHERE uscc IS NOT NULL;
CREATE INDEX business_region ON business(region_path, updated_at);
CREATE INDEX business_updated ON business(updated_at, id);
CREATE INDEX business_kind ON business(kind, region_path);
CREATE INDEX business_grade ON business(risk_grade, region_path);
CREATE INDEX business_status ON business(status, region_path);
CREATE INDEX business_name ON business(name);
CREATE TABLE business_tag (
  business_id INTEGER NOT NULL REFERENCES business(id) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY (tag, business_id)) WITHOUT ROWID;
CREATE VIRTUAL TABLE business_fts USING fts5(search_grams, content='business', content_rowid='id',
  tokenize='unicode61 remove_diacritics 0', detail='column');
CREATE TRIGGER business_fts_ai AFTER INSERT ON business BEGIN
  INSERT INTO business_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
CREATE TRIGGER business_fts_ad AFTER DELETE ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
END;
CREATE TRIGGER business_fts_au AFTER UPDATE OF search_grams ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
  INSERT INTO business_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
CREATE TABLE business_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  business_id INTEGER NOT NULL REFERENCES business(id) ON DELETE CASCADE,
  field TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL, at INTEGER NOT NULL, by_user TEXT NOT NULL);
CREATE INDEX business_history_business ON business_history(business_id, field, id);
CREATE TABLE app_user (
  id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE, display_name TEXT NOT NULL,
  password_hash TEXT NOT NULL, role TEXT NOT NULL REFERENCES role(code),
  region_code TEXT NOT NULL REFERENCES region(code), department_id INTEGER REFERENCES department(id),
  business_id INTEGER REFERENCES business(id), disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
  last_login_at INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE user_session (
  token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL, last_seen_at INTEGER NOT NULL);
CREATE INDEX user_session_user ON user_session(user_id);
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, user_id INTEGER NOT NULL,
  username TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
  summary TEXT NOT NULL, before_json TEXT, after_json TEXT);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(username, id);
)SQL";

// PostgreSQL: business.name and region_path use the C collation, so names sort bytewise (by
// code point) exactly as on SQLite and path ranges compare bytewise whatever the server locale.
constexpr const char* kV1Postgres = R"SQL(
CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE region (
  code TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL,
  parent_code TEXT REFERENCES region(code), path TEXT NOT NULL UNIQUE,
  active INTEGER NOT NULL DEFAULT 1);
CREATE INDEX region_parent ON region(parent_code, code);
CREATE TABLE role (
  code TEXT PRIMARY KEY, label TEXT NOT NULL, data_scope TEXT NOT NULL,
  permissions TEXT NOT NULL, builtin INTEGER NOT NULL DEFAULT 1);
CREATE TABLE department (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name TEXT NOT NULL,
  parent_id BIGINT REFERENCES department(id), region_code TEXT NOT NULL REFERENCES region(code),
  kind TEXT NOT NULL);
CREATE TABLE kind_dict (
  code TEXT PRIMARY KEY, label TEXT NOT NULL UNIQUE, builtin INTEGER NOT NULL, sort INTEGER NOT NULL);
CREATE TABLE business (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, version BIGINT NOT NULL,
  name TEXT COLLATE "C" NOT NULL, uscc TEXT, licence_no TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL REFERENCES kind_dict(code),
  region_code TEXT NOT NULL REFERENCES region(code), region_path TEXT COLLATE "C" NOT NULL,
  address TEXT NOT NULL DEFAULT '', lng DOUBLE PRECISION, lat DOUBLE PRECISION,
  status TEXT NOT NULL, risk_grade TEXT NOT NULL DEFAULT '',
  people TEXT NOT NULL DEFAULT '[]', tags TEXT NOT NULL DEFAULT '',
  search_text TEXT NOT NULL DEFAULT '', search_grams TEXT[] NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE UNIQUE INDEX business_uscc ON business(uscc) WHERE uscc IS NOT NULL;
CREATE INDEX business_region ON business(region_path, updated_at);
CREATE INDEX business_updated ON business(updated_at, id);
CREATE INDEX business_kind ON business(kind, region_path);
CREATE INDEX business_grade ON business(risk_grade, region_path);
CREATE INDEX business_status ON business(status, region_path);
CREATE INDEX business_name ON business(name);
CREATE INDEX business_grams ON business USING GIN (search_grams);
CREATE TABLE business_tag (
  business_id BIGINT NOT NULL REFERENCES business(id) ON DELETE CASCADE, tag TEXT NOT NULL,
  PRIMARY KEY (tag, business_id));
CREATE TABLE business_history (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  business_id BIGINT NOT NULL REFERENCES business(id) ON DELETE CASCADE,
  field TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL, at BIGINT NOT NULL, by_user TEXT NOT NULL);
CREATE INDEX business_history_business ON business_history(business_id, field, id);
CREATE TABLE app_user (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL, password_hash TEXT NOT NULL, role TEXT NOT NULL REFERENCES role(code),
  region_code TEXT NOT NULL REFERENCES region(code), department_id BIGINT REFERENCES department(id),
  business_id BIGINT REFERENCES business(id), disabled INTEGER NOT NULL DEFAULT 0,
  failed_logins INTEGER NOT NULL DEFAULT 0, locked_until BIGINT NOT NULL DEFAULT 0,
  last_login_at BIGINT NOT NULL DEFAULT 0, created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL);
CREATE TABLE user_session (
  token_hash TEXT PRIMARY KEY, user_id BIGINT NOT NULL REFERENCES app_user(id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL, last_seen_at BIGINT NOT NULL);
CREATE INDEX user_session_user ON user_session(user_id);
CREATE TABLE audit_log (
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, at BIGINT NOT NULL, user_id BIGINT NOT NULL,
  username TEXT NOT NULL, action TEXT NOT NULL, entity TEXT NOT NULL, entity_id TEXT NOT NULL,
  summary TEXT NOT NULL, before_json TEXT, after_json TEXT);
CREATE INDEX audit_entity ON audit_log(entity, entity_id, id);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(username, id);
)SQL";

// Version 2 (performance):
// - the list's default order index (updated_at, id) also carries region_path, so a place filter
//   is checked on index entries while walking that order, without reading rows;
// - search_grams also holds place terms ("p" + each code on region_path, e.g. p511902001),
//   so the search index narrows a text query to a place subtree by itself (see PlaceTerms in
//   sql_store.cpp). Existing rows get them here; the search index is rebuilt once instead
//   of row by row.
constexpr const char* kV2Sqlite = R"SQL(
DROP INDEX business_updated;
CREATE INDEX business_updated ON business(updated_at, id, region_path);
DROP TRIGGER business_fts_au;
UPDATE business SET search_grams =
  ltrim(search_grams || ' p' || replace(trim(region_path, '/'), '/', ' p'))
  WHERE trim(region_path, '/') <> '';
CREATE TRIGGER business_fts_au AFTER UPDATE OF search_grams ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
  INSERT INTO business_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
INSERT INTO business_fts(business_fts) VALUES ('rebuild');
)SQL";

constexpr const char* kV2Postgres = R"SQL(
DROP INDEX business_updated;
CREATE INDEX business_updated ON business(updated_at, id, region_path);
DROP INDEX business_grams;
UPDATE business SET search_grams =
  search_grams || string_to_array('p' || replace(btrim(region_path, '/'), '/', ',p'), ',')
  WHERE btrim(region_path, '/') <> '';
CREATE INDEX business_grams ON business USING GIN (search_grams);
)SQL";

// Version 3 (performance): business_tally, the maintained counts of businesses by place subtree,
// kind, risk grade and status (see storage/business_tally.hpp), filled from the businesses
// stored so far: each business counts for its place and every place above it.
constexpr const char* kV3Sqlite = R"SQL(
CREATE TABLE business_tally (
  place_path TEXT NOT NULL, kind TEXT NOT NULL, risk_grade TEXT NOT NULL, status TEXT NOT NULL,
  n INTEGER NOT NULL, PRIMARY KEY (place_path, kind, risk_grade, status)) WITHOUT ROWID;
INSERT INTO business_tally (place_path, kind, risk_grade, status, n)
  SELECT r.path, b.kind, b.risk_grade, b.status, count(*) FROM region r
  JOIN business b ON b.region_path >= r.path AND b.region_path < substr(r.path, 1, length(r.path) - 1) || '0'
  GROUP BY r.path, b.kind, b.risk_grade, b.status;
)SQL";

constexpr const char* kV3Postgres = R"SQL(
CREATE TABLE business_tally (
  place_path TEXT NOT NULL, kind TEXT NOT NULL, risk_grade TEXT NOT NULL, status TEXT NOT NULL,
  n BIGINT NOT NULL, PRIMARY KEY (place_path, kind, risk_grade, status));
INSERT INTO business_tally (place_path, kind, risk_grade, status, n)
  SELECT r.path, b.kind, b.risk_grade, b.status, count(*) FROM region r
  JOIN business b ON b.region_path >= (r.path COLLATE "C")
   AND b.region_path < (substr(r.path, 1, length(r.path) - 1) || '0') COLLATE "C"
  GROUP BY r.path, b.kind, b.risk_grade, b.status;
)SQL";

// Version 4 (search): the SQLite search index keeps positions, and each business's terms are its
// bigrams in text order (see FtsDocument in search_terms.cpp), so a query of any length is one
// phrase that the index answers exactly, without reading rows. The index is built once and
// merged into one segment per term (a first page of results then reads 0.05 ms of index
// instead of 0.2–0.5 ms across segments). Its documents were recomputed in C++ here; since
// migration 14, which replaces this index with a contentless one built from each business's
// values, this step indexes whatever search_grams holds. PostgreSQL's GIN index of distinct
// bigrams is unchanged.
constexpr const char* kV4Sqlite = R"SQL(
DROP TRIGGER business_fts_ai;
DROP TRIGGER business_fts_ad;
DROP TRIGGER business_fts_au;
DROP TABLE business_fts;
)SQL";

constexpr const char* kV4SqliteIndex = R"SQL(
CREATE VIRTUAL TABLE business_fts USING fts5(search_grams, content='business', content_rowid='id',
  tokenize='unicode61 remove_diacritics 0', detail='full');
CREATE TRIGGER business_fts_ai AFTER INSERT ON business BEGIN
  INSERT INTO business_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
CREATE TRIGGER business_fts_ad AFTER DELETE ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
END;
CREATE TRIGGER business_fts_au AFTER UPDATE OF search_grams ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id, old.search_grams);
  INSERT INTO business_fts(rowid, search_grams) VALUES (new.id, new.search_grams);
END;
INSERT INTO business_fts(business_fts) VALUES ('rebuild');
INSERT INTO business_fts(business_fts) VALUES ('optimize');
)SQL";

const std::string kV4SqliteAll = std::string(kV4Sqlite) + kV4SqliteIndex;

// Version 5 (access): the places of a role with the custom data scope (RuoYi's role_dept).
constexpr const char* kV5 = R"SQL(
CREATE TABLE role_place (
  role_code TEXT NOT NULL REFERENCES role(code) ON DELETE CASCADE,
  place_code TEXT NOT NULL REFERENCES region(code),
  PRIMARY KEY (role_code, place_code));
)SQL";

// Version 6 (places): a retired place records when, and the place it was merged into.
constexpr const char* kV6Sqlite = R"SQL(
ALTER TABLE region ADD COLUMN retired_at INTEGER;
ALTER TABLE region ADD COLUMN successor_code TEXT REFERENCES region(code);
)SQL";
constexpr const char* kV6Postgres = R"SQL(
ALTER TABLE region ADD COLUMN retired_at BIGINT;
ALTER TABLE region ADD COLUMN successor_code TEXT REFERENCES region(code);
)SQL";

// Version 7 (access): audit entries carry the place of their record, by which an auditor's
// data scope filters the log. Existing entries of businesses, users and sessions get it from
// the record's current place; the others (roles, dictionaries) stay unbound ('').
constexpr const char* kV7Sqlite = R"SQL(
ALTER TABLE audit_log ADD COLUMN place_path TEXT NOT NULL DEFAULT '';
UPDATE audit_log SET place_path = coalesce((SELECT b.region_path FROM business b
  WHERE b.id = CAST(audit_log.entity_id AS INTEGER)), '') WHERE entity = 'business';
UPDATE audit_log SET place_path = coalesce((SELECT r.path FROM app_user u JOIN region r ON r.code = u.region_code
  WHERE u.id = CAST(audit_log.entity_id AS INTEGER)), '') WHERE entity IN ('user', 'session');
CREATE INDEX audit_place ON audit_log(place_path, id);
)SQL";
constexpr const char* kV7Postgres = R"SQL(
ALTER TABLE audit_log ADD COLUMN place_path TEXT COLLATE "C" NOT NULL DEFAULT '';
UPDATE audit_log a SET place_path = b.region_path FROM business b
  WHERE a.entity = 'business' AND a.entity_id ~ '^[0-9]{1,18}$' AND b.id = a.entity_id::bigint;
UPDATE audit_log a SET place_path = r.path FROM app_user u JOIN region r ON r.code = u.region_code
  WHERE a.entity IN ('user', 'session') AND a.entity_id ~ '^[0-9]{1,18}$' AND u.id = a.entity_id::bigint;
CREATE INDEX audit_place ON audit_log(place_path, id);
)SQL";

// Version 8 (SQLite): the business repository writes the search index entries of inserted and
// updated businesses itself, a statement per batch (SqlBusinessRepository::InsertRows and
// UpdateRows): the triggers made FTS5 flush its pending terms once per row. Deletes keep theirs.
constexpr const char* kV8Sqlite = R"SQL(
DROP TRIGGER IF EXISTS business_fts_ai;
DROP TRIGGER IF EXISTS business_fts_au;
)SQL";

// Version 9 (performance): the township of each business (places::TownshipPath, in the same
// definition: the first two places of region_path, '' for the county itself) and the list order
// within it, index business_township. A township's list walks it instead of the whole county's
// update order (SqlBusinessRepository::NarrowestPlace); a village's walks business_region,
// which on PostgreSQL now ends with id too (SQLite's ends with the rowid), so its order is the
// list's (with updated_at alone PostgreSQL sorted the whole village). SQLite indexes a VIRTUAL
// generated column (computed for the index only, nothing stored in the row); PostgreSQL, which
// has only STORED ones (a rewrite of every row: 81 s at 1M businesses, with the table locked),
// indexes the expression (TownshipPathExpression): 6 s with business_region rebuilt.
constexpr const char* kV9Sqlite = R"SQL(
ALTER TABLE business ADD COLUMN township_path TEXT GENERATED ALWAYS AS (
  CASE WHEN instr(substr(region_path, instr(substr(region_path, 2), '/') + 2), '/') > 0
  THEN substr(region_path, 1, instr(substr(region_path, 2), '/') + 1 +
                              instr(substr(region_path, instr(substr(region_path, 2), '/') + 2), '/'))
  ELSE '' END) VIRTUAL;
CREATE INDEX business_township ON business(township_path, updated_at);
)SQL";
constexpr const char* kTownshipPathPostgres = "coalesce(substring(region_path from '^/[^/]+/[^/]+/'), '')";
const std::string kV9Postgres = std::string("CREATE INDEX business_township ON business ((") +
                                kTownshipPathPostgres + R"SQL(), updated_at, id);
DROP INDEX business_region;
CREATE INDEX business_region ON business(region_path, updated_at, id);
ANALYZE business;
)SQL";

// Version 10 (performance, PostgreSQL): the search text beside the id in an index, so a text
// search in id order (newest first, the default) checks the substring on index entries by an
// index-only scan instead of reading each row (see TextWalkClauses in sql_store.cpp): a rare
// word (王记, 20 matches in the newest 7,411 rows) 5.1 → 2.0 ms. ~144 bytes an entry.
constexpr const char* kV10Postgres = R"SQL(
CREATE INDEX business_id_text ON business (id) INCLUDE (search_text);
)SQL";

// Version 11 (performance, PostgreSQL): the same within each township — its businesses in id
// order with the search text beside them (region_path too: PostgreSQL allows an index-only scan
// of an expression index only when the expression's columns are in the index). A text search
// within a township walks it (SqlBusinessRepository::TextWalkTownship) instead of the whole
// county's id order, reading each row: 火锅's first page in a township of 34,000 businesses
// 9 → 0.3 ms. ~205 MB at 1M businesses, built in ~2 s.
const std::string kV11Postgres = std::string("CREATE INDEX business_township_text ON business ((") +
                                 kTownshipPathPostgres + "), id) INCLUDE (region_path, search_text);";

// Version 12 (performance, PostgreSQL): the counts beside their keys in the tally's primary
// key, so a sum over a place's rows (statistics by place, list totals) is an index-only scan:
// the rows of one place lie on ~45 heap pages each, read one by one (statistics of the county
// by township: 1,094 heap pages, 2.9 ms in psql → 1.2 ms). SQLite's tally is a WITHOUT ROWID
// table, already stored in key order with its counts. The cost: changing a count is no longer
// a HOT update (the index holds it) — a few index entries per business write.
constexpr const char* kV12Postgres = R"SQL(
ALTER TABLE business_tally DROP CONSTRAINT business_tally_pkey;
ALTER TABLE business_tally ADD CONSTRAINT business_tally_pkey
  PRIMARY KEY (place_path, kind, risk_grade, status) INCLUDE (n);
)SQL";

// Version 13 (search): each business's search terms also hold its kind, risk grade, status and
// tags, the first three also joined to its township and village (FieldTerms, storage/search_terms.hpp:
// "k"/"g"/"s"/"t" + the value's UTF-8 bytes in lowercase hex, "00" for an empty value; joined:
// the place term + that), so the search index intersects a word with those filters and counts
// without reading rows (火锅 among a township's 餐饮服务). SQLite recomputed every document in
// C++ and rebuilt its index (nothing since migration 14, which builds the index from scratch);
// PostgreSQL appends the terms in SQL to the bigrams and place terms it keeps (field terms
// already there are dropped first, so running it twice gives the same arrays), rebuilds GIN
// once instead of row by row, and carries the three fields in the id-order text indexes
// (migrations 10 and 11), so a text walk checks them on index entries too. 1M businesses: SQLite 32–40 s, PostgreSQL ~3 min with
// the table locked (then `VACUUM FULL business` gives back the old rows' space, and a plain
// `VACUUM business` after it sets the visibility map, which VACUUM FULL leaves empty: until
// then every index-only scan — the text walks — reads the heap too).
std::string FieldTermSql(const char* prefix, const char* value) {
    return std::string("'") + prefix + "' || CASE WHEN " + value + " = '' THEN '00' ELSE encode(convert_to(" +
           value + ", 'UTF8'), 'hex') END";
}
const std::string kV13Postgres =
    std::string(R"SQL(
DROP INDEX business_grams;
DROP INDEX business_id_text;
DROP INDEX business_township_text;
UPDATE business b SET search_grams =
  ARRAY(SELECT g FROM unnest(b.search_grams) WITH ORDINALITY AS u(g, n)
        WHERE char_length(g) = 2 OR g ~ '^p[0-9]+$' ORDER BY n)
  || ARRAY(SELECT p.term || f.term FROM
             (SELECT '' AS term, CAST(1 AS BIGINT) AS n
              UNION ALL SELECT 'p' || c, n FROM unnest(string_to_array(btrim(b.region_path, '/'), '/'))
                                                WITH ORDINALITY AS x(c, n) WHERE n > 1) p
             CROSS JOIN unnest(ARRAY[)SQL") +
    FieldTermSql("k", "b.kind") + ", " + FieldTermSql("g", "b.risk_grade") + ", " + FieldTermSql("s", "b.status") +
    R"SQL(]) WITH ORDINALITY AS f(term, n)
           ORDER BY p.n, f.n)
  || ARRAY(SELECT )SQL" + FieldTermSql("t", "t") + R"SQL(
           FROM unnest(string_to_array(b.tags, '|')) WITH ORDINALITY AS u(t, n) WHERE t <> '' ORDER BY n);
CREATE INDEX business_grams ON business USING GIN (search_grams);
CREATE INDEX business_id_text ON business (id) INCLUDE (search_text, kind, risk_grade, status);
CREATE INDEX business_township_text ON business (()SQL" +
    kTownshipPathPostgres + R"SQL(), id)
  INCLUDE (region_path, search_text, kind, risk_grade, status);
ANALYZE business;
)SQL";

// Version 14 (search): each business's bigrams also joined to its township ("w" + the
// township's code + the bigram: TownshipGramPrefix, storage/search_terms.hpp), so a word
// searched within a township or one of its villages reads that township's posting lists only
// — with a kind filter that finds nothing, the plain bigram's whole list was most of the
// request. PostgreSQL appends to each array its two-character elements (the bigrams; no other
// term is two characters long) with the prefix, after dropping joined bigrams already there
// (so running it twice gives the same arrays), and rebuilds GIN once; only GIN holds
// search_grams, the other indexes are updated row by row (1M businesses: a few minutes with
// the table locked, then `VACUUM FULL business; VACUUM business`, see migration 13).
// SQLite's index becomes contentless: its documents, now twice as long, were stored in
// business.search_grams for the index to read (~1 KB a row with the joined bigrams, making
// every row read by a list twice as large); now a business's document is computed from its
// values when it is added or deleted (BusinessFtsDocument, which each connection offers SQL as
// shian_fts_document), search_grams stays empty and the index is built from every row in one
// statement (1M businesses: ~1 min with the VACUUM).
// FTS5's pending terms may take 16 MB before a flush (hashsize; with the default 1 MB,
// indexing 100,000 documents in one statement took 1.11 s against 0.67), and no document
// sizes are kept (columnsize=0: nothing ranks by them). Nothing deletes businesses (a closed one is 注销); the delete
// trigger stays, now with the function, which the sqlite3 shell lacks. The emptied
// rows leave most of the table's pages half free: VACUUM afterwards (1M businesses: the
// table 2.2 GB → 1.3 GB, ~1 min).
// SQLite: the search index built anew from every business (migrations 14 and 15).
constexpr const char* kBuildSqliteSearchIndex = R"SQL(
DROP TRIGGER IF EXISTS business_fts_ad;
DROP TABLE business_fts;
CREATE VIRTUAL TABLE business_fts USING fts5(search_grams, content='', columnsize=0,
  tokenize='unicode61 remove_diacritics 0', detail='full');
INSERT INTO business_fts(business_fts, rank) VALUES ('hashsize', 16777216);
INSERT INTO business_fts(rowid, search_grams)
  SELECT id, shian_fts_document(search_text, region_path, kind, risk_grade, status, tags) FROM business;
INSERT INTO business_fts(business_fts) VALUES ('optimize');
CREATE TRIGGER business_fts_ad AFTER DELETE ON business BEGIN
  INSERT INTO business_fts(business_fts, rowid, search_grams) VALUES ('delete', old.id,
    shian_fts_document(old.search_text, old.region_path, old.kind, old.risk_grade, old.status, old.tags));
END;
)SQL";
const std::string kV14Sqlite =
    std::string("UPDATE business SET search_grams = '' WHERE search_grams <> '';\n") + kBuildSqliteSearchIndex;

constexpr const char* kV14Postgres = R"SQL(
DROP INDEX business_grams;
UPDATE business b SET search_grams =
  ARRAY(SELECT g FROM unnest(b.search_grams) WITH ORDINALITY AS u(g, n)
        WHERE NOT (left(g, 1) = 'w' AND char_length(g) > 2) ORDER BY n)
  || ARRAY(SELECT 'w' || split_part(b.region_path, '/', 3) || g
           FROM unnest(b.search_grams) WITH ORDINALITY AS u(g, n)
           WHERE char_length(g) = 2 AND split_part(b.region_path, '/', 3) <> '' ORDER BY n);
CREATE INDEX business_grams ON business USING GIN (search_grams);
ANALYZE business;
)SQL";

// Version 15 (search): only bigrams of two ideographs are joined to the township
// (IsJoinedGram, storage/search_terms.hpp); a query with a digit or a letter asks for the plain
// bigrams. Joined digit and letter bigrams (the USCC, the licence number, house numbers) were
// ~35 of a business's ~57 (importing 100,000 rows into SQLite: 6.0–6.5 s with them, 4.9–5.0 s
// without; PostgreSQL: ~107 GIN keys a row → ~80). SQLite's documents change, so its index is built anew (kBuildSqliteSearchIndex, no
// VACUUM: the new index is smaller than the old, whose pages it reuses). PostgreSQL drops the
// joined bigrams that are not of two ideographs and compares the terms byte by byte (COLLATE
// "C": under a database's default collation every comparison of GIN keys went through the
// locale, ~1/3 of building the index; equality is the same), then rebuilds GIN once (1M
// businesses: a few minutes with the table locked, then `VACUUM FULL business; VACUUM
// business`, see migration 13).
constexpr const char* kV15Postgres = R"SQL(
DROP INDEX business_grams;
ALTER TABLE business ALTER COLUMN search_grams TYPE TEXT[] COLLATE "C";
UPDATE business SET search_grams =
  ARRAY(SELECT g FROM unnest(search_grams) WITH ORDINALITY AS u(g, n)
        WHERE NOT (left(g, 1) = 'w' AND char_length(g) > 2 AND
                   substr(g, char_length(g) - 1) !~ '^[\u3400-\u4DBF\u4E00-\u9FFF]{2}$')
        ORDER BY n)
WHERE EXISTS (SELECT 1 FROM unnest(search_grams) AS u(g)
              WHERE left(g, 1) = 'w' AND char_length(g) > 2 AND
                    substr(g, char_length(g) - 1) !~ '^[\u3400-\u4DBF\u4E00-\u9FFF]{2}$');
CREATE INDEX business_grams ON business USING GIN (search_grams);
ANALYZE business;
)SQL";

// Version 16 (search): each run of four or more digits in a business's search text is also
// indexed as its number grams ("n" + four consecutive digits: NumberGramRuns,
// storage/search_terms.hpp), and a query's runs of digits ask for those instead of their digit
// bigrams. A digit bigram has a hundred values, so each is in a large share of businesses;
// number searches (a licence number, its tail) read several such posting lists whole: ~6 ms
// of CPU each on SQLite at 1M businesses, 16 connections: 326 req/s, p99 ~0.5 s. SQLite's
// documents change: its index is built anew. PostgreSQL appends the distinct number grams in
// text order (dropping any already there, so running it twice gives the same arrays) and
// rebuilds GIN once (1M businesses: minutes with the table locked, then `VACUUM FULL business;
// VACUUM business`, see migration 13).
constexpr const char* kV16Postgres = R"SQL(
DROP INDEX business_grams;
UPDATE business SET search_grams =
  ARRAY(SELECT g FROM unnest(search_grams) WITH ORDINALITY AS u(g, n) WHERE g !~ '^n[0-9]{4}$' ORDER BY n)
  || ARRAY(SELECT x.g FROM
             (SELECT 'n' || substr(m.r[1], i, 4) AS g, min(m.k * 100000 + i) AS pos
              FROM regexp_matches(search_text, '[0-9]{4,}', 'g') WITH ORDINALITY AS m(r, k),
                   generate_series(1, char_length(m.r[1]) - 3) AS i
              GROUP BY 1) x
           ORDER BY x.pos);
CREATE INDEX business_grams ON business USING GIN (search_grams);
ANALYZE business;
)SQL";

// The distinct house number terms of search_text in order of first appearance, then the same
// joined to the township (HouseNumberTerms), as an array expression starting with "||"
// (migrations 17 and 18).
constexpr const char* kHouseTermsPostgres = R"SQL(
  || ARRAY(SELECT p.prefix || h.g FROM
             (SELECT m.r[1] AS g, min(m.k) AS pos
              FROM regexp_matches(
                     regexp_replace(search_text, '([\u3400-\u4DBF\u4E00-\u9FFF])(?=[0-9])', '\1\1', 'g'),
                     '[\u3400-\u4DBF\u4E00-\u9FFF][0-9]{1,3}[\u3400-\u4DBF\u4E00-\u9FFF]', 'g')
                   WITH ORDINALITY AS m(r, k)
              GROUP BY 1) h
           CROSS JOIN (VALUES (0, ''), (1, 'w' || split_part(region_path, '/', 3))) p(o, prefix)
           WHERE p.o = 0 OR split_part(region_path, '/', 3) <> ''
           ORDER BY p.o, h.pos))SQL";

// Drops the number grams (tagged by field since migration 19) and house number terms from
// search_grams, keeping the other terms in order (migrations 17 to 19).
constexpr const char* kWithoutNumberTermsPostgres = R"SQL(
DROP INDEX business_grams;
UPDATE business SET search_grams =
  ARRAY(SELECT g FROM unnest(search_grams) WITH ORDINALITY AS u(g, n)
        WHERE g !~ '^[nul][0-9a-z]{4}$'
          AND g !~ '^(w[0-9]{9})?[\u3400-\u4DBF\u4E00-\u9FFF][0-9]{1,3}[\u3400-\u4DBF\u4E00-\u9FFF]$'
        ORDER BY n)
)SQL";

constexpr const char* kRebuildGramsIndexPostgres = R"SQL(;
CREATE INDEX business_grams ON business USING GIN (search_grams);
ANALYZE business;
)SQL";

// Version 17 (search): number grams of runs of three or more digits with the letter at each
// end, not only of four or more digits (a USCC's first letter; NumberGramRuns,
// storage/search_terms.hpp), and house numbers — an ideograph,
// one to three digits, an ideograph: 路12号 (HouseNumberTerms) — as terms of their own, plain
// and joined to the township; a query asks for those instead of the bigrams within them, which
// are in a large share of businesses each. SQLite's documents change: its index is built anew.
// PostgreSQL drops the number grams and house numbers already there (so running it twice gives
// the same arrays) and appends the distinct number grams of search_text's runs in text order
// (as migration 16 did for runs of digits), then its distinct house numbers, then the same
// joined to the township. Letters and ideographs followed by a digit are doubled before
// matching, so that one may end a run or house number and begin the next (123a456: 123a, a456;
// 路1号2栋: 路1号, 号2栋) although regexp_matches does not overlap its matches. GIN is rebuilt once (1M businesses: minutes with
// the table locked, then `VACUUM FULL business; VACUUM business`, see migration 13).
const std::string kV17Postgres = std::string(kWithoutNumberTermsPostgres) + R"SQL(
  || ARRAY(SELECT x.g FROM
             (SELECT 'n' || substr(m.r[1], i, 4) AS g, min(m.k * 100000 + i) AS pos
              FROM regexp_matches(regexp_replace(search_text, '([a-z])(?=[0-9])', '\1\1', 'g'),
                                  '[a-z]?[0-9]{3,}[a-z]?', 'g') WITH ORDINALITY AS m(r, k),
                   generate_series(1, char_length(m.r[1]) - 3) AS i
              GROUP BY 1) x
           ORDER BY x.pos)
)SQL" + kHouseTermsPostgres + kRebuildGramsIndexPostgres;

// The number grams of the letter-and-digit runs m.r[1] (numbered m.k) matched before it: each
// four-character window i within a number run from first_window (an expression: 1 for the
// run's first character), as g, with the first position it appears at as pos, in that order,
// repeats dropped (migrations 18, 19 and 21); then the house number terms and the rebuilt GIN
// index. It follows the "FROM regexp_matches(…) AS m(r, k)," of each.
std::string NumberWindowsPostgres(const std::string& first_window) {
    return R"SQL(
                   generate_series()SQL" + first_window + R"SQL(, char_length(m.r[1]) - 3) AS i,
                   LATERAL (SELECT substr(m.r[1], i, 4) AS g, substr(m.r[1], i - 1, 1) AS before,
                                   substr(m.r[1], i + 4, 1) AS after) w
              WHERE w.g ~ '^([0-9]{4}|[a-z][0-9]{3}|[0-9]{3}[a-z])$'
                 OR (w.g ~ '^[a-z0-9][a-z][0-9]{2}$' AND w.after ~ '^[0-9]$')
                 OR (i > 1 AND w.g ~ '^[0-9]{2}[a-z][a-z0-9]$' AND w.before ~ '^[0-9]$')
              GROUP BY 1) x
           ORDER BY x.pos)
)SQL" + std::string(kHouseTermsPostgres) + kRebuildGramsIndexPostgres;
}

// Version 18 (search): number runs take the letter or digit beyond the letter at each end
// (NumberGramRuns): 92511902M1 asks n02m1 (~0.1 % of businesses) where it asked n902m (21 %)
// and the bigram m1, whose intersection held ~15,000 candidates for ~900 matches at 1M
// businesses. SQLite's index is built anew. PostgreSQL rewrites the number grams (and, after
// them, the house numbers unchanged) from each maximal run of letters and digits holding three
// digits in a row, keeping of its four-character windows those within a number run: four
// digits; a letter and three digits; three digits and a letter; a letter or digit, a letter
// and two digits followed by a digit; two digits preceded by a digit, a letter and a letter or
// digit — in text order, repeats dropped. Windows instead of matching the runs because
// neighbouring runs share up to three characters (123a456: 123a4, 3a456), which
// regexp_matches cannot give twice. Rebuilds GIN as migration 17 did (1M businesses: minutes
// with the table locked, then `VACUUM FULL business; VACUUM business`).
const std::string kV18Postgres = std::string(kWithoutNumberTermsPostgres) + R"SQL(
  || ARRAY(SELECT x.g FROM
             (SELECT 'n' || w.g AS g, min(m.k * 100000 + i) AS pos
              FROM regexp_matches(search_text, '[a-z0-9]*[0-9]{3}[a-z0-9]*', 'g') WITH ORDINALITY AS m(r, k),
)SQL" + NumberWindowsPostgres("1");

// Version 19 (search, PostgreSQL): number grams tagged by the field they come from — 'n' for
// the name and address, 'u' for the USCC, 'l' for the licence number (NumberGramTag,
// storage/search_terms.hpp) — so that a USCC's start (9251190266) no longer shares its grams
// with the ~8,000 licence numbers that hold the same digits after the county's code. The
// number grams are computed as in migration 18, field by field of search_text (its fields
// are split at '\x1f' in the order name, address, USCC, licence number), in text order,
// repeats dropped; the house number terms follow unchanged. Rebuilds GIN as migration 17 did
// (1M businesses: minutes with the table locked, then `VACUUM FULL business; VACUUM
// business`). SQLite's documents kept the plain grams until migration 20.
// The number grams tagged by field (migrations 19 and 21), each run's windows from
// first_window (NumberWindowsPostgres).
std::string TaggedNumberGramsPostgres(const std::string& first_window) {
    return std::string(kWithoutNumberTermsPostgres) + R"SQL(
  || ARRAY(SELECT x.g FROM
             (SELECT (CASE f.k WHEN 3 THEN 'u' WHEN 4 THEN 'l' ELSE 'n' END) || w.g AS g,
                     min(f.k * 100000000 + m.k * 100000 + i) AS pos
              FROM unnest(string_to_array(search_text, E'\x1f')) WITH ORDINALITY AS f(t, k),
                   regexp_matches(f.t, '[a-z0-9]*[0-9]{3}[a-z0-9]*', 'g') WITH ORDINALITY AS m(r, k),
)SQL" + NumberWindowsPostgres(first_window);
}
const std::string kV19Postgres = TaggedNumberGramsPostgres("1");

// Version 20 (search, SQLite): the number grams of its FTS5 documents tagged by field as
// PostgreSQL's (migration 19, NumberGramTag), so that a USCC's start is asked among USCCs only
// (its phrase "n9026 n0266" met ~8,000 licence numbers' pairs at 1M businesses, which FTS5
// then checked for the n9251 before them); its index is built anew from the stored texts.
// PostgreSQL: nothing to do.

// Version 21 (search, PostgreSQL): a USCC's first window is no longer among its number grams
// (TaggedNumberGrams, storage/search_terms.hpp) unless it recurs further on; a query that may
// start a USCC finds those through the USCC's btree (SqlBusinessRepository::GinCondition), a
// range of byte-ordered values: the column is compared as bytes (a USCC is digits and
// uppercase letters; equality is unchanged, its index is rebuilt). The number grams are
// rewritten as in migration 19 but for the window at the first character of the field that is
// the USCC (the third, or the second when the address is empty) when its first run starts the
// field. Rebuilds GIN as migration 17 did (1M businesses: 10 min with the table locked, then
// `VACUUM FULL business; VACUUM business`, 2 min). SQLite: nothing to do (its phrases keep
// positions).
const std::string kV21Postgres = R"SQL(ALTER TABLE business ALTER COLUMN uscc TYPE TEXT COLLATE "C";
)SQL" + TaggedNumberGramsPostgres("CASE WHEN f.t = lower(uscc) AND m.k = 1 AND starts_with(f.t, m.r[1]) THEN 2 ELSE 1 END");

// Version 22 (search, PostgreSQL): the USCC's btree carries what a search's keys read beside
// each USCC — the id, the place, kind, risk grade and status the filters check, the update time
// a page sorts by — so that the USCCs a query starts are read from the index alone
// (SqlBusinessRepository::UsccStartKeys): 874 matches of 92511902M1 at 1M businesses were 874
// heap rows, ~2.5 ms. Same uniqueness, rebuilt under a new name and renamed (1M businesses:
// a few seconds with writes locked). SQLite: nothing to do (its phrases keep positions).
constexpr const char* kV22Postgres = R"SQL(
CREATE UNIQUE INDEX business_uscc_keys ON business(uscc)
    INCLUDE (id, region_path, kind, risk_grade, status, updated_at) WHERE uscc IS NOT NULL;
DROP INDEX business_uscc;
ALTER INDEX business_uscc_keys RENAME TO business_uscc;
)SQL";

// Version 23 (search, PostgreSQL): each business's house number terms as search_grams holds
// them (HouseNumberIndexTerms, storage/search_terms.hpp: 路12号 and, joined to its township,
// w511902107路12号) also as btree entries (term, business id) with the business's place beside
// them, so that a search for one house number (SqlBusinessRepository::HouseNumberPage) reads
// its page's ids and its count from the index alone, its place filter and data scope checked
// on the entries: through GIN PostgreSQL reads every match's heap row even to count them, and
// 路12号 county-wide (2,420 matches at 1M businesses) first read 1,601 rows to learn that it
// had too many to sort (~4.6 ms), then walked ~8,300 business_id_text entries for its page
// (~2 ms). The repository writes the entries with the row (InsertRows, UpdateRows); a trigger
// forgets those of a deleted business (the registry deletes none; a database administrator
// might). A later migration that changes the house number terms must rebuild this table. Built
// from search_text by migration 17's expression (1M businesses: ~10 s, 2M entries); index-only
// scans need the visibility map, which autovacuum (or VACUUM) then sets.
// SQLite: nothing to do (its search index reads a term's entries without the rows).
const std::string kV23Postgres = R"SQL(
CREATE TABLE business_house_number (
  term TEXT COLLATE "C" NOT NULL,
  business_id BIGINT NOT NULL,
  region_path TEXT COLLATE "C" NOT NULL
);
INSERT INTO business_house_number (term, business_id, region_path)
  SELECT t, id, region_path FROM business, unnest(ARRAY[]::text[] )SQL" + std::string(kHouseTermsPostgres) + R"SQL() AS t;
ALTER TABLE business_house_number ADD PRIMARY KEY (term, business_id) INCLUDE (region_path);
CREATE FUNCTION shian_forget_house_numbers() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM business_house_number h USING gone g, unnest(g.search_grams) AS t
   WHERE h.term = t AND h.business_id = g.id;
  RETURN NULL;
END $$;
CREATE TRIGGER business_house_number_gone AFTER DELETE ON business
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION shian_forget_house_numbers();
ANALYZE business_house_number;
)SQL";

// PostgreSQL advisory-lock key for migrations ("shian" in ASCII).
constexpr int64_t kMigrationLockKey = 0x736869616e;

}  // namespace

const std::vector<Migration>& AllMigrations() {
    static const std::vector<Migration> kAll = {
        {1, "places, access, audit, business registry", kV1Sqlite, kV1Postgres},
        {2, "list order index with the place, place terms in the search index", kV2Sqlite, kV2Postgres},
        {3, "business counts by place subtree, kind, risk grade and status", kV3Sqlite, kV3Postgres},
        {4, "positional search index (SQLite)", kV4SqliteAll.c_str(), "SELECT 1"},
        {5, "places of roles with a custom data scope", kV5, kV5},
        {6, "retired and merged places", kV6Sqlite, kV6Postgres},
        {7, "the place of each audit entry", kV7Sqlite, kV7Postgres},
        {8, "search index written by the repository in batches (SQLite)", kV8Sqlite, "SELECT 1"},
        {9, "township of each business and the list order within it", kV9Sqlite, kV9Postgres.c_str()},
        {10, "search text in id order for text searches (PostgreSQL)", "SELECT 1", kV10Postgres},
        {11, "search text in id order within each township (PostgreSQL)", "SELECT 1", kV11Postgres.c_str()},
        {12, "counts beside their keys in the tally's primary key (PostgreSQL)", "SELECT 1", kV12Postgres},
        {13, "kind, risk grade, status and tags in the search index", "SELECT 1", kV13Postgres.c_str()},
        {14, "bigrams joined to their township in the search index; SQLite's contentless", kV14Sqlite.c_str(),
         kV14Postgres, /*sqlite_vacuum_after=*/true},
        {15, "only bigrams of two ideographs joined to the township; GIN terms compared as bytes",
         kBuildSqliteSearchIndex,
         kV15Postgres},
        {16, "runs of digits as four-digit grams in the search index", kBuildSqliteSearchIndex, kV16Postgres},
        {17, "number grams with the letters at the ends of digit runs, house numbers as search terms",
         kBuildSqliteSearchIndex, kV17Postgres.c_str()},
        {18, "number runs with the character beyond each end letter", kBuildSqliteSearchIndex,
         kV18Postgres.c_str()},
        {19, "number grams tagged by their field (PostgreSQL)", "SELECT 1", kV19Postgres.c_str()},
        {20, "number grams tagged by their field (SQLite)", kBuildSqliteSearchIndex, "SELECT 1"},
        {21, "a USCC's start found through its btree, not its first number gram (PostgreSQL)", "SELECT 1",
         kV21Postgres.c_str()},
        {22, "the USCC's btree carries a search's keys (PostgreSQL)", "SELECT 1", kV22Postgres},
        {23, "house number terms in a btree (PostgreSQL)", "SELECT 1", kV23Postgres.c_str()},
    };
    return kAll;
}

Status CheckSchemaNotNewer(Connection& conn) {
    int known = 0;
    for (const Migration& m : AllMigrations()) known = std::max(known, m.version);
    SHIAN_ASSIGN_OR_RETURN(Rows rows, conn.Query("SELECT max(version) FROM schema_migrations"));
    if (rows.empty() || rows.IsNull(0, 0) || rows.Int(0, 0) <= known) return Ok();
    return Error::Conflict("数据库已由更新版本的 shian 迁移到第 " + std::to_string(rows.Int(0, 0)) +
                           " 版，本程序只支持到第 " + std::to_string(known) +
                           " 版：请改用新版本的 shian（旧版本写入的数据会使新版本的索引失准）");
}

const char* TownshipPathExpression(Dialect dialect) {
    return dialect == Dialect::kPostgres ? kTownshipPathPostgres : "township_path";
}

Result<int> Migrate(Connection& conn) { return Migrate(conn, AllMigrations()); }

Result<int> Migrate(Connection& conn, const std::vector<Migration>& migrations) {
    bool pg = conn.dialect() == Dialect::kPostgres;
    // PostgreSQL: one migrator at a time, taken before CREATE TABLE IF NOT EXISTS (which can
    // fail on a duplicate catalog entry when two sessions run it at once).
    if (pg) SHIAN_TRY(conn.Query("SELECT pg_advisory_lock($1)", {kMigrationLockKey}));
    int applied = 0;
    bool vacuum = false;
    Status outcome = [&]() -> Status {
        SHIAN_TRY(conn.ExecuteScript(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
        for (const Migration& m : migrations) {
            // "Already applied?" is asked inside the migration's transaction: on SQLite
            // Begin() is BEGIN IMMEDIATE, so a second process waits for the first one's
            // commit and then sees the version recorded. The script runs in the same
            // transaction, so a failing statement undoes the ones before it on both engines.
            Result<bool> ran = InTransaction(conn, [&]() -> Result<bool> {
                SHIAN_ASSIGN_OR_RETURN(
                    Rows done,
                    conn.Query("SELECT version FROM schema_migrations WHERE version = $1",
                               {int64_t{m.version}}));
                if (!done.empty()) return false;
                SHIAN_TRY(conn.ExecuteScript(pg ? m.postgres_sql : m.sqlite_sql));
                SHIAN_TRY(conn.Execute(
                    pg ? "INSERT INTO schema_migrations VALUES ($1, $2, now()::text)"
                       : "INSERT INTO schema_migrations VALUES ($1, $2, datetime('now'))",
                    {int64_t{m.version}, std::string(m.name)}));
                return true;
            });
            if (!ran.ok()) {
                Error error = ran.error();
                error.message = "迁移 " + std::to_string(m.version) + " 失败：" + error.message;
                return error;
            }
            if (*ran) ++applied;
            if (*ran && !pg && m.sqlite_vacuum_after) vacuum = true;
        }
        return vacuum ? conn.ExecuteScript("VACUUM") : Ok();
    }();
    if (pg) (void)conn.Query("SELECT pg_advisory_unlock($1)", {kMigrationLockKey});
    if (!outcome.ok()) return outcome.error();
    return applied;
}

}  // namespace shian::storage
