/* Fargate task sizes: the valid task-level cpu/memory pairs (Linux).
 *
 * Source: docs.aws.amazon.com/AmazonECS/latest/userguide/task-cpu-memory-error.html
 * and the RegisterTaskDefinition cpu/memory texts (see the project's
 * reference/ecs-schema.md, section 6).  cpu is in ECS cpu units (1024 = one
 * vCPU), memory in MiB:
 *     256  -> 512, 1024, 2048
 *     512  -> 1024 .. 4096   step 1024
 *     1024 -> 2048 .. 8192   step 1024
 *     2048 -> 4096 .. 16384  step 1024
 *     4096 -> 8192 .. 30720  step 1024
 *     8192 -> 16384 .. 61440 step 4096   (platform version 1.4.0 or later)
 *     16384 -> 32768 .. 122880 step 8192 (platform version 1.4.0 or later)
 * Windows tasks allow a subset (at least 1 vCPU, no 8 or 16 vCPU); this module
 * knows only the Linux table.
 */
#ifndef KUBE2ECS_FARGATE_H
#define KUBE2ECS_FARGATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t cpu;    /* cpu units, 1024 = 1 vCPU */
    uint32_t memory; /* MiB */
} k2e_fargate_size;

/* Whether (cpu, memory) is one of the valid pairs above. */
bool k2e_fargate_is_valid(uint32_t cpu, uint32_t memory);

/* The smallest valid size with cpu >= need_cpu and memory >= need_memory:
 * the lowest cpu that can hold the memory, then the lowest memory for that
 * cpu.  It is smaller than or equal to every other covering size in BOTH cpu
 * and memory, hence the cheapest under Fargate's per-vCPU + per-GB pricing.
 * False (and *out untouched) when nothing fits: more than 16 vCPU (16384
 * units) or more than 120 GiB (122880 MiB). */
bool k2e_fargate_pick(uint64_t need_cpu, uint64_t need_memory, k2e_fargate_size *out);

/* A pod's effective request of one resource, in Kubernetes' order of start
 * (KEP-753, native sidecars; "Resource sharing within containers" in the
 * Kubernetes docs): max(max over init containers i of (init_i + the sidecars
 * started before i), sum of app containers + all sidecars).  A sidecar is an
 * init container with restartPolicy: Always: it starts in init order and
 * keeps running beside what follows.  Add the containers in pod order
 * (initContainers, then containers) to a zeroed value. */
typedef enum {
    K2E_POD_INIT,    /* a regular init container: runs to completion */
    K2E_POD_SIDECAR, /* an init container with restartPolicy: Always */
    K2E_POD_APP,     /* a container of spec.containers */
} k2e_pod_role;

typedef struct {
    uint64_t init_peak; /* max of init_i + sidecars started before i */
    uint64_t sidecars;  /* sidecars started so far */
    uint64_t apps;      /* app containers */
} k2e_pod_need;

void k2e_pod_need_add(k2e_pod_need *need, k2e_pod_role role, uint64_t amount);
uint64_t k2e_pod_need_total(const k2e_pod_need *need);

/* Writes the first min(total, cap) valid sizes, ordered by cpu then memory,
 * into out (which may be NULL when cap is 0) and returns the total count. */
size_t k2e_fargate_sizes(k2e_fargate_size *out, size_t cap);

#endif
