#!/usr/bin/env python3
"""Black-box tests of the shian binary: CLI commands and the HTTP API on a real server.

Runs `shian demo`, `shian user ...`, `shian import/export`, then starts `shian serve --port 0`
on a fresh database (SQLite file, or a fresh PostgreSQL database when --db postgres, using
SHIAN_TEST_PG_URL from scripts/with-postgres.sh) and exercises the API as a client would.
Python standard library only. Prints 'N passed, M failed' and exits non-zero on failure.
"""
import argparse
import io
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
import uuid
import zipfile

PASSWORD = "Shian@2026"
TESTS = []


def test(fn):
    TESTS.append(fn)
    return fn


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None, raw=None, headers=None):
        data = None
        hdrs = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
        if token:
            hdrs["Authorization"] = "Bearer " + token
        req = urllib.request.Request(self.base + path, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read(), dict(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read(), dict(e.headers)

    def json(self, method, path, body=None, token=None, **kw):
        status, data, headers = self.call(method, path, body, token, **kw)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data
        return status, parsed

    def login(self, username, password=PASSWORD):
        status, body = self.json("POST", "/api/v1/auth/login", {"username": username, "password": password})
        assert status == 200, (status, body)
        return body["token"]

    def upload(self, path, filename, content, token, content_type="application/octet-stream"):
        boundary = "----shian" + uuid.uuid4().hex
        parts = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.json("POST", path, token=token, raw=parts,
                         headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})


def expect_error(status, body, code, field=None):
    assert isinstance(body, dict) and "error" in body, body
    err = body["error"]
    assert set(err) >= {"code", "message", "field"}, err
    assert status == code, (status, body)
    if field is not None:
        assert err["field"] == field, (field, err)
    assert err["message"], err


# --- valid identifiers -------------------------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc(body17):
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(body17))
    check = 31 - total % 31
    return body17 + USCC_ALPHABET[0 if check == 31 else check]


def fresh_uscc(n):
    digits = f"{n:09d}"
    return uscc("92511902" + digits)


def bad_check(code):
    last = code[-1]
    return code[:-1] + ("0" if last != "0" else "1")


def new_business(n, region="511902001001", **over):
    b = {"name": f"测试火锅店{n}", "uscc": fresh_uscc(n), "licence_no": f"JY2511902{n:07d}",
         "kind": "餐饮服务", "region_code": region, "address": "巴州区测试路1号", "lng": 106.77, "lat": 31.86,
         "status": "营业", "risk_grade": "B",
         "people": [{"role": "法定代表人", "name": "张三", "id_number": "511902198001010016", "phone": "13800138000"}],
         "tags": ["明厨亮灶"]}
    b.update(over)
    return b


CSV_HEADER = "主体名称,统一社会信用代码,许可证编号,主体业态,所属区划代码,经营地址,经度,纬度,经营状态,风险等级,法定代表人,法定代表人身份证号,联系电话,食品安全总监,食品安全员"


def csv_row(n, name=None, region="511902001002", **over):
    cells = [name or f"导入超市{n}", fresh_uscc(n), f"JY1511902{n:07d}", "食品销售", region, "巴州区导入路2号",
             "106.7", "31.8", "营业", "A", "李四", "511902198001010016", "13900139000", "", "王五"]
    for k, v in over.items():
        cells[int(k[1:])] = v
    return ",".join(cells)


# --- the tests ---------------------------------------------------------------------------------
def raw_exchange(api, data):
    """Sends raw bytes on a new connection and reads until the server closes it."""
    host, port = re.match(r"http://([^:/]+):(\d+)", api.base).groups()
    conn = socket.create_connection((host, int(port)), timeout=10)
    conn.sendall(data)
    out = b""
    while True:
        chunk = conn.recv(65536)
        if not chunk:
            break
        out += chunk
    conn.close()
    return out


@test
def http_connections_malformed_and_pipelined(ctx):
    api = ctx["api"]
    # Not HTTP: 400, the connection closed, the server still serves.
    out = raw_exchange(api, b"GARBAGE\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 400"), out[:80]
    # Two requests in one write: both answered in order, the second closes the connection.
    out = raw_exchange(api, b"GET /healthz HTTP/1.1\r\nHost: shian\r\n\r\n"
                            b"GET /api/v1/nothing-here HTTP/1.1\r\nHost: shian\r\nConnection: close\r\n\r\n")
    statuses = re.findall(rb"HTTP/1\.1 (\d{3}) ", out)
    assert statuses == [b"200", b"404"], out[:400]
    status, body = api.json("GET", "/healthz")
    assert status == 200 and body["status"] == "ok", body


@test
def health_and_openapi(ctx):
    api = ctx["api"]
    status, body = api.json("GET", "/healthz")
    assert status == 200 and body["status"] == "ok", body
    status, doc = api.json("GET", "/api/v1/openapi.json")
    assert status == 200 and doc["openapi"].startswith("3."), doc
    for p in ["/api/v1/auth/login", "/api/v1/businesses", "/api/v1/businesses/{id}", "/api/v1/businesses/import",
              "/api/v1/businesses/export", "/api/v1/stats/businesses", "/api/v1/regions", "/api/v1/audit"]:
        assert p in doc["paths"], p
    schemas = doc["components"]["schemas"]
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            assert op["summary"], (method, path)
            for ref in re.findall(r'"#/components/schemas/(\w+)"', json.dumps(op)):
                assert ref in schemas, (path, ref)


@test
def login_wrong_password_and_lockout(ctx):
    api = ctx["api"]
    status, body = api.json("POST", "/api/v1/auth/login", {"username": "office", "password": "wrong-Pass1"})
    expect_error(status, body, 401)
    status, body = api.json("POST", "/api/v1/auth/login", {"username": "nobody", "password": "x"})
    expect_error(status, body, 401)
    # The locktest user was created by the CLI test below (shian user add).
    for i in range(5):
        status, body = api.json("POST", "/api/v1/auth/login", {"username": "locktest", "password": "Wrong#Pass1"})
    assert status in (423, 429), (status, body)
    status, body = api.json("POST", "/api/v1/auth/login", {"username": "locktest", "password": "Lock#Test2026"})
    assert status in (423, 429), "a locked account must refuse even the right password"
    # Reset from the shell unlocks it.
    run_cli(ctx, "user", "passwd", "--username", "locktest", "--password", "Lock#Test2027")
    api.login("locktest", "Lock#Test2027")


@test
def requests_without_valid_token_get_401(ctx):
    api = ctx["api"]
    expect_error(*api.json("GET", "/api/v1/businesses"), 401)
    expect_error(*api.json("GET", "/api/v1/businesses", token="0" * 64), 401)
    expect_error(*api.json("GET", "/api/v1/businesses", token="garbage"), 401)


@test
def logout_invalidates_token(ctx):
    api = ctx["api"]
    token = api.login("cadre")
    status, _ = api.json("GET", "/api/v1/auth/me", token=token)
    assert status == 200
    status, _, _ = api.call("POST", "/api/v1/auth/logout", token=token)
    assert status == 204, status
    expect_error(*api.json("GET", "/api/v1/auth/me", token=token), 401)


