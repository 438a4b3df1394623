"""FHIR genomic variant observations (mCODE GenomicVariant and older shapes)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from typing import Any

from mbc.ingest._extraction import Source
from mbc.ingest._fhir_base import (
    Ctx,
    Res,
    Timeline,
    codings,
    effective,
    parse_date,
    src,
    text_of,
    words_match,
)

__all__ = ["pathogenic_genes", "read_region", "read_report", "read_variant", "text_findings"]


def _value_codes(ctx: Ctx, res: Res) -> list[tuple[str, str, str]]:
    return codings(ctx, res, "valueCodeableConcept", res.body.get("valueCodeableConcept"))


# ---------------------------------------------------------------- genomics


def _components(ctx: Ctx, res: Res) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The variant's components, then its parts written as observations of their own that
    point back to it (``derivedFrom``: gene studied, amino-acid change, source class)."""
    comps = res.body.get("component", [])
    if not isinstance(comps, list):
        ctx.fail(res, "component", "expected a list")
        return
    for i, comp in enumerate(comps):
        if not isinstance(comp, Mapping):
            ctx.fail(res, f"component[{i}]", "expected an object")
            continue
        for _, code, _ in codings(ctx, res, f"component[{i}].code", comp.get("code")):
            yield code, comp
    for part in _parts(ctx, res):
        for _, code, _ in codings(ctx, part, "code", part.body.get("code")):
            yield code, part.body


def _parts(ctx: Ctx, res: Res) -> list[Res]:
    """Observations whose ``derivedFrom`` names this one (by ``Type/id`` or full URL)."""
    if not _CHILDREN or _CHILDREN[0][0] is not ctx.by_ref:
        index: dict[int, list[Res]] = {}
        for r in {id(r): r for r in ctx.by_ref.values()}.values():
            for ref in r.body.get("derivedFrom") or [] if r.type == "Observation" else []:
                target = ref.get("reference") if isinstance(ref, Mapping) else None
                parent = ctx.resolve(r, target) if isinstance(target, str) else None
                if parent is not None:
                    index.setdefault(id(parent.body), []).append(r)
        _CHILDREN[:] = [(ctx.by_ref, index)]
    return _CHILDREN[0][1].get(id(res.body), [])


# The bundle's resources (``ctx.by_ref``) and their children by ``id(parent body)``, built once
# per bundle. The mapping is held, not its ``id()``: a later bundle's mapping may be allocated
# at a freed one's address, and an id-keyed cache would then hand it the old children.
_CHILDREN: list[tuple[dict[str, Res], dict[int, list[Res]]]] = []


def _gene_words(text: str, known: set[str]) -> list[str]:
    """Gene symbols a text names ("BRCA1, BRCA2, PALB2"; "no alterations in PIK3CA, AKT1")."""
    found = re.findall(r"\b[A-Z][A-Z0-9]{1,9}\b", text)
    return [g for g in dict.fromkeys(found) if g in known]


def _gene_components(res: Res, known: set[str]) -> list[str]:
    """Components named by a gene symbol in words only (``code.text`` "ESR1", no coding) with a
    value in words: "<gene> <value>", read as a summary in words is."""
    out = []
    for comp in res.body.get("component") or []:
        if not isinstance(comp, Mapping) or not isinstance(comp.get("code"), Mapping):
            continue
        code = comp["code"]
        name = str(code.get("text") or "").strip()
        if code.get("coding") or name not in known:
            continue
        value = _comp_text(comp)
        if value:
            out.append(f"{name} {value}")
    return out


def _protein_short(hgvs: str, aa: Mapping[str, str]) -> str | None:
    m = re.search(r"p\.\(?([A-Z][a-z]{2})(\d+)([A-Z][a-z]{2}|=|\*)\)?", hgvs)
    if m and m.group(1) in aa and (m.group(3) in aa or m.group(3) in ("=", "*")):
        return f"{aa[m.group(1)]}{m.group(2)}{aa.get(m.group(3), m.group(3))}"
    m = re.search(r"p\.\(?([A-Z]\d+[A-Z*])", hgvs)
    return m.group(1) if m else None


def _comp_text(comp: Mapping[str, Any]) -> str:
    """The words of a component's value; an HGVS given only as a code ("p.His1047Arg") too."""
    concept = comp.get("valueCodeableConcept")
    text = text_of(concept) or str(comp.get("valueString") or "")
    if not text and isinstance(concept, Mapping):
        codes = [c.get("code") for c in concept.get("coding") or [] if isinstance(c, Mapping)]
        text = " | ".join(str(c) for c in codes if c)
    return text


