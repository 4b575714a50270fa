#!/bin/sh
# CronJob time zones come from the host's compiled tzdata (/usr/share/zoneinfo,
# or $TZDIR): kube2ecs carries no zone data of its own.  With a zone database
# the zone converts; without one the error says what to install; a CronJob
# without timeZone (UTC) needs no database at all.
. "$(dirname "$0")/common.sh"
cat >"$work/cron.yaml" <<'YAML'
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  timeZone: Asia/Tokyo
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: job, image: public.ecr.aws/docker/library/busybox:1.36}]
YAML
sed '/timeZone/d' "$work/cron.yaml" >"$work/utc.yaml"

[ -f /usr/share/zoneinfo/Asia/Tokyo ] || { echo "skipped: no tzdata on this machine"; exit 77; }
run_kube2ecs convert -o "$work/a" "$work/cron.yaml"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "with tzdata: exit $status"; }
grep -q "cron(0 18 \* \* ? \*)" "$work/a/ecschedule.yaml" || fail "Asia/Tokyo 03:00 is not 18:00 UTC"

TZDIR="$work/no-such-dir" run_kube2ecs convert -o "$work/b" "$work/cron.yaml"
[ "$status" -eq 2 ] || fail "without tzdata: exit $status, expected 2"
grep -q "no time zone database at $work/no-such-dir.*install tzdata.*TZDIR" "$work/stderr" ||
    { cat "$work/stderr"; fail "the error does not say to install tzdata"; }

TZDIR="$work/no-such-dir" run_kube2ecs convert -o "$work/c" "$work/utc.yaml"
[ "$status" -eq 0 ] || { cat "$work/stderr"; fail "a UTC CronJob needs no tzdata: exit $status"; }
echo "tzdata: zone converted with it, clear error without it, UTC needs none"
