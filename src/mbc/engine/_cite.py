"""Resolved citations, cached per knowledge base (they are frozen and shared)."""

from __future__ import annotations

from collections.abc import Iterable

from mbc.engine._kbcache import per_kb
from mbc.knowledge.loader import KnowledgeBase
from mbc.model.plan import Citation

__all__ = ["citation", "citations"]


def citation(kb: KnowledgeBase, cid: str) -> Citation:
    """The resolved citation for a source id (frozen, so cached and shared per KB)."""
    cache: dict[str, Citation] = per_kb(kb, "citations", dict)
    found = cache.get(cid)
    if found is None:
        s = kb.sources[cid]
        link = (
            f"https://doi.org/{s.doi}"
            if s.doi
            else (f"https://pubmed.ncbi.nlm.nih.gov/{s.pmid}/" if s.pmid else s.url)
        )
        found = cache[cid] = Citation(
            id=s.id, title=s.title, short=s.short, kind=s.kind, year=s.year,
            url_or_doi=link, verified=s.verified,
        )  # fmt: skip
    return found


def citations(kb: KnowledgeBase, ids: Iterable[str]) -> list[Citation]:
    out: list[Citation] = []
    seen: set[str] = set()
    for cid in ids:
        if cid not in seen:
            seen.add(cid)
            out.append(citation(kb, cid))
    return out
