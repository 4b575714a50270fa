#!/bin/sh
# Seed corpora for the fuzz targets, built from the project's own inputs
# (samples/ and tests/cases/) plus type-confused variants of them: numbers
# where strings belong, mappings where lists belong, lists where mappings
# belong, so the fuzzers start inside the mappers' error paths.
# usage: seeds.sh SOURCE_DIR OUT_DIR  -> OUT_DIR/{convert,mapping,cron}/
set -eu
src=$1
out=$2
mkdir -p "$out/convert" "$out/mapping" "$out/cron"
n=0
for f in "$src"/samples/manifests/*.yaml "$src"/tests/cases/*/input/*.yaml \
         "$src"/tests/cases/*/input/*.json; do
    [ -f "$f" ] || continue
    n=$((n + 1))
    cp "$f" "$out/convert/s$n.yaml"
    # type confusion: quoted numbers -> bare, scalars -> mappings, [] -> {}
    sed -e 's/: "\([0-9][0-9]*\)"/: \1/g' "$f" >"$out/convert/s$n-num.yaml"
    sed -e 's/^\(  *\)\(image\|name\|schedule\|cpu\|memory\): .*/\1\2: {x: 1}/' "$f" \
        >"$out/convert/s$n-map.yaml"
    sed -e 's/: \[\]/: {}/g; s/: \[/: {a: [/; s/\]$/]}/' "$f" >"$out/convert/s$n-list.yaml"
done
m=0
for f in "$src"/samples/mapping.yaml "$src"/tests/cases/*/mapping.yaml \
         "$src"/converter/read/default-mapping.yaml; do
    [ -f "$f" ] || continue
    m=$((m + 1))
    cp "$f" "$out/mapping/m$m.yaml"
    sed -e 's/: \(["a-z0-9-]*\)$/: [\1]/' "$f" >"$out/mapping/m$m-list.yaml"
    sed -e 's/: "\([0-9][0-9]*\)"/: \1/g; s/: \(true\|false\)$/: "yes"/' "$f" \
        >"$out/mapping/m$m-num.yaml"
done
c=0
grep -ho 'schedule: *"[^"]*"' "$src"/tests/cases/*/input/*.yaml "$src"/samples/manifests/*.yaml |
    sed 's/schedule: *"\(.*\)"/\1/' | sort -u | while IFS= read -r s; do
    c=$((c + 1))
    printf '%s' "$s" >"$out/cron/c$c"
    printf '%s\0Europe/Berlin\0\001' "$s" >"$out/cron/c$c-berlin"
    printf '%s\0America/St_Johns' "$s" >"$out/cron/c$c-stjohns"
done
echo "seeds: $(ls "$out/convert" | wc -l) manifests, $(ls "$out/mapping" | wc -l) mapping files, $(ls "$out/cron" | wc -l) schedules"
