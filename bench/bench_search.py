"""Benchmark: customer search of the mock Context Service at 1k, 100k and 1M customers.

Customers are bulk-inserted straight into SQLite (objects, fieldset use and search index rows built by
the same code the API uses), growing one database from size to size. At each size it runs exact-word
searches through ``search.search_objects`` (the code behind ``GET /context/v1/customer``): a last name,
a phone number and an email address of random stored customers. Each size runs the queries in 3 rounds
and prints p50/p95 (milliseconds, wall clock and CPU) of the median round.

Then the proxy's case-variant search (gadget_plugin/customer_search.py, the code behind the gadget's Search)
runs against the same database without HTTP: a last name typed in lower case, in UPPER case, and first + last
name in lower case; each is one OR query of the word variants, the proxy's ranking, and for several words the
AND fallback when the 200-candidate window is full.

    python bench/bench_search.py                      # 1,000 / 100,000 / 1,000,000 customers
    python bench/bench_search.py --sizes 1000,20000   # quicker
"""

import argparse
import json
import pathlib
import random
import statistics
import sys
import tempfile
import time
import uuid

from gadget_plugin import customer_search
from mock_controlhub.contextservice import search, search_index
from mock_controlhub.dictionary import models as dictionary
from mock_controlhub.config import load_config
from mock_controlhub.contextservice.wire import to_ms
from mock_controlhub.control.seed import FIRST_NAMES
from mock_controlhub.state import ControlHubBackend

BATCH = 20_000
ROUNDS = 3
SYLLABLES = (
    "ka",
    "no",
    "vi",
    "ra",
    "me",
    "lo",
    "tu",
    "si",
    "pe",
    "da",
    "gor",
    "zan",
    "ber",
    "mil",
    "tov",
    "ric",
    "jan",
    "sel",
    "mar",
    "kov",
    "lin",
    "dra",
    "vuk",
    "bor",
    "nes",
    "pav",
    "lek",
    "hor",
    "bab",
    "jur",
)
CITIES = ("Zagreb", "Split", "Rijeka", "Osijek", "Beograd", "Novi Sad", "London", "Boston")


def surname(rng):
    """A generated last name: 3 or 4 syllables (about 800,000 different names)."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((3, 4)))).capitalize()


def customer(rng, number):
    """The data elements of customer ``number``: name, unique email and phone, city."""
    first, last = rng.choice(FIRST_NAMES), surname(rng)
    return {
        "Context_First_Name": first,
        "Context_Last_Name": last,
        "Context_Home_Email": f"{first.lower()}.{last.lower()}{number}@example.com",
        "Context_Mobile_Phone": f"+385{900_000_000 + number}",
        "Context_City": rng.choice(CITIES),
    }


def bulk_insert(backend, start, count, rng):
    """Insert customers ``start .. start+count-1`` with their index rows, in batches."""
    fields = {f["id"]: f for f in dictionary.get_fieldset(backend, "cisco.base.customer")["fieldDefinitions"]}
    now_ms = to_ms(backend.clock.now())
    db = backend.db
    keys = {name: search_index.key_id(db, name, create=True) for name in fields}
    for batch_start in range(start, start + count, BATCH):
        objects_rows, fieldset_rows, token_rows = [], [], []
        for number in range(batch_start, min(start + count, batch_start + BATCH)):
            pk = number + 1
            values = customer(rng, number)
            doc = {
                "fieldsets": ["cisco.base.customer"],
                "tags": [],
                "contributors": [],
                "dataElements": [{k: v, "type": "string"} for k, v in values.items()],
            }
            stamp = now_ms - (count - number)
            objects_rows.append(
                (
                    pk,
                    str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    stamp,
                    stamp,
                    json.dumps(doc, ensure_ascii=False),
                )
            )
            fieldset_rows.append((pk, "cisco.base.customer"))
            token_rows.extend(
                (0, "customer", token, keys[name], pk, pos)
                for name, token, pos in search_index.entries_for(fields, values, [])
            )
        with backend.transaction():
            db.executemany(
                "INSERT INTO cs_object (pk, id, lab, type, state, created_ms, last_updated_ms, doc) "
                "VALUES (?, ?, 0, 'customer', 'active', ?, ?, ?)",
                objects_rows,
            )
            db.executemany("INSERT INTO cs_object_fieldset (obj, fieldset_id) VALUES (?, ?)", fieldset_rows)
            db.executemany(
                "INSERT OR IGNORE INTO cs_token (lab, type, token, key, obj, pos) VALUES (?, ?, ?, ?, ?, ?)", token_rows
            )


def sample_queries(backend, size, count, rng):
    """``count`` search parameter lists for random stored customers: last name, phone or email."""
    queries = []
    for _ in range(count):
        number = rng.randrange(size)
        row = backend.db.execute("SELECT doc FROM cs_object WHERE pk = ?", (number + 1,)).fetchone()
        values = {k: v for element in json.loads(row["doc"])["dataElements"] for k, v in element.items() if k != "type"}
        kind = rng.choice(("name", "phone", "email"))
        if kind == "name":
            queries.append([("query_string", values["Context_Last_Name"])])
        elif kind == "phone":
            queries.append([("q", f"Context_Mobile_Phone:{values['Context_Mobile_Phone']}")])
        else:
            queries.append([("query_string", values["Context_Home_Email"])])
    return queries


class ProxySide:
    """What customer_search needs of the proxy's backend, answered by the mock's search code in-process."""

    def __init__(self, mock_backend):
        self.cs, self.dictionary, self.mock = self, self, mock_backend
        self.fields = {
            f["id"]: {"searchable": search_index.searchable(f)}
            for f in dictionary.get_fieldset(mock_backend, "cisco.base.customer")["fieldDefinitions"]
        }

    def search(self, object_type, params):
        """The mock's answer to ``GET /context/v1/{object_type}`` with ``params`` (the array, as cs_client gives)."""
        found, _ = search.search_objects(self.mock, object_type, [(k, str(v)) for k, v in params.items()], lab=False)
        return found

    def parallel(self, *calls):
        """The calls one after the other (the proxy runs them concurrently; this only overstates the time)."""
        return [call() for call in calls]

    def definitions(self, locale):
        """The dictionary as the proxy's Dictionary.definitions gives it (only ``searchable`` is read)."""
        return {"fields": self.fields}


