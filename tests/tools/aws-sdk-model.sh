#!/bin/sh
# Prints the path of the ECS API model that the aws-sdk npm package ships:
# newer than Debian's botocore (it knows container restartPolicy, for one).
# Downloaded from the npm registry into a cache on first use.  Exit 77 (a
# skip, for CTest) when npm or the registry is not there.
set -eu
version=2.1693.0
cache=${K2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube2ecs}
model=$cache/aws-sdk-$version/ecs-2014-11-13.min.json
if [ ! -f "$model" ]; then
    command -v npm >/dev/null || { echo "npm not found: cannot fetch aws-sdk@$version" >&2; exit 77; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    if ! (cd "$tmp" && npm pack --silent "aws-sdk@$version" >/dev/null 2>&1); then
        echo "cannot download aws-sdk@$version from the npm registry" >&2
        exit 77
    fi
    tar -xzf "$tmp/aws-sdk-$version.tgz" -C "$tmp" package/apis/ecs-2014-11-13.min.json
    mkdir -p "$(dirname "$model")"
    cp "$tmp/package/apis/ecs-2014-11-13.min.json" "$model.tmp"
    mv "$model.tmp" "$model"
fi
echo "$model"
