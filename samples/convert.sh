#!/bin/sh
# Installs what building and converting need (if missing), builds kube2ecs,
# and converts the samples:
#   samples/manifests/                      -> samples-out/
#   samples/kustomize/rendered-staging.yaml -> samples-out-staging/
#       (what `kubectl kustomize samples/kustomize/overlays/staging` prints)
#   samples/helm/rendered-web.yaml          -> samples-out-web/
#       (what `helm template web samples/helm/web` prints)
# The binary is build/kube2ecs; `cmake --install build` installs it.
set -eu
cd "$(dirname "$0")/.."
sh tests/install-deps.sh --build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc 2>/dev/null || echo 2)" --target kube2ecs >/dev/null
kube2ecs=./build/kube2ecs
status=0
$kube2ecs convert -m samples/mapping.yaml -f ecspresso -f ecs-deploy -o samples-out \
    samples/manifests || status=$?
# kubectl and helm print to standard output; kube2ecs reads it with "-".
# The renderings are checked in, so neither tool is needed here.
$kube2ecs convert -m samples/mapping.yaml -o samples-out-staging - \
    <samples/kustomize/rendered-staging.yaml || status=$?
$kube2ecs convert -m samples/mapping.yaml -o samples-out-web - \
    <samples/helm/rendered-web.yaml || status=$?
echo
for out in samples-out samples-out-staging samples-out-web; do
    echo "ECS files in $(pwd)/$out/:"
    (cd "$out" && find . -type f | sort | sed 's|^\./|  |')
done
echo
echo "kube2ecs is $(pwd)/build/kube2ecs; install it (binary, man page, bash completion)"
echo "with: cmake --install build    (or: cd build && cpack -G DEB)"
exit "$status"
