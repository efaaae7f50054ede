"""Precision, recall and F1 of scored pairs against the truth; or the threshold that maximises
F1 on a development set.

    python evaluate.py score PAIRS.csv TRUTH.csv [THRESHOLD]
    python evaluate.py best  PAIRS.csv TRUTH.csv
    python evaluate.py kinds PAIRS.csv KINDS.csv THRESHOLD
    python evaluate.py reliability PAIRS.csv TRUTH.csv

`reliability` is the calibration check: the written pairs grouped by predicted probability,
with per group the number of pairs, the mean predicted probability and the share that is a
match (observed); then the expected calibration error (the pair-weighted mean of
|predicted − observed|). A calibrated model has predicted ≈ observed in every group. Pairs
certain by an equal identifier (score 1) are a group of their own.

KINDS.csv (`id_l,id_r,kind`, from households.py) lists look-alike pairs that are not matches;
`kinds` prints, per kind, how many of them scored at or above THRESHOLD (false positives).

TRUTH.csv is `id_l,id_r`, or `febrl` for FEBRL4 (records rec-N-org and rec-N-dup-0 match).
"""
import csv
import re
import sys


def truth_of(path, pairs):
    if path == "febrl":
        key = lambda s: re.match(r"rec-(\d+)-", s).group(1)
        return {(l, r) for l, r, _ in pairs if key(l) == key(r)}, 5000
    t = {(r["id_l"], r["id_r"]) for r in csv.DictReader(open(path))}
    return t, len(t)


def read(path):
    return [(r["id_l"], r["id_r"], float(r["score"])) for r in csv.DictReader(open(path))]


def f1(pairs, truth, n_true, threshold):
    chosen = [(l, r) for l, r, s in pairs if s >= threshold]
    tp = sum(1 for p in chosen if p in truth)
    p = tp / len(chosen) if chosen else 0.0
    rc = tp / n_true if n_true else 0.0
    return p, rc, (2 * p * rc / (p + rc) if p + rc else 0.0), len(chosen)


mode, pairs_path, truth_path = sys.argv[1], sys.argv[2], sys.argv[3]
pairs = read(pairs_path)
if mode == "kinds":
    threshold = float(sys.argv[4])
    scored = {(l, r) for l, r, s in pairs if s >= threshold}
    per = {}
    for row in csv.DictReader(open(truth_path)):
        n, fp = per.get(row["kind"], (0, 0))
        per[row["kind"]] = (n + 1, fp + ((row["id_l"], row["id_r"]) in scored))
    print(" ".join(f"{k}={fp}/{n}" for k, (n, fp) in sorted(per.items())))
    sys.exit(0)
truth, n_true = truth_of(truth_path, pairs)
if truth_path == "febrl":
    # every true pair, also those not written, counts for recall
    n_true = 5000
if mode == "reliability":
    edges = [0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99, 0.999, 1.0]
    groups = [[] for _ in range(len(edges))]
    for l, r, s in pairs:
        g = len(edges) - 1 if s >= 1.0 else max(i for i, e in enumerate(edges[:-1]) if s >= e)
        groups[g].append((s, (l, r) in truth))
    ece, total = 0.0, len(pairs)
    print("group            pairs  predicted  observed")
    for i, g in enumerate(groups):
        if not g:
            continue
        name = "1 (identifier)" if i == len(edges) - 1 else f"[{edges[i]}, {edges[i + 1]})"
        pred = sum(s for s, _ in g) / len(g)
        obs = sum(m for _, m in g) / len(g)
        ece += len(g) / total * abs(pred - obs)
        print(f"{name:<16} {len(g):>6}  {pred:9.4f}  {obs:8.4f}")
    print(f"ECE {ece:.4f}")
    sys.exit(0)
if mode == "best":
    # One sweep over the pairs by falling score: F1 at every distinct score (and at 0.5, 0.9 and
    # 0.99). The best F1 wins, the lower threshold among equals; printed in full precision.
    ranked = sorted(((s, (l, r) in truth) for l, r, s in pairs), reverse=True)
    candidates = sorted({s for s, _ in ranked} | {0.5, 0.9, 0.99}, reverse=True)
    best, best_f1, tp, k = 0.0, -1.0, 0, 0
    for t in candidates:
        while k < len(ranked) and ranked[k][0] >= t:
            tp += ranked[k][1]
            k += 1
        p = tp / k if k else 0.0
        rc = tp / n_true if n_true else 0.0
        f = 2 * p * rc / (p + rc) if p + rc else 0.0
        if f >= best_f1:
            best, best_f1 = t, f
    print(repr(best))
else:
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 0.0
    p, rc, f, n = f1(pairs, truth, n_true, threshold)
    print(f"{p:.4f} {rc:.4f} {f:.4f} {n}")
