#!/bin/sh
# MAPPING.md names every field of PodSpec and Container (Kubernetes API
# reference, core/v1, 1.31), and every diagnostic code the code defines.
. "$(dirname "$0")/common.sh"
doc="$source_dir/MAPPING.md"
podspec="activeDeadlineSeconds affinity automountServiceAccountToken containers dnsConfig
dnsPolicy enableServiceLinks ephemeralContainers hostAliases hostIPC hostNetwork hostPID
hostUsers hostname imagePullSecrets initContainers nodeName nodeSelector os overhead
preemptionPolicy priority priorityClassName readinessGates resourceClaims resources
restartPolicy runtimeClassName schedulerName schedulingGates securityContext serviceAccount
serviceAccountName setHostnameAsFQDN shareProcessNamespace subdomain
terminationGracePeriodSeconds tolerations topologySpreadConstraints volumes"
container="args command env envFrom image imagePullPolicy lifecycle livenessProbe name ports
readinessProbe resizePolicy resources restartPolicy securityContext startupProbe stdin
stdinOnce terminationMessagePath terminationMessagePolicy tty volumeDevices volumeMounts
workingDir"
missing=""
for field in $podspec $container; do
    grep -qE "\`$field([^A-Za-z0-9]|$)" "$doc" || missing="$missing $field"
done
[ -z "$missing" ] || fail "MAPPING.md does not mention:$missing"
codes=$(sed -n 's/^K2E_DIAG_CODE([A-Z_0-9]*, "\(K2E-[EWI][0-9]*\)".*/\1/p' \
        "$source_dir/include/kube2ecs/diag_codes.h")
for code in $codes; do
    grep -q "$code" "$doc" || missing="$missing $code"
done
[ -z "$missing" ] || fail "MAPPING.md does not document:$missing"
echo "MAPPING.md covers $(echo $podspec $container | wc -w) fields and $(echo $codes | wc -w) codes"
