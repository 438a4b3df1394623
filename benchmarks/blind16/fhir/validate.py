"""Checks: JSON parses, unique fullUrls, every reference resolves inside its bundle, document starts with Composition,
fhir.resources R4B model parse, label vocabulary (drug ids in drugs.yaml, enums)."""
import json, glob, os, sys, yaml
HERE = os.path.dirname(os.path.abspath(__file__))
drugs = {d["id"] for d in yaml.safe_load(open("/work/main/knowledge/vocab/drugs.yaml"))["drugs"]}
SITES = {"bone", "liver", "lung", "pleura", "brain", "leptomeninges", "distant_lymph_nodes", "skin", "peritoneum", "soft_tissue", "other"}
ok = True
def err(*a):
    global ok; ok = False; print("ERROR", *a)

def refs(o, out):
    if isinstance(o, dict):
        for k, v in o.items():
            if k == "reference" and isinstance(v, str): out.append(v)
            else: refs(v, out)
    elif isinstance(o, list):
        for v in o: refs(v, out)

try:
    from fhir.resources.R4B.bundle import Bundle as B4
except Exception as e:
    B4 = None; print("fhir.resources R4B not importable:", e)

files = sorted(glob.glob(os.path.join(HERE, "s[0-9][0-9]_*.json")))
bundles = [f for f in files if not f.endswith((".expected.json", ".plan.json"))]
for f in bundles:
    b = json.load(open(f)); n = os.path.basename(f)
    full = [e["fullUrl"] for e in b["entry"]]
    if len(set(full)) != len(full): err(n, "duplicate fullUrl")
    if b["type"] == "document" and b["entry"][0]["resource"]["resourceType"] != "Composition": err(n, "document not Composition first")
    byfull = set(full)
    for e in b["entry"]:
        r = e["resource"]; out = []; refs(r, out)
        fu = e["fullUrl"]
        for ref in out:
            if ref.startswith("#"): continue
            if ref.startswith("urn:uuid:") or ref.startswith("http"):
                if ref not in byfull: err(n, "unresolved", ref)
            else:
                base = fu.rsplit("/", 2)[0]
                if base + "/" + ref not in byfull: err(n, "unresolved relative", ref)
    if B4:
        try: B4.model_validate(b)
        except Exception as ex: err(n, "fhir.resources:", str(ex)[:600])
    stem = f[:-5]
    exp = json.load(open(stem + ".expected.json")); plan = json.load(open(stem + ".plan.json"))
    for t in exp.get("prior_therapies", []):
        for d in t["drugs"]:
            if d not in drugs: err(n, "drug id not in drugs.yaml:", d)
    for s in plan["preferred_any"]:
        for d in s:
            if d not in drugs: err(n, "plan drug not in drugs.yaml:", d)
    for s in exp.get("metastases", {}).get("sites", []):
        if s not in SITES: err(n, "bad site", s)
    assert plan["subtype"] in {"HR+/HER2-", "HR+/HER2+", "HR-/HER2+", "TNBC"}
    for m in exp.get("medications", []):
        if m.replace(" ", "_") in drugs and " " in m: err(n, "use drug id spelling", m)
    print("ok", n, b["type"], len(b["entry"]), "entries")
print("ALL OK" if ok else "FAILURES"); sys.exit(0 if ok else 1)