@test
def regions_follow_scope(ctx):
    api = ctx["api"]
    status, body = api.json("GET", "/api/v1/regions?parent=511902", token=ctx["office"])
    assert status == 200 and len(body["items"]) == 25, body
    assert all(set(i) >= {"code", "name", "level"} for i in body["items"])
    status, body = api.json("GET", "/api/v1/regions?parent=511902", token=ctx["inspector"])
    assert [i["code"] for i in body["items"]] == ["511902001"], body
    status, body = api.json("GET", "/api/v1/regions?parent=511902002", token=ctx["inspector"])
    expect_error(status, body, 404)
    status, body = api.json("GET", "/api/v1/regions?parent=511902001", token=ctx["inspector"])
    assert status == 200 and len(body["items"]) > 0 and all(i["level"] == "village" for i in body["items"])


@test
def list_search_filters_and_paging(ctx):
    api = ctx["api"]
    t = ctx["office"]
    status, body = api.json("GET", "/api/v1/businesses?page_size=5", token=t)
    assert status == 200 and body["total"] >= 3000 and len(body["items"]) == 5 and body["page"] == 1, body
    total = body["total"]
    # Two-character Chinese query.
    status, body = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote("火锅") + "&page_size=200", token=t)
    assert status == 200 and body["total"] > 0, body
    assert all("火锅" in (b["name"] + b["address"]) for b in body["items"]), body["items"][:2]
    # A search without `sort` lists the most recently entered first (-id); an explicit sort holds.
    ids = [b["id"] for b in body["items"]]
    assert ids == sorted(ids, reverse=True), ids[:5]
    status, by_update = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote("火锅") +
                                 "&sort=-updated_at&page_size=200", token=t)
    stamps = [b["updated_at"] for b in by_update["items"]]
    assert status == 200 and stamps == sorted(stamps, reverse=True) and by_update["total"] == body["total"], stamps[:5]
    status, by_id = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote("火锅") + "&sort=id&page_size=200",
                             token=t)
    asc = [b["id"] for b in by_id["items"]]
    assert status == 200 and asc == sorted(asc) and by_id["total"] == body["total"], asc[:5]
    if body["total"] <= 200:
        assert asc == sorted(ids), asc[:5]
    # Three or more characters, and a USCC substring.
    first = body["items"][0]
    status, body = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote(first["name"]), token=t)
    assert any(b["id"] == first["id"] for b in body["items"]), body
    status, body = api.json("GET", "/api/v1/businesses?q=" + first["uscc"][4:14], token=t)
    assert any(b["id"] == first["id"] for b in body["items"]), body
    # Filters: each item satisfies the filter; region means the whole subtree.
    for q, check in [("kind=" + urllib.parse.quote("餐饮服务"), lambda b: b["kind"] == "餐饮服务"),
                     ("risk_grade=C", lambda b: b["risk_grade"] == "C"),
                     ("status=" + urllib.parse.quote("停业"), lambda b: b["status"] == "停业"),
                     ("region=511902001", lambda b: b["region_code"].startswith("511902001")),
                     ("tag=" + urllib.parse.quote("明厨亮灶"), lambda b: "明厨亮灶" in b["tags"])]:
        status, body = api.json("GET", f"/api/v1/businesses?{q}&page_size=100", token=t)
        assert status == 200 and body["total"] > 0, (q, body)
        assert all(check(b) for b in body["items"]), q
        assert body["total"] < total, q
    # Paging: page 2 differs from page 1; sorting by name.
    _, p1 = api.json("GET", "/api/v1/businesses?sort=name&page=1&page_size=10", token=t)
    _, p2 = api.json("GET", "/api/v1/businesses?sort=name&page=2&page_size=10", token=t)
    names = [b["name"] for b in p1["items"] + p2["items"]]
    assert names == sorted(names), names
    assert not {b["id"] for b in p1["items"]} & {b["id"] for b in p2["items"]}
    for bad in ["page=0", "page_size=1000", "page=abc", "sort=password", "risk_grade=E", "region=999999",
                "nonsense=1"]:
        status, body = api.json("GET", f"/api/v1/businesses?{bad}", token=t)
        expect_error(status, body, 400)


def search_normalize(text):
    """registry::NormalizeForSearch for what the demo holds: ASCII letters and digits lowercased,
    other ASCII, whitespace and CJK/general punctuation dropped."""
    out = []
    for ch in text:
        cp = ord(ch)
        if 0xFF01 <= cp <= 0xFF5E:
            ch, cp = chr(cp - 0xFEE0), cp - 0xFEE0
        if cp < 0x80:
            if ch.isalnum():
                out.append(ch.lower())
            continue
        if (0x2000 <= cp <= 0x206F or 0x3000 <= cp <= 0x303F or 0xFE30 <= cp <= 0xFE4F or
                0xFF00 <= cp <= 0xFF0F or 0xFF1A <= cp <= 0xFF20 or 0xFF3B <= cp <= 0xFF40 or
                0xFF5B <= cp <= 0xFF65 or cp in (0x00B7, 0x00A0, 0xFEFF)):
            continue
        out.append(ch)
    return "".join(out)


