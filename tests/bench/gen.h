/* Synthetic manifest trees for the benchmark and the growth test.
 *
 * Everything is deterministic: the same (shape, size) always gives the same
 * bytes, so instruction counts and outputs are comparable between runs and
 * machines.  No randomness at all: variety (namespaces, images, sizes,
 * schedules) comes from the workload number.
 *
 * Shapes:
 *   tree N        the realistic mix of N workloads: 70% Deployments, each
 *                 with a Service, an HPA, a ConfigMap and a Secret (env from
 *                 both); 20% CronJobs; 10% Jobs; 50 objects per file, plus a
 *                 mapping.yaml beside the manifests (mapping entries for half
 *                 of the Secrets, so both the mapped and the default path run).
 *   configmap K   one ConfigMap with K keys, read by one Deployment via envFrom.
 *   env K         one Deployment whose container has K env entries (every
 *                 fourth one a configMapKeyRef into one ConfigMap).
 *   envfrom K     one Deployment with K envFrom entries, each a ConfigMap of
 *                 its own (K ConfigMaps, 2 keys each).
 *   ports K       one Deployment with K container ports and a Service with K
 *                 ports.
 *   labels K      one Deployment with K labels on the object and its pods.
 *   document N    one YAML document: a kind: List holding the tree mix of N
 *                 workloads (what `kubectl get -o yaml` of a namespace gives).
 */
#ifndef K2E_BENCH_GEN_H
#define K2E_BENCH_GEN_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    size_t files;       /* manifest files written (not counting mapping.yaml) */
    size_t objects;     /* Kubernetes objects */
    size_t workloads;   /* Deployments + CronJobs + Jobs */
    size_t bytes;       /* bytes of manifests (not counting mapping.yaml) */
} k2e_gen_stats;

/* Shape names above, NULL-terminated. */
extern const char *const k2e_gen_shapes[];

/* Writes shape `shape` of size `n` into directory `dir` (created; must not
 * hold files of an earlier run).  The manifests go to dir/manifests/, the
 * mapping table to dir/mapping.yaml.  False (with errno) on failure. */
bool k2e_gen(const char *shape, size_t n, const char *dir, k2e_gen_stats *stats);

#endif
