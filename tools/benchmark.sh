#!/usr/bin/env bash
# Benchmark of docs/performance.md: national run against a pandas script,
# detail-level ingest against bare polars. Prints hyperfine's tables, the
# medians and their ratios, and peak memory (/usr/bin/time -v).
#
#   tools/benchmark.sh [DOSSIER] [LIGNES_DETAIL]
#
# The documents of both programs are written to SORTIES (default: a folder
# in /dev/shm when there is one): the measure is then that of the programs,
# not of the disk. On this VM's ext4, a run that follows the deletion of the
# previous run's 1 800 files pays for them (the kernel skips recently freed
# inodes one by one, ≈ 0.5 s), which a quarterly run never does.
#
# Needs: hyperfine, GNU time (Debian: hyperfine time), and for the pandas
# reference: pip install pandas xlsxwriter reportlab.
set -euo pipefail
cd "$(dirname "$0")/.."
dossier="${1:-${TMPDIR:-/tmp}/qpv-annexe-bench}"
lignes="${2:-10000000}"
cible="${CARGO_TARGET_DIR:-target}"
if [ -z "${SORTIES:-}" ]; then
    if [ -d /dev/shm ]; then SORTIES=/dev/shm/qpv-annexe-bench; else SORTIES="$dossier/sorties"; fi
fi
mkdir -p "$SORTIES"

cargo build --release --bins --examples
bin="$cible/release/qpv-annexe"
mkdir -p "$dossier"

# Inputs: 101 départements, 1 600 QPV, ~800 communes with a QPV, 5 quarters;
# the detail: the same territory, $lignes rows.
[ -f "$dossier/national/conseil.toml" ] || "$cible/release/examples/national" "$dossier/national"
[ -f "$dossier/detail/demandeurs_emploi_detail.csv" ] \
    || "$cible/release/examples/national" "$dossier/detail" --sans-agrege --detail "$lignes"

# Medians of a hyperfine JSON export, each command's against the first's.
medianes() {
    python3 - "$1" <<'PY'
import json, sys
resultats = json.load(open(sys.argv[1]))["results"]
fr = lambda x: f"{x:.2f}".replace(".", ",")
premier = resultats[0]
print(f"  médiane {premier['command']} : {fr(premier['median'])} s")
for r in resultats[1:]:
    t, t0 = r["median"], premier["median"]
    sens = f"{fr(t / t0)} × plus lent" if t >= t0 else f"{fr(t0 / t)} × plus rapide"
    print(f"  médiane {r['command']} : {fr(t)} s, {sens} que {premier['command']}")
PY
}

echo "== Exécution nationale : qpv-annexe contre pandas + XlsxWriter + ReportLab"
hyperfine --warmup 1 --runs 5 --export-markdown "$dossier/national.md" --export-json "$dossier/national.json" \
    -n qpv-annexe "$bin run -q --force --departements all --config $dossier/national/conseil.toml --reports $SORTIES/r" \
    -n pandas "python3 tools/reference_pandas.py $dossier/national $SORTIES/rp" \
    -n "pandas sans PDF des communes" "python3 tools/reference_pandas.py $dossier/national $SORTIES/rp2 --sans-pdf-communes"
medianes "$dossier/national.json"

echo "== Lecture du détail ($lignes lignes) : qpv-annexe validate contre polars seul"
hyperfine --warmup 1 --runs 5 --export-markdown "$dossier/detail.md" --export-json "$dossier/detail.json" \
    -n qpv-annexe "$bin validate -q --config $dossier/detail/conseil.toml" \
    -n polars "$cible/release/examples/polars_brut $dossier/detail/demandeurs_emploi_detail.csv"
medianes "$dossier/detail.json"

echo "== Mémoire maximale (Ko)"
for nom in "national:$bin run -q --force --departements all --config $dossier/national/conseil.toml --reports $SORTIES/r" \
           "pandas:python3 tools/reference_pandas.py $dossier/national $SORTIES/rp" \
           "detail:$bin validate -q --config $dossier/detail/conseil.toml" \
           "polars:$cible/release/examples/polars_brut $dossier/detail/demandeurs_emploi_detail.csv"; do
    commande="${nom#*:}"
    # shellcheck disable=SC2086
    kio=$(/usr/bin/time -v $commande 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ {print $2}')
    echo "${nom%%:*} : $kio"
done
rm -rf "$SORTIES/r" "$SORTIES/rp" "$SORTIES/rp2"
