/* Jobs: what a Job spec means for ECS tasks, and the RunTask input.
 *
 * ECS has no Job controller.  A run-task (or an EventBridge schedule) starts
 * `count` tasks once; nobody retries a task that exits non-zero, stops one
 * that runs too long, counts completions or guards concurrency.  So the
 * only Job field that becomes output is parallelism (-> count / taskCount);
 * every other controller field is consumed and reported with what ECS does
 * instead, from the table below.  A value that already means "what ECS
 * does" (backoffLimit 0, completionMode NonIndexed) is consumed quietly.
 *
 * The RunTask input follows the botocore model's member order (the order
 * `aws ecs run-task --generate-cli-skeleton` prints).  Its tags are the
 * Job's labels merged with the task definition's tags (the pod template's
 * labels, which win on a shared key: the ECS task *is* the pod), written
 * explicitly rather than through propagateTags so that a key can never be
 * given twice.
 */
#include "schedules/schedule.h"
#include "schedules/batch.h"
#include "map/ecs_limits.h"
#include "map/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ECS starts at most 10 tasks per RunTask call (and per EventBridge
 * target). */
#define MAX_TASKS K2E_RUN_TASK_MAX_COUNT

static const k2e_field_rule job_rules[] = {
    {NULL, "backoffLimit", "0", NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS does not retry a failed task: it runs once",
     "ECS does not retry a failed task: EventBridge retries a start that fails (for up to "
     "24 hours), never a task that exits non-zero",
     "retry inside the container, or re-run the task (a Step Functions state machine with "
     "ecs:runTask.sync and a Retry does it for you)"},
    {NULL, "activeDeadlineSeconds", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS does not stop a task after a deadline", NULL,
     "wrap the command in `timeout SECONDS ...`, or stop overdue tasks with aws ecs stop-task"},
    {NULL, "ttlSecondsAfterFinished", NULL, NULL, K2E_I_JOB_SETTING,
     "ECS keeps a stopped task visible for about an hour by itself and has no Job object "
     "to delete", NULL,
     "keep results and logs outside the task (the awslogs driver sends logs to CloudWatch)"},
    {NULL, "podFailurePolicy", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS has no retries to steer by exit code or pod condition: the task runs once", NULL,
     "handle retryable exit codes inside the container"},
    {NULL, "successPolicy", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS tracks no success across tasks: each task succeeds or fails on its own", NULL,
     "decide overall success where the tasks' results are collected"},
    {NULL, "backoffLimitPerIndex", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS has no indexed retries: each task runs once", NULL,
     "retry inside the container"},
    {NULL, "maxFailedIndexes", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS has no indexed retries: each task runs once", NULL,
     "retry inside the container"},
    {NULL, "completionMode", "NonIndexed", NULL, K2E_W_JOB_BEHAVIOUR,
     "ECS tasks get no completion index (JOB_COMPLETION_INDEX)", NULL,
     "start one task per index with a containerOverrides environment variable "
     "JOB_COMPLETION_INDEX"},
    {NULL, "podReplacementPolicy", NULL, NULL, K2E_I_JOB_SETTING,
     "ECS never replaces a task it started for a run-task or a schedule", NULL, NULL},
    {NULL, "managedBy", NULL, NULL, K2E_I_JOB_SETTING,
     "ECS has no Job controllers to hand the Job to", NULL, NULL},
    /* The selector only ever matches the Job's own pods: nothing to carry. */
    {NULL, "selector", K2E_ANY, NULL, K2E_I_JOB_SETTING, NULL, NULL, NULL},
    {NULL, "manualSelector", K2E_ANY, NULL, K2E_I_JOB_SETTING, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, K2E_I_JOB_SETTING, NULL, NULL, NULL},
};

/* parallelism -> tasks per start.  Kubernetes' parallelism 0 holds the Job
 * back; ECS cannot start zero tasks, so it starts one and says so. */
static unsigned read_parallelism(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec)
{
    k2e_node *node = k2e_take(spec, "parallelism");
    int64_t value = 1;
    if (!node || !k2e_as_int(node, object->root, &value, ctx->diags))
        return 1;
    if (value <= 0) {
        k2e_diag_at(ctx->diags, K2E_W_JOB_BEHAVIOUR, node, object->root,
                    "set parallelism to the number of tasks to start",
                    "parallelism %s holds a Kubernetes Job back; ECS starts at least one task",
                    node->value);
        return 1;
    }
    if (value > MAX_TASKS) {
        k2e_diag_at(ctx->diags, K2E_W_TASK_COUNT, node, object->root,
                    "start the task several times, or split the work over fewer, larger tasks",
                    "parallelism %s: ECS starts at most %d tasks at once; %d are started",
                    node->value, MAX_TASKS, MAX_TASKS);
        return MAX_TASKS;
    }
    return (unsigned)value;
}

