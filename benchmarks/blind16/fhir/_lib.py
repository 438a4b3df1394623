"""Tiny helpers to build FHIR R4 bundles from hand-written resource dicts.
References are written as "@key" placeholders and resolved at build time to the
reference style of the bundle (urn:uuid, relative Type/id, or absolute URL)."""
import json, uuid, copy, os

NS = uuid.UUID("6c1b7d4e-16aa-4f00-9b16-000000000016")
OUT = os.path.dirname(os.path.abspath(__file__))

LOINC = "http://loinc.org"; SCT = "http://snomed.info/sct"; RXN = "http://www.nlm.nih.gov/research/umls/rxnorm"
ATC = "http://www.whocc.no/atc"; UCUM = "http://unitsofmeasure.org"; ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10 = "http://hl7.org/fhir/sid/icd-10"; HGNC = "http://www.genenames.org/geneId"
OBSCAT = "http://terminology.hl7.org/CodeSystem/observation-category"
CLIN = "http://terminology.hl7.org/CodeSystem/condition-clinical"
VER = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
DAR = "http://terminology.hl7.org/CodeSystem/data-absent-reason"

def cc(*codings, text=None):
    d = {}
    if codings:
        d["coding"] = [dict(system=s, code=c, display=disp) for (s, c, disp) in codings]
    if text: d["text"] = text
    return d

def txt(t): return {"text": t}

def qty(v, unit, code=None, comparator=None):
    q = {"value": v, "unit": unit, "system": UCUM, "code": code or unit}
    if comparator: q["comparator"] = comparator
    return q

def cat(code):
    return [cc((OBSCAT, code, {"laboratory": "Laboratory", "vital-signs": "Vital Signs", "survey": "Survey",
             "exam": "Exam", "imaging": "Imaging", "social-history": "Social History", "procedure": "Procedure"}[code]))]

def obs(key, code, subj="@pt", status="final", category="laboratory", date=None, period=None, profile=None, **kw):
    r = {"resourceType": "Observation", "id": key, "status": status, "category": cat(category) if category else None,
         "code": code, "subject": {"reference": subj}}
    if r["category"] is None: del r["category"]
    if date: r["effectiveDateTime"] = date
    if period: r["effectivePeriod"] = {"start": period[0], "end": period[1]}
    if profile: r["meta"] = {"profile": profile if isinstance(profile, list) else [profile]}
    r.update(kw)
    return r

def cond(key, code, status="confirmed", onset=None, clinical="active", subj="@pt", profile=None, **kw):
    r = {"resourceType": "Condition", "id": key,
         "clinicalStatus": cc((CLIN, clinical, clinical.capitalize())) if clinical else None,
         "verificationStatus": cc((VER, status, {"confirmed": "Confirmed", "refuted": "Refuted", "unconfirmed": "Unconfirmed",
                                                 "provisional": "Provisional", "entered-in-error": "Entered in Error",
                                                 "differential": "Differential"}[status])),
         "code": code, "subject": {"reference": subj}}
    if clinical is None: del r["clinicalStatus"]
    if onset: r["onsetDateTime"] = onset
    if profile: r["meta"] = {"profile": profile if isinstance(profile, list) else [profile]}
    r.update(kw)
    return r

def _walk(o, fn):
    if isinstance(o, dict):
        return {k: _walk(v, fn) for k, v in o.items()}
    if isinstance(o, list):
        return [_walk(v, fn) for v in o]
    if isinstance(o, str) and o.startswith("@"):
        return fn(o[1:])
    return o

def build(name, btype, resources, style="urn", base="https://fhir.example.org/r4", bundle_id=None, timestamp=None,
          meta=None, search_modes=None, extra_bundle=None, ids=None):
    """style: urn | rel (fullUrl = base/Type/id, references Type/id) | abs (references = absolute URL)"""
    keymap = {}
    for r in resources:
        k = r["id"]
        rid = (ids or {}).get(k, k.replace("_", "-"))
        keymap[k] = (r["resourceType"], rid)
    def full(k):
        t, rid = keymap[k]
        if style == "urn": return "urn:uuid:" + str(uuid.uuid5(NS, name + "/" + k))
        return f"{base}/{t}/{rid}"
    def ref(k):
        if k.startswith("#"): return "#" + k[1:]
        if k not in keymap: raise KeyError(f"{name}: unresolved @{k}")
        t, rid = keymap[k]
        if style == "rel": return f"{t}/{rid}"
        return full(k)
    entries = []
    for r in resources:
        k = r["id"]
        r2 = _walk(copy.deepcopy(r), ref)
        t, rid = keymap[k]
        if style == "urn" and not (ids or {}).get(k):
            r2["id"] = str(uuid.uuid5(NS, name + "/" + k))
        else:
            r2["id"] = rid
        e = {"fullUrl": full(k), "resource": r2}
        if search_modes is not None:
            e["search"] = {"mode": search_modes.get(k, "match")}
        entries.append(e)
    b = {"resourceType": "Bundle", "id": bundle_id or name.replace("_", "-")}
    if meta: b["meta"] = meta
    b["type"] = btype
    if timestamp: b["timestamp"] = timestamp
    if extra_bundle: b.update(extra_bundle)
    b["entry"] = entries
    return b

