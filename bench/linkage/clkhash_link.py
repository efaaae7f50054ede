"""Privacy-preserving linkage with clkhash + anonlink, the comparison for `knooppunt encode` and
`knooppunt link --encoded`.

    python clkhash_link.py {febrl|nl} LEFT.csv RIGHT.csv OUT.csv THRESHOLD SECRET_FILE

Encodes both files into 1024-bit CLKs (clkhash, schema v3, bigrams with blakeHash, the
weights of clkhash's own examples), finds every pair with Dice >= THRESHOLD (anonlink,
accelerated Dice) and solves one-to-one greedily (anonlink's greedy solver). Writes
`id_l,id_r,score` and prints one line to stderr: records encoded per second, Dice comparisons
per second (all pairs / comparison time) and the seconds of each step.
"""
import csv
import io
import sys
import time

import anonlink
from clkhash import clk, schema

kind, left, right, out, threshold, secret_file = sys.argv[1:7]
threshold = float(threshold)
secret = open(secret_file).read().strip()


def feature(name, bits, n=2):
    return {
        "identifier": name,
        "format": {"type": "string", "encoding": "utf-8"},
        "hashing": {"comparison": {"type": "ngram", "n": n}, "strategy": {"bitsPerToken": bits}, "hash": {"type": "blakeHash"}},
    }


def ignored(name):
    return {"identifier": name, "ignored": True}


if kind == "febrl":
    columns = ["rec_id", "given_name", "surname", "street_number", "address_1", "address_2", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]
    features = [ignored("rec_id"), feature("given_name", 15), feature("surname", 15), feature("street_number", 15, 1), feature("address_1", 10),
                feature("address_2", 10), feature("suburb", 10), feature("postcode", 15, 1), feature("state", 10), feature("date_of_birth", 20, 1),
                feature("soc_sec_id", 15, 1)]
else:
    columns = ["id", "regio", "soort", "voornamen", "voorvoegsel", "achternaam", "geboortedatum", "bedrijfsnaam", "postcode", "huisnummer", "plaats", "bsn", "kvk"]
    features = [ignored("id"), ignored("regio"), feature("soort", 10), feature("voornamen", 15), feature("voorvoegsel", 5), feature("achternaam", 15),
                feature("geboortedatum", 20, 1), feature("bedrijfsnaam", 15), feature("postcode", 15, 1), feature("huisnummer", 15, 1), feature("plaats", 5),
                feature("bsn", 15, 1), feature("kvk", 15, 1)]

config = {
    "version": 3,
    "clkConfig": {"l": 1024, "kdf": {"type": "HKDF", "hash": "SHA256", "salt": "a25vb3BwdW50LWJlbmNobWFyaw==", "info": "", "keySize": 64}},
    "features": features,
}
link_schema = schema.from_json_dict(config)


def read(path):
    rows = list(csv.DictReader(open(path, newline="")))
    ids = [r[columns[0]] for r in rows]
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") or "" for c in columns])
    buf.seek(0)
    return ids, buf


started = time.time()
ids_l, buf_l = read(left)
ids_r, buf_r = read(right)
t0 = time.time()
clks_l = clk.generate_clk_from_csv(buf_l, secret, link_schema, validate=False, header="ignore", progress_bar=False)
clks_r = clk.generate_clk_from_csv(buf_r, secret, link_schema, validate=False, header="ignore", progress_bar=False)
encode_s = time.time() - t0
t1 = time.time()
candidates = anonlink.candidate_generation.find_candidate_pairs([clks_l, clks_r], anonlink.similarities.dice_coefficient_accelerated, threshold)
compare_s = time.time() - t1
t2 = time.time()
groups = anonlink.solving.greedy_solve(candidates)
sims, (dset0, dset1), (rec0, rec1) = candidates
score = {}
for s, d0, r0, r1 in zip(sims, dset0, rec0, rec1):
    key = (r0, r1) if d0 == 0 else (r1, r0)
    score[key] = max(score.get(key, 0.0), s)
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id_l", "id_r", "score"])
    for g in groups:
        if len(g) != 2:
            continue
        (da, ra), (db, rb) = sorted(g)
        if da == 0 and db == 1:
            w.writerow([ids_l[ra], ids_r[rb], f"{score.get((ra, rb), 0.0):.4f}"])
solve_s = time.time() - t2
n = len(clks_l) + len(clks_r)
comparisons = len(clks_l) * len(clks_r)
print(
    f"clkhash+anonlink: {n / encode_s:.0f} records/s encoded; {comparisons / compare_s / 1e6:.1f} M Dice/s "
    f"({comparisons} pairs in {compare_s:.2f} s); encode {encode_s:.2f} s, solve {solve_s:.2f} s, total {time.time() - started:.2f} s",
    file=sys.stderr,
)