@test
def search_with_filters_matches_the_plain_definition(ctx):
    """A word with kind, grade, status, tag and place filters (the search index intersects them:
    FieldTerms, migration 13) lists exactly the businesses that the plain definition keeps, newest
    first, with an exact total up to 200 — checked against every business read page by page."""
    api = ctx["api"]
    t = ctx["office"]
    everything = []
    page = 1
    while True:
        status, body = api.json("GET", f"/api/v1/businesses?sort=id&page={page}&page_size=200", token=t)
        assert status == 200, body
        everything += body["items"]
        if len(body["items"]) < 200:
            break
        page += 1
    assert len(everything) >= 3000
    fields = {b["id"]: [search_normalize(b[k] or "") for k in ("name", "address", "uscc", "licence_no")]
              for b in everything}
    # The two commonest two-character words of the names (CJK only), and a three-character one.
    counts = {}
    for b in everything:
        name = search_normalize(b["name"])
        for i in range(len(name) - 1):
            w = name[i:i + 2]
            if all("\u4e00" <= c <= "\u9fff" for c in w):
                counts[w] = counts.get(w, 0) + 1
    words = sorted(counts, key=lambda w: -counts[w])[:2]
    three = next(search_normalize(b["name"])[:3] for b in everything
                 if all("\u4e00" <= c <= "\u9fff" for c in search_normalize(b["name"])[:3]))
    words.append(three)
    sample = everything[len(everything) // 2]
    township = sample["region_code"][:9]
    filters = [
        {"kind": sample["kind"]},
        {"kind": sample["kind"], "region": township},
        {"risk_grade": "B", "region": township},
        {"risk_grade": "none"},
        {"status": "停业"},
        {"tag": "明厨亮灶", "region": sample["region_code"]},
        {"kind": sample["kind"], "risk_grade": "A", "status": "营业", "region": township},
    ]

    def keeps(b, q, f):
        if not any(q in text for text in fields[b["id"]]):
            return False
        if "kind" in f and b["kind"] != f["kind"]:
            return False
        if "region" in f and not b["region_code"].startswith(f["region"]):
            return False
        if "risk_grade" in f and (b["risk_grade"] or "none") != f["risk_grade"]:
            return False
        if "status" in f and b["status"] != f["status"]:
            return False
        return "tag" not in f or f["tag"] in b["tags"]

    checked = 0
    for q in words:
        for f in filters:
            expected = sorted((b["id"] for b in everything if keeps(b, q, f)), reverse=True)
            query = "&".join(f"{k}={urllib.parse.quote(v)}" for k, v in f.items())
            got = []
            page = 1
            while True:
                status, body = api.json("GET", f"/api/v1/businesses?q={urllib.parse.quote(q)}&{query}"
                                               f"&page={page}&page_size=100", token=t)
                assert status == 200, (q, f, body)
                if page == 1:
                    assert body["total"] == min(len(expected), 200), (q, f, body["total"], len(expected))
                    assert body["total_exact"] == (len(expected) <= 200), (q, f)
                got += [b["id"] for b in body["items"]]
                if len(body["items"]) < 100:
                    break
                page += 1
            assert got == expected, (q, f, got[:5], expected[:5])
            checked += 1 if expected else 0
    assert checked >= 8, (words, checked)  # about half the combinations match something


@test
def create_get_patch_and_versioning(ctx):
    api = ctx["api"]
    t = ctx["office"]
    status, b = api.json("POST", "/api/v1/businesses", new_business(1), token=t)
    assert status == 201, b
    for k in ["id", "version", "name", "uscc", "licence_no", "kind", "region_code", "address", "lng", "lat",
              "status", "risk_grade", "people", "tags"]:
        assert k in b, k
    assert b["version"] == 1 and b["kind"] == "餐饮服务" and b["people"][0]["name"] == "张三"
    status, got = api.json("GET", f"/api/v1/businesses/{b['id']}", token=t)
    assert status == 200 and got["uscc"] == b["uscc"] and got["status_history"], got
    assert got["people"][0]["id_number"] == "511902198001010016" and got["people"][0]["phone"] == "13800138000"
    # The place's name and the kind's label are the server's, in the detail and in a list.
    _, place = api.json("GET", "/api/v1/regions?parent=511902001", token=t)
    name = next(p["name"] for p in place["items"] if p["code"] == "511902001001")
    assert b["region_name"] == name and got["region_name"] == name and got["kind_label"] == "餐饮服务", got
    _, listed = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote(b["name"]), token=t)
    assert [(i["region_name"], i["kind"]) for i in listed["items"]] == [(name, "餐饮服务")], listed
    # A list shows people's numbers de-identified (GB/T 35273-2020 §6.2); the detail whole.
    status, listed = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote(b["uscc"]), token=t)
    assert status == 200 and [i["id"] for i in listed["items"]] == [b["id"]], listed
    assert listed["items"][0]["people"][0] == {"role": "法定代表人", "name": "张三",
                                               "id_number": "5119**********0016", "phone": "138****8000"}, listed
    status, upd = api.json("PATCH", f"/api/v1/businesses/{b['id']}",
                           {"version": 1, "risk_grade": "C", "grade_reason": "抽检不合格"}, token=t)
    assert status == 200 and upd["version"] == 2 and upd["risk_grade"] == "C", upd
    assert upd["grade_history"][-1]["grade"] == "C" and upd["grade_history"][-1]["reason"] == "抽检不合格"
    # A stale edit is refused and changes nothing.
    status, body = api.json("PATCH", f"/api/v1/businesses/{b['id']}", {"version": 1, "name": "覆盖"}, token=t)
    expect_error(status, body, 409)
    _, again = api.json("GET", f"/api/v1/businesses/{b['id']}", token=t)
    assert again["name"] == b["name"] and again["version"] == 2
    status, body = api.json("PATCH", f"/api/v1/businesses/{b['id']}", {"name": "无版本"}, token=t)
    expect_error(status, body, 400, "version")
    # The audit log has both writes with before/after.
    status, audit = api.json("GET", f"/api/v1/audit?entity=business&id={b['id']}", token=t)
    assert status == 200 and [e["action"] for e in audit["items"]] == ["update", "create"], audit
    assert audit["items"][0]["before"]["risk_grade"] == "B" and audit["items"][0]["after"]["risk_grade"] == "C"
    assert audit["items"][0]["username"] == "office"
    ctx["created_id"] = b["id"]


@test
def bad_business_input_gets_4xx_and_changes_nothing(ctx):
    api = ctx["api"]
    t = ctx["office"]
    _, before = api.json("GET", "/api/v1/businesses?page_size=1", token=t)
    cases = [
        (new_business(2, uscc=bad_check(fresh_uscc(2))), 400, "uscc"),
        (new_business(3, uscc="91511902MA62A1B2CI"), 400, "uscc"),
        (new_business(4, licence_no="JY123"), 400, "licence_no"),
        (new_business(5, region_code="511902999999"), 400, "region_code"),
        (new_business(6, kind="不存在的业态"), 400, "kind"),
        (new_business(7, name=""), 400, "name"),
        (new_business(8, name="x" * 5000), 400, "name"),
        (new_business(9, name="坏\u0001名"), 400, "name"),
        (new_business(10, lng="106.7"), 400, "lng"),
        (new_business(11, lng=200.0), 400, "lng"),
        (new_business(12, status="营业中"), 400, "status"),
        (new_business(13, risk_grade="E"), 400, "risk_grade"),
        (new_business(14, people=[{"role": "法定代表人", "name": "张三", "id_number": "511902198001010017"}]), 400,
         "people[0].id_number"),
        (new_business(15, tags="not-a-list"), 400, "tags"),
        (dict(new_business(16), password="x"), 400, "password"),
        (new_business(17, uscc=ctx["existing_uscc"]), 409, "uscc"),
    ]
    for body, code, field in cases:
        status, resp = api.json("POST", "/api/v1/businesses", body, token=t)
        expect_error(status, resp, code, field)
    for raw in [b"{not json", b"[]", b"", b'{"name": ' + b"[" * 200 + b"]" * 200 + b"}", b"\xff\xfe"]:
        status, resp = api.json("POST", "/api/v1/businesses", token=t, raw=raw,
                                headers={"Content-Type": "application/json"})
        expect_error(status, resp, 400)
    status, resp, _ = api.call("POST", "/api/v1/businesses", token=t, raw=b"{" + b" " * (2 << 20) + b"}",
                               headers={"Content-Type": "application/json"})
    assert status == 413, status
    # SQL-looking text is just text.
    sql_name = "'; DROP TABLE business; --"
    status, b = api.json("POST", "/api/v1/businesses", new_business(18, name=sql_name), token=t)
    assert status == 201 and b["name"] == sql_name, b
    xss = "<img src=x onerror=alert(1)>"
    status, b = api.json("POST", "/api/v1/businesses", new_business(19, name=xss), token=t)
    assert status == 201 and b["name"] == xss
    _, after = api.json("GET", "/api/v1/businesses?page_size=1", token=t)
    assert after["total"] == before["total"] + 2, (before["total"], after["total"])