/* completions: Kubernetes keeps starting pods until that many succeeded;
 * ECS starts `count` tasks once.  Equal numbers agree (failures aside, which
 * backoffLimit covers); anything else is reported. */
static void read_completions(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                             unsigned count)
{
    k2e_node *node = k2e_take(spec, "completions");
    int64_t value = 0;
    if (!node || k2e_is_null(node) || !k2e_as_int(node, object->root, &value, ctx->diags))
        return;
    if (value == (int64_t)count) {
        if (count > 1)
            k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, node, object->root, NULL,
                        "completions %s: ECS starts %u tasks once each and does not count "
                        "their successes", node->value, count);
        return;
    }
    k2e_diag_at(ctx->diags, K2E_W_JOB_BEHAVIOUR, node, object->root,
                "run the task as many times as needed, or give each task a share of the work",
                "completions %s: Kubernetes starts pods until %s succeed, %u at a time; ECS "
                "starts %u task%s once", node->value, node->value, count, count,
                count == 1 ? "" : "s");
}

static bool read_suspend(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                         bool scheduled)
{
    k2e_node *node = k2e_take(spec, "suspend");
    bool value = false;
    if (!node || !k2e_as_bool(node, object->root, &value, ctx->diags) || !value)
        return false;
    if (scheduled)
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, node, object->root,
                    "enable the rule (disabled: false) when its jobs may run",
                    "suspend: true in the job template: every Job would wait to be resumed; "
                    "the rule is written disabled");
    else
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, node, object->root,
                    "run the run-task input when the Job may start",
                    "suspend: true: Kubernetes starts the pods when the Job is resumed (by a "
                    "person or a queue controller such as Kueue); ECS starts the task when "
                    "the run-task input is run");
    return true;
}

k2e_job_run k2e_job_spec_map(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *job_spec,
                             bool scheduled)
{
    k2e_job_run run = {1, false};
    if (!job_spec || job_spec->kind != K2E_NODE_MAPPING)
        return run;
    run.count = read_parallelism(ctx, object, job_spec);
    read_completions(ctx, object, job_spec, run.count);
    run.suspended = read_suspend(ctx, object, job_spec, scheduled);
    k2e_field_rules_apply(ctx->diags, object->root, job_spec, NULL, object->kind, job_rules,
                          scheduled ? K2E_RULES_SCHEDULED : K2E_RULES_PLAIN);
    return run;
}

/* --- Helm hooks ---------------------------------------------------------- */

bool k2e_job_helm_hook(k2e_map_ctx *ctx, const k2e_object *object, const char *family)
{
    k2e_node *annotations = k2e_get(k2e_get(object->root, "metadata"), "annotations");
    k2e_node *hook = k2e_take(annotations, "helm.sh/hook");
    if (!hook)
        return false;
    /* Consume the mapping itself so that the generic walk reports each
     * remaining annotation on its own line, not the whole mapping. */
    k2e_consume(annotations);
    k2e_consume_all(hook);
    k2e_consume_all(k2e_take(annotations, "helm.sh/hook-weight"));
    k2e_consume_all(k2e_take(annotations, "helm.sh/hook-delete-policy"));
    char *hint = k2e_asprintf(
        "run `aws ecs run-task --cli-input-json file://run-tasks/%s.json` from the deployment "
        "pipeline at that point and wait for it with `aws ecs wait tasks-stopped`; "
        "helm.sh/hook-weight orders those steps", family ? family : "FAMILY");
    k2e_diag_at(ctx->diags, K2E_W_HELM_HOOK, hook, object->root, hint,
                "Job %s is a Helm hook (%s): Helm ran it at that point of each release; ECS "
                "has no releases, so nothing starts it", object->name,
                k2e_is_scalar(hook) ? hook->value : "?");
    free(hint);
    return true;
}

/* --- RunTask input ------------------------------------------------------- */