def _clauses(text: str, split: str) -> list[str]:
    return [c for c in re.split(split, text) if c.strip()]


def text_findings(text: str, g: Mapping[str, Any], aa: Mapping[str, str]) -> dict[str, str | None]:
    """What a summary in words says of each gene it names, clause by clause: "wildtype", a
    protein change ("E17K") or "mutation" ("AKT1 p.E17K detected; PIK3CA, ESR1: no
    alterations detected"). A gene a clause only names (tested, pending, VUS) or names of a
    relative (as :func:`pathogenic_genes`) is left out; one
    whose protein change stands in a clause that also says "not detected" ("H1047R (no
    resistance mutations)", "E545K previously, now not detected") is None: not to be read."""
    known = set(g["hgnc_symbols"].values()) | set(g.get("known_genes", []))
    out: dict[str, str | None] = {}
    if g.get("tested_list"):
        text = re.sub(g["tested_list"], " ", text)  # "(E380Q, Y537S, D538G tested)": looked for, not found
    for clause in _clauses(text, g["clause_split"]):
        clause = re.sub(g["gene_pair"], lambda m: f"{m.group(1)}1, {m.group(1)}2", clause)  # BRCA1/2
        genes = _gene_words(clause, known)
        if not genes or re.search(g["benign_words"], clause, re.IGNORECASE):
            continue
        if re.search(g.get("not_tumour_words") or "(?!)", clause):  # clonal haematopoiesis
            continue
        if re.search(g["relative_words"], clause):  # "mother carries a BRCA1 variant": not the patient's
            continue
        absent = re.search(g["absent_words"], clause, re.IGNORECASE) is not None
        for i, gene in enumerate(genes):  # the change written after the gene, before the next one
            start = clause.find(gene) + len(gene)
            nxt = clause.find(genes[i + 1], start) if i + 1 < len(genes) else -1
            part = clause[start : nxt if nxt >= 0 else len(clause)]
            change = _protein_short(part, aa)
            if change is None:
                m = re.search(g["bare_protein"], part)
                change = m.group(1) if m else None
            if absent:
                out.setdefault(gene, "wildtype" if change is None else None)
                continue
            if change is None:  # "ERBB2 amplification", "NTRK3 fusion"
                change = words_match(g["change_type_words"], part)
            if change is None and re.search(g["mutation_words"], part, re.IGNORECASE):
                change = "mutation"
            if change is not None:
                out[gene] = change
    return out


def pathogenic_genes(text: str, g: Mapping[str, Any]) -> list[str]:
    """Genes a clause calls (likely) pathogenic ("Pathogenic variant identified: BRCA2
    c.5946delT"), not in a clause that is negative, benign / VUS or about a relative."""
    known = set(g["hgnc_symbols"].values()) | set(g.get("known_genes", []))
    out: list[str] = []
    for clause in _clauses(text, g["clause_split"]):
        clause = re.sub(g["gene_pair"], lambda m: f"{m.group(1)}1, {m.group(1)}2", clause)
        if not re.search(g["germline_pathogenic_words"], clause) or re.search(g["benign_words"], clause):
            continue
        if re.search(g["absent_words"], clause) or re.search(g["relative_words"], clause):
            continue
        out += [gene for gene in _gene_words(clause, known) if gene not in out]
    return out


def _said_present(text: str, g: Mapping[str, Any], known: set[str]) -> bool:
    """A clause naming no gene says the result is there ("Detected. No ESR1 alterations.")."""
    return any(
        not _gene_words(c, known)
        and re.search(g["present_words"], c, re.IGNORECASE) is not None
        and not re.search(g["absent_words"], c, re.IGNORECASE)
        for c in _clauses(text, g["clause_split"])
    )


def _said_absent(text: str, g: Mapping[str, Any], known: set[str]) -> bool:
    """A clause naming no gene says the result is absent ("Not detected."); words that say
    "no ESR1 alterations" speak of ESR1 only."""
    return any(
        not _gene_words(c, known) and re.search(g["absent_words"], c, re.IGNORECASE) is not None
        for c in _clauses(text, g["clause_split"])
    )


def _said(res: Res) -> tuple[str, str]:
    """The value in words (a coded value's text, a string value) and the notes."""
    said = (text_of(res.body.get("valueCodeableConcept")), res.body.get("valueString"))
    value = " | ".join(t for t in said if isinstance(t, str) and t)
    notes = [n.get("text", "") for n in res.body.get("note") or [] if isinstance(n, Mapping)]
    return value, " | ".join(str(n) for n in notes)