@test
def scope_is_enforced_for_another_township(ctx):
    api = ctx["api"]
    insp = ctx["inspector"]  # 东城街道 511902001
    _, west = api.json("GET", "/api/v1/businesses?region=511902002&page_size=1", token=ctx["office"])
    foreign = west["items"][0]
    status, body = api.json("GET", f"/api/v1/businesses/{foreign['id']}", token=insp)
    expect_error(status, body, 404)
    status, body = api.json("PATCH", f"/api/v1/businesses/{foreign['id']}", {"version": foreign["version"],
                                                                            "name": "越权修改"}, token=insp)
    expect_error(status, body, 404)
    status, body = api.json("GET", f"/api/v1/audit?entity=business&id={foreign['id']}", token=insp)
    expect_error(status, body, 404)
    _, listing = api.json("GET", "/api/v1/businesses?page_size=200", token=insp)
    assert listing["total"] > 0 and all(b["region_code"].startswith("511902001") for b in listing["items"])
    _, listing = api.json("GET", "/api/v1/businesses?region=511902002", token=insp)
    assert listing["total"] == 0, listing
    status, body = api.json("POST", "/api/v1/businesses", new_business(30, region="511902002001"), token=insp)
    expect_error(status, body, 403, "region_code")
    status, body = api.json("POST", "/api/v1/businesses", new_business(31, region="511902001001"), token=insp)
    assert status == 201, body
    _, stats = api.json("GET", "/api/v1/stats/businesses?by=region", token=insp)
    assert stats["total"] == listing_total(api, insp), stats
    # Export follows the scope too.
    status, data, _ = api.call("GET", "/api/v1/businesses/export?format=csv", token=insp)
    assert status == 200 and "511902002" not in data.decode("utf-8-sig")
    # A search for a foreign business's house number (on PostgreSQL read from its own index of
    # house numbers, migration 23) finds it for the county office, not for the inspector.
    number = re.search(r"[\u4e00-\u9fff][0-9]{1,3}[\u4e00-\u9fff]", foreign["address"]).group(0)
    path = "/api/v1/businesses?page_size=200&q=" + urllib.parse.quote(number)
    _, found = api.json("GET", path + "&region=511902002", token=ctx["office"])
    assert foreign["id"] in [b["id"] for b in found["items"]], (number, found["total"])
    _, found = api.json("GET", path, token=insp)
    assert all(b["region_code"].startswith("511902001") and number in b["address"] + b["name"]
               for b in found["items"]), found
    assert found["total"] == len(found["items"]) or found["total"] == 200, found["total"]
    _, found = api.json("GET", path + "&region=511902002", token=insp)
    assert found["total"] == 0 and found["items"] == [], found
    # Cadre cannot write; public sees nothing; business account sees only its own business.
    status, body = api.json("POST", "/api/v1/businesses", new_business(32), token=ctx["cadre"])
    expect_error(status, body, 403)
    status, body = api.json("GET", "/api/v1/businesses", token=ctx["public"])
    expect_error(status, body, 403)
    me = api.json("GET", "/api/v1/auth/me", token=ctx["business"])[1]["user"]
    status, own = api.json("GET", f"/api/v1/businesses/{me['business_id']}", token=ctx["business"])
    assert status == 200, own
    status, body = api.json("GET", f"/api/v1/businesses/{foreign['id']}", token=ctx["business"])
    expect_error(status, body, 404)
    # Only admins manage users; the full audit log needs its permission.
    status, body = api.json("POST", "/api/v1/users", {"username": "x1", "password": "Aa#12345", "role": "admin",
                                                      "region_code": "511902"}, token=insp)
    expect_error(status, body, 403)
    expect_error(*api.json("GET", "/api/v1/audit", token=insp), 403)


def listing_total_region(api, token, region):
    return api.json("GET", f"/api/v1/businesses?page_size=1&region={region}", token=token)[1]["total"]


def listing_total(api, token):
    return api.json("GET", "/api/v1/businesses?page_size=1", token=token)[1]["total"]


@test
def stats_match_the_list(ctx):
    api = ctx["api"]
    t = ctx["office"]
    total = listing_total(api, t)
    for by in ["kind", "region", "risk_grade", "status"]:
        status, body = api.json("GET", f"/api/v1/stats/businesses?by={by}", token=t)
        assert status == 200 and body["total"] == total == sum(r["count"] for r in body["rows"]), (by, body)
        assert all(set(r) >= {"key", "label", "count"} for r in body["rows"])
    _, kinds = api.json("GET", "/api/v1/stats/businesses?by=kind", token=t)
    row = kinds["rows"][0]
    _, filtered = api.json("GET", f"/api/v1/businesses?kind={urllib.parse.quote(row['key'])}&page_size=1", token=t)
    assert filtered["total"] == row["count"], (row, filtered["total"])
    _, towns = api.json("GET", "/api/v1/stats/businesses?by=region&region=511902001", token=t)
    assert all(r["key"].startswith("511902001") and r["label"] for r in towns["rows"]), towns
    assert towns["total"] == listing_total_region(api, t, "511902001"), towns
    expect_error(*api.json("GET", "/api/v1/stats/businesses?by=password", token=t), 400)


