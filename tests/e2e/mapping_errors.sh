#!/bin/sh
# Mistakes in the mapping file and in YAML, as a user meets them on the
# command line: nested did-you-mean, a YAML 1.1 boolean where text is
# expected, one error per mistake in list entries, an unclosed quote located
# where it opens; and `mapping --defaults` showing commented examples.
. "$(dirname "$0")/common.sh"
input=$source_dir/tests/cases/no-mapping-placeholders/input
cat >"$work/mapping.yaml" <<'YAML'
network:
  securityGroup: [sg-0123456789abcdef0]
  assignPublicIp: yes
logging:
  grup: /ecs/app
images:
  - {frm: "gcr.io/acme/", to: "111111111111.dkr.ecr.us-east-1.amazonaws.com/acme/"}
  - {from: "docker.io/", to: "public.ecr.aws/docker/"}
taskRoles:
  - {serviceAcount: api, roleArn: "arn:aws:iam::111111111111:role/api"}
  - {serviceAccount: web, roleArn: "arn:aws:iam::111111111111:role/web"}
YAML
run_kube2ecs convert -m "$work/mapping.yaml" -o "$work/out" "$input"
[ "$status" -eq 2 ] || fail "bad mapping: exit $status, expected 2"
expect() {
    grep -qxF -- "$1" "$work/stderr" || { cat "$work/stderr"; fail "missing line: $1"; }
}
expect "mapping.yaml:2:3: error: unknown key in mapping table: network.securityGroup [K2E-E020]"
expect "  hint: did you mean 'network.securityGroups'? (MAPPING.md lists every key)"
expect "mapping.yaml:3:3: error: expected a string: network.assignPublicIp [K2E-E020]"
expect "  hint: assignPublicIp takes ENABLED or DISABLED (YAML 1.1 reads an unquoted yes as a boolean)"
expect "mapping.yaml:5:3: error: unknown key in mapping table: logging.grup [K2E-E020]"
expect "  hint: did you mean 'logging.group'? (MAPPING.md lists every key)"
expect "mapping.yaml:7:6: error: unknown key in mapping table: images[0].frm [K2E-E020]"
expect "mapping.yaml:10:6: error: unknown key in mapping table: taskRoles[0].serviceAcount [K2E-E020]"
grep -q "accountId" "$work/stderr" && fail "a hint about accountId for another key"
[ "$(grep -c 'error:' "$work/stderr")" -eq 5 ] || fail "not one error per mistake"

printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "settings\ndata:\n  a: b\n' >"$work/quote.yaml"
run_kube2ecs convert -o "$work/out" "$work/quote.yaml"
expect "quote.yaml:4:9: error: unclosed quote: this string never ends (the input ends at line 7) [K2E-E002]"
grep -q "^  hint: close the string" "$work/stderr" || fail "no hint for the unclosed quote"

run_kube2ecs mapping --defaults
for key in images secrets volumes taskRoles; do
    awk -v key="$key" '/^#   - /{example=1} $0 == key ": []" {exit !example} !/^#/{example=0}' \
        "$work/stdout" || fail "mapping --defaults: no commented example above $key"
done
echo "mapping and YAML mistakes: one located error each, with a hint"
