"""Latency and throughput of the served app, on loopback, bounded in count and time.

Starts ``mbc serve`` (``--workers`` uvicorn workers, default 1, SQLite in a temp dir) on a
free loopback port with sign-in ON (a clinician API key; CDS calls carry a fresh signed
JWT each; ``--no-auth`` for the development mode) and measures, at 1, 10 and 50 concurrent
clients (asyncio + httpx):

* ``ping``          GET /v1/ping: the framework's floor (same app, no work)
* ``plan``          POST /v1/plan, the same record each time (plan cache hit, audited)
* ``plan-uncached`` POST /v1/plan, a new record id each time (full engine run, audited)
* ``patient-view``  POST /cds-services/mbc-patient-view with prefetch (FHIR read, case
                    update, plan, audit, cards)

Each cell stops after ``--requests`` requests or ``--seconds`` seconds, whichever comes
first, and the whole run stops by itself. Prints a Markdown table with p50, p99,
throughput and p99 relative to the floor at the same concurrency.

Usage::

    python benchmarks/bench_api.py [--requests 400] [--seconds 8] [--kb PATH] [--workers N] [--no-auth]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from mbc.api.testing import TokenSigner, provision_keys, sample_prefetch, start_server
from mbc.knowledge import default_kb_path
from mbc.web.views import load_example

Request = Callable[[int], tuple[str, str, Any]]


def _requests() -> dict[str, Request]:
    record = load_example("hrpos-2l-esr1")
    assert record is not None
    hook = {
        "hook": "patient-view",
        "hookInstance": "bench",
        "context": {"userId": "Practitioner/1", "patientId": "pt-1"},
        "prefetch": sample_prefetch(her2_ihc="0", er_percent=90),
    }
    return {
        "ping": lambda _i: ("GET", "/v1/ping", None),
        "plan": lambda _i: ("POST", "/v1/plan", record),
        "plan-uncached": lambda i: ("POST", "/v1/plan", {**record, "id": f"bench-{i}-{time.monotonic_ns()}"}),
        "patient-view": lambda _i: ("POST", "/cds-services/mbc-patient-view", hook),
    }


_AUTH: dict[str, Any] = {}


def _headers(path: str, base: str) -> dict[str, str]:
    if not _AUTH:
        return {}
    if path.startswith("/cds-services/"):
        return {"Authorization": f"Bearer {_AUTH['signer'].sign(base + path)}"}
    return {"Authorization": f"Bearer {_AUTH['token']}"}


async def _cell(base: str, make: Request, clients: int, total: int, seconds: float) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    counter = 0
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        for i in range(min(10, total)):  # warm-up (connections, caches)
            method, path, body = make(-i - 1)
            await client.request(method, path, json=body, headers=_headers(path, base))

        deadline = time.perf_counter() + seconds  # after the warm-up

        async def worker() -> None:
            nonlocal counter, errors
            while counter < total and time.perf_counter() < deadline:
                counter += 1
                method, path, body = make(counter)
                headers = _headers(path, base)
                t0 = time.perf_counter()
                try:
                    resp = await client.request(method, path, json=body, headers=headers)
                    failed = resp.status_code >= 400
                except httpx.TransportError:  # counted, not fatal: a dropped connection is an error
                    failed = True
                latencies.append(time.perf_counter() - t0)
                errors += failed

        t_start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - t_start
    latencies.sort()
    n = len(latencies)
    return {
        "n": n,
        "errors": errors,
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(n - 1, int(0.99 * n))],
        "rps": n / elapsed,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--requests", type=int, default=400, help="max requests per cell")
    ap.add_argument("--seconds", type=float, default=8.0, help="max seconds per cell")
    ap.add_argument("--concurrency", type=int, nargs="+", default=[1, 10, 50])
    ap.add_argument("--kb", type=Path, default=None, help="knowledge base (default: shipped)")
    ap.add_argument("--json", type=Path, default=None, help="also write the results as JSON")
    ap.add_argument("--workers", type=int, default=1, help="server worker processes")
    ap.add_argument("--no-auth", action="store_true", help="development mode (MBC_AUTH=off)")
    args = ap.parse_args(argv)
    kb = args.kb or default_kb_path()
    results: dict[str, dict[int, dict[str, float]]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        import socket

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = int(s.getsockname()[1])
        secret = "bench-secret-" + "b" * 32
        env = {"MBC_SECRET_KEY": secret}
        if not args.no_auth:
            signer = TokenSigner()
            _AUTH.update(token=provision_keys(Path(tmp) / "bench.db", secret)["clinician"], signer=signer)
            env.update(
                MBC_AUTH="on",
                MBC_CDS_AUTH="on",
                MBC_PUBLIC_BASE_URL=f"http://127.0.0.1:{port}",
                MBC_CDS_JWKS=json.dumps({signer.issuer: signer.jwks()}),
            )
        proc, base = start_server(
            Path(tmp) / "bench.db", kb, env=env, port=port, args=("--workers", str(args.workers))
        )
        try:
            until = time.monotonic() + 90  # forked workers boot after the address is printed
            while time.monotonic() < until:
                try:
                    if httpx.get(f"{base}/v1/ping", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    time.sleep(0.5)
            for name, make in _requests().items():
                results[name] = {}
                for c in args.concurrency:
                    results[name][c] = asyncio.run(_cell(base, make, c, args.requests, args.seconds))
                    print(f"  {name:14s} c={c:<3d} {results[name][c]}", file=sys.stderr)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print("| endpoint | clients | requests | p50 ms | p99 ms | req/s | p99 / floor p99 |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, by_c in results.items():
        for c, r in by_c.items():
            ratio = r["p99_ms"] / results["ping"][c]["p99_ms"]
            err = f" ({int(r['errors'])} errors)" if r["errors"] else ""
            print(
                f"| {name} | {c} | {int(r['n'])}{err} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                f"{r['rps']:.0f} | {ratio:.2f}× |"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