def read_variant(ctx: Ctx, res: Res, when: dt.date | None) -> None:  # noqa: C901 - one pass over components
    g = ctx.cfg["genomics"]
    aa = ctx.cfg["amino_acids"]
    genes: list[str] = []
    protein: str | None = None
    origin: str | None = None
    benign = False
    known = set(g["hgnc_symbols"].values()) | set(g.get("known_genes", []))
    for code, comp in _components(ctx, res):
        concept = comp.get("valueCodeableConcept")
        if code in g["gene_studied"]:
            for _, gcode, disp in codings(ctx, res, "component.valueCodeableConcept", concept):
                genes.append(disp.split()[0] if disp else g["hgnc_symbols"].get(gcode, gcode))
            if not genes and isinstance(comp.get("valueString"), str):
                genes.append(comp["valueString"].strip())
            if not genes:  # a list written as text: "BRCA1, BRCA2, PALB2"
                genes += _gene_words(_comp_text(comp), known)
        elif code in g["protein_change"]:
            protein = _protein_short(_comp_text(comp), aa) or protein
        elif code in g["source_class"]:
            codes = {c for _, c, _ in codings(ctx, res, "component.valueCodeableConcept", concept)}
            text = _comp_text(comp).lower()
            if codes & set(g["somatic_answers"]) or "somatic" in text:
                origin = "somatic"
            elif codes & set(g["germline_answers"]) or "germline" in text:
                origin = "germline"
        elif code in g["discrete_variant"] or code in g["dna_change"] or code in g["genomic_hgvs"]:
            text = _comp_text(comp)
            protein = protein or _protein_short(text, aa)
            m = re.search(r"\(([A-Z][A-Z0-9]{1,9})\)", text)
            if m and not genes:
                genes.append(m.group(1))
        elif code in g["clinical_significance"]:
            benign = bool(re.search(g["benign_words"], _comp_text(comp), re.IGNORECASE))
        elif code in g.get("change_type_codes", []):  # copy number gain -> "amplification"
            shown = [d for _, _, d in codings(ctx, res, "component.valueCodeableConcept", concept) if d]
            kind = words_match(g["change_type_words"], " | ".join([_comp_text(comp), *shown]))
            protein = protein or kind
    values = {c for _, c, _ in _value_codes(ctx, res)}
    value_words, notes = _said(res)
    if origin != "germline":  # a panel's result in words gives TMB and MSI beside the genes
        _report_biomarkers(ctx, res, " | ".join(t for t in (value_words, notes) if t), when)
    # per gene, what the words say ("AKT1 p.E17K detected; PIK3CA, PTEN: no alterations"),
    # a component named by its gene in words too ({"code": {"text": "ESR1"}, "not detected"})
    per_gene = _gene_components(res, known)
    found = text_findings(" | ".join(t for t in (value_words, notes, *per_gene) if t), g, aa)
    if not genes and not found:  # a result named by its gene ("<assay> - PIK3CA": "Not detected")
        genes = _gene_words(str((res.body.get("code") or {}).get("text") or ""), known)
        if genes and protein is None:  # its value gives the change ("p.E545K (c.1633G>A) DETECTED")
            protein = _protein_short(value_words, aa)
            m = re.search(g["bare_protein"], value_words) if protein is None else None
            protein = m.group(1) if m else protein
    coded_absent = bool(values & set(g["absent_answers"]))
    coded_present = bool(values & set(g.get("present_answers", [])))
    absent = coded_absent or (
        _said_absent(value_words, g, known)
        and all(v == "wildtype" for v in found.values())
        and not _said_present(value_words, g, known)
    )
    if not genes and not found:
        ctx.builder.note_unread({"kind": "genomic_variant", "resource": res.ref, "reason": "no gene studied"})
        return
    if benign:
        ctx.builder.note_unread(
            {"kind": "genomic_variant", "resource": res.ref, "reason": "benign / likely benign variant"}
        )
        if origin == "germline":  # a germline VUS / benign finding: the germline was tested
            ctx.builder.ensure_list("germline", src(res, "component", "fhir.genomics.variant", when))
        return
    extra: dict[str, Any] = {}
    named = " | ".join([str((res.body.get("code") or {}).get("text") or ""), value_words, notes])
    if (
        origin is None
        and re.search(g["germline_origin_words"], named)
        and not re.search(g["somatic_report_words"], named, re.IGNORECASE)
    ):
        origin = "germline"
        extra = {"certainty": "inferred", "derived": "no genomic source class: its name says germline"}
    if origin is None:
        origin = "somatic"
        extra = {"certainty": "inferred", "derived": "no genomic source class: read as a tumour finding"}
    source = src(res, "component", "fhir.genomics.variant", when, **extra)
    calls: dict[str, str] = {}
    for gene in (x.upper() for x in genes):
        said = found.get(gene)
        if gene in found and said is None and not (coded_absent or coded_present):
            why = {"reason": "its words name a change and say not detected", "gene": gene}
            ctx.builder.note_unread({"kind": "genomic_variant", "resource": res.ref, **why})
            continue
        other_absent = found and re.search(g["absent_words"], value_words, re.IGNORECASE)
        present = absent or coded_present or _said_present(value_words, g, known)
        if said is None and other_absent and not present:
            why = {"reason": "its words speak of other genes only", "gene": gene}  # "See report. No ESR1 ..."
            ctx.builder.note_unread({"kind": "genomic_variant", "resource": res.ref, **why})
            continue
        if coded_absent or (not coded_present and (said == "wildtype" or (said is None and absent))):
            calls[gene] = "wildtype"
        else:
            calls[gene] = protein or (said if said not in (None, "wildtype") else "mutation")
    text_source = {**source, "element": "value", "certainty": "inferred", "derived": "the result's words"}
    for gene, said in found.items():  # genes the words name beside the coded ones
        if said is not None and gene not in calls and gene not in (x.upper() for x in genes):
            calls[gene] = said
    for gene, call in calls.items():
        where = source if gene in (x.upper() for x in genes) else text_source
        _add_call(ctx, gene, call, origin == "germline", where)


