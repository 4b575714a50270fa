/* One Kubernetes container -> one ECS container definition.
 *
 * Handles image rewrites, command/args with $(VAR) expansion, env and
 * envFrom (ConfigMap values inlined, Secret keys turned into `secrets`
 * references: a Secret's values are never read), ports, resources, the
 * 1:1 fields, start order (init containers and native sidecars) and logging.
 */
#ifndef KUBE2ECS_CONTAINER_H
#define KUBE2ECS_CONTAINER_H

#include <stdint.h>

#include <jansson.h>

#include "map/map_context.h"

typedef enum {
    K2E_CONTAINER_APP,
    K2E_CONTAINER_INIT,     /* initContainers: sidecars when restartPolicy: Always */
} k2e_container_role;

typedef struct {
    k2e_map_ctx *map;
    const k2e_object *object;
    k2e_node *pod_spec;
    const char *family;
    const json_t *task_volumes;  /* for volumeMounts -> mountPoints */
} k2e_container_ctx;

/* What the container asks for, in ECS units (CPU units, MiB). */
typedef struct {
    uint64_t cpu;                /* container `cpu` written (0 = none) */
    uint64_t memory;             /* container `memory` (hard) written, 0 = none */
    uint64_t memory_reservation; /* `memoryReservation` written, 0 = none */
    uint64_t cpu_need;           /* under the sizing policy, for the task size */
    uint64_t memory_need;
    bool sidecar;                /* init container with restartPolicy: Always */
} k2e_container_size;

/* The init-phase container this one starts after: none (name NULL), a
 * regular init container (wait for SUCCESS) or a sidecar (wait for START). */
typedef struct {
    const char *name;
    bool sidecar;
} k2e_start_after;

/* Returns a new JSON object, or NULL after an error diagnostic. */
json_t *k2e_container_build(k2e_container_ctx *cc, k2e_node *container,
                            k2e_container_role role, k2e_start_after after,
                            k2e_container_size *size);

#endif
