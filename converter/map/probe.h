/* Kubernetes probes -> the ECS container `healthCheck`, and what the load
 * balancer's target group should check instead where ECS has no
 * container-level equivalent.
 *
 * ECS runs one health check per container, a command in the container
 * ({"command": ["CMD", ...] or ["CMD-SHELL", "..."], interval, timeout,
 * retries, startPeriod}); an unhealthy essential container stops the task.
 * That is the livenessProbe.  Readiness (whether the task gets traffic) is
 * the target group's business, and ECS has no startup probe: its budget
 * becomes the liveness check's startPeriod.
 *
 * All functions mark what they convert or report consumed (k2e_take) and
 * leave unknown keys unconsumed for the generic "not converted" walk.  All
 * diagnostics are located at the node concerned (a probe as a whole: the
 * probe's mapping, i.e. its first key), with paths relative to `root` (the
 * object's document root), and carry a hint.  Nothing here keeps state.
 */
#ifndef KUBE2ECS_PROBE_H
#define KUBE2ECS_PROBE_H

#include <jansson.h>

#include "report/diags.h"
#include "read/mapping_table.h"
#include "read/yaml_tree.h"
#include "map/ecs_limits.h"


/* The container's livenessProbe (and startupProbe) -> a new `healthCheck`
 * object, or NULL when the container gets no container-level check.
 *
 * - exec: {"command": ["CMD", args...]} with $(VAR) expanded exactly as the
 *   kubelet does for probe commands (only `env` entries: a literal value,
 *   "" for valueFrom entries, unknown names left as written).
 * - httpGet with mode CURL or WGET: ["CMD-SHELL", "curl -fsS --max-time T
 *   'URL' >/dev/null || exit 1"] (wget -q -O /dev/null -T T 'URL' || exit
 *   1); every value in the shell text is single-quoted.  Host defaults to
 *   127.0.0.1, HTTPS skips certificate verification (curl -k, wget
 *   --no-check-certificate) as the kubelet does, httpHeaders become -H
 *   'Name: value' / --header='Name: value', a named port is resolved
 *   against the container's ports[] (read, not consumed).  T is the probe's
 *   timeoutSeconds, capped at the ECS timeout.
 * - httpGet with mode NONE, tcpSocket and grpc in any mode: K2E-I040 with
 *   the target group settings to configure; NULL.
 * Timing: interval = periodSeconds (10), timeout = timeoutSeconds (1),
 * retries = failureThreshold (3), startPeriod = max(initialDelaySeconds
 * (0), startupProbe budget); Kubernetes defaults in parentheses.  Values
 * outside the ECS ranges above are clamped with K2E-W040 (also when the
 * value was Kubernetes' default, which the message says); startPeriod 0 is
 * left out.  The startupProbe budget is initialDelaySeconds + periodSeconds
 * x failureThreshold; the startup probe's own check is not run separately
 * (ECS runs the liveness check during startPeriod and does not count its
 * failures).  successThreshold other than 1 and terminationGracePeriodSeconds
 * on a liveness or startup probe are K2E-W041.  A startupProbe without a
 * livenessProbe is K2E-W041 (consumed, NULL).
 * Wrong types are K2E-E006 (the Kubernetes default is used instead);
 * a probe that cannot be converted is K2E-W041 and gives NULL.
 * Call it for every container that may carry probes: it is what consumes
 * livenessProbe and startupProbe.  `mode` is the mapping table's
 * healthChecks.httpProbes. */
json_t *k2e_health_check_build(k2e_node *container, k2e_node *root, k2e_http_probe_mode mode,
                               k2e_diags *diags);

/* The container's readinessProbe -> K2E-I041 naming the target group health
 * check settings (protocol, path, port, interval, timeout, healthy and
 * unhealthy thresholds, and the service's health check grace period from
 * initialDelaySeconds); an exec readiness probe has no target group
 * equivalent: K2E-W041.  The probe is consumed either way. */
void k2e_readiness_report(k2e_node *container, k2e_node *root, k2e_diags *diags);

#endif