def _add_call(ctx: Ctx, gene: str, call: str, germline: bool, source: Source) -> None:
    """One gene's call: somatic ("PIK3CA E545K", "ESR1 wildtype"), or germline (a gene
    found; a wildtype call only says the germline was tested)."""
    if not germline:
        ctx.builder.add("somatic", f"{gene} {call}", source)
    elif call == "wildtype":
        ctx.builder.ensure_list("germline", source)
    else:
        ctx.builder.add("germline", gene, source)


def read_report(ctx: Ctx, res: Res, tl: Timeline) -> None:
    """A genomics DiagnosticReport's conclusion in words ("PIK3CA p.E545K detected. No ESR1
    or AKT1 alterations."), gene by gene (certainty inferred). Its results are observations
    read on their own; a specific variant read there wins over a word here. A genomics report is
    one coded or categorised as such, or named so in words ("Liquid biopsy CGP report"). Another report:
    its words (:mod:`mbc.ingest._fhir_reports`)."""
    g = ctx.cfg["genomics"]
    codes = {c for _, c, _ in codings(ctx, res, "code", res.body.get("code"))}
    cats = res.body.get("category") or []
    cat_codes = {c for i, cat in enumerate(cats if isinstance(cats, list) else [cats])
                 for _, c, _ in codings(ctx, res, f"category[{i}]", cat)}  # fmt: skip
    if res.body.get("status") in ("entered-in-error", "cancelled", "registered", "partial"):
        return
    named = re.search(g.get("report_name_words") or "(?!)", text_of(res.body.get("code")))
    if not codes & set(g["report_codes"]) and not cat_codes & set(g["report_categories"]) and not named:
        from mbc.ingest._fhir_reports import read_report_text

        _brain_report(ctx, res)
        read_report_text(ctx, res, tl)
        return
    said = str(res.body.get("conclusion") or "")
    if not said.strip():
        return
    name = " | ".join([text_of(res.body.get("code")), said])
    germline = bool(re.search(g["germline_report_words"], name, re.IGNORECASE)) and not re.search(
        g["somatic_report_words"], name, re.IGNORECASE
    )
    when = None
    for element in ("effectiveDateTime", "issued"):
        if isinstance(res.body.get(element), str):
            when = parse_date(res.body[element])
            break
    source = src(res, "conclusion", "fhir.genomics.report_conclusion", when, certainty="inferred")
    for part, part_germline in _sections(said, g, germline):
        _read_conclusion(ctx, part, part_germline, g, source)
    _report_biomarkers(ctx, res, said, when)