@test
def import_all_or_nothing(ctx):
    api = ctx["api"]
    t = ctx["office"]
    before = listing_total(api, t)
    good = "\n".join([CSV_HEADER] + [csv_row(1000 + i) for i in range(5)]).encode()
    status, body = api.upload("/api/v1/businesses/import?dry_run=true", "a.csv", good, t)
    assert status == 200 and body["inserted"] == 5 and body["rejected"] == [], body
    assert listing_total(api, t) == before, "dry run stored something"
    # One bad row (wrong USCC check character) and a bad place: nothing stored, every problem reported.
    bad_rows = [CSV_HEADER, csv_row(2000), csv_row(2001, **{"c1": bad_check(fresh_uscc(2001))}),
                csv_row(2002), csv_row(2003, region="511902999999")]
    status, body = api.upload("/api/v1/businesses/import", "b.csv", "\n".join(bad_rows).encode(), t)
    assert status == 422, (status, body)
    rows = {(r["row"], r["column"]) for r in body["rejected"]}
    assert (3, "统一社会信用代码") in rows and (5, "所属区划代码") in rows, body
    assert all(r["message"] for r in body["rejected"])
    assert listing_total(api, t) == before
    # Real import, then the same USCCs again are updates; GB18030 and BOM are read too.
    status, body = api.upload("/api/v1/businesses/import?dry_run=false", "a.csv", good, t)
    assert status == 200 and body["inserted"] == 5 and body["updated"] == 0, body
    assert listing_total(api, t) == before + 5
    gb = "\n".join([CSV_HEADER] + [csv_row(1000 + i, name=f"改名超市{i}") for i in range(5)]).encode("gb18030")
    status, body = api.upload("/api/v1/businesses/import", "gb.csv", gb, t)
    assert status == 200 and body["inserted"] == 0 and body["updated"] == 5 and body["unchanged"] == 0, body
    # The same file again changes nothing: counted as unchanged, no new version.
    _, found = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote("改名超市3"), token=t)
    version = found["items"][0]["version"]
    status, body = api.upload("/api/v1/businesses/import", "gb.csv", gb, t)
    assert status == 200 and body["updated"] == 5 and body["unchanged"] == 5, body
    _, found = api.json("GET", "/api/v1/businesses?q=" + urllib.parse.quote("改名超市3"), token=t)
    assert found["total"] == 1 and found["items"][0]["version"] == version, found
    bom = "\ufeff".encode() + "\n".join([CSV_HEADER, csv_row(3000)]).encode()
    status, body = api.upload("/api/v1/businesses/import", "bom.csv", bom, t)
    assert status == 200 and body["inserted"] == 1, body
    # Wrong header, not-a-zip xlsx, truncated xlsx, text disguised as xlsx, not multipart.
    status, body = api.upload("/api/v1/businesses/import", "h.csv", "名称,代码\n甲,乙".encode(), t)
    assert status == 422 and body["rejected"][0]["row"] == 1, body
    status, body = api.upload("/api/v1/businesses/import", "x.xlsx", b"not a zip at all", t)
    assert status in (400, 415, 422) and "error" in body, body
    status, data, _ = api.call("GET", "/api/v1/businesses/template?format=xlsx", token=t)
    assert status == 200 and data[:2] == b"PK"
    status, body = api.upload("/api/v1/businesses/import", "t.xlsx", data[: len(data) // 2], t)
    assert status in (400, 415, 422) and "error" in body, body
    status, body = api.upload("/api/v1/businesses/import", "zip.csv", data, t)
    assert status in (400, 415) and "error" in body, body
    status, body = api.json("POST", "/api/v1/businesses/import", {"file": "x"}, token=t)
    assert status in (400, 415), body
    # The XLSX template itself imports (its sample row is valid) in a dry run.
    status, body = api.upload("/api/v1/businesses/import?dry_run=true", "template.xlsx", data, t)
    assert status == 200 and body["inserted"] + body["updated"] == 1, body
    # The cadre may not import.
    status, body = api.upload("/api/v1/businesses/import", "a.csv", good, ctx["cadre"])
    expect_error(status, body, 403)
    assert listing_total(api, t) == before + 6


@test
def requests_taking_turns_are_all_answered(ctx):
    """With one GET at a time (--active-requests 1), twelve clients' lists, searches, statistics
    and exports at once all get their whole answers, the same as from a server without the limit."""
    import concurrent.futures
    server = subprocess.Popen([ctx["shian"], "serve", "--port", "0", "--db", ctx["db"], "--threads", "32",
                               "--active-requests", "1"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"listening on (http://\S+)", server.stdout.readline())
        assert m, server.stderr.read()
        gated = Api(m.group(1))
        t = gated.login("office")
        paths = ["/api/v1/businesses?page_size=20", "/api/v1/businesses?q=%E7%81%AB%E9%94%85",
                 "/api/v1/businesses?region=511902003&page=2", "/api/v1/stats/businesses?by=kind",
                 "/api/v1/businesses/export?format=csv&region=511902003"]
        expected = {p: ctx["api"].call("GET", p, token=ctx["office"])[1] for p in paths}

        def client(i):
            got = []
            for k in range(6):
                path = paths[(i + k) % len(paths)]
                status, body, _ = gated.call("GET", path, token=t)
                got.append((path, status, body))
            return got

        with concurrent.futures.ThreadPoolExecutor(12) as pool:
            futures = [pool.submit(client, i) for i in range(12)]
            status, me = gated.json("GET", "/api/v1/auth/me", token=t)
            assert status == 200, me
            for f in futures:
                for path, status, body in f.result(timeout=60):
                    assert status == 200 and body == expected[path], (path, status, body[:200])
    finally:
        server.terminate()
        server.wait(timeout=10)


@test
def export_roundtrip(ctx):
    api = ctx["api"]
    t = ctx["office"]
    _, listing = api.json("GET", "/api/v1/businesses?region=511902003&page_size=1", token=t)
    status, data, headers = api.call("GET", "/api/v1/businesses/export?format=xlsx&region=511902003", token=t)
    assert status == 200 and "spreadsheetml" in headers.get("Content-Type", ""), headers
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert "xl/workbook.xml" in z.namelist()
    status, data, headers = api.call("GET", "/api/v1/businesses/export?format=csv&region=511902003", token=t)
    text = data.decode("utf-8-sig")
    lines = [l for l in text.splitlines() if l]
    assert lines[0] == CSV_HEADER, lines[0]
    assert len(lines) - 1 == listing["total"], (len(lines), listing["total"])
    # The export re-imports as pure updates (dry run).
    status, body = api.upload("/api/v1/businesses/import?dry_run=true", "e.xlsx",
                              api.call("GET", "/api/v1/businesses/export?format=xlsx&region=511902003",
                                       token=t)[1], t)
    assert status == 200 and body["updated"] == listing["total"] and body["inserted"] == 0, body
    assert body["unchanged"] == listing["total"], body
    expect_error(*api.json("GET", "/api/v1/businesses/export?format=pdf", token=t), 400)


@test
def admin_manages_users(ctx):
    api = ctx["api"]
    t = api.login("admin")
    status, body = api.json("POST", "/api/v1/users", {"username": "newinsp", "password": "short", "role": "inspector",
                                                      "region_code": "511902003"}, token=t)
    expect_error(status, body, 400, "password")
    status, user = api.json("POST", "/api/v1/users", {"username": "newinsp", "password": "New#Insp2026",
                                                      "display_name": "回风所 新检查员", "role": "inspector",
                                                      "region_code": "511902003"}, token=t)
    assert status == 201 and user["region_name"] == "回风街道", user
    status, body = api.json("POST", "/api/v1/users", {"username": "newinsp", "password": "New#Insp2026",
                                                      "role": "inspector", "region_code": "511902003"}, token=t)
    expect_error(status, body, 409, "username")
    token = api.login("newinsp", "New#Insp2026")
    status, body = api.json("PATCH", f"/api/v1/users/{user['id']}", {"disabled": True}, token=t)
    assert status == 200 and body["disabled"] is True
    expect_error(*api.json("GET", "/api/v1/auth/me", token=token), 401)
    status, roles = api.json("GET", "/api/v1/roles", token=t)
    assert {r["code"] for r in roles["items"]} >= {"admin", "office", "inspector", "cadre", "business", "public"}
    status, audit = api.json("GET", "/api/v1/audit?entity=user&user=admin", token=t)
    assert status == 200 and audit["total"] >= 2, audit


@test
def custom_scope_role_sees_only_its_places(ctx):
    # RuoYi's "custom" data scope: a role defined by the admin with a list of places; its users
    # see those subtrees (东城 and 西城 here) and nothing of a third township.
    api = ctx["api"]
    t = api.login("admin")
    role = {"code": "district_a", "label": "片区督查组A", "data_scope": "custom",
            "places": ["511902001", "511902002"], "permissions": ["registry:business:list", "registry:business:view"]}
    for bad, code, field in [({**role, "code": "Bad Code"}, 400, "code"),
                             ({**role, "places": []}, 400, "places"),
                             ({**role, "places": ["999999999"]}, 400, "places"),
                             ({**role, "data_scope": "region", "places": ["511902001"]}, 400, "places"),
                             ({**role, "data_scope": "everything"}, 400, "data_scope"),
                             ({**role, "permissions": ["system:root"]}, 400, "permissions"),
                             ({**role, "label": ""}, 400, "label"),
                             ({**role, "extra": 1}, 400, "extra")]:
        expect_error(*api.json("POST", "/api/v1/roles", bad, token=t), code, field)
    expect_error(*api.json("POST", "/api/v1/roles", role, token=ctx["office"]), 403)
    status, created = api.json("POST", "/api/v1/roles", role, token=t)
    assert status == 201 and created["data_scope"] == "custom", created
    assert [p["name"] for p in created["places"]] == ["东城街道", "西城街道"], created
    expect_error(*api.json("POST", "/api/v1/roles", role, token=t), 409, "code")
    expect_error(*api.json("PATCH", "/api/v1/roles/inspector", {"data_scope": "all"}, token=t), 400, "data_scope")
    status, user = api.json("POST", "/api/v1/users", {"username": "district.a", "password": "Dist#A2026x",
                                                      "role": "district_a", "region_code": "511902"}, token=t)
    assert status == 201, user
    d = api.login("district.a", "Dist#A2026x")
    office = ctx["office"]
    east, west, third = (listing_total_region(api, office, c) for c in ("511902001", "511902002", "511902003"))
    assert listing_total(api, d) == east + west, (listing_total(api, d), east, west)
    assert listing_total_region(api, d, "511902003") == 0
    _, other = api.json("GET", "/api/v1/businesses?region=511902003&page_size=1", token=office)
    expect_error(*api.json("GET", f"/api/v1/businesses/{other['items'][0]['id']}", token=d), 404)
    _, regions = api.json("GET", "/api/v1/regions?parent=511902", token=d)
    assert {r["code"] for r in regions["items"]} == {"511902001", "511902002"}, regions
    # Narrowing the role applies to its users' next request; the change is audited.
    status, changed = api.json("PATCH", "/api/v1/roles/district_a", {"places": ["511902002"]}, token=t)
    assert status == 200 and [p["code"] for p in changed["places"]] == ["511902002"], changed
    assert listing_total(api, d) == west
    status, audit = api.json("GET", "/api/v1/audit?entity=role&id=district_a", token=t)
    assert status == 200 and [e["action"] for e in audit["items"]][:2] == ["update", "create"], audit


@test
def cli_user_list_and_export(ctx):
    out = run_cli(ctx, "user", "list")
    assert "office" in out and "inspector2" in out, out
    path = os.path.join(ctx["tmp"], "all.csv")
    out = run_cli(ctx, "export", "businesses", path)
    with open(path, encoding="utf-8-sig") as f:
        assert f.readline().strip() == CSV_HEADER
    bad = os.path.join(ctx["tmp"], "bad.csv")
    with open(bad, "w", encoding="utf-8") as f:
        f.write(CSV_HEADER + "\n" + csv_row(5000, **{"c1": bad_check(fresh_uscc(5000))}) + "\n")
    proc = subprocess.run([ctx["shian"], "import", "businesses", bad, "--db", ctx["db"]], capture_output=True,
                          text=True)
    assert proc.returncode != 0 and "第2行" in proc.stderr, proc.stderr
    proc = subprocess.run([ctx["shian"], "user", "add", "--db", ctx["db"], "--username", "weak", "--password", "weak",
                           "--role", "office", "--region", "511902"], capture_output=True, text=True)
    assert proc.returncode != 0 and "密码" in proc.stderr, proc.stderr
    # serve's tuning options are checked before anything starts.
    for option, value in [("--session-cache-ms", "-5"), ("--session-cache-ms", "600000"), ("--threads", "1"),
                          ("--threads", "many"), ("--active-requests", "-1"), ("--active-requests", "many")]:
        proc = subprocess.run([ctx["shian"], "serve", "--port", "0", "--db", ctx["db"], option, value],
                              capture_output=True, text=True, timeout=30)
        assert proc.returncode != 0 and option in proc.stderr, (option, value, proc.stderr)


@test
def merging_and_retiring_places(ctx):
    # 区划撤并: villages of the county's last township merge into its first village; their
    # businesses move (counts add up, search finds them there); the merged places leave the
    # tree but stay readable as retired.
    api = ctx["api"]
    t = api.login("admin")
    office = ctx["office"]
    _, towns = api.json("GET", "/api/v1/regions?parent=511902", token=t)
    town = towns["items"][-1]["code"]
    _, villages = api.json("GET", f"/api/v1/regions?parent={town}", token=t)
    keep, gone, cli_gone = (v["code"] for v in villages["items"][:3])
    totals = {c: listing_total_region(api, office, c) for c in (keep, gone, cli_gone, town)}
    for body, code, field in [({"into": town}, 400, "into"), ({"into": gone}, 400, "into"),
                              ({"into": "999999999999"}, 400, "into"), ({}, 400, "into"),
                              ({"into": keep, "x": 1}, 400, "x")]:
        expect_error(*api.json("POST", f"/api/v1/regions/{gone}/merge", body, token=t), code, field)
    expect_error(*api.json("POST", f"/api/v1/regions/{gone}/merge", {"into": keep}, token=office), 403)
    expect_error(*api.json("POST", f"/api/v1/regions/{town}/retire", None, token=t), 409, "code")
    status, report = api.json("POST", f"/api/v1/regions/{gone}/merge", {"into": keep}, token=t)
    assert status == 200 and report["businesses"] == totals[gone] and report["into"]["code"] == keep, report
    assert listing_total_region(api, office, keep) == totals[keep] + totals[gone]
    assert listing_total_region(api, office, gone) == 0
    assert listing_total_region(api, office, town) == totals[town]
    _, villages_after = api.json("GET", f"/api/v1/regions?parent={town}", token=t)
    assert gone not in {v["code"] for v in villages_after["items"]}
    status, detail = api.json("GET", f"/api/v1/regions/{gone}", token=t)
    assert status == 200 and detail["active"] is False and detail["successor"] == keep, detail
    expect_error(*api.json("POST", f"/api/v1/regions/{gone}/merge", {"into": keep}, token=t), 400, "code")
    status, audit = api.json("GET", f"/api/v1/audit?entity=region&id={gone}", token=t)
    assert status == 200 and audit["items"][0]["action"] == "merge", audit
    # The same from the shell.
    out = run_cli(ctx, "region", "merge", "--code", cli_gone, "--into", keep)
    assert "merged into" in out, out
    assert listing_total_region(api, office, keep) == totals[keep] + totals[gone] + totals[cli_gone]
    proc = subprocess.run([ctx["shian"], "region", "retire", "--db", ctx["db"], "--code", keep], capture_output=True,
                          text=True)
    assert proc.returncode != 0 and "主体" in proc.stderr, proc.stderr


@test
def audit_log_follows_the_auditors_scope(ctx):
    # A 食安办 user of one township may read the log, but only the entries of its places.
    api = ctx["api"]
    t = api.login("admin")
    status, user = api.json("POST", "/api/v1/users", {"username": "office.dc", "password": "Office#Dc2026",
                                                      "role": "office", "region_code": "511902001"}, token=t)
    assert status == 201, user
    dc = api.login("office.dc", "Office#Dc2026")
    status, mine = api.json("GET", "/api/v1/audit?entity=business&page_size=50", token=dc)
    assert status == 200 and mine["total"] > 0, mine
    _, everything = api.json("GET", "/api/v1/audit?entity=business&page_size=1", token=t)
    assert mine["total"] < everything["total"], (mine["total"], everything["total"])
    for entry in mine["items"]:
        status, b = api.json("GET", f"/api/v1/businesses/{entry['entity_id']}", token=ctx["office"])
        assert status == 200 and b["region_code"].startswith("511902001"), (entry, b)
    _, roles = api.json("GET", "/api/v1/audit?entity=role", token=dc)
    _, all_roles = api.json("GET", "/api/v1/audit?entity=role", token=t)
    assert roles["total"] == 0 and all_roles["total"] > 0, (roles["total"], all_roles["total"])
    # The trail of one of its businesses is whole; a foreign business's trail stays hidden.
    _, west = api.json("GET", "/api/v1/businesses?region=511902002&page_size=1", token=ctx["office"])
    expect_error(*api.json("GET", f"/api/v1/audit?entity=business&id={west['items'][0]['id']}", token=dc), 404)


@test
def two_servers_share_one_database(ctx):
    """Stateless processes: a session made on one server works on another, and so does a lock.
    A logout on one server ends the session on the other at once when that one caches no
    sessions, and within its --session-cache-ms (default 2000) when it does."""
    other = subprocess.Popen([ctx["shian"], "serve", "--port", "0", "--db", ctx["db"], "--threads", "4",
                              "--session-cache-ms", "0"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"listening on (http://\S+)", other.stdout.readline())
        assert m, other.stderr.read()
        api2 = Api(m.group(1))
        token = ctx["api"].login("office")
        status, me = api2.json("GET", "/api/v1/auth/me", token=token)
        assert status == 200 and me["user"]["username"] == "office", me
        status, created = api2.json("POST", "/api/v1/businesses", new_business(40), token=token)
        assert status == 201, created
        status, got = ctx["api"].json("GET", f"/api/v1/businesses/{created['id']}", token=token)
        assert status == 200 and got["version"] == 1
        ctx["api"].call("POST", "/api/v1/auth/logout", token=token)
        expect_error(*ctx["api"].json("GET", "/api/v1/auth/me", token=token), 401)
        expect_error(*api2.json("GET", "/api/v1/auth/me", token=token), 401)

        # The main server caches sessions: it learns of the other's logout within 2 s.
        token = ctx["api"].login("office")
        assert ctx["api"].json("GET", "/api/v1/auth/me", token=token)[0] == 200
        api2.call("POST", "/api/v1/auth/logout", token=token)
        expect_error(*api2.json("GET", "/api/v1/auth/me", token=token), 401)
        started = time.monotonic()
        while ctx["api"].json("GET", "/api/v1/auth/me", token=token)[0] == 200:
            assert time.monotonic() - started < 2.0 + 1.0, "still signed in long after the cache's 2 s"
            time.sleep(0.1)
    finally:
        other.terminate()
        other.wait(timeout=20)


@test
def idle_keep_alive_connections_do_not_hold_up_others(ctx):
    """A browser leaves connections open after a page; 60 of them (a busy morning in a county
    office) must not make the next user wait for them to time out (with 32 threads the 33rd
    connection waited up to 10 s)."""
    import socket
    host, port = urllib.parse.urlparse(ctx["api"].base).netloc.split(":")
    idle = []
    try:
        for _ in range(60):
            s = socket.create_connection((host, int(port)), timeout=10)
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            idle.append(s)
        started = time.monotonic()
        for s in idle:
            assert s.recv(4096).startswith(b"HTTP/1.1 200"), "every open connection is answered"
        status, _ = ctx["api"].json("GET", "/api/v1/auth/me", token=ctx["office"])
        waited = time.monotonic() - started
        assert status == 200 and waited < 3.0, f"answered after {waited:.1f} s"
    finally:
        for s in idle:
            s.close()


@test
def web_files_are_served_with_their_type(ctx):
    """--web: files with their type (an empty one too), index.html for client routes, 404 for a
    missing asset, nothing outside the directory."""
    web = os.path.join(ctx["tmp"], "web")
    os.makedirs(os.path.join(web, "assets"), exist_ok=True)
    with open(os.path.join(web, "index.html"), "w", encoding="utf-8") as f:
        f.write("<!doctype html><title>食安</title>")
    with open(os.path.join(web, "assets", "app-1a2b.js"), "w") as f:
        f.write("console.log(1)")
    open(os.path.join(web, "assets", "empty-3c4d.css"), "w").close()
    server = subprocess.Popen([ctx["shian"], "serve", "--port", "0", "--db", ctx["db"], "--threads", "2",
                               "--web", web], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        m = re.search(r"listening on (http://\S+)", server.stdout.readline())
        assert m, server.stderr.read()
        api = Api(m.group(1))
        status, body, headers = api.call("GET", "/registry/business?q=x")
        assert status == 200 and "食安".encode() in body and headers["Content-Type"].startswith("text/html"), headers
        assert headers.get("Cache-Control") == "no-cache", headers
        status, body, headers = api.call("GET", "/assets/app-1a2b.js")
        assert status == 200 and "javascript" in headers["Content-Type"], headers
        assert "immutable" in headers.get("Cache-Control", ""), headers
        status, body, headers = api.call("GET", "/assets/empty-3c4d.css")
        assert status == 200 and body == b"" and headers.get("Content-Type", "").startswith("text/css"), headers
        expect_error(*api.json("GET", "/assets/missing-0000.js"), 404)
        expect_error(*api.json("GET", "/../../etc/passwd"), 404)
        expect_error(*api.json("GET", "/api/v1/nothing-here"), 404)
        # Status lines carry their own reason; HEAD gets the headers alone, then the connection
        # still serves the next request (the answer is written in one piece with its headers).
        import http.client
        host, port = urllib.parse.urlparse(api.base).netloc.split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=10)
        try:
            conn.request("HEAD", "/assets/app-1a2b.js")
            res = conn.getresponse()
            assert (res.status, res.reason, res.read()) == (200, "OK", b""), (res.status, res.reason)
            assert res.getheader("Content-Length") == "14", res.getheaders()
            conn.request("GET", "/api/v1/nothing-here")
            res = conn.getresponse()
            body = json.loads(res.read())
            assert (res.status, res.reason) == (404, "Not Found") and body["error"]["code"], (res.status, body)
            conn.request("GET", "/assets/app-1a2b.js")
            res = conn.getresponse()
            assert (res.status, res.read()) == (200, b"console.log(1)")
        finally:
            conn.close()
    finally:
        server.terminate()
        server.wait(timeout=20)


@test
def cli_large_import_is_all_or_nothing(ctx):
    """10,000 new rows beside the demo's 3,000: SQLite builds its list indexes anew at commit
    (SqlBusinessRepository::ExpectInserts). A bad last row stores nothing and leaves every index
    as it was; the good file stores every row, and the running server (whose statements were
    prepared on the old indexes) lists, counts and searches them. Last: it grows the database."""
    api, t = ctx["api"], ctx["office"]
    n, base = 10_000, 600_000
    rows = [csv_row(base + i, region="511902001002" if i % 2 else "511902002001") for i in range(n)]

    def indexes():
        if not ctx["db"].startswith("sqlite:"):
            return None
        import sqlite3
        con = sqlite3.connect("file:" + ctx["db"][len("sqlite:"):] + "?mode=ro", uri=True)
        try:
            return con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                               "AND tbl_name = 'business' ORDER BY name").fetchall()
        finally:
            con.close()

    def write(name, lines):
        path = os.path.join(ctx["tmp"], name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(CSV_HEADER + "\n" + "\n".join(lines) + "\n")
        return path

    before = (listing_total(api, t), listing_total_region(api, t, "511902001"), indexes())
    bad = write("large-bad.csv", rows[:-1] + [csv_row(base + n - 1, **{"c1": bad_check(fresh_uscc(base + n - 1))})])
    proc = subprocess.run([ctx["shian"], "import", "businesses", bad, "--db", ctx["db"]], capture_output=True,
                          text=True, timeout=600)
    assert proc.returncode != 0 and f"第{n + 1}行" in proc.stderr, proc.stderr[-500:]
    assert (listing_total(api, t), listing_total_region(api, t, "511902001"), indexes()) == before

    out = run_cli(ctx, "import", "businesses", write("large.csv", rows))
    assert f"inserted {n}," in out, out
    assert indexes() == before[2]
    assert listing_total(api, t) == before[0] + n
    assert listing_total_region(api, t, "511902001") == before[1] + n // 2
    status, page = api.json("GET", "/api/v1/businesses?region=511902001&page_size=5", token=t)
    assert status == 200 and all(b["name"].startswith("导入超市6") for b in page["items"]), page["items"]
    q = urllib.parse.quote(f"导入超市{base + 4321}")
    status, found = api.json("GET", f"/api/v1/businesses?q={q}", token=t)
    assert status == 200 and [b["uscc"] for b in found["items"]] == [fresh_uscc(base + 4321)], found


# --- harness -----------------------------------------------------------------------------------
def run_cli(ctx, *args):
    proc = subprocess.run([ctx["shian"], *args, "--db", ctx["db"]], capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        raise AssertionError(f"shian {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


def make_database(kind, tmp):
    if kind == "sqlite":
        return "sqlite:" + os.path.join(tmp, "api.db"), None
    admin = os.environ.get("SHIAN_TEST_PG_URL")
    if not admin:
        raise SystemExit("SHIAN_TEST_PG_URL is not set: run under scripts/with-postgres.sh")
    name = "api_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True)
    url = re.sub(r"/[^/?]+(\?|$)", "/" + name + r"\1", admin, count=1) if "/" in admin[13:] else admin + "/" + name
    parsed = urllib.parse.urlparse(admin)
    url = urllib.parse.urlunparse(parsed._replace(path="/" + name))
    return url, (admin, name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shian", required=True)
    ap.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    ap.add_argument("-k", default="", help="run only tests whose name contains this")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="shian-api-")
    db, pg = make_database(args.db, tmp)
    ctx = {"shian": args.shian, "db": db, "tmp": tmp}
    server = None
    passed = failed = 0
    try:
        run_cli(ctx, "demo")
        run_cli(ctx, "user", "add", "--username", "locktest", "--password", "Lock#Test2026", "--role", "office",
                "--region", "511902")
        # Default threads, as deployed (idle_keep_alive_connections_do_not_hold_up_others).
        server = subprocess.Popen([args.shian, "serve", "--port", "0", "--db", db],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = server.stdout.readline()
        m = re.search(r"listening on (http://\S+)", line)
        if not m:
            raise SystemExit("server did not start: " + line + server.stderr.read())
        ctx["api"] = api = Api(m.group(1))
        for user in ["office", "inspector", "inspector2", "cadre", "business", "public"]:
            ctx[user] = api.login(user)
        ctx["existing_uscc"] = api.json("GET", "/api/v1/businesses?page_size=1", token=ctx["office"])[1]["items"][0]["uscc"]
        for fn in TESTS:
            if args.k and args.k not in fn.__name__:
                continue
            start = time.time()
            try:
                fn(ctx)
                passed += 1
                print(f"PASS {fn.__name__} ({time.time() - start:.2f}s)")
            except Exception:
                failed += 1
                print(f"FAIL {fn.__name__}")
                traceback.print_exc()
        # Graceful shutdown on SIGTERM: a connection idle between requests is closed at once; a
        # request being received is still answered; the server exits 0.
        host, port = re.match(r"http://([^:/]+):(\d+)", api.base).groups()
        idle = socket.create_connection((host, int(port)), timeout=10)
        idle.sendall(b"GET /healthz HTTP/1.1\r\nHost: shian\r\n\r\n")
        first = idle.recv(4096)
        busy = socket.create_connection((host, int(port)), timeout=10)
        busy.sendall(b"GET /healthz HTTP/1.1\r\nHost: shian\r\n")  # the headers' end is still to come
        time.sleep(0.2)
        server.terminate()
        problems = []
        if not first.startswith(b"HTTP/1.1 200"):
            problems.append(f"first answer {first[:40]!r}")
        # The grace for requests in progress is 5 s; the idle connection must not wait for it.
        idle.settimeout(4)
        try:
            rest = idle.recv(4096)
            if rest:
                problems.append(f"idle connection got {rest[:40]!r}")
        except socket.timeout:
            problems.append("idle connection still open 4 s after SIGTERM")
        busy.sendall(b"\r\n")
        answer = busy.recv(4096)
        if not answer.startswith(b"HTTP/1.1 200"):
            problems.append(f"request in progress answered {answer[:40]!r}")
        idle.close()
        busy.close()
        code = server.wait(timeout=20)
        if code != 0 or problems:
            failed += 1
            print(f"FAIL graceful_shutdown (exit {code}) {problems}\n{server.stderr.read()[-2000:]}")
        else:
            passed += 1
            print("PASS graceful_shutdown")
        server = None
    finally:
        if server:
            server.kill()
        if pg:
            subprocess.run(["psql", pg[0], "-qc", f"DROP DATABASE IF EXISTS {pg[1]} WITH (FORCE)"])
    print(f"api ({args.db}): {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
