/* Pod storage -> Fargate storage: `volumes` -> task `volumes`, each
 * container's `volumeMounts` -> `mountPoints`, and ephemeral-storage
 * requests/limits plus emptyDir sizeLimits -> task `ephemeralStorage`.
 *
 * What Fargate offers (and so what converts):
 *   emptyDir               -> {"name": N}: a bind mount on the task's ephemeral
 *                             storage (no `host`: Fargate forbids host.sourcePath)
 *   persistentVolumeClaim  -> {"name": N, "efsVolumeConfiguration": ...} from the
 *                             mapping table's `volumes: [{claim, fileSystemId, ...}]`
 * Everything else is reported: hostPath is an error (K2E-E050), configMap,
 * secret, projected, downwardAPI and the remaining volume types are warnings
 * (K2E-W060) with migration options; such volumes are left out of the task
 * and the mounts of them are left out of the containers (the volume's
 * diagnostic says so, once).
 *
 * Consumed marks: every field converted or reported is marked; a field this
 * module does not know (a typo, a newer API field) stays unconsumed for the
 * generic K2E-W010 walk.  emptyDir `sizeLimit` is consumed by
 * k2e_ephemeral_storage_build, which is where it is converted.
 *
 * Diagnostics are located at the offending node with its path relative to
 * `root` (the object's document root, e.g. a Deployment), so paths read
 * spec.template.spec.volumes[1].persistentVolumeClaim.
 *
 * Ownership: every returned json_t is a new reference the caller owns
 * (json_decref).  Strings are copied into the JSON; nothing returned points
 * into the node tree or the mapping.  `*ok` is only ever set to false (on an
 * error diagnostic), never to true: the caller initialises it.  No function
 * keeps state between calls.
 */
#ifndef KUBE2ECS_VOLUMES_H
#define KUBE2ECS_VOLUMES_H

#include <stdbool.h>

#include <jansson.h>

#include "report/diags.h"
#include "read/mapping_table.h"
#include "read/yaml_tree.h"

/* Fargate's ephemeral storage: every task gets 20 GiB (platform 1.4.0+) that
 * the image layers, all containers' writable layers and all bind-mount
 * (emptyDir) volumes share; `ephemeralStorage.sizeInGiB` raises it to 21..200. */
#include "map/ecs_limits.h"

/* The pod spec's `volumes` -> the task definition's `volumes`: a new JSON
 * array in input order, empty when the pod has no volume Fargate can carry.
 *
 * Takes pod_spec.volumes and, per volume, `name` and the volume-source key.
 *   emptyDir: {"name": N}; `medium` Memory/HugePages -> K2E-E060.
 *   persistentVolumeClaim: looked up with k2e_mapping_efs_volume(mapping,
 *     claimName, namespace_, default_namespace); none -> K2E-E061.  ECS
 *     requires transitEncryption ENABLED with an access point or IAM
 *     authorization: unset is filled in as ENABLED, DISABLED is K2E-E060, as
 *     is a rootDirectory other than "/" together with an access point.
 *     `readOnly` is consumed here and applied by k2e_mount_points_build.
 *   a volume with no source key is an emptyDir (Kubernetes' defaulting).
 *   hostPath -> K2E-E050; other types -> K2E-W060 (whole source consumed).
 *   names must be ECS names ([A-Za-z0-9_-]{1,255}) and unique -> else error.
 * *result gets the array (NULL only when out of memory); a volume with an
 * error (K2E-E0xx) is left out of it, and the function returns false. */
bool k2e_volumes_build(k2e_node *pod_spec, const k2e_node *root, const k2e_mapping *mapping,
                       const char *namespace_, const char *default_namespace, json_t **result,
                       k2e_diags *diags);

/* One container's `volumeMounts` -> its `mountPoints` (*result): a new
 * array of {"sourceVolume", "containerPath", "readOnly"} in input order, or
 * NULL when the container mounts nothing that is in the task.  False after
 * an error diagnostic.
 *
 * `task_volumes` is what k2e_volumes_build returned for `pod_spec` (read
 * only); `pod_spec` is read, never marked, to tell a volume that was reported
 * (mount dropped silently: that volume's diagnostic already names the loss)
 * from a name no volume has (K2E-E060: false).
 * readOnly is true when the mount or the volume's persistentVolumeClaim says
 * so (Kubernetes forces the claim's readOnly onto every mount).
 * subPath/subPathExpr -> K2E-W061, the whole volume is still mounted;
 * mountPropagation other than None -> K2E-W060; recursiveReadOnly: Enabled
 * -> K2E-W060 (IfPossible, best effort by definition, and Disabled pass
 * silently: the ECS mount is read-only as readOnly says). */
bool k2e_mount_points_build(k2e_node *container, const k2e_node *pod_spec,
                            const k2e_node *root, const json_t *task_volumes, json_t **result,
                            k2e_diags *diags);

/* The task's `ephemeralStorage` (*result): {"sizeInGiB": N}, or NULL when
 * the need fits Fargate's default 20 GiB (or after an error: false).
 *
 * Takes resources.requests["ephemeral-storage"] and
 * resources.limits["ephemeral-storage"] of every container and init
 * container (the path down to them is only read) and `sizeLimit` of every
 * emptyDir volume.  A container needs the larger of its request and limit;
 * the pod needs what Kubernetes schedules, max(largest init container plus
 * the sidecars started before it, sum of app containers plus all sidecars),
 * plus the sum of the disk-backed emptyDir sizeLimits (on Fargate emptyDirs
 * live on the same task storage).  Summed exactly in bytes, then rounded up
 * to whole GiB; N = that need when it exceeds 20 (so N >= 21).
 * Above 200 GiB -> K2E-E062 naming the need; an invalid quantity ->
 * K2E-E032; both return false.
 * The need does not include image layers, which Fargate also keeps on this
 * storage: a task with large images may need more than Kubernetes asked. */
bool k2e_ephemeral_storage_build(k2e_node *pod_spec, const k2e_node *root, json_t **result,
                                 k2e_diags *diags);

#endif
