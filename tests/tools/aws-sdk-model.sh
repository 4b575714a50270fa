#!/bin/sh
# Prints the path of the ECS API model that the aws-sdk npm package ships:
# newer than Debian's botocore (it knows container restartPolicy, for one).
# Downloaded from the npm registry into a cache on first use, with npm when
# it is installed, else with Python's urllib (so CI needs no Node.js), and
# checked against its SHA-256.  Exit 77 (a skip, for CTest; a failure under
# CI=true) when the registry cannot be reached.
set -eu
version=2.1693.0
model_sha256=6dcb81a0eadf4a76d96cb5bc8cf2ac5c8d0fad79bf59633d1885582ed62c308a
cache=${K2E_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/kube2ecs}
model=$cache/aws-sdk-$version/ecs-2014-11-13.min.json
if [ ! -f "$model" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    tgz=$tmp/aws-sdk-$version.tgz
    if command -v npm >/dev/null; then
        (cd "$tmp" && npm pack --silent "aws-sdk@$version" >/dev/null 2>&1) || rm -f "$tgz"
    else
        /usr/bin/python3 -c 'import sys, urllib.request
data = urllib.request.urlopen(sys.argv[1], timeout=120).read()
open(sys.argv[2], "wb").write(data)' \
            "https://registry.npmjs.org/aws-sdk/-/aws-sdk-$version.tgz" "$tgz" 2>/dev/null ||
            rm -f "$tgz"
    fi
    if [ ! -f "$tgz" ]; then
        echo "cannot download aws-sdk@$version from the npm registry" >&2
        exit 77
    fi
    tar -xzf "$tgz" -C "$tmp" package/apis/ecs-2014-11-13.min.json
    echo "$model_sha256  $tmp/package/apis/ecs-2014-11-13.min.json" | sha256sum -c --quiet - ||
        { echo "aws-sdk@$version: the ECS model's SHA-256 is not $model_sha256" >&2; exit 1; }
    mkdir -p "$(dirname "$model")"
    cp "$tmp/package/apis/ecs-2014-11-13.min.json" "$model.tmp"
    mv "$model.tmp" "$model"
fi
echo "$model"
