import json, glob, os, re, yaml
ids = {d['id'] for d in yaml.safe_load(open('/work/main/knowledge/vocab/drugs.yaml'))['drugs']}
tot=0; nonyaml=set(); bad=[]
for t in sorted(glob.glob('w*.txt')):
    st=t[:-4]; e=json.load(open(st+'.expected.json')); s=json.load(open(st+'.safety.json'))
    n=len(s['must_not']); tot+=n
    lines=open(t).read().count('\n'); size=os.path.getsize(t)
    for th in e.get('prior_therapies',[]):
        for d in th['drugs']:
            if d not in ids: bad.append((st,d))
    for m in e.get('medications',[]):
        if m not in ids: nonyaml.add(m)
    for tr in s['must_not']:
        if tr['field']=='prior_therapies.drugs' and tr['value'] not in ids: bad.append((st,'trap',tr['value']))
    assert '2026-10-01'<=e['as_of']<='2026-12-05', st
    assert 5<=n<=8 and 5<=lines<=45, (st,n,lines)
    print(f"{st:28s} traps={n} lines={lines} bytes={size}")
print('total traps',tot,'bad',bad); print('meds not in drugs.yaml:',sorted(nonyaml))
