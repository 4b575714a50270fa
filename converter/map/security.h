/* Pod and container securityContext, host namespaces -> ECS container
 * definition fields (`user`, `readonlyRootFilesystem`,
 * `linuxParameters.capabilities`, `systemControls`) and the task's
 * `pidMode`, with an error for what Fargate forbids and a warning for every
 * guarantee that cannot be carried over.
 *
 * Who reads what.  A container's effective setting is its own
 * securityContext field, else the pod's (Kubernetes' rule).  The container
 * function consumes the container's securityContext and only reads the
 * pod's; the pod function consumes the pod's securityContext and the host
 * namespace fields.  Call both: k2e_security_container once per container
 * (init containers too), k2e_security_pod once per pod.  Neither keeps state.
 *
 * Return values: false after any K2E-E050 (forbidden on Fargate) or K2E-E006
 * (wrong type) diagnostic; the output is still written for everything that
 * could be converted, so the caller may go on collecting diagnostics.
 * Diagnostics are located at the node concerned, paths relative to `root`.
 */
#ifndef KUBE2ECS_SECURITY_H
#define KUBE2ECS_SECURITY_H

#include <stdbool.h>

#include <jansson.h>

#include "report/diags.h"
#include "read/yaml_tree.h"

/* Container securityContext (effective with the pod's) -> container_json:
 * - runAsUser [+ runAsGroup] -> "user": "uid" or "uid:gid".  A runAsGroup
 *   without a runAsUser is not written (ECS `user` cannot name a group
 *   without a user, and "0:gid" would turn the image's user into root):
 *   K2E-W050.  runAsNonRoot: true is satisfied silently by a non-zero
 *   runAsUser; otherwise K2E-W050 (ECS does not check the image's user).
 *   These two depend on the effective pair, so a pod-level value is
 *   reported at the pod's node once per container it affects, naming it.
 * - readOnlyRootFilesystem -> "readonlyRootFilesystem": true/false.
 * - capabilities.add/drop -> "linuxParameters": {"capabilities": {"add",
 *   "drop"}} (merged into an existing linuxParameters object), names
 *   upper-cased without CAP_.  Adding anything but SYS_PTRACE: K2E-E050.
 *   Dropping a name ECS does not know: K2E-W050, left out.  "ALL" may be
 *   dropped.
 * - privileged: true -> K2E-E050; false is consumed silently.
 * - allowPrivilegeEscalation: false, procMount other than Default,
 *   seccompProfile, seLinuxOptions, appArmorProfile, windowsOptions of the
 *   container -> K2E-W050 (the pod's are reported by k2e_security_pod).
 *   allowPrivilegeEscalation: true and procMount: Default ask for nothing
 *   ECS does not already give and are consumed silently.
 * - the pod's sysctls that Fargate supports -> "systemControls" [{namespace,
 *   value}] on every container (network sysctls apply task-wide on awsvpc
 *   anyway; IPC ones are per container without ipcMode, which Fargate lacks).
 * container_json must be a JSON object; pod_spec may be NULL. */
bool k2e_security_container(k2e_node *pod_spec, k2e_node *container, k2e_node *root,
                            json_t *container_json, k2e_diags *diags);

/* Pod-level settings -> task_definition (a JSON object, or NULL to only
 * check and report):
 * - hostNetwork, hostPID, hostIPC: true -> K2E-E050; false consumed.
 * - shareProcessNamespace: true -> "pidMode": "task"; false consumed.
 * - securityContext: runAsUser, runAsGroup, runAsNonRoot are consumed (the
 *   container function applies them; their types are checked here, once);
 *   sysctls are consumed, the ones Fargate cannot set are K2E-W050;
 *   fsGroup, fsGroupChangePolicy, supplementalGroups,
 *   supplementalGroupsPolicy, seccompProfile, seLinuxOptions,
 *   seLinuxChangePolicy, appArmorProfile, windowsOptions -> K2E-W050. */
bool k2e_security_pod(k2e_node *pod_spec, k2e_node *root, json_t *task_definition,
                      k2e_diags *diags);

/* Whether Fargate accepts `name` (dotted form) in systemControls: the IPC
 * namespace sysctls kernel.msgmax, kernel.msgmnb, kernel.msgmni,
 * kernel.sem, kernel.shmall, kernel.shmmax, kernel.shmmni,
 * kernel.shm_rmid_forced, fs.mqueue.*, and the network namespace net.*. */
bool k2e_sysctl_supported(const char *name);

#endif
