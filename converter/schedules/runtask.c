/* Jobs: what a Job spec means for ECS tasks, and the RunTask input.
 *
 * ECS has no Job controller.  A run-task (or an EventBridge schedule) starts
 * `count` tasks once; nobody retries a task that exits non-zero, stops one
 * that runs too long, counts completions or guards concurrency.  So the
 * only output is the number of pods the Job controller runs at once,
 * min(completions, parallelism) (-> count / taskCount); every other
 * controller field is consumed and reported with what ECS does instead,
 * from the table below, an absent one as its default would be.  A value that already means "what ECS
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
#include "map/k8s_defaults.h"
#include "map/tags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* ECS starts at most 10 tasks per RunTask call (and per EventBridge
 * target). */
#define MAX_TASKS K2E_RUN_TASK_MAX_COUNT

static const k2e_field_rule job_rules[] = {
    {NULL, "backoffLimit", "0", K2E_TEXT(K2E_K8S_JOB_BACKOFF_LIMIT), K2E_W_JOB_BEHAVIOUR,
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

/* The Job controller's arithmetic (kubernetes.io/docs/concepts/workloads/
 * controllers/job/, "Controlling parallelism"): parallelism defaults to 1,
 * and to completions' 1 when both are unset; at most
 * min(completions - succeeded, parallelism) pods run at once, so at the
 * start min(completions, parallelism); without completions (a work queue)
 * parallelism pods.  parallelism 0 pauses the Job and completions 0 makes
 * it complete without a pod: no task at all. */
typedef struct {
    k2e_node *parallelism, *completions; /* as written; NULL: absent */
    int64_t p, c;                        /* c < 0: completions unset */
} job_counts;

static job_counts read_counts(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec)
{
    job_counts n = {k2e_take(spec, "parallelism"), k2e_take(spec, "completions"), 1, -1};
    if (n.parallelism && (k2e_is_null(n.parallelism) ||
                          !k2e_as_int(n.parallelism, object->root, &n.p, ctx->diags)))
        n.p = 1;
    if (n.completions && !k2e_is_null(n.completions) &&
        !k2e_as_int(n.completions, object->root, &n.c, ctx->diags))
        n.c = -1;
    if (n.p < 0)
        n.p = 0;
    return n;
}

/* No pod would ever start: the Job is paused (parallelism 0) or done before
 * it starts (completions 0). */
static void report_no_pods(k2e_map_ctx *ctx, const k2e_object *object, const job_counts *n,
                           bool scheduled)
{
    bool paused = n->p == 0;
    k2e_node *at = paused ? n->parallelism : n->completions;
    const char *why = paused ? "Kubernetes starts no pod while parallelism is 0 (the Job "
                               "waits until it is raised)"
                             : "Kubernetes counts the Job complete without starting a pod";
    if (scheduled)
        k2e_diag_at(ctx->diags, K2E_W_JOB_BEHAVIOUR, at, object->root,
                    "enable the rule (disabled: false) when its jobs should run tasks",
                    "%s %s: %s; the rule is written disabled", paused ? "parallelism"
                    : "completions", at->value, why);
    else
        k2e_diag_at(ctx->diags, K2E_W_JOB_BEHAVIOUR, at, object->root,
                    "run the run-task input only when the Job should run, with the count "
                    "it should have",
                    "%s %s: %s; the run-task input starts 1 task whenever it is run",
                    paused ? "parallelism" : "completions", at->value, why);
}

/* completions above the tasks started: Kubernetes keeps starting pods as
 * earlier ones succeed; ECS starts them once. */
static void report_waves(k2e_map_ctx *ctx, const k2e_object *object, const job_counts *n,
                         unsigned count)
{
    k2e_diag_at(ctx->diags, K2E_W_JOB_BEHAVIOUR, n->completions, object->root,
                "run the task again until enough have succeeded (a Step Functions Map state "
                "with MaxConcurrency does it), or give each task a share of the work",
                "completions %lld: Kubernetes runs min(completions - succeeded, parallelism) = "
                "up to %lld pod%s at a time until %lld have succeeded; ECS starts %u task%s "
                "once", (long long)n->c, (long long)n->p, n->p == 1 ? "" : "s", (long long)n->c, count,
                count == 1 ? "" : "s");
}

static void report_counts(k2e_map_ctx *ctx, const k2e_object *object, const job_counts *n,
                          int64_t wanted, unsigned count)
{
    if (wanted > MAX_TASKS) {
        bool by_completions = n->c >= 0 && n->c < n->p;
        k2e_diag_at(ctx->diags, K2E_W_TASK_COUNT,
                    by_completions ? n->completions : n->parallelism, object->root,
                    "start the task several times, or split the work over fewer, larger tasks",
                    "%s %lld: Kubernetes runs %lld pods at once; ECS starts at most %d tasks "
                    "per start, so %d are started", by_completions ? "completions"
                    : "parallelism", (long long)wanted, (long long)wanted, MAX_TASKS, MAX_TASKS);
    }
    if (n->c < 0)
        return;
    if (n->c > n->p) {
        report_waves(ctx, object, n, count);
        return;
    }
    if (n->c < n->p && n->parallelism)
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, n->parallelism, object->root, NULL,
                    "parallelism %lld with completions %lld: Kubernetes never runs more pods "
                    "than completions remain, so %u task%s", (long long)n->p,
                    (long long)n->c, count, count == 1 ? "" : "s");
    if (n->c > 1)
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, n->completions, object->root, NULL,
                    "completions %lld: ECS starts %u tasks once each and does not count "
                    "their successes", (long long)n->c, count);
}

