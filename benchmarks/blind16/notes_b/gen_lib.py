import json, os
D = os.path.dirname(os.path.abspath(__file__))
def N(stem, text, exp, traps):
    assert 5 <= len(traps) <= 8, (stem, len(traps))
    open(os.path.join(D, stem + ".txt"), "w").write(text.strip("\n") + "\n")
    json.dump(exp, open(os.path.join(D, stem + ".expected.json"), "w"), indent=2)
    json.dump({"must_not": [{"field": f, "value": v, "why": w} for f, v, w in traps]},
              open(os.path.join(D, stem + ".safety.json"), "w"), indent=2)