def _report_biomarkers(ctx: Ctx, res: Res, said: str, when: dt.date | None) -> None:
    """The tumour mutational burden and the MSI status a genomics report's conclusion gives in
    words ("Blood TMB 4 mut/Mb. MSI-High not detected."): read as results of the report
    (certainty inferred), ranked by date with the coded results."""
    from mbc.ingest._fhir_msi import msi_in_words
    from mbc.ingest._fhir_obs import emit_result

    words = ctx.cfg["genomics"].get("report_biomarkers") or {}
    found: list[tuple[str, Any, str]] = []
    m = re.search(words.get("tmb") or "(?!)", said)
    if m is not None:
        found.append(("tmb_per_mb", float(m.group("n")), m.group(0)))
    msi = msi_in_words(ctx.cfg, said, named_only=True)  # clause by clause, denials and earlier results
    if msi is not None:
        found.append(("msi", msi[0], msi[1]))
    for path, value, text in found:
        body = {"resourceType": res.type, "id": res.id, "code": {"text": f"{path} (report words)"}}
        if when is not None:
            body["effectiveDateTime"] = when.isoformat()
        given = {"reader": "given", "path": path, "value": value}
        extra = {"certainty": "inferred", "derived": f"read from the words: {text.strip()!r}"}
        emit_result(
            ctx, Res(body, res.index), given, when, "fhir.genomics.report_words", "conclusion", **extra
        )


def _sections(said: str, g: Mapping[str, Any], germline: bool) -> list[tuple[str, bool]]:
    """A conclusion's sentences with their origin: a sentence that names its own origin
    ("Plasma: ESR1 D538G detected.", "Germline: negative, CHEK2 VUS.") is read as that origin;
    the others as the report's (``germline``). One sentence, or none naming an origin: the
    whole conclusion, as before."""
    parts = [p for p in re.split(g["report_sentence_split"], said) if p.strip()]
    out = []
    for part in parts:
        own_germline = re.search(g["germline_report_words"], part, re.IGNORECASE) is not None
        own_somatic = re.search(g["somatic_report_words"], part, re.IGNORECASE) is not None
        out.append((part, own_germline and not own_somatic if own_germline != own_somatic else germline))
    if len(out) < 2 or all(origin == germline for _, origin in out):
        return [(said, germline)]
    return out


def _read_conclusion(
    ctx: Ctx, said: str, germline: bool, g: Mapping[str, Any], source: dict[str, Any]
) -> None:
    found = text_findings(said, g, ctx.cfg["amino_acids"])
    first = _clauses(said, g["clause_split"])[:1]
    if (
        germline
        and first
        and re.search(g["negative_report_words"], first[0], re.IGNORECASE)
        and not any(c not in (None, "wildtype") for c in found.values())
    ):  # "NEGATIVE for pathogenic germline variants. One VUS (ATM)." - tested, nothing found
        ctx.builder.ensure_list("germline", source)
    for gene, call in found.items():
        if call is not None:
            _add_call(ctx, gene, call, germline, source)


def read_region(ctx: Ctx, res: Res, when: dt.date | None) -> None:
    """A region-studied observation's notes ("74-gene cfDNA panel. No reportable alterations
    in AKT1, PTEN or ERBB2."): the genes said to have no alteration are wildtype (certainty
    inferred); a variant named there is read from its own observation, not here."""
    g = ctx.cfg["genomics"]
    notes = _said(res)[1]
    if not notes.strip():
        return
    keep = set(g.get("region_wildtype_genes") or [])
    said = text_findings(notes, g, ctx.cfg["amino_acids"])
    found = {k: v for k, v in said.items() if v == "wildtype" and k in keep}
    germline = bool(re.search(g["germline_report_words"], notes, re.IGNORECASE)) and not re.search(
        g["somatic_report_words"], notes, re.IGNORECASE
    )
    source = src(res, "note", "fhir.genomics.region_studied", when, certainty="inferred")
    for gene, call in found.items():
        _add_call(ctx, gene, call, germline, source)


def _brain_report(ctx: Ctx, res: Res) -> None:
    """A brain imaging report whose conclusion says the brain metastases cause no symptoms
    ("headaches have resolved; no focal deficit") or are not yet locally treated: read as the
    brain condition's words are."""
    from mbc.ingest._fhir_words import brain_symptoms, brain_untreated

    said = str(res.body.get("conclusion") or "")
    brain = re.search(ctx.cfg["brain_report_words"], text_of(res.body.get("code")), re.IGNORECASE)
    if said.strip() and brain:
        brain_symptoms(ctx, res, said, effective(ctx, res))
        brain_untreated(ctx, res, said, effective(ctx, res))
