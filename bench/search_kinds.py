#!/usr/bin/env python3
"""Times single number searches by kind, one request at a time, against a running shian serve.

    bench/search_kinds.py PORT [ROUNDS]

For each kind of query (a house number 路N号, 人民路N号, N号, a licence number, its 7-digit tail,
a USCC's first ten characters), county-wide and within a random township, ROUNDS (60) random
queries through HTTP on one connection: mean, median and slowest. Then the slowest queries of
a mix like bench/lua/search_number.lua. Logs in as the bench user (bench/run.sh creates it).
Not a load test: it shows which kind of query costs what, which wrk's p99 does not.
"""
import http.client
import json
import random
import statistics
import sys
import time
import urllib.parse

port = int(sys.argv[1])
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 60
conn = http.client.HTTPConnection("127.0.0.1", port)


def get(path, headers=None, body=None, method="GET"):
    conn.request(method, path, body=body, headers=headers or {})
    return json.loads(conn.getresponse().read())


token = get("/api/v1/auth/login", body=json.dumps({"username": "bench", "password": "Bench@2026x"}),
            method="POST")["token"]
auth = {"Authorization": "Bearer " + token}
townships = [item["code"] for item in get("/api/v1/regions?parent=511902", auth)["items"]]
alnum = "0123456789ABCDEFGHJKLMNPQRTUWXY"
random.seed(7)


def digits(n):
    return "".join(random.choice("0123456789") for _ in range(n))


kinds = {
    "路N号": lambda: "路%d号" % random.randint(1, 300),
    "人民路N号": lambda: "人民路%d号" % random.randint(1, 300),
    "N号": lambda: "%d号" % random.randint(1, 300),
    "licence": lambda: "JY1511902" + digits(7),
    "7 digits": lambda: digits(7),
    "USCC start": lambda: "92511902" + random.choice(alnum) + random.choice(alnum),
}


def timed(query, township):
    path = "/api/v1/businesses?q=" + urllib.parse.quote(query) + "&page_size=20"
    if township:
        path += "&region=" + township
    start = time.perf_counter()
    body = get(path, auth)
    return (time.perf_counter() - start) * 1000, body.get("total")


for name, make in kinds.items():
    for scope in ("county", "township"):
        times = sorted(timed(make(), random.choice(townships) if scope == "township" else None)[0]
                       for _ in range(rounds))
        print(f"{name:12} {scope:8} mean {statistics.mean(times):6.2f}  median {statistics.median(times):6.2f}  "
              f"max {times[-1]:6.2f} ms")

mix = list(kinds.values())[:1] + [kinds["licence"], kinds["7 digits"], kinds["USCC start"]]
results = []
for _ in range(10 * rounds):
    query = random.choice(mix)()
    township = random.choice(townships) if random.random() < 0.5 else None
    ms, total = timed(query, township)
    results.append((ms, query, township or "", total))
results.sort(reverse=True)
print("mix of %d: mean %.2f ms; slowest:" % (len(results), statistics.mean(r[0] for r in results)))
for ms, query, township, total in results[:10]:
    print(f"  {ms:7.2f} ms  {query:20} {township:10} total {total}")
