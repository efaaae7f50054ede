"""A second, independently written record-linkage generator: FEBRL-style person records where
half of the non-matching records of the right file live in a household of a left record.

    python households.py --size N --seed S --out DIR [--household-share 0.5]

Writes DIR/left.csv, DIR/right.csv (columns as FEBRL: rec_id, given_name, surname,
street_number, address_1, suburb, postcode, state, date_of_birth, soc_sec_id), DIR/truth.csv
(`id_l,id_r`) and DIR/kinds.csv (`id_l,id_r,kind` for every right record that has a look-alike
on the left: household, twin, father/son namesake).

Written apart from `bench/src/linkgen.rs` (the Dutch generator) and with another corruption
model: every true duplicate gets 2 to 5 corrupted fields, each by one of typing error, OCR
confusion, phonetic spelling, nickname or initial, missing value, day/month swap or a
neighbouring house number. Of the non-matching right records, `household-share` are relatives
of a left record at its address: same surname and address, another given name, birth date and
social security number; a fifth of those are twins (same birth date) and a tenth a father or
son with the same given name. The rest are new people.
"""
import argparse
import csv
import itertools
import os
import random

MALE = """james john robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry
austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe
logan alan juan albert willie elijah wayne randy vincent mason roy ralph bobby russell bradley
philip eugene liam oliver lucas hugo finn""".split()
FEMALE = """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
betty sandra margaret ashley kimberly emily donna michelle carol amanda melissa deborah
stephanie dorothy rebecca sharon laura cynthia amy kathleen angela shirley brenda emma anna
pamela nicole samantha katherine christine helen debra rachel carolyn janet maria catherine
heather diane olivia julie joyce victoria ruth virginia lauren kelly christina joan evelyn judith
andrea hannah megan cheryl jacqueline martha madison teresa gloria sara janice ann kathryn
abigail sophia frances jean alice judy isabella julia grace amber denise danielle marilyn beverly
charlotte natalie theresa diana brittany doris kayla alexis lori marie chloe zoe mia""".split()
NICK = {"william": "bill", "robert": "bob", "richard": "dick", "james": "jim", "michael": "mike",
        "thomas": "tom", "joseph": "joe", "charles": "charlie", "christopher": "chris",
        "daniel": "dan", "matthew": "matt", "anthony": "tony", "edward": "ted", "elizabeth": "liz",
        "margaret": "peggy", "katherine": "kate", "jennifer": "jenny", "patricia": "pat",
        "rebecca": "becky", "samantha": "sam", "alexander": "alex", "benjamin": "ben",
        "nicholas": "nick", "jonathan": "jon", "stephanie": "steph", "victoria": "vicky",
        "deborah": "debbie", "susan": "sue", "dorothy": "dot", "catherine": "cathy"}
SYL = "ba be bi bo bu ca ce co da de di do fa fe ga ge go ha he ka ke ki ko la le li lo lu ma me mi mo na ne ni no pa pe po ra re ri ro sa se si so ta te ti to va ve wa we ya zo".split()
END = "son ton ley man field wood well ford ham by ridge worth stone brook more land hill".split()
OCR = {"0": "o", "o": "0", "1": "l", "l": "1", "5": "s", "s": "5", "8": "b", "b": "8", "m": "rn", "rn": "m", "cl": "d", "g": "q", "e": "c"}
PHON = [("ph", "f"), ("ck", "k"), ("ee", "ea"), ("ie", "y"), ("th", "t"), ("ll", "l"), ("nn", "n"), ("ou", "ow"), ("ai", "ay"), ("c", "k"), ("s", "z")]
LETTERS = "abcdefghijklmnopqrstuvwxyz"
STATES = ["nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"]


def word(rng, parts):
    return "".join(rng.choice(SYL) for _ in range(parts))


