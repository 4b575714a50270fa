/* Schedules and one-shot jobs: CronJobs -> OUTDIR/ecschedule.yaml (rules for
 * github.com/Songmu/ecschedule), Jobs -> OUTDIR/run-tasks/<family>.json
 * (input of `aws ecs run-task --cli-input-json`).
 *
 * This stage runs after the task definitions are settled
 * (k2e_workloads_finish): a rule or run-task only names a family that was
 * really written, so a family clash never yields a rule starting the wrong
 * task.  It reads the objects straight from the index, so a CronJob whose
 * pod template failed still gets its schedule checked and its fields
 * reported.
 *
 * What Kubernetes' Job controller does and ECS does not (retries, deadlines,
 * concurrency guards, completion counting) is reported field by field, from
 * tables in runtask.c and schedule.c; MAPPING.md section 11 lists every row.
 */
#ifndef KUBE2ECS_SCHEDULE_H
#define KUBE2ECS_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "base/hash.h"
#include "map/field_rules.h"
#include "map/map_context.h"
#include "map/workload.h"

/* Maps every CronJob and Job of ctx->index (canonical order: CronJobs, then
 * Jobs, each by namespace and name) and adds ecschedule.yaml (when there is
 * at least one rule) and run-tasks/<family>.json to the model. */
void k2e_schedules_map(k2e_map_ctx *ctx, const k2e_workloads *workloads);

/* --- Job specs (runtask.c) ---------------------------------------------- */

/* What a Job spec (a Job's spec or a CronJob's jobTemplate.spec) means for
 * the tasks ECS starts. */
typedef struct {
    unsigned count;   /* tasks per start: min(completions, parallelism), 1..10 */
    bool suspended;   /* spec.suspend: true */
    bool no_pods;     /* parallelism 0 or completions 0: Kubernetes starts no pod */
} k2e_job_run;

/* Reads and consumes the Job-controller fields of `job_spec` (may be NULL),
 * reporting each one ECS does not honour.  `scheduled` words the
 * diagnostics for EventBridge starts instead of run-task. */
k2e_job_run k2e_job_spec_map(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *job_spec,
                             bool scheduled);

/* Reports (K2E-W115) a Job pod template (`pod_spec`, may be NULL) with
 * several app containers: ECS stops the task when the first one exits. */
void k2e_job_containers_check(k2e_map_ctx *ctx, const k2e_object *object,
                              const k2e_node *pod_spec);

/* Reports (K2E-W096) and consumes the helm.sh/hook annotations of a Job
 * whose task family is `family` (NULL: none written); true when it is a
 * Helm hook. */
bool k2e_job_helm_hook(k2e_map_ctx *ctx, const k2e_object *object, const char *family);

/* The RunTask input for a Job whose task definition was written: cluster,
 * count, launchType, networkConfiguration, platformVersion, startedBy,
 * tags (the Job's labels merged with the task definition's tags),
 * taskDefinition.  Consumes metadata.labels.  New reference. */
json_t *k2e_runtask_build(k2e_map_ctx *ctx, const k2e_workload *workload, unsigned count);

/* --- Rule names (schedule.c) --------------------------------------------- */

/* Names already given to rules in one ecschedule.yaml (owned strings), with
 * a hash table of their positions so that a new name is checked in constant
 * time. */
typedef struct {
    char **items;
    size_t count, capacity;
    k2e_table taken;
} k2e_rule_names;

enum {
    K2E_RULE_NAME_SHORTENED = 1 << 0, /* cut to fit 64 characters */
    K2E_RULE_NAME_UNIQUE = 1 << 1,    /* a hash suffix avoided a clash */
};

void k2e_rule_names_init(k2e_rule_names *names);
void k2e_rule_names_release(k2e_rule_names *names);

/* Adds `parts` new EventBridge rule names ([.\-_A-Za-z0-9]{1,64}) derived
 * from `wanted` (other characters become '-'): `wanted` itself when parts is
 * 1, else wanted-1 .. wanted-N.  Too long: the base is cut.  Taken already:
 * the base gets "-" and 8 hex digits of a hash of `identity` (e.g.
 * "CronJob/ns/name"), so the result depends on the object, not on input
 * order.  Returns the index in names->items of the first new name, or
 * (size_t)-1 when out of memory; *adjusted gets K2E_RULE_NAME_* bits. */
size_t k2e_rule_names_add(k2e_rule_names *names, const char *wanted, const char *identity,
                          size_t parts, unsigned *adjusted);

#endif
