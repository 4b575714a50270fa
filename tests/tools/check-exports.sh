#!/bin/sh
# The public API is what include/kube2ecs/ declares, and only that:
#  1. libkube2ecs.so exports exactly the k2e_ functions the public headers
#     declare (nm -D), no internal symbol;
#  2. a program built against include/ alone (no private header) links with
#     the shared library and converts the samples.
# usage: check-exports.sh SOURCE_DIR LIBKUBE2ECS_SO CC
set -eu
source_dir=$1
lib=$2
cc=${3:-cc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sed -n 's/^K2E_API .*\b\(k2e_[a-z0-9_]*\)(.*/\1/p' "$source_dir"/include/kube2ecs/*.h |
    sort -u >"$work/declared"
nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | sort -u >"$work/exported"
if ! diff -u "$work/declared" "$work/exported"; then
    echo "FAIL: libkube2ecs.so exports other functions than include/kube2ecs/ declares"
    exit 1
fi
[ "$(wc -l <"$work/declared")" -ge 10 ] || { echo "FAIL: too few public functions parsed"; exit 1; }

cat >"$work/embed.c" <<'C'
#include <stdio.h>

#include "kube2ecs/convert.h"
#include "kube2ecs/mapping.h"

int main(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    k2e_convert_options options = {.mapping_path = argv[1], .outdir = argv[2]};
    const char *paths[] = {argv[3]};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    int status = k2e_convert(&options, paths, 1, &result);
    int has = k2e_outputs_has(&result.outputs, "task-definitions/api-server.json");
    printf("status %d, %zu objects, %zu errors, task-definitions/api-server.json %s\n", status,
           result.objects_read, k2e_diags_count(&result.diags, K2E_SEV_ERROR), has ? "yes" : "no");
    k2e_convert_result_release(&result);
    if (status != 0)
        return status;
    return has && k2e_mapping_default_text()[0] ? 0 : 1;
}
C
"$cc" -std=c11 -Wall -Werror -I"$source_dir/include" "$work/embed.c" -o "$work/embed" \
    "$lib" -Wl,-rpath,"$(dirname "$lib")"
"$work/embed" "$source_dir/samples/mapping.yaml" "$work/out" "$source_dir/samples/manifests"
echo "$(wc -l <"$work/declared") public functions, exported exactly; an embedding program converts"