def variant_queries(backend, size, count, rng):
    """``count`` agent queries for random stored customers: ``(kind, text)``."""
    queries = []
    for _ in range(count):
        row = backend.db.execute("SELECT doc FROM cs_object WHERE pk = ?", (rng.randrange(size) + 1,)).fetchone()
        values = {k: v for element in json.loads(row["doc"])["dataElements"] for k, v in element.items() if k != "type"}
        last, first = values["Context_Last_Name"], values["Context_First_Name"]
        queries.append(rng.choice((last.lower(), last.upper(), f"{first} {last}".lower())))
    return queries


def measure_variants(proxy_side, queries):
    """Wall-clock milliseconds per proxy search (query + ranking), and the hit counts."""
    timings, hits = [], []
    for query in queries:
        started = time.perf_counter()
        answer = customer_search.search(proxy_side, query, 0, 25)
        timings.append((time.perf_counter() - started) * 1000)
        hits.append(answer["totalHits"])
        if not answer["totalHits"]:
            sys.exit(f"bench: the variant search found nobody for {query!r}")
    return timings, hits


def measure(backend, queries):
    """Wall-clock and CPU milliseconds per search, and the hit counts."""
    timings, cpu, hits = [], [], []
    for pairs in queries:
        started, started_cpu = time.perf_counter(), time.process_time()
        _, total = search.search_objects(backend, "customer", pairs, lab=False)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        hits.append(total)
        if not total:
            sys.exit(f"bench: no hit for {pairs}; the index is broken")
    return timings, cpu, hits


def percentile(values, fraction):
    """The ``fraction`` quantile (0.95 -> p95) of ``values``."""
    return statistics.quantiles(values, n=100, method="inclusive")[round(fraction * 100) - 1]


def main(argv=None):
    """Grow the database through the sizes and print p50/p95 per size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="bench-search-") as tmp:
        backend = ControlHubBackend(load_config({"DATABASE": str(pathlib.Path(tmp) / "cs.sqlite")}, environ={}))
        backend.db.execute("PRAGMA synchronous=OFF")  # bulk load only: a crash would just lose the bench
        stored, results, variant_results = 0, [], []
        print(
            f"{'customers':>10} {'seed s':>7} {'p50 ms':>7} {'p95 ms':>7} {'cpu p50':>8} {'cpu p95':>8} "
            f"{'mean hits':>9}",
            flush=True,
        )
        for size in sizes:
            started = time.perf_counter()
            bulk_insert(backend, stored, size - stored, rng)
            stored = size
            seeded = time.perf_counter() - started
            queries = sample_queries(backend, size, args.queries, rng)
            measure(backend, queries[:20])  # warm the page cache
            rounds = sorted((measure(backend, queries) for _ in range(ROUNDS)), key=lambda r: percentile(r[0], 0.95))
            timings, cpu, hits = rounds[len(rounds) // 2]  # the median round: other load on the machine adds noise
            p50, p95 = percentile(timings, 0.50), percentile(timings, 0.95)
            results.append((size, p95))
            print(
                f"{size:>10,} {seeded:>7.1f} {p50:>7.2f} {p95:>7.2f} {percentile(cpu, 0.50):>8.2f} "
                f"{percentile(cpu, 0.95):>8.2f} {statistics.mean(hits):>9.1f}",
                flush=True,
            )
            variant_results.append((size, *_variant_round(backend, size, args.queries, rng)))
        (small, small_p95), (large, large_p95) = results[0], results[-1]
        print(f"p95 growth {small:,} -> {large:,}: {large_p95 / small_p95:.2f}x")
        print(
            f"\ncase-variant search through gadget_plugin.customer_search (lower / UPPER surname, "
            f"lower first + last name)\n{'customers':>10} {'p50 ms':>7} {'p95 ms':>7} {'mean hits':>9}"
        )
        for size, p50, p95, mean_hits in variant_results:
            print(f"{size:>10,} {p50:>7.2f} {p95:>7.2f} {mean_hits:>9.1f}", flush=True)


def _variant_round(backend, size, count, rng):
    """p50, p95 and mean hits of the median of ROUNDS rounds of variant searches at this size."""
    proxy_side, queries = ProxySide(backend), variant_queries(backend, size, count, rng)
    measure_variants(proxy_side, queries[:20])
    rounds = sorted(
        (measure_variants(proxy_side, queries) for _ in range(ROUNDS)), key=lambda r: percentile(r[0], 0.95)
    )
    timings, hits = rounds[len(rounds) // 2]
    return percentile(timings, 0.50), percentile(timings, 0.95), statistics.mean(hits)


if __name__ == "__main__":
    main()
