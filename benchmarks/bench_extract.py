"""Timing of mbc.ingest.extract: one note and one Synthea bundle (after start-up).

Targets: a note <= 50 ms median, a Synthea bundle <= 100 ms median, and note reading linear
in the note's length: long notes of 1 KB, 10 KB and 100 KB (a realistic note repeated) should
take time roughly proportional to their size (ms per KB about constant). Timings are
reported, never asserted in tests.

Usage::

    python benchmarks/bench_extract.py [--repeat 30] [--shared PATH]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tarfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 1, 1)


def _median_ms(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), max(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--shared", default=os.environ.get("MBC_SHARED", str(REPO.parent / "shared")))
    args = parser.parse_args(argv)

    from mbc.ingest import extract

    t0 = time.perf_counter()
    note = (REPO / "tests" / "ingest" / "notes" / "multiple_lines.txt").read_text(encoding="utf-8")
    extract(note, kind="note", as_of=AS_OF)
    print(f"note start-up (load medspaCy + rule packs): {(time.perf_counter() - t0) * 1000:.0f} ms")
    for name in ("multiple_lines", "tnbc_question", "heldout_01"):
        text = (REPO / "tests" / "ingest" / "notes" / f"{name}.txt").read_text(encoding="utf-8")
        med, worst = _median_ms(lambda t=text: extract(t, kind="note", as_of=AS_OF), args.repeat)
        print(f"note {name:<16} ({len(text):4d} chars): median {med:6.1f} ms  max {worst:6.1f} ms")

    _scaling(extract, (REPO / "tests" / "ingest" / "notes_heldout" / "h01_clinic_letter_sections.txt"))

    tarball = Path(args.shared) / "data" / "synthea_mcode_breast" / "synthea_mcode_breast_bundles.tar.gz"
    if not tarball.is_file():
        print(f"Synthea bundles not found at {tarball}; skipping bundle timing")
        return 0
    with tarfile.open(tarball, "r:gz") as tar:
        raws, names = [], []
        for m in tar:
            fh = tar.extractfile(m) if m.isfile() and m.name.endswith(".json") else None
            if fh is not None:
                raws.append(fh.read())
                names.append(Path(m.name).name)
    extract(raws[0], kind="fhir", as_of=AS_OF)  # load the mappings
    per_bundle = []
    for raw in raws:
        t0 = time.perf_counter()
        extract(raw, kind="fhir", as_of=AS_OF)
        per_bundle.append((time.perf_counter() - t0) * 1000)
    worst = max(range(len(raws)), key=per_bundle.__getitem__)
    sizes = sorted(len(r) for r in raws)
    print(
        f"Synthea bundle (JSON parse + mapping), {len(raws)} bundles, "
        f"{sizes[len(sizes) // 2] / 1e6:.1f} MB median: median {statistics.median(per_bundle):.1f} ms"
        f"  p95 {sorted(per_bundle)[int(0.95 * len(per_bundle))]:.1f} ms  max {max(per_bundle):.1f} ms"
    )
    print(f"slowest: {names[worst]} ({len(raws[worst]) / 1e6:.1f} MB)")
    return 0


def _scaling(extract: Callable[..., object], sample: Path) -> None:
    """Time notes of about 1, 10 and 100 KB built by repeating a real note (linearity check)."""
    if not sample.is_file():
        sample = REPO / "tests" / "ingest" / "notes" / "multiple_lines.txt"
    unit = sample.read_text(encoding="utf-8").strip() + "\n\n"
    for kb in (1, 10, 100):
        text = (unit * (kb * 1024 // len(unit) + 1))[: kb * 1024]
        t0 = time.perf_counter()
        extract(text, kind="note", as_of=AS_OF)
        ms = (time.perf_counter() - t0) * 1000
        print(f"note of {kb:3d} KB ({len(text):6d} chars): {ms:8.0f} ms  ({ms / kb:6.1f} ms per KB)")


if __name__ == "__main__":
    sys.exit(main())
