#!/bin/sh
# Installs what is missing, builds kube2ecs, and converts the samples:
#   sh samples/convert.sh            -> samples-out/
set -eu
cd "$(dirname "$0")/.."
sh tests/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target kube2ecs >/dev/null
status=0
./build/kube2ecs convert -m samples/mapping.yaml -o samples-out samples/manifests || status=$?
echo
echo "ECS files for samples/manifests are in $(pwd)/samples-out/:"
(cd samples-out && find . -type f | sort | sed 's|^\./|  |')
exit "$status"
