"""The result of reading a source: a contract-v1 record, where each fact came from, and
what could not be read.

Readers (FHIR, notes) feed a :class:`RecordBuilder` with candidate facts; the builder keeps,
for each field, the candidate with the highest rank (newest, or from a metastasis), and at
the end validates the record against the contract, moving any value the contract rejects
to ``unread`` instead of failing.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mbc.errors import RecordError
from mbc.model import CONTRACT_VERSION, parse_record

if TYPE_CHECKING:
    import datetime as dt

__all__ = ["Extraction", "RecordBuilder", "Source"]

Source = dict[str, Any]
"""Provenance of one fact: ``{"source": "fhir"|"note", "rule": ..., ...}``."""

_KEEP_SUPERSEDED = 3

# List-valued record fields (order kept, duplicates dropped).
_LIST_FIELDS = frozenset(
    {"metastases.sites", "somatic", "germline", "symptoms", "comorbidities", "medications"}
)


@dataclass(frozen=True)
class Extraction:
    """What one source said about one patient.

    Attributes:
        record: A contract-v1 patient record (``parse_record`` accepts it).
        provenance: For each record field path, the source(s) it was read from.
        unread: Codes, resources or phrases that were seen but not understood.
        kind: ``"fhir"`` or ``"note"``.
    """

    record: dict[str, Any]
    provenance: dict[str, Any]
    unread: list[dict[str, Any]]
    kind: str

    def to_json(self) -> dict[str, Any]:
        """The record with a top-level ``provenance`` key.

        ``provenance`` holds ``source`` (the kind), ``fields`` (path -> sources) and
        ``unread``, so the output is still a valid contract record (``provenance`` is the
        one extra key the record model accepts and ignores).

        Returns:
            A JSON-ready dict.
        """
        out = copy.deepcopy(self.record)
        out["provenance"] = {
            "source": self.kind,
            "fields": copy.deepcopy(self.provenance),
            "unread": copy.deepcopy(self.unread),
        }
        return out


@dataclass
class _Candidate:
    value: Any
    rank: tuple[Any, ...]
    source: Source


@dataclass
class RecordBuilder:
    """Collects candidate facts and builds the final record."""

    record_id: str
    as_of: dt.date
    kind: str
    _scalars: dict[str, _Candidate] = field(default_factory=dict)
    _superseded: dict[str, list[Source]] = field(default_factory=dict)
    _lists: dict[str, list[tuple[Any, Source]]] = field(default_factory=dict)
    _therapies: list[tuple[dict[str, Any], Source]] = field(default_factory=list)
    _no_therapies: Source | None = None
    unread: list[dict[str, Any]] = field(default_factory=list)
    as_of_source: Source | None = None
    _unread_keys: dict[Any, dict[str, Any]] = field(default_factory=dict, repr=False)  # key -> item

    def set(self, path: str, value: Any, source: Source, *, rank: tuple[Any, ...] = ()) -> None:
        """Offer a value for a scalar field; the highest ``rank`` wins (ties: last offered)."""
        current = self._scalars.get(path)
        if current is None or rank >= current.rank:
            if current is not None and current.value != value:
                self._superseded.setdefault(path, []).append({**current.source, "value": current.value})
            self._scalars[path] = _Candidate(value, rank, source)
        elif current.value != value:
            self._superseded.setdefault(path, []).append({**source, "value": value})

    def scalar_candidates(self) -> list[tuple[str, _Candidate]]:
        """Each scalar field with its winning candidate (a snapshot)."""
        return list(self._scalars.items())

    def superseded_of(self, path: str) -> list[Source]:
        """The values offered for ``path`` that lost (each a source with its ``value``)."""
        return list(self._superseded.get(path, []))

    def rank_of(self, path: str) -> tuple[Any, ...] | None:
        """The rank of the value currently winning for ``path`` (``None`` if none)."""
        cand = self._scalars.get(path)
        return None if cand is None else cand.rank

    def scalar_paths(self, prefix: str = "") -> list[str]:
        """The scalar fields holding a value, those under ``prefix`` only."""
        return [p for p in self._scalars if p.startswith(prefix)]

    def get(self, path: str) -> Any:
        """The value currently winning for ``path`` (``None`` if none)."""
        cand = self._scalars.get(path)
        return None if cand is None else cand.value

    def source_of(self, path: str) -> Source | None:
        """The provenance of the winning value for ``path``."""
        cand = self._scalars.get(path)
        return None if cand is None else cand.source

    def drop(self, path: str, reason: str) -> None:
        """Withdraw a scalar field, keeping its provenance as superseded."""
        cand = self._scalars.pop(path, None)
        if cand is not None:
            self._superseded.setdefault(path, []).append(
                {**cand.source, "value": cand.value, "dropped": reason}
            )

    def add(self, path: str, value: Any, source: Source) -> None:
        """Add one item to a list field (duplicates keep the first source)."""
        if path not in _LIST_FIELDS:
            raise ValueError(f"{path} is not a list field")  # a bug in a reader
        items = self._lists.setdefault(path, [])
        if all(v != value for v, _ in items):
            items.append((value, source))

    def discard(self, path: str, values: set[Any]) -> None:
        """Take items out of a list field (a later statement undoes an earlier mention)."""
        if path in self._lists:
            self._lists[path] = [(v, s) for v, s in self._lists[path] if v not in values]
            if not self._lists[path] and path + "#tested" not in self._superseded:
                del self._lists[path]

    def ensure_list(self, path: str, source: Source) -> None:
        """Record that a list field is known, even if empty (``germline: []`` = tested)."""
        self._lists.setdefault(path, [])
        self._superseded.setdefault(path + "#tested", []).append(source)

    def has(self, path: str) -> bool:
        """Whether a list field has been set."""
        return path in self._lists

    def drop_historical(
        self,
        groups: dict[str, tuple[str, ...]],
        episode_days: int,
        historical_rank: int | None = None,
        unstated_same_episode: bool = False,
    ) -> None:
        """Within each marker's fields (HER2: IHC, ISH, status), keep the current result.

        The best-ranked field (metastasis over primary, then newest) is current; a field of
        the same marker from a lower-ranked specimen, or dated more than ``episode_days``
        before it, is a historical result: dropped, and the current one is marked
        ``conflicting`` with the old value kept in its provenance. With ``historical_rank``,
        only results ranked at or below it (e.g. those said to be from the primary) are
        dropped for their specimen. With ``unstated_same_episode``, a result whose source names
        no specimen and that is dated within ``episode_days`` of the current one is not lower
        (a reflex ISH test of the same biopsy, written without its specimen).
        """
        import datetime as _dt

        def day(rank: tuple[Any, ...]) -> _dt.date | None:
            # the rank's date: its last ISO-date element (a tie-breaker may follow it, e.g. a
            # corrected result's mark: (specimen, date, 1))
            for part in reversed(rank):
                if isinstance(part, str):
                    try:
                        return _dt.date.fromisoformat(part)
                    except ValueError:
                        return None
            return None

        for fields in groups.values():
            for f in fields:  # the same field read twice with different values
                cand = self._scalars.get(f)
                olds = self._superseded.get(f, [])
                if cand is not None and any(o.get("value") != cand.value for o in olds):
                    cand.source = {**cand.source, "certainty": "conflicting"}
            present = [(self._scalars[f].rank, f) for f in fields if f in self._scalars]
            if len(present) < 2:
                continue
            best_rank, best_field = max(present)
            best_day = day(best_rank)
            for rank, f in present:
                if f == best_field:
                    continue
                older = (
                    best_day is not None
                    and (d := day(rank)) is not None
                    and (best_day - d).days > episode_days
                )
                lower = rank[:1] < best_rank[:1] and (historical_rank is None or rank[0] <= historical_rank)
                unstated = not self._scalars[f].source.get("specimen")
                if lower and unstated_same_episode and unstated and not older:
                    d = day(rank)
                    lower = best_day is None or d is None or abs((best_day - d).days) > episode_days
                if lower or older:
                    old = self._scalars[f]
                    self.drop(f, f"historical: {best_field} is the current result")
                    winner = self._scalars[best_field]
                    winner.source = {**winner.source, "certainty": "conflicting"}
                    self._superseded.setdefault(best_field, []).append(
                        {**old.source, "field": f, "value": old.value, "historical": True}
                    )

    def harmonise_receptors(self) -> None:
        """When a percentage or score is known, drop the qualitative word (contract §1)."""
        for pct, word in (
            ("tumor.er_percent", "tumor.er_status"),
            ("tumor.pr_percent", "tumor.pr_status"),
        ):
            if self.get(pct) is not None and self.get(word) is not None:
                self.drop(word, f"{pct} is known")
        has_score = self.get("tumor.her2_ihc") is not None or self.get("tumor.her2_ish") is not None
        if has_score and self.get("tumor.her2_status") is not None:
            self.drop("tumor.her2_status", "HER2 IHC/ISH result is known")

    def prune_somatic(self) -> None:
        """Drop "GENE mutation" / "GENE wildtype" when a specific alteration of GENE is known."""
        items = self._lists.get("somatic")
        if not items:
            return
        generic = ("mutation", "wildtype")
        specific = {str(v).split(" ", 1)[0] for v, _ in items if str(v).split(" ", 1)[-1] not in generic}
        positive = {str(v).split(" ", 1)[0] for v, _ in items if not str(v).endswith("wildtype")}
        kept = []
        for v, src in items:
            gene, _, alt = str(v).partition(" ")
            if (alt == "mutation" and gene in specific) or (alt == "wildtype" and gene in positive):
                self._superseded.setdefault("somatic", []).append({**src, "value": v})
                continue
            kept.append((v, src))
        self._lists["somatic"] = kept

    def list_items(self, path: str) -> list[tuple[Any, Source]]:
        """The items of a list field so far, each with its source."""
        return list(self._lists.get(path, []))

    def list_values(self, path: str) -> list[Any]:
        """The items of a list field so far (empty if none)."""
        return [v for v, _ in self._lists.get(path, [])]

    def therapies(self) -> list[dict[str, Any]]:
        """The prior therapies added so far (the objects themselves)."""
        return [t for t, _ in self._therapies]

    def no_therapies(self, source: Source) -> None:
        """Record that nothing has been given so far (``prior_therapies: []``)."""
        self._no_therapies = source

    def therapy(self, therapy: dict[str, Any], source: Source) -> None:
        """Add one prior therapy (contract therapy object)."""
        self._therapies.append((therapy, source))

    def therapy_sources(self) -> list[tuple[dict[str, Any], Source]]:
        """The prior therapies with their provenance, in the order they were added."""
        return list(self._therapies)

    def replace_therapies(self, items: list[tuple[dict[str, Any], Source]]) -> None:
        """Replace the prior therapies (after merging mentions of one line)."""
        self._therapies = list(items)

    def note_unread(self, item: dict[str, Any]) -> None:
        """Report something seen but not understood (deduplicated by its ``key``)."""
        key = item.get("key")
        if key is None:
            self.unread.append(item)
            return
        existing = self._unread_keys.get(key)  # an index, not a scan of every item (was quadratic)
        if existing is not None:
            existing["count"] = int(existing.get("count", 1)) + 1
            return
        self._unread_keys[key] = {**item, "count": 1}
        self.unread.append(self._unread_keys[key])

    # ------------------------------------------------------------------ build

    def build(self) -> Extraction:
        """Assemble, validate and return the extraction."""
        record: dict[str, Any] = {
            "id": self.record_id,
            "contract_version": CONTRACT_VERSION,
            "as_of": self.as_of.isoformat(),
        }
        prov: dict[str, Any] = {}
        if self.as_of_source is not None:
            prov["as_of"] = self.as_of_source
        for path, cand in sorted(self._scalars.items()):
            _put(record, path, cand.value)
            prov[path] = cand.source
        for path, items in sorted(self._lists.items()):
            _put(record, path, [v for v, _ in items])
            for i, (_, src) in enumerate(items):
                prov[f"{path}[{i}]"] = src
            tested = self._superseded.pop(path + "#tested", None)
            if not items and tested:
                prov[path] = tested[0]
        if not self._therapies and self._no_therapies is not None:
            record["prior_therapies"] = []
            prov["prior_therapies"] = self._no_therapies
        if self._therapies:
            ordered = sorted(self._therapies, key=lambda t: (t[0].get("start") or "", t[0].get("end") or ""))
            record["prior_therapies"] = [t for t, _ in ordered]
            for i, (_, src) in enumerate(ordered):
                prov[f"prior_therapies[{i}]"] = {k: v for k, v in src.items() if not k.startswith("_")}
        for path, olds in sorted(self._superseded.items()):
            prov.setdefault(path, {"source": self.kind})
            if isinstance(prov[path], dict):
                # The last few values this one replaced (newest first) and how many in all.
                prov[path] = {**prov[path], "superseded": olds[::-1][:_KEEP_SUPERSEDED]}
                if len(olds) > _KEEP_SUPERSEDED:
                    prov[path]["superseded_count"] = len(olds)
        for src in prov.values():
            if isinstance(src, dict) and "rule" in src:
                src.setdefault("certainty", "stated")
        record, prov = _validate(record, prov, self.unread)
        return Extraction(record=record, provenance=prov, unread=self.unread, kind=self.kind)


def _put(record: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    node = record
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def _pop(record: dict[str, Any], loc: tuple[str | int, ...]) -> Any:
    node: Any = record
    for part in loc[:-1]:
        node = node[part]
    value = node[loc[-1]]
    del node[loc[-1]]
    return value


def _loc_path(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + str(part)
    return out


def _validate(
    record: dict[str, Any], prov: dict[str, Any], unread: list[dict[str, Any]]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Drop whatever the contract rejects (moving it to ``unread``) until the record parses."""
    for _ in range(20):
        try:
            parse_record(record)
        except RecordError as exc:
            progressed = False
            # Deepest and last first, so popping one list item never shifts another.
            for problem in sorted(exc.problems, key=_loc_key, reverse=True):
                loc = problem.loc
                if not loc:
                    continue
                # Drop at most down to a list item (never a whole list for one bad item).
                try:
                    value = _pop(record, loc)
                except (KeyError, IndexError, TypeError):
                    continue
                progressed = True
                path = _loc_path(loc)
                unread.append(
                    {
                        "kind": "rejected_by_contract",
                        "field": path,
                        "value": value,
                        "reason": problem.msg,
                        "source": prov.pop(path, None),
                    }
                )
            _prune_empty(record)
            if not progressed:
                raise
            continue
        return record, prov
    raise RecordError("could not make the extracted record valid")  # pragma: no cover


def _loc_key(problem: Any) -> list[str]:
    return [f"{p:08d}" if isinstance(p, int) else str(p) for p in problem.loc]


def _prune_empty(record: dict[str, Any]) -> None:
    for key in list(record):
        value = record[key]
        if isinstance(value, dict):
            _prune_empty(value)
            if not value:
                del record[key]
        elif isinstance(value, list) and key == "prior_therapies" and not value:
            del record[key]