/* Tasks per start; *no_pods: Kubernetes would start none. */
static unsigned job_count(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                          bool scheduled, bool *no_pods)
{
    job_counts n = read_counts(ctx, object, spec);
    int64_t wanted = n.c >= 0 && n.c < n.p ? n.c : n.p;
    *no_pods = wanted == 0;
    if (*no_pods) {
        report_no_pods(ctx, object, &n, scheduled);
        return 1;
    }
    unsigned count = wanted > MAX_TASKS ? MAX_TASKS : (unsigned)wanted;
    report_counts(ctx, object, &n, wanted, count);
    return count;
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
    k2e_job_run run = {1, false, false};
    if (!job_spec || job_spec->kind != K2E_NODE_MAPPING)
        return run;
    bool no_pods = false;
    run.count = job_count(ctx, object, job_spec, scheduled, &no_pods);
    run.suspended = read_suspend(ctx, object, job_spec, scheduled);
    run.no_pods = no_pods;
    k2e_field_rules_apply(ctx->diags, object->root, job_spec, NULL, object->kind, job_rules,
                          scheduled ? K2E_RULES_SCHEDULED : K2E_RULES_PLAIN);
    return run;
}

/* --- Several app containers ---------------------------------------------- */

/* A Job's pod succeeds when every app container has exited (restartPolicy
 * Never/OnFailure; native sidecars are stopped after them): Kubernetes docs,
 * "Pod Lifecycle", pod phase Succeeded.  ECS stops the whole task as soon
 * as one essential container exits (ECS docs, task definition parameters,
 * `essential`), and a task needs at least one essential container.  So
 * with several app containers the first to finish kills the others; no
 * choice of essential flags fixes that without knowing which one finishes
 * last, so all stay essential (a failure still stops the task, as it fails
 * the pod) and the user is told what to change. */
void k2e_job_containers_check(k2e_map_ctx *ctx, const k2e_object *object,
                              const k2e_node *pod_spec)
{
    const k2e_node *containers = k2e_get(pod_spec, "containers");
    if (!containers || containers->kind != K2E_NODE_SEQUENCE || containers->count < 2)
        return;
    k2e_buf names;
    k2e_buf_init(&names);
    for (size_t i = 0; i < containers->count; i++) {
        const k2e_node *name = k2e_get(containers->items[i], "name");
        k2e_buf_printf(&names, "%s%s", i ? ", " : "", k2e_is_scalar(name) ? name->value : "?");
    }
    char *list = k2e_buf_detach(&names);
    k2e_diag_at(ctx->diags, K2E_W_JOB_CONTAINERS, containers, object->root,
                "if they finish at different times: run them as separate Jobs, or keep only "
                "the container that finishes last essential (a mapping patch setting "
                "essential: false on the others), or mark all workers essential: false and add "
                "a small essential container that dependsOn them with condition COMPLETE (ECS "
                "allows COMPLETE only on non-essential containers) and then exits",
                "%s %s runs %zu app containers (%s): the pod completes when all have exited; "
                "ECS stops the task when the first essential one exits, stopping the others "
                "mid-run (all are written essential)", object->kind, object->name,
                (size_t)containers->count, list ? list : "");
    free(list);
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
