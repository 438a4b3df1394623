"""The audit report: one self-contained HTML page for a quality committee.

Reads the three tables with Polars (lazily, so a large audit is aggregated without being
loaded whole), draws the charts with Altair rendered to inline SVG by vl-convert (no CDN,
no script), and writes ``report.html`` beside the tables.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mbc.cohort import _charts as charts
from mbc.cohort._classify import CONCORDANT

if TYPE_CHECKING:
    import polars as pl

__all__ = ["scan", "write_report"]

_TOP = 15
_TIMELINE_PATIENTS = 40
_CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;
  max-width:1100px;color:#222}
h1{font-size:22px;margin:0 0 4px}
h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#555} .kpis{display:flex;gap:12px;flex-wrap:wrap;margin:16px 0}
.kpi{border:1px solid #ddd;border-radius:6px;padding:8px 14px;min-width:130px}
.kpi b{display:block;font-size:22px} .kpi.bad b{color:#b2182b} .kpi.good b{color:#1b7837}
table{border-collapse:collapse;font-size:13px;margin:8px 0}
td,th{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
th{background:#f5f5f5} .note{color:#555;font-size:12.5px} svg{max-width:100%;height:auto}
"""


def scan(out_dir: Path, table: str) -> pl.LazyFrame:
    """A table of an audit directory (a Parquet file, or a directory of parts from Spark)."""
    import polars as pl  # noqa: PLC0415

    path = out_dir / f"{table}.parquet"
    return pl.scan_parquet(path / "*.parquet" if path.is_dir() else path)


def _esc(v: Any) -> str:
    return html.escape("" if v is None else str(v))


