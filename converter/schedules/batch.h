/* Batch consolidation: many CronJobs and Jobs, one image, one task
 * definition (`kube2ecs plan-batch`, `kube2ecs convert --consolidate`).
 *
 * It works on the task definitions as the map stage built them (values,
 * before emit) and on the workload list, never on output text.  Two jobs
 * can share a task definition when their task definitions are equal once
 * everything an override can carry is taken out: the task size, the job
 * container's `command` (Kubernetes args: an override replaces CMD, not
 * ENTRYPOINT), its literal `environment` and its cpu/memory settings.
 * Everything else (image and tag, entryPoint, secrets, valueFrom env,
 * volumes and mounts, roles, platform, log configuration, health check,
 * security settings, sidecars) must be identical.  Per group:
 *
 *   - the shared task definition: the largest member's, sized to fit every
 *     member (the smallest Fargate size covering the largest cpu and
 *     memory), with the environment all members share, the command when all
 *     members share it, the job container's largest cpu/memory settings,
 *     the tags all members share, and the log group and stream prefix
 *     expanded for the shared family;
 *   - per member, the ECS TaskOverride that gives it back exactly its own
 *     values: task cpu/memory where it is smaller, the container's command,
 *     the environment it does not share, its cpu/memory settings;
 *   - the length of EventBridge's target Input for those overrides, as
 *     ecschedule builds it (Go's encoding/json, HTML escaping included); a
 *     member above 8,192 bytes leaves the group.
 *
 * Jobs that stay apart get the reasons, compared with the nearest group (or
 * job) on the same image repository, and near misses a manifest change
 * would fix (another tag, an entryPoint that can move into args, a variable
 * that is a Secret here and a literal there).
 *
 * With consolidation on, the members' own task definitions leave the model,
 * the shared ones enter it, and schedule.c/runtask.c ask this module for
 * the family and overrides of each member's rules and run-task file.
 */
#ifndef KUBE2ECS_BATCH_H
#define KUBE2ECS_BATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "map/map_context.h"
#include "map/workload.h"

/* EventBridge's limit on a target's Input (the overrides), and RunTask's
 * on its overrides. */
#define K2E_BATCH_INPUT_MAX 8192

typedef struct k2e_batch_group k2e_batch_group;

/* One CronJob or Job of a group. */
typedef struct {
    k2e_workload *workload;     /* its own (not written when consolidated) */
    const k2e_batch_group *group;
    json_t *overrides;          /* ECS TaskOverride (API spelling); NULL: none needed */
    size_t input_length;        /* bytes of the EventBridge target Input */
    json_t *rules;              /* the ecschedule rules written for it (ytt layout) */
} k2e_batch_member;

struct k2e_batch_group {
    char *family;
    bool family_from_mapping;   /* batch.families, else the image repository */
    char *image;                /* the shared image reference */
    char *container;            /* the job container's name */
    json_t *task_definition;    /* the shared task definition */
    uint32_t cpu, memory;       /* its task size */
    k2e_batch_member *members;
    size_t count;
    json_t *notes;              /* strings: a renamed family, the stream prefix */
};

typedef struct k2e_batch {
    const k2e_index *index;
    bool consolidate;
    k2e_batch_group *groups;
    size_t group_count;
    k2e_batch_member **member_of;   /* per index item: NULL, or its membership */
    json_t *apart;                  /* plan entries of the jobs that stay apart */
    k2e_workloads shared;           /* consolidated: one written workload per group */
    size_t jobs;                    /* CronJobs and Jobs considered */
    /* before/after counts over batch task definitions */
    size_t before_tds, before_images, before_log_groups;
    size_t after_tds, after_images, after_log_groups;
} k2e_batch;

void k2e_batch_init(k2e_batch *batch);
void k2e_batch_release(k2e_batch *batch);

/* Plans the groups over the written CronJob and Job workloads.  With
 * `consolidate`, carries them out: members are marked unwritten, their task
 * definitions leave ctx->model and each group's shared one enters it (also
 * as a written workload in batch->shared, for patches and views), and each
 * group and each job kept apart is reported (K2E-I093, K2E-I094). */
void k2e_batch_plan(k2e_map_ctx *ctx, k2e_workloads *workloads, bool consolidate,
                    k2e_batch *batch);

/* The membership of `w` when it was consolidated, else NULL (batch may be
 * NULL). */
k2e_batch_member *k2e_batch_member_of(const k2e_batch *batch, const k2e_workload *w);

/* ecschedule's spelling of a member's overrides, set on `rule` in
 * ecschedule's key order (taskOverride {cpu, memory} as strings,
 * containerOverrides with environment as a map); and the rule remembered
 * for the ytt layout. */
void k2e_batch_rule_overrides(k2e_batch_member *member, json_t *rule);

/* The RunTask `overrides` of a member (new reference), or NULL. */
json_t *k2e_batch_run_task_overrides(const k2e_batch_member *member);

/* After the schedules step: the plan documents (plan mode:
 * batch-plan.json and batch-plan.txt) and the ytt layout of each group
 * (layouts & K2E_LAYOUT_YTT, consolidated). */
void k2e_batch_finish(k2e_map_ctx *ctx, k2e_batch *batch, bool plan, unsigned layouts);

/* EventBridge's target Input for `overrides` (an ECS TaskOverride in API
 * spelling, may be NULL) exactly as ecschedule sends it: Go's json.Marshal
 * of its taskOverrideJSON, '<', '>', '&', U+2028 and U+2029 escaped as
 * \u00XX.  Caller frees; NULL when out of memory. */
char *k2e_batch_eventbridge_input(const json_t *overrides);

#endif
