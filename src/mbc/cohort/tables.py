"""The audit's output tables: ``patients``, ``lines`` and ``findings``.

One column list per table, with its type and meaning. The Parquet schemas, the Spark
schemas and the reference in ``docs/audit.md`` are all made from these lists
(``tests/cohort/test_tables.py`` checks the document against them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["KEYS", "TABLES", "Column", "arrow_schema", "markdown_reference", "read_table"]

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # "string" | "int32" | "bool" | "date" | "list<string>"
    doc: str
    nullable: bool = True


_P = [
    Column(
        "patient_id",
        "string",
        "Record id (contract `id`), or the source name when the record has none.",
        False,
    ),
    Column(
        "source",
        "string",
        "Where the record came from: file name, `line N` of an NDJSON file, or bundle member.",
        False,
    ),
    Column("valid", "bool", "The record could be read and validated.", False),
    Column("errors", "list<string>", "Validation problems (`path: message`) when not valid."),
    Column(
        "subtype",
        "string",
        "Subtype at the latest assessed line (or from the record when no line was given).",
    ),
    Column("sex", "string", "Contract `sex`."),
    Column("age", "int32", "Contract `age` at the record's `as_of`."),
    Column("as_of", "date", "The record's `as_of` (date of the record)."),
    Column("n_lines", "int32", "Metastatic lines in the record's therapy history.", False),
    Column("n_assessed", "int32", "Lines with a verdict other than `not_assessable`.", False),
    Column("n_concordant", "int32", "Lines whose therapy is a plan option (any category).", False),
    Column("n_not_in_plan", "int32", "Lines whose therapy the plan did not offer.", False),
    Column("n_not_recommended", "int32", "Lines whose therapy the plan advised against.", False),
    Column("n_not_assessable", "int32", "Lines the plan could not judge.", False),
    Column("n_missing_facts", "int32", "Distinct missing facts over all lines.", False),
    Column("n_critical_alerts", "int32", "Critical safety alerts over all lines.", False),
    Column("kb_version", "string", "Knowledge-base version of the audit.", False),
    Column(
        "n_trials_eligible", "int32", "Trials of the registry (`--trials`) the patient is eligible for now."
    ),
]

_L = [
    Column("patient_id", "string", "As in `patients`.", False),
    Column("line", "int32", "Metastatic line given, numbered 1, 2, … in order of start.", False),
    Column("start", "date", "Start of the line."),
    Column("end", "date", "End of the line (null = ongoing or not recorded)."),
    Column("stop_reason", "string", "Contract `stop_reason` of the line."),
    Column("drugs", "list<string>", "Drugs given (knowledge-base drug ids), sorted.", False),
    Column("subtype", "string", "Subtype in the plan made as of the line's start."),
    Column("planned_line", "int32", "The line the plan was choosing (classification.line)."),
    Column(
        "verdict",
        "string",
        "preferred | other | certain_circumstances | not_in_plan | not_recommended | not_assessable.",
        False,
    ),
    Column(
        "concordant",
        "bool",
        "True for an option of any category, false for not_in_plan / not_recommended, "
        "null when not assessable.",
    ),
    Column(
        "matched",
        "string",
        "Option id (concordant), not-recommended id, or held-back option id (not assessable).",
    ),
    Column("matched_regimen", "string", "Regimen id of `matched`."),
    Column("reason", "string", "Why not recommended, or why not assessable."),
    Column("missing", "list<string>", "Record fields that would decide a not-assessable line.", False),
    Column("preferred", "list<string>", "Regimen ids of the plan's preferred options.", False),
    Column("n_options", "int32", "Options the plan offered.", False),
    Column("alerts", "list<string>", "Alert codes the plan raised, sorted.", False),
    Column(
        "previous", "string", "Verdict-independent sequence step: the previous line's drugs joined by `+`."
    ),
]

_F = [
    Column("patient_id", "string", "As in `patients`.", False),
    Column("line", "int32", "The line (0 = the record as a whole).", False),
    Column(
        "kind",
        "string",
        "missing_fact | alert | not_recommended_given | invalid_record | trial_match.",
        False,
    ),
    Column(
        "code",
        "string",
        "Record field (missing_fact), alert code (alert), not-recommended id, error path, or NCT id.",
        False,
    ),
    Column(
        "severity",
        "string",
        "Alert severity, the missing fact's priority (treatment | safety | workup), or match status.",
    ),
    Column("detail", "string", "One line of explanation."),
]

TABLES: dict[str, list[Column]] = {"patients": _P, "lines": _L, "findings": _F}

# Sort keys that make a table's row order canonical (engines may write rows in any order).
KEYS: dict[str, list[str]] = {
    "patients": ["patient_id", "source"],
    "lines": ["patient_id", "line"],
    "findings": ["patient_id", "line", "kind", "code", "severity", "detail"],
}


def _arrow_type(kind: str) -> Any:
    import pyarrow as pa  # noqa: PLC0415

    return {
        "string": pa.string(),
        "int32": pa.int32(),
        "bool": pa.bool_(),
        "date": pa.date32(),
        "list<string>": pa.list_(pa.string()),
    }[kind]


def arrow_schema(table: str) -> pa.Schema:
    """The Arrow (Parquet) schema of an output table, with each column's meaning as metadata."""
    import pyarrow as pa  # noqa: PLC0415

    return pa.schema(
        [
            pa.field(c.name, _arrow_type(c.type), nullable=c.nullable, metadata={"doc": c.doc})
            for c in TABLES[table]
        ],
        metadata={"mbc.table": table, "mbc.schema_version": str(SCHEMA_VERSION)},
    )


def markdown_reference() -> str:
    """The tables as Markdown (the reference section of docs/audit.md)."""
    out: list[str] = []
    for name, cols in TABLES.items():
        out.append(f"### `{name}.parquet`\n")
        out.append("| column | type | null | meaning |")
        out.append("|---|---|---|---|")
        for c in cols:
            out.append(f"| `{c.name}` | {c.type} | {'yes' if c.nullable else 'no'} | {c.doc} |")
        out.append("")
    return "\n".join(out)


def read_table(out_dir: str | Path, table: str) -> pa.Table:
    """An output table (a Parquet file, or Spark's directory of parts) in canonical row order,
    with the documented schema (column order and types)."""
    import pyarrow.parquet as pq  # noqa: PLC0415

    path = Path(out_dir) / f"{table}.parquet"
    data = pq.read_table(path)  # a file or a directory of parts
    schema = arrow_schema(table)
    data = data.select(schema.names).cast(schema)
    return data.sort_by([(k, "ascending") for k in KEYS[table]])