def _table(rows: list[dict[str, Any]], cols: list[tuple[str, str]]) -> str:
    if not rows:
        return "<p class=note>None.</p>"
    head = "".join(f"<th>{_esc(t)}</th>" for _, t in cols)
    body = "".join("<tr>" + "".join(f"<td>{_esc(r.get(c))}</td>" for c, _ in cols) + "</tr>" for r in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _figure(chart: Any) -> str:
    return f"<figure>{charts.svg(chart)}</figure>"


def _verdict_counts(lines: pl.LazyFrame, by: str) -> pl.DataFrame:
    import polars as pl  # noqa: PLC0415

    order = {v: i for i, v in enumerate(charts.VERDICT_ORDER)}
    df = lines.group_by(by, "verdict").agg(n=pl.len()).sort(by, "verdict").collect()
    return df.with_columns(
        pl.col(by).cast(pl.String).fill_null("unknown"),
        order=pl.col("verdict").replace_strict(order, default=99, return_dtype=pl.Int32),
    )


def write_report(out_dir: str | Path, *, source_name: str = "cohort") -> Path:
    """Write ``report.html`` into ``out_dir`` (which holds the three tables)."""
    import polars as pl  # noqa: PLC0415

    out = Path(out_dir)
    patients, lines, findings = (scan(out, t) for t in ("patients", "lines", "findings"))
    p = (
        patients.select(
            n=pl.len(),
            invalid=(~pl.col("valid")).sum(),
            with_lines=(pl.col("n_lines") > 0).sum(),
            kb=pl.col("kb_version").first(),
        )
        .collect()
        .row(0, named=True)
    )
    v = lines.group_by("verdict").agg(n=pl.len()).collect()
    counts = dict(zip(v["verdict"].to_list(), v["n"].to_list(), strict=True))
    n_lines = sum(counts.values())
    assessed = n_lines - counts.get("not_assessable", 0)
    concordant = sum(counts.get(c, 0) for c in CONCORDANT)
    pct = f"{100 * concordant / assessed:.1f} %" if assessed else "–"

    parts: list[str] = [
        f"<h1>Guideline concordance audit: {_esc(source_name)}</h1>",
        f"<p class=meta>Knowledge base {_esc(p['kb'])} · generated {dt.date.today().isoformat()} · "
        "each metastatic line is compared with the plan mbc makes as of that line's start.</p>",
        "<div class=kpis>",
        f"<div class=kpi><b>{p['n']}</b>patients ({p['invalid']} unreadable)</div>",
        f"<div class=kpi><b>{p['with_lines']}</b>with metastatic lines</div>",
        f"<div class=kpi><b>{n_lines}</b>lines given</div>",
        f"<div class=kpi><b>{pct}</b>concordant (of {assessed} assessable)</div>",
        f"<div class='kpi bad'><b>{counts.get('not_recommended', 0)}</b>not-recommended given</div>",
        f"<div class=kpi><b>{counts.get('not_assessable', 0)}</b>not assessable</div>",
        "</div>",
    ]
    if n_lines:
        parts += _line_sections(lines, findings)
    else:
        parts.append("<p>No metastatic line was found in the cohort's therapy histories.</p>")
    parts += _missing_sections(findings, n_lines)
    parts.append(
        "<h2>Method and limits</h2><p class=note>Verdicts: <i>preferred / other / certain circumstances</i> "
        "= the drugs given make up an option of the plan; <i>not in plan</i> = no option contains them; "
        "<i>not recommended</i> = the plan advised against a drug given (reason shown); "
        "<i>not assessable</i> "
        "= the plan held the option back for a missing fact, or offered none. The record is truncated to the "
        "therapies that started before the line; receptor, genomic and laboratory facts are taken "
        "as recorded "
        "(the record does not date them). Decision support, not a substitute for clinical judgement.</p>"
    )
    doc = (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>mbc audit: {_esc(source_name)}</title>"
        f"<style>{_CSS}</style></head><body>{''.join(parts)}</body></html>"
    )
    path = out / "report.html"
    path.write_text(doc, encoding="utf-8")
    return path


def _line_sections(lines: pl.LazyFrame, findings: pl.LazyFrame) -> list[str]:
    import polars as pl  # noqa: PLC0415

    parts = ["<h2>Concordance by subtype and by line</h2>"]
    parts.append(
        _figure(
            charts.stacked_share(
                _verdict_counts(lines, "subtype"), "subtype", "Verdict share by subtype", by_title="subtype"
            )
        )
    )
    parts.append(
        _figure(
            charts.stacked_share(
                _verdict_counts(lines, "line"), "line", "Verdict share by metastatic line", by_title="line"
            )
        )
    )
    combo = pl.col("drugs").list.join(" + ")
    disc = _top(lines, pl.col("verdict") == "not_in_plan", [combo.alias("therapy"), "subtype"], n=pl.len())
    parts.append("<h2>Most frequent choices not in the plan</h2>")
    parts.append(
        _figure(
            charts.bars(disc, "therapy", "n", "Therapies given that the plan did not offer", color="subtype")
        )
        if disc.height
        else "<p class=note>None.</p>"
    )
    nr = _top(
        lines,
        pl.col("verdict") == "not_recommended",
        [combo.alias("therapy"), "reason"],
        n=pl.len(),
        patients=pl.col("patient_id").n_unique(),
    )
    parts.append("<h2>Not-recommended therapies given</h2>")
    parts.append(
        _table(
            nr.to_dicts(),
            [
                ("therapy", "therapy"),
                ("n", "lines"),
                ("patients", "patients"),
                ("reason", "why the plan advised against it"),
            ],
        )
    )
    alerts = _top(
        findings,
        (pl.col("kind") == "alert") & pl.col("severity").is_in(["critical", "warning"]),
        ["code", "severity"],
        n=pl.len(),
    )
    parts.append("<h2>Safety alerts raised</h2>")
    parts.append(
        _figure(charts.bars(alerts, "code", "n", "Critical and warning alerts (lines)", color="severity"))
        if alerts.height
        else "<p class=note>No critical or warning alert.</p>"
    )
    parts.append("<h2>Sequences of therapy</h2>")
    trans = (
        lines.filter(pl.col("previous").is_not_null())
        .group_by(pl.col("previous").str.replace_all(r"\+", " + ").alias("from"), combo.alias("to"))
        .agg(n=pl.len())
        .sort("n", descending=True)
        .head(25)
        .collect()
    )
    if trans.height:
        parts.append(_figure(charts.heat(trans, "Most frequent transitions between consecutive lines")))
    busiest = (
        lines.group_by("patient_id")
        .agg(k=pl.len())
        .sort("k", "patient_id", descending=[True, False])
        .head(_TIMELINE_PATIENTS)
        .select("patient_id")
    )
    tl = (
        lines.join(busiest, on="patient_id")
        .filter(pl.col("start").is_not_null())
        .select(
            pl.col("patient_id").alias("patient"),
            "line",
            pl.col("start").cast(pl.String),
            pl.coalesce("end", "start").cast(pl.String).alias("end"),
            "verdict",
            combo.alias("drugs"),
        )
        .sort("patient", "line")
        .collect()
    )
    if tl.height:
        parts.append(
            _figure(
                charts.timeline(
                    tl, f"Timelines of the {tl['patient'].n_unique()} patients with the most lines"
                )
            )
        )
    return parts


def _top(frame: pl.LazyFrame, where: Any, by: list[Any], *, top: int = _TOP, **aggs: Any) -> pl.DataFrame:
    """The ``top`` groups of ``frame`` rows matching ``where``, by their first aggregate
    (largest first), ties by the first key (a label's name is the key's output name)."""
    first = next(iter(aggs))
    key = by[0] if isinstance(by[0], str) else by[0].meta.output_name()
    return (
        frame.filter(where)
        .group_by(*by)
        .agg(**aggs)
        .sort(first, key, descending=[True, False])
        .head(top)
        .collect()
    )


def _missing_sections(findings: pl.LazyFrame, n_lines: int) -> list[str]:
    import polars as pl  # noqa: PLC0415

    miss = _top(findings, pl.col("kind") == "missing_fact", ["code", "severity"], top=_TOP + 5, n=pl.len())
    parts = [
        "<h2>Missing facts</h2>",
        "<p class=note>How often a fact that would change the plan was missing when a line was chosen "
        "(colour: what it decides first).</p>",
    ]
    if miss.height:
        miss = miss.with_columns(share=(pl.col("n") / max(n_lines, 1)).round(3))
        parts.append(
            _figure(
                charts.bars(
                    miss.rename({"code": "fact", "severity": "decides"}),
                    "fact",
                    "n",
                    "Missing facts (lines)",
                    color="decides",
                )
            )
        )
    trials = _top(
        findings,
        pl.col("kind") == "trial_match",
        ["code"],
        patients=pl.col("patient_id").n_unique(),
        title=pl.col("detail").first(),
    )
    if trials.height:
        parts.append("<h2>Trials patients are eligible for now</h2>")
        parts.append(
            _table(trials.to_dicts(), [("code", "trial"), ("patients", "patients"), ("title", "title")])
        )
    invalid = _top(findings, pl.col("kind") == "invalid_record", ["code"], n=pl.len())
    if invalid.height:
        parts.append("<h2>Unreadable records</h2>")
        parts.append(_table(invalid.to_dicts(), [("code", "field"), ("n", "records")]))
    return parts
