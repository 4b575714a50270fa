#!/bin/sh
# converter/map/ecs_shapes.inc is exactly what gen_ecs_shapes.py makes of
# the aws-sdk ECS model it names (the type check of mapping patches).
set -eu
source_dir=$1
model=$("$source_dir/tests/tools/aws-sdk-model.sh") || exit $?
exec /usr/bin/python3 "$source_dir/tests/tools/gen_ecs_shapes.py" --check "$model" \
    "$source_dir/converter/map/ecs_shapes.inc"
