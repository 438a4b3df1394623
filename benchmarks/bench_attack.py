"""A scripted attacker against a real ``mbc serve`` (sign-in ON), bounded in count.

Phases:

1. **Roles**: every route, as anonymous, viewer, clinician and admin (API keys), and with
   forged bearer tokens. Counts answers that break the role table (anonymous must get
   401 except on the public routes; a viewer may not write; only an admin deletes and
   reads the audit log).
2. **Fuzz**: ``--requests`` (default 10,000) malformed requests, sequential over one
   keep-alive connection (``http.client``): hostile JSON (nesting to 100,000, 5,000-digit
   integers, lone surrogates, NaN / Infinity / 1e400), mutated records, form posts with
   huge or non-integer therapy indices, notes up to 100 KB, CDS Hooks bodies with wrong
   types and path-traversing patient ids, odd query strings, content types and
   Authorization headers. For each request the server's CPU time is read from
   ``/proc/<pid>/stat`` before and after (one worker, sequential, so it is that request's).
3. **Audit**: ``mbc audit verify`` on the store afterwards (must pass), then one edited
   audit row, one edited case and one edited plan (each must be detected).

Prints a Markdown summary: status counts, 5xx count, reconnects (connections the server
closed), the largest CPU time of a request under 100 KB, and the audit results.

Usage::

    python benchmarks/bench_attack.py [--requests 10000] [--seed 13] [--kb PATH]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from mbc.api.testing import TokenSigner, provision_keys, sample_prefetch, start_server
from mbc.knowledge import default_kb_path
from mbc.web.views import load_examples

SECRET = "attack-secret-" + "a" * 32
PV = "/cds-services/mbc-patient-view"
OS = "/cds-services/mbc-order-select"
_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICK


# ---------------------------------------------------------------------------- generators


def _nest(v: Any, n: int) -> str:
    return "[" * n + json.dumps(v) + "]" * n


def _hostile(rng: random.Random) -> bytes:
    kind = rng.randrange(8)
    if kind == 0:
        n = rng.choice([100, 1_000, 10_000, 100_000])
        return _nest(1, n).encode()
    if kind == 1:
        return b'{"id": "x", "age": ' + b"9" * rng.choice([31, 400, 5000, 50_000]) + b"}"
    if kind == 2:
        return b'{"id": "\\ud800", "tumor": {"histology": "\\udfff"}}'
    if kind == 3:
        v = rng.choice(["NaN", "Infinity", "-Infinity", "1e400", "-1e999"])
        return f'{{"id": "x", "biomarkers": {{"pdl1_cps": {v}, "tmb_per_mb": {v}}}}}'.encode()
    if kind == 4:
        return json.dumps(
            {"id": "x", "provenance": json.loads(_nest({}, rng.choice([60, 300, 900])))}
        ).encode()
    if kind == 5:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200)))
    if kind == 6:
        return json.dumps(rng.choice([[], 5, "x", None, True, {"": {}}])).encode()
    return b'{"id": "x"' + b', "a": 1' * rng.randrange(1, 5000) + b"}"


def _mutate(rng: random.Random, value: Any, depth: int = 0) -> Any:
    if isinstance(value, dict) and value:
        out = dict(value)
        for _ in range(rng.randrange(1, 3)):
            if not out:
                break
            key = rng.choice(list(out))
            choice = rng.randrange(6)
            if choice == 0:
                out.pop(key)
            elif choice == 1:
                out[key] = _mutate(rng, out[key], depth + 1)
            else:
                out[key] = rng.choice(
                    [None, -1, 10**30, 1e308, "", "x" * 500, [], {}, [None], True, "2026-02-30"]
                )
        return out
    if isinstance(value, list) and value:
        return [_mutate(rng, v, depth + 1) for v in value] + rng.choice([[], [None], [{}]])
    return rng.choice([None, -1, "?", 3.5, [], {}])


def _form(rng: random.Random) -> str:
    keys = [
        f"prior_therapies.{rng.choice([0, 1, 39, 40, 1000, 1_000_000, 10**12])}.drugs",
        f"prior_therapies.{rng.choice(['abc', '-1', '1.5', '0x10', ''])}.drugs",
        "prior_therapies.1.2.3",
        rng.choice(["er", "her2", "age", "id", "pdl1_cps", "tmb_per_mb", "_label", "x" * 300]),
    ]
    fields = [
        (rng.choice(keys), rng.choice(["x", "inf", "nan", "1e999", "-5", "positive", "\x00", "é" * 50]))
        for _ in range(rng.randrange(1, 30))
    ]
    return urlencode(fields)


def _hook_body(rng: random.Random) -> Any:
    pf = sample_prefetch()
    bad = rng.choice(
        [
            5,
            "x",
            None,
            [],
            [5],
            {"entry": 5},
            {"resourceType": "Bundle", "entry": 5},
            {"resourceType": "Bundle", "entry": [{"resource": 5}]},
        ]
    )
    pf[rng.choice(["patient", "conditions", "observations", "medications"])] = bad
    body: dict[str, Any] = {
        "hook": rng.choice(["patient-view", "order-select", 5, None]),
        "hookInstance": rng.choice(["x", 5, None]),
        "context": rng.choice(
            [
                {"patientId": rng.choice(["pt-1", "../../admin/secret?x=", "a/b", "", 5, "x" * 100])},
                {
                    "patientId": "pt-1",
                    "draftOrders": rng.choice(
                        [
                            5,
                            {"entry": 5},
                            {
                                "entry": [
                                    {
                                        "resource": {
                                            "resourceType": "MedicationRequest",
                                            "medicationCodeableConcept": {"coding": 5},
                                        }
                                    }
                                ]
                            },
                        ]
                    ),
                    "selections": rng.choice([5, ["x"], None]),
                },
                5,
                None,
                [],
            ]
        ),
        "prefetch": rng.choice([pf, 5, [], None]),
        "fhirServer": rng.choice([None, "https://evil.test", 5]),
    }
    return body


def _note(rng: random.Random) -> str:
    words = [
        "ER",
        "positive",
        "HER2",
        "0",
        "metastatic",
        "bone",
        "liver",
        "letrozole",
        "palbociclib",
        "progression",
        "no",
        "denies",
        "family",
        "history",
        "QTc",
        "480",
        "ms",
        "ECOG",
        "1",
        "\n",
    ]
    size = rng.choice([10, 1_000, 5_000, 15_000, 30_000, 100_000])
    return " ".join(rng.choice(words) for _ in range(size // 4))[:size]


def fuzz_request(
    rng: random.Random, records: list[dict[str, Any]], signer: TokenSigner, base: str, keys: dict[str, str]
) -> tuple[str, str, bytes, dict[str, str]]:
    """One malformed request: (method, path, body, headers)."""
    auth = {"Authorization": f"Bearer {keys[rng.choice(['clinician', 'admin', 'admin'])]}"}
    json_h = {"Content-Type": "application/json", **auth}
    k = rng.randrange(10)
    if k <= 1:
        path = rng.choice(["/v1/plan", "/v1/cases", "/v1/plan/fhir", PV, OS, f"{PV}/feedback"])
        h = dict(json_h)
        if path.startswith("/cds"):
            h["Authorization"] = f"Bearer {signer.sign(base + path.removesuffix('/feedback'))}"
        return "POST", path, _hostile(rng), h
    if k <= 3:
        rec = _mutate(rng, rng.choice(records))
        path = rng.choice(["/v1/plan", "/v1/plan?save=true", "/v1/cases"])
        body = {"record": rec} if path == "/v1/cases" else rec
        return "POST", path, json.dumps(body).encode(), json_h
    if k == 4:
        path = rng.choice(["/web/validate", "/cases", "/cases/x/edit"])
        return (
            "POST",
            path,
            _form(rng).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", **auth},
        )
    if k == 5:
        text = _note(rng)
        if rng.random() < 0.5:
            return "POST", "/v1/plan/note", json.dumps({"text": text}).encode(), json_h
        return (
            "POST",
            "/cases/paste",
            urlencode({"source": text, "kind": "note"}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html", **auth},
        )
    if k == 6:
        path = rng.choice([PV, OS, f"{PV}/feedback"])
        body = (
            _hook_body(rng)
            if not path.endswith("feedback")
            else {
                "feedback": rng.choice(
                    [
                        5,
                        [5],
                        [{"card": 5}],
                        [{"card": "c", "outcome": "accepted", "acceptedSuggestions": 5, "overrideReason": 5}],
                    ]
                )
            }
        )
        h = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {signer.sign(base + path.removesuffix('/feedback'))}",
        }
        return "POST", path, json.dumps(body).encode(), h
    if k == 7:
        q = urlencode(
            {
                rng.choice(["limit", "offset", "as_of", "view", "example"]): rng.choice(
                    ["-1", "0", "99999999999999999999999", "abc", "2026-02-30", "../../etc/passwd", "\x00"]
                )
            }
        )
        path = rng.choice(
            ["/v1/cases", "/v1/plan", "/", "/cases/new", "/cases/example-x/print", "/v1/rules/x"]
        )
        return rng.choice(["GET", "POST"]), f"{path}?{q}", b"{}", json_h
    if k == 8:
        hdr = rng.choice(
            [
                {"Authorization": "Bearer"},
                {"Authorization": "Basic abc"},
                {"Authorization": "Bearer mbc_x_y"},
                {"Authorization": "Bearer " + "a" * 5000},
                {"Authorization": "Bearer eyJhbGciOiJub25lIn0.e30."},
                {"Content-Type": "text/plain", **auth},
                {"Content-Type": "application/json; charset=latin-1", **auth},
            ]
        )
        return "POST", rng.choice(["/v1/plan", "/v1/cases", "/cases"]), b'{"id": "x"}', hdr
    method = rng.choice(["PUT", "DELETE", "PATCH", "GET", "OPTIONS"])
    path = rng.choice(
        [
            "/v1/cases/" + rng.choice(["x", "%00", "..%2F..", "a" * 300]),
            "/v1/admin/keys/zz",
            "/cases/%2e%2e/edit",
            "/static/../../etc/passwd",
            "/v1/" + "a/" * 200,
        ]
    )
    return method, path, json.dumps({"record": rng.choice(records)}).encode(), json_h


# ---------------------------------------------------------------------------- phases


def _a_rule_id() -> str:
    from mbc.knowledge import load_kb

    return load_kb().rules[0].id


def _warm_up(base: str, keys: dict[str, str]) -> float:
    """The first note read loads the note reader (seconds): done once before the fuzz, and reported."""
    import httpx

    t0 = time.perf_counter()
    httpx.post(
        f"{base}/v1/plan/note",
        json={"text": "ER positive HER2 0 metastatic breast cancer, bone only."},
        headers={"Authorization": f"Bearer {keys['clinician']}"},
        timeout=60,
    )
    return time.perf_counter() - t0


def _roles(base: str, keys: dict[str, str]) -> tuple[int, int]:
    """(checks, violations) of the role table over HTTP."""
    import httpx

    rec = next(iter(load_examples().values()))
    checks = violations = 0
    with httpx.Client(base_url=base, timeout=30) as c:
        cid = c.post(
            "/v1/cases", json={"record": rec}, headers={"Authorization": f"Bearer {keys['clinician']}"}
        ).json()["id"]
        table = [  # method, path, body, least role (None = public)
            ("GET", "/v1/ping", None, None),
            ("GET", "/cds-services", None, None),
            ("GET", "/v1/health", None, "viewer"),
            ("GET", "/v1/cases", None, "viewer"),
            ("GET", f"/v1/cases/{cid}", None, "viewer"),
            ("GET", f"/v1/cases/{cid}/plan", None, "viewer"),
            ("GET", f"/v1/rules/{_a_rule_id()}", None, "viewer"),
            ("GET", "/", None, "viewer"),
            ("GET", f"/cases/{cid}", None, "viewer"),
            ("GET", f"/cases/{cid}/patient", None, "viewer"),
            ("GET", f"/cases/{cid}/timeline.svg", None, "viewer"),
            ("GET", "/openapi.json", None, "viewer"),
            ("GET", "/docs", None, "viewer"),
            ("POST", "/v1/plan", rec, "clinician"),
            ("POST", "/v1/cases", {"record": rec}, "clinician"),
            ("PUT", f"/v1/cases/{cid}", {"record": rec}, "clinician"),
            ("GET", "/cases/new", None, "clinician"),
            ("GET", f"/cases/{cid}/edit", None, "clinician"),
            ("GET", "/cases/paste", None, "clinician"),
            ("GET", "/v1/admin/audit", None, "admin"),
            ("GET", "/v1/admin/keys", None, "admin"),
            ("DELETE", f"/v1/cases/{cid}", None, "admin"),
        ]
        rank = {None: -1, "viewer": 0, "clinician": 1, "admin": 2}
        for who in ("anonymous", "forged", "viewer", "clinician", "admin"):
            for method, path, body, least in table:
                if method == "DELETE" and who != "admin":
                    pass
                headers = {}
                if who == "forged":
                    headers["Authorization"] = "Bearer " + keys["admin"][:-4] + "AAAA"
                elif who != "anonymous":
                    headers["Authorization"] = f"Bearer {keys[who]}"
                r = c.request(method, path, json=body, headers=headers)
                allowed = least is None or (who in rank and rank[who] >= rank[least])
                ok = (r.status_code < 400) if allowed else (r.status_code in (401, 403))
                if who in ("anonymous", "forged") and least is not None:
                    ok = r.status_code == 401
                checks += 1
                if not ok:
                    violations += 1
                    print(f"  role violation: {who} {method} {path} -> {r.status_code}", file=sys.stderr)
    return checks, violations


def _fuzz(
    host: str, port: int, pid: int, n: int, seed: int, keys: dict[str, str], signer: TokenSigner
) -> dict[str, Any]:
    rng = random.Random(seed)
    records = list(load_examples().values())
    base = f"http://{host}:{port}"
    conn = http.client.HTTPConnection(host, port, timeout=60)
    statuses: Counter[int] = Counter()
    reconnects = 0
    worst_small = (0.0, "")
    over_1s = 0
    lat: list[float] = []
    for _ in range(n):
        method, path, body, headers = fuzz_request(rng, records, signer, base, keys)
        c0, t0 = _cpu(pid), time.perf_counter()
        try:
            conn.request(
                method, path, body=body if method not in ("GET", "OPTIONS") else None, headers=headers
            )
            resp = conn.getresponse()
            resp.read()
            status = resp.status
        except (http.client.HTTPException, OSError):
            status = 599  # the server dropped the connection
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=60)
        lat.append(time.perf_counter() - t0)
        cpu = _cpu(pid) - c0
        statuses[status] += 1
        if conn.sock is None:
            reconnects += 1
        if len(body) < 100_000:
            if cpu > worst_small[0]:
                worst_small = (cpu, f"{method} {path[:60]} ({len(body)} bytes)")
            over_1s += cpu > 1.0
    lat.sort()
    return {
        "requests": n,
        "statuses": dict(sorted(statuses.items())),
        "5xx": sum(v for k, v in statuses.items() if k >= 500),
        "reconnects": reconnects,
        "max_cpu_s_under_100KB": round(worst_small[0], 3),
        "max_cpu_request": worst_small[1],
        "requests_under_100KB_over_1s_cpu": over_1s,
        "p50_ms": round(1000 * lat[len(lat) // 2], 1),
        "p99_ms": round(1000 * lat[int(0.99 * len(lat))], 1),
    }


def _verify(db: Path) -> tuple[int, str]:
    cmd = [
        sys.executable,
        "-c",
        "import sys; from mbc.cli import main; sys.exit(main(sys.argv[1:]))",
        "audit",
        "verify",
        "--db",
        f"sqlite:///{db}",
    ]
    r = subprocess.run(
        cmd, env={**os.environ, "MBC_SECRET_KEY": SECRET}, capture_output=True, text=True, check=False
    )
    return r.returncode, r.stdout


def _tamper(db: Path) -> dict[str, bool]:
    found = {}
    for name, stmt in (
        ("audit row edited", "UPDATE audit SET actor = 'x' WHERE id = 5"),
        ("audit row deleted", "DELETE FROM audit WHERE id = 7"),
        (
            "case edited",
            "UPDATE cases SET record_json = replace(record_json, '\"id\"', '\"id\" ') WHERE rowid = 1",
        ),
        ("plan edited", "UPDATE plans SET plan_json = plan_json || ' ' WHERE id = 1"),
    ):
        copy = db.with_name(f"t-{len(found)}.db")
        src = sqlite3.connect(db)
        dst = sqlite3.connect(copy)
        src.backup(dst)
        src.close()
        dst.execute("DROP TRIGGER IF EXISTS audit_no_update")
        dst.execute("DROP TRIGGER IF EXISTS audit_no_delete")
        dst.execute(stmt)
        dst.commit()
        dst.close()
        found[name] = _verify(copy)[0] == 1
    return found


def main(argv: list[str] | None = None) -> int:
    """Run the attack and print the summary."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--kb", type=Path, default=None)
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    kb = args.kb or default_kb_path()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "attack.db"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        base = f"http://127.0.0.1:{port}"
        signer = TokenSigner()
        keys = provision_keys(db, SECRET)
        env = {
            "MBC_AUTH": "on",
            "MBC_CDS_AUTH": "on",
            "MBC_SECRET_KEY": SECRET,
            "MBC_PUBLIC_BASE_URL": base,
            "MBC_CDS_JWKS": json.dumps({signer.issuer: signer.jwks()}),
            "MBC_RATE_LIMIT_PER_S": "0",
            "MBC_FHIR_SERVERS": "[]",
        }
        proc, _ = start_server(db, kb, env=env, port=port)
        try:
            checks, violations = _roles(base, keys)
            print(f"roles: {checks} checks, {violations} violations", file=sys.stderr)
            warm = _warm_up(base, keys)
            result = _fuzz("127.0.0.1", port, proc.pid, args.requests, args.seed, keys, signer)
            print(f"fuzz: {result}", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=20)
        code, out = _verify(db)
        tamper = _tamper(db)
    summary = {
        "role_checks": checks,
        "role_violations": violations,
        "first_note_warm_up_s": round(warm, 2),
        **result,
        "audit_verify_after_run": "ok" if code == 0 else f"FAILED ({out.strip()[-200:]})",
        "tampering_detected": tamper,
    }
    print("| measure | value |\n|---|---|")
    for k, v in summary.items():
        print(f"| {k} | {v} |")
    if args.json:
        args.json.write_text(json.dumps(summary, indent=2))
    return 0 if (violations == 0 and result["5xx"] == 0 and code == 0 and all(tamper.values())) else 1


if __name__ == "__main__":
    sys.exit(main())