def write(name, bundle, expected, plan):
    for suffix, obj in (("", bundle), (".expected", expected), (".plan", plan)):
        with open(os.path.join(OUT, f"{name}{suffix}.json"), "w") as f:
            json.dump(obj, f, indent=2, ensure_ascii=False); f.write("\n")

def medstmt(key, med, status, start=None, end=None, subj="@pt", reason=None, note=None, dosage=None, date=None, **kw):
    r = {"resourceType": "MedicationStatement", "id": key, "status": status}
    if isinstance(med, str): r["medicationReference"] = {"reference": med}
    else: r["medicationCodeableConcept"] = med
    r["subject"] = {"reference": subj}
    if start or end:
        p = {}
        if start: p["start"] = start
        if end: p["end"] = end
        r["effectivePeriod"] = p
    if date: r["dateAsserted"] = date
    if reason: r["statusReason"] = [reason]
    if dosage: r["dosage"] = [{"text": d} for d in dosage]
    if note: r["note"] = [{"text": n} for n in (note if isinstance(note, list) else [note])]
    r.update(kw)
    return r

def medreq(key, med, status, intent, authored, subj="@pt", note=None, dosage=None, **kw):
    r = {"resourceType": "MedicationRequest", "id": key, "status": status, "intent": intent}
    if isinstance(med, str): r["medicationReference"] = {"reference": med}
    else: r["medicationCodeableConcept"] = med
    r["subject"] = {"reference": subj}
    r["authoredOn"] = authored
    if dosage: r["dosageInstruction"] = [{"text": d} for d in dosage]
    if note: r["note"] = [{"text": n} for n in (note if isinstance(note, list) else [note])]
    r.update(kw)
    return r

def medication(key, code, ingredients=None, form=None, **kw):
    r = {"resourceType": "Medication", "id": key, "code": code}
    if form: r["form"] = form
    if ingredients:
        r["ingredient"] = [{"itemCodeableConcept": i[0], "isActive": True, **({"strength": i[1]} if len(i) > 1 and i[1] else {})}
                           for i in ingredients]
    r.update(kw)
    return r

def variant(key, gene, hgnc, date, source="somatic", present=True, dna=None, protein=None, signif=None, subj="@pt",
            specimen=None, profile=None, text=None):
    comps = [{"code": cc((LOINC, "48018-6", "Gene studied [ID]")), "valueCodeableConcept": cc((HGNC, hgnc, gene))}]
    if dna: comps.append({"code": cc((LOINC, "48004-6", "DNA change (c.HGVS)")), "valueCodeableConcept": cc(("http://varnomen.hgvs.org", dna, dna))})
    if protein: comps.append({"code": cc((LOINC, "48005-3", "Amino acid change (pHGVS)")), "valueCodeableConcept": cc(("http://varnomen.hgvs.org", protein, protein))})
    src = {"germline": ("LA6683-2", "Germline"), "somatic": ("LA6684-0", "Somatic")}[source]
    comps.append({"code": cc((LOINC, "48002-0", "Genomic source class [Type]")), "valueCodeableConcept": cc((LOINC, src[0], src[1]))})
    if signif:
        sc = {"pathogenic": ("LA6668-3", "Pathogenic"), "vus": ("LA26333-7", "Uncertain significance"),
              "likely_pathogenic": ("LA26332-9", "Likely pathogenic")}[signif]
        comps.append({"code": cc((LOINC, "53037-8", "Genetic variation clinical significance [Imp]")), "valueCodeableConcept": cc((LOINC, sc[0], sc[1]))})
    r = obs(key, cc((LOINC, "69548-6", "Genetic variant assessment")), subj=subj, date=date, profile=profile,
            valueCodeableConcept=cc((LOINC, "LA9633-4" if present else "LA9634-2", "Present" if present else "Absent"), text=text),
            component=comps)
    if specimen: r["specimen"] = {"reference": specimen}
    return r
