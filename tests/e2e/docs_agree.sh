#!/bin/sh
# `kube2ecs --help`, `kube2ecs help convert` (= `convert --help`), the man
# page, the README and the bash completion list the same outputs, formats,
# options and exit statuses.  Each list is extracted from each document and
# the sets are compared; the parser is checked against the option list.
. "$(dirname "$0")/common.sh"
man=$source_dir/converter/cli/kube2ecs.1
readme=$source_dir/README.md
completion=$source_dir/converter/cli/kube2ecs.bash
"$kube2ecs" help convert >"$work/help"
"$kube2ecs" convert --help >"$work/help2"
"$kube2ecs" --help >"$work/usage"
cmp -s "$work/help" "$work/help2" || fail "help convert and convert --help differ"
# kube2ecs --help ends with the whole of help convert.
tail -n "$(wc -l <"$work/help")" "$work/usage" | cmp -s - "$work/help" ||
    fail "kube2ecs --help does not include help convert"

# section FILE START END: the lines after the one matching START up to END.
section() { sed -n "/$2/,/$3/p" "$1" | sed '1d;$d'; }
compare() {   # what, then files named help man readme [completion]
    what=$1
    shift
    for f in "$@"; do
        sort -u "$work/$what.$f" -o "$work/$what.$f"
        [ -s "$work/$what.$f" ] || fail "$what: nothing extracted from $f"
        cmp -s "$work/$what.help" "$work/$what.$f" || {
            diff "$work/$what.help" "$work/$what.$f" || true
            fail "$what: help convert and $f disagree (see the diff above)"
        }
    done
    echo "$what agree: $(tr '\n' ' ' <"$work/$what.help")"
}
first_part() { sed -E 's#^([^/ ]+/|[^/ ]+\.(json|yaml)).*#\1#'; }

# Outputs: the first path component of each entry.
section "$work/help" '^output (in OUTDIR):' '^$' | grep -E '^  [a-z]' | sed 's/^  //' |
    first_part >"$work/outputs.help"
section "$man" '^\.SH OUTPUT' '^\.SH ' | sed -n 's#^\.I OUTDIR/##p' | first_part >"$work/outputs.man"
section "$readme" '^### Output' '^### ' | sed -n 's#^| `\([^`]*\)`.*#\1#p' | first_part \
    >"$work/outputs.readme"
compare outputs help man readme
for want in run-tasks/ ecschedule.yaml ecspresso/ ecs-deploy/ report.json; do
    grep -qxF "$want" "$work/outputs.help" || fail "outputs: $want missing"
done

# Formats: every "with -f NAME" of the output lists, the completion's list.
grep -oE 'with -f [a-z-]+' "$work/help" | sed 's/with -f //' >"$work/formats.help"
section "$man" '^\.SH OUTPUT' '^\.SH ' | grep -oE '^\.BR "\\-f [a-z-]+' | sed 's/.*-f //' \
    >"$work/formats.man"
grep -oE 'with `-f [a-z-]+`' "$readme" | sed 's/with `-f //; s/`//' >"$work/formats.readme"
sed -n 's/^_kube2ecs_formats="\(.*\)"/\1/p' "$completion" | tr ' ' '\n' >"$work/formats.completion"
compare formats help man readme completion
for f in $(cat "$work/formats.help"); do
    run_kube2ecs convert -f "$f" --help
    [ "$status" -eq 0 ] || fail "format $f documented but refused"
done

# Options: long names (and short ones) of convert.
section "$work/help" '^options:' '^$' | grep -oE '^  (-[a-z], )? *--[a-z-]+' |
    sed -E 's/^ +//; s/,? +/ /g' | tr ' ' '\n' | grep . >"$work/options.help"
section "$man" '^\.SH OPTIONS' '^\.SH ' | grep '^\.B' | sed 's/\\//g' |
    grep -oE -- '(^| )--?[a-z][a-z-]*' | sed 's/^ //' >"$work/options.man"
section "$readme" '^### Options' '^### ' | grep -oE '^\| `[^|]*\|' | grep -oE -- '-[-a-z]+' \
    >"$work/options.readme"
sed -n '/^_kube2ecs_convert_options="/,/"$/p' "$completion" | tr ' "=' '\n\n\n' |
    grep -E '^-' >"$work/options.completion"
compare options help man readme completion
for o in $(grep -- '^--' "$work/options.help"); do   # a flag, or an option with a value
    run_kube2ecs convert "$o" --help
    [ "$status" -eq 0 ] && continue
    value=x
    [ "$o" = --format ] && value=$(head -1 "$work/formats.help")
    run_kube2ecs convert "$o=$value" --help
    [ "$status" -eq 0 ] || fail "option $o documented but refused"
done
run_kube2ecs convert --undocumented --help
[ "$status" -eq 2 ] || fail "the parser accepts an undocumented option"

# Exit statuses: the numbers of each list.
sed -n '/^exit status:/,$s/^  \([0-9]\)  .*/\1/p' "$work/help" >"$work/exit.help"
sed -n '/^exit status:/,$s/^  \([0-9]\)  .*/\1/p' "$work/usage" >"$work/exit.usage"
section "$man" '^\.SH EXIT STATUS' '^\.SH ' | sed -n 's/^\.B \([0-9]\)$/\1/p' >"$work/exit.man"
section "$readme" '^### Exit status' '^## ' | sed -n 's/^| `\([0-9]\)` |.*/\1/p' >"$work/exit.readme"
compare exit help usage man readme
[ "$(tr -d '\n' <"$work/exit.help")" = 0123 ] || fail "exit statuses are not 0 1 2 3"
echo "help, man page, README and completion agree"
