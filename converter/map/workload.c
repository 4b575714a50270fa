/* Workloads -> task definitions; see workload.h. */
#include "map/workload.h"

#include <stdlib.h>
#include <string.h>

#include "read/mapping_table.h"
#include "map/taskdef.h"
#include "base/util.h"

void k2e_workloads_init(k2e_workloads *workloads)
{
    memset(workloads, 0, sizeof *workloads);
}

void k2e_workloads_release(k2e_workloads *workloads)
{
    for (size_t i = 0; i < workloads->count; i++) {
        free(workloads->items[i].family);
        json_decref(workloads->items[i].task_definition);
    }
    free(workloads->items);
    k2e_workloads_init(workloads);
}

char *k2e_sanitize_family(const char *name)
{
    size_t n = strlen(name);
    if (n > 255)
        n = 255;
    char *out = k2e_strndup(name, n ? n : 1);
    if (!out)
        return NULL;
    if (n == 0)
        out[0] = '-';
    for (size_t i = 0; i < n; i++) {
        char c = out[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok)
            out[i] = '-';
    }
    return out;
}

/* Where each kind keeps its pod template. */
static k2e_node *pod_template(const k2e_object *object, k2e_diags *diags)
{
    k2e_node *root = object->root;
    if (strcmp(object->kind, "Pod") == 0)
        return root;
    k2e_node *spec = k2e_take(root, "spec");
    if (strcmp(object->kind, "CronJob") == 0) {
        k2e_node *job = k2e_take(spec, "jobTemplate");
        spec = k2e_take(job, "spec");
        k2e_consume(job);
    }
    k2e_node *template_ = k2e_take(spec, "template");
    if (!template_ || template_->kind != K2E_NODE_MAPPING) {
        k2e_diag_at(diags, K2E_E_NO_CONTAINERS, spec ? spec : root, root,
                    "a workload needs spec.template with at least one container",
                    "%s %s has no pod template", object->kind, object->name);
        return NULL;
    }
    return template_;
}

static size_t reject_daemonset(k2e_map_ctx *ctx, const k2e_object *object)
{
    k2e_consume_all(object->root);
    k2e_diag_at(ctx->diags, K2E_E_FARGATE_FORBIDDEN, object->root, object->root,
                "Fargate has no DAEMON scheduling: run the agent as a sidecar container in "
                "each task that needs it, or as a REPLICA service on ECS with EC2",
                "DaemonSet %s cannot run on Fargate", object->name);
    return 0;
}

size_t k2e_map_workload(k2e_map_ctx *ctx, const k2e_object *object, k2e_workloads *workloads)
{
    if (strcmp(object->kind, "DaemonSet") == 0)
        return reject_daemonset(ctx, object);
    k2e_node *template_ = pod_template(object, ctx->diags);
    if (!template_)
        return 0;
    char *raw = k2e_expand_template(ctx->mapping->family.value, object->name,
                                    object->namespace_, object->kind, NULL);
    char *family = raw ? k2e_sanitize_family(raw) : NULL;
    free(raw);
    if (!family)
        return 0;
    k2e_task_size size = {0};
    json_t *task_definition = k2e_taskdef_build(ctx, object, template_, family, &size);
    if (!task_definition ||
        !k2e_grow((void **)&workloads->items, &workloads->capacity, workloads->count + 1,
                  sizeof *workloads->items)) {
        free(family);
        json_decref(task_definition);
        return 0;
    }
    workloads->items[workloads->count++] = (k2e_workload){
        family, task_definition, size, object, k2e_get(template_, "spec"), false, false};
    return 1;
}

static int by_family(const void *pa, const void *pb)
{
    const k2e_workload *a = pa, *b = pb;
    int c = strcmp(a->family, b->family);
    if (c == 0) /* both point into the index array, which is in canonical order */
        c = (a->object > b->object) - (a->object < b->object);
    return c;
}

static bool is_batch_kind(const k2e_object *object)
{
    return strcmp(object->kind, "Job") == 0 || strcmp(object->kind, "CronJob") == 0;
}

/* A Job and a CronJob of one name are often the same task run once and on a
 * schedule: with equal task definitions both start the one written, so the
 * family is no clash.  Anything else sharing a family still is. */
static bool share_family(k2e_map_ctx *ctx, const k2e_workload *first, k2e_workload *w)
{
    if (!first->written || !is_batch_kind(first->object) || !is_batch_kind(w->object) ||
        !json_equal(first->task_definition, w->task_definition))
        return false;
    w->shares = true;
    k2e_diag_at(ctx->diags, K2E_I_FAMILY_SHARED, w->object->root, w->object->root, NULL,
                "%s %s/%s has the pod template of %s %s/%s (%s:%u): both start task "
                "definition '%s', written once",
                w->object->kind, w->object->namespace_, w->object->name, first->object->kind,
                first->object->namespace_, first->object->name, first->object->file,
                first->object->root->line, w->family);
    return true;
}

void k2e_workloads_finish(k2e_map_ctx *ctx, k2e_workloads *workloads)
{
    if (workloads->count > 1)
        qsort(workloads->items, workloads->count, sizeof *workloads->items, by_family);
    for (size_t i = 0; i < workloads->count; i++) {
        k2e_workload *w = &workloads->items[i];
        if (i > 0 && strcmp(w->family, workloads->items[i - 1].family) == 0) {
            const k2e_workload *first = &workloads->items[i - 1];
            while (first->shares)
                first--;
            if (share_family(ctx, first, w))
                continue;
            k2e_diag_at(ctx->diags, K2E_E_FAMILY_CLASH, w->object->root, w->object->root,
                        "give the mapping table a family template that tells them apart, "
                        "e.g. family: \"{namespace}-{name}\" or \"{name}-{kind}\"",
                        "task family '%s' of %s %s/%s is also the family of %s %s/%s (%s:%u)",
                        w->family, w->object->kind, w->object->namespace_, w->object->name,
                        first->object->kind, first->object->namespace_, first->object->name,
                        first->object->file, first->object->root->line);
            continue;
        }
        w->written = true;
        k2e_map_output(ctx, K2E_DOC_TASK_DEFINITION, w->object, json_incref(w->task_definition),
                       "task-definitions/%s.json", w->family);
    }
}