static void labels_into(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *labels,
                        json_t *tags)
{
    if (!labels || !k2e_expect_kind(labels, object->root, K2E_NODE_MAPPING, ctx->diags))
        return;
    k2e_consume(labels);
    for (size_t i = 0; i < labels->count; i++) {
        k2e_node *value = labels->items[i];
        const char *key = labels->keys[i]->value, *text = NULL;
        if (!k2e_as_text(value, object->root, &text, ctx->diags))
            continue;
        k2e_consume(value);
        if (!k2e_valid_tag(key, text)) {
            k2e_diag_at(ctx->diags, K2E_W_NOT_CONVERTED, value, object->root,
                        "ECS tags allow letters, numbers, spaces and _.:/=+-@, keys up to 128 "
                        "and values up to 256 characters, and reserve the aws: prefix",
                        "label not converted to a tag");
            continue;
        }
        json_object_set_new(tags, key, json_string(text));
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* {key: value} -> [{key, value}] sorted by key, at most 50 (ECS's limit). */
static json_t *tag_list(k2e_map_ctx *ctx, const k2e_object *object, json_t *tags)
{
    size_t n = json_object_size(tags), i = 0;
    const char **keys = k2e_calloc(n ? n : 1, sizeof *keys);
    json_t *list = json_array();
    if (!keys)
        return list;
    const char *key;
    json_t *value;
    json_object_foreach(tags, key, value)
        keys[i++] = key;
    qsort(keys, n, sizeof *keys, by_string);
    for (i = 0; i < n && i < K2E_MAX_TAGS; i++)
        json_array_append_new(list, json_pack("{s:s, s:O}", "key", keys[i], "value",
                                              json_object_get(tags, keys[i])));
    if (n > K2E_MAX_TAGS)
        k2e_diag_at(ctx->diags, K2E_W_NOT_CONVERTED, k2e_get(k2e_get(object->root, "metadata"),
                                                              "labels"), object->root,
                    "ECS allows 50 tags per task", "%zu labels and tags: the first 50 by key "
                    "are written", n);
    free(keys);
    return list;
}

static json_t *run_task_tags(k2e_map_ctx *ctx, const k2e_workload *w)
{
    json_t *tags = json_object();
    labels_into(ctx, w->object, k2e_take(k2e_get(w->object->root, "metadata"), "labels"), tags);
    size_t i;
    json_t *tag;
    json_array_foreach(json_object_get(w->task_definition, "tags"), i, tag) {
        /* The task definition's own file carries (and reports) these. */
        const char *key = json_string_value(json_object_get(tag, "key"));
        const char *value = json_string_value(json_object_get(tag, "value"));
        if (key && value && k2e_valid_tag(key, value))
            json_object_set_new(tags, key, json_string(value));
    }
    json_t *list = tag_list(ctx, w->object, tags);
    json_decref(tags);
    return list;
}


json_t *k2e_runtask_build(k2e_map_ctx *ctx, const k2e_workload *w, unsigned count)
{
    const k2e_mapping *m = ctx->mapping;
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    json_t *rt = json_object();
    json_object_set_new(rt, "cluster", json_string(m->cluster.value));
    json_object_set_new(rt, "count", json_integer(count));
    json_object_set_new(rt, "launchType", json_string("FARGATE"));
    json_object_set_new(rt, "networkConfiguration", k2e_map_network_configuration(ctx, K2E_SPELLING_AWS_API));
    /* A consolidated Job starts its group's task definition with overrides. */
    const k2e_batch_member *shared = k2e_batch_member_of(ctx->batch, w);
    json_t *overrides = k2e_batch_run_task_overrides(shared);
    if (overrides)
        json_object_set_new(rt, "overrides", overrides);
    if (m->platform_version.value)
        json_object_set_new(rt, "platformVersion", json_string(m->platform_version.value));
    /* startedBy lets `aws ecs list-tasks --started-by job/<family>` find the
     * Job's tasks (pod/<family> a bare Pod's); the family alphabet is within
     * startedBy's. */
    bool pod = strcmp(w->object->kind, "Pod") == 0;
    char *started_by = k2e_asprintf("%s/%.*s", pod ? "pod" : "job", 124, w->family);
    if (started_by)
        json_object_set_new(rt, "startedBy", json_string(started_by));
    free(started_by);
    json_t *tags = run_task_tags(ctx, w);
    if (json_array_size(tags) > 0)
        json_object_set_new(rt, "tags", tags);
    else
        json_decref(tags);
    json_object_set_new(rt, "taskDefinition",
                        json_string(shared ? shared->group->family : w->family));
    return rt;
}