class World:
    def __init__(self, rng, size):
        self.rng = rng
        # Surnames with a long tail: a few very common ones, many rare.
        self.surnames = [word(rng, rng.choice([1, 2, 2])) + rng.choice(END) for _ in range(max(200, size // 8))]
        # Cumulative weights once: `choices` with plain weights sums them on every call, which
        # is quadratic at a million records (same draws either way).
        self.cum_weights = list(itertools.accumulate(1.0 / (i + 1) ** 0.8 for i in range(len(self.surnames))))
        self.streets = [word(rng, 2) + " " + rng.choice(["street", "road", "avenue", "place", "crescent", "drive", "court", "lane"]) for _ in range(max(300, size // 20))]
        self.suburbs = [(word(rng, rng.choice([2, 3])), f"{rng.randint(800, 7999):04d}", rng.choice(STATES)) for _ in range(max(100, size // 50))]
        self.ssns = rng.sample(range(1_000_000, 9_999_999), 3 * size + 10)

    def ssn(self):
        return str(self.ssns.pop())

    def dob(self, lo=1930, hi=2008):
        rng = self.rng
        return f"{rng.randint(lo, hi)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"

    def given(self, sex):
        return self.rng.choice(MALE if sex == "m" else FEMALE)

    def person(self):
        rng = self.rng
        sex = rng.choice("mf")
        suburb, postcode, state = rng.choice(self.suburbs)
        return {
            "sex": sex,
            "given_name": self.given(sex),
            "surname": rng.choices(self.surnames, cum_weights=self.cum_weights)[0],
            "street_number": str(rng.randint(1, 250)),
            "address_1": rng.choice(self.streets),
            "suburb": suburb,
            "postcode": postcode,
            "state": state,
            "date_of_birth": self.dob(),
            "soc_sec_id": self.ssn(),
        }


def typo(rng, s):
    if not s:
        return s
    i = rng.randrange(len(s))
    op = rng.choice("isdt")
    if op == "i":
        return s[:i] + rng.choice(LETTERS if s[i].isalpha() else "0123456789") + s[i:]
    if op == "s":
        return s[:i] + rng.choice(LETTERS if s[i].isalpha() else "0123456789") + s[i + 1:]
    if op == "d" and len(s) > 1:
        return s[:i] + s[i + 1:]
    if i + 1 < len(s):
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    return s[:-1]


def ocr(rng, s):
    keys = [k for k in OCR if k in s]
    if not keys:
        return typo(rng, s)
    k = rng.choice(keys)
    return s.replace(k, OCR[k], 1)


def phonetic(rng, s):
    rules = [(a, b) for a, b in PHON if a in s]
    if not rules:
        return typo(rng, s)
    a, b = rng.choice(rules)
    return s.replace(a, b, 1)


def corrupt(rng, rec, field):
    v = rec[field]
    if rng.random() < 0.15:
        rec[field] = ""
        return
    if field == "given_name":
        r = rng.random()
        if r < 0.25 and v in NICK:
            rec[field] = NICK[v]
        elif r < 0.35:
            rec[field] = v[:1]
        else:
            rec[field] = rng.choice([typo, ocr, phonetic])(rng, v)
    elif field == "surname":
        rec[field] = rng.choice([typo, ocr, phonetic])(rng, v)
    elif field == "date_of_birth":
        y, m, d = v[:4], v[4:6], v[6:]
        if rng.random() < 0.4 and int(d) <= 12 and d != m:
            rec[field] = y + d + m
        else:
            rec[field] = typo(rng, v) if rng.random() < 0.5 else y + m + f"{min(28, max(1, int(d) + rng.choice([-1, 1]))):02d}"
    elif field == "street_number":
        rec[field] = str(max(1, int(v) + rng.choice([-2, -1, 1, 2]))) if v.isdigit() and rng.random() < 0.5 else typo(rng, v)
    elif field == "soc_sec_id":
        rec[field] = typo(rng, v)
    else:
        rec[field] = rng.choice([typo, ocr, phonetic])(rng, v)


CORRUPTIBLE = ["given_name", "surname", "street_number", "address_1", "suburb", "postcode", "date_of_birth", "soc_sec_id"]
COLUMNS = ["rec_id", "given_name", "surname", "street_number", "address_1", "suburb", "postcode", "state", "date_of_birth", "soc_sec_id"]


def relative(world, rng, a, kind):
    """A member of `a`'s household: same surname and address; another given name, birth date and
    social security number (twins share the birth date; a father or son the given name)."""
    r = dict(a)
    r["soc_sec_id"] = world.ssn()
    if kind == "twin":
        r["sex"] = rng.choice("mf")
        while r["given_name"] == a["given_name"]:
            r["given_name"] = world.given(r["sex"])
    elif kind == "namesake":
        y = int(a["date_of_birth"][:4])
        gap = rng.randint(20, 35) * rng.choice([-1, 1])
        r["date_of_birth"] = world.dob(y + gap, y + gap) if 1900 < y + gap < 2015 else world.dob(y + 25, y + 25)
    else:
        r["sex"] = rng.choice("mf")
        while r["given_name"] == a["given_name"]:
            r["given_name"] = world.given(r["sex"])
        y = int(a["date_of_birth"][:4])
        r["date_of_birth"] = world.dob(max(1920, y - 40), min(2015, y + 40))
        while r["date_of_birth"] == a["date_of_birth"]:
            r["date_of_birth"] = world.dob(max(1920, y - 40), min(2015, y + 40))
    # Relatives are recorded by people too: one field may be mistyped.
    if rng.random() < 0.3:
        corrupt(rng, r, rng.choice(["street_number", "address_1", "suburb", "postcode"]))
    return r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, required=True, help="records per file")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", required=True)
    ap.add_argument("--household-share", type=float, default=0.5)
    ap.add_argument("--match-share", type=float, default=0.5, help="share of right records that are a true duplicate")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    world = World(rng, args.size)
    left = [world.person() for _ in range(args.size)]
    n_match = int(args.size * args.match_share)
    matched = rng.sample(range(args.size), n_match)
    right, truth, kinds = [], [], []
    for i in matched:
        r = dict(left[i])
        for f in rng.sample(CORRUPTIBLE, rng.randint(2, 5)):
            corrupt(rng, r, f)
        right.append((r, i, None))
    for _ in range(args.size - n_match):
        if rng.random() < args.household_share:
            i = rng.randrange(args.size)
            u = rng.random()
            kind = "twin" if u < 0.2 else "namesake" if u < 0.3 else "household"
            right.append((relative(world, rng, left[i], kind), i, kind))
        else:
            right.append((world.person(), None, None))
    rng.shuffle(right)
    os.makedirs(args.out, exist_ok=True)

    def write(path, rows):
        with open(path, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS)
            for key, rec in rows:
                w.writerow([key] + [rec[c] for c in COLUMNS[1:]])

    write(os.path.join(args.out, "left.csv"), [(f"a-{i}", p) for i, p in enumerate(left)])
    write(os.path.join(args.out, "right.csv"), [(f"b-{j}", r) for j, (r, _, _) in enumerate(right)])
    with open(os.path.join(args.out, "truth.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id_l", "id_r"])
        for j, (_, i, kind) in enumerate(right):
            if i is not None and kind is None:
                w.writerow([f"a-{i}", f"b-{j}"])
    with open(os.path.join(args.out, "kinds.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id_l", "id_r", "kind"])
        for j, (_, i, kind) in enumerate(right):
            if kind is not None:
                w.writerow([f"a-{i}", f"b-{j}", kind])


if __name__ == "__main__":
    main()
