/* Files for deployment tools (--format), from the same values as the plain
 * AWS CLI inputs.
 *
 * These are views: documents of the model whose text emit derives from the
 * same values (map/model.h), so a patch to a task definition shows in every
 * file that carries it.  What the views need that is not layout (which keys
 * a tool drops, what to warn about) is decided here; the layout rules
 * (sorted keys, ecs-deploy's line-based constraints) live in emit.
 *
 * ecspresso (kayac/ecspresso v2): per service, the trio `ecspresso init`
 * writes into OUTDIR/ecspresso/<service>/: ecspresso.yml (region, cluster,
 * service, service_definition, task_definition, timeout, in the order of
 * its Config struct), ecs-task-def.json (a bare RegisterTaskDefinition
 * input) and ecs-service-def.json (the service without serviceName,
 * taskDefinition and cluster, which ecspresso takes from its config).  Like
 * init's MarshalJSONForAPI output, keys are sorted (by emit).  An
 * autoscaled service gets no desiredCount: ecspresso then keeps the running
 * count on deploy instead of resetting what the autoscaler chose.
 *
 * ecs-deploy (silinternational / sil-org ecs-deploy --task-definition-file):
 * OUTDIR/ecs-deploy/<family>.json = {"taskDefinition": ...}.  The script
 * edits the image with line-based sed before parsing, then projects the
 * object with jq (ecs-schema.md section 7), hence (in emit): pretty-printed
 * with one member per line, `"image":` never the last member of its object
 * (the sed expression needs the trailing comma), `volumes` and
 * `placementConstraints` always present (jq would turn them into null); and
 * (here) a warning for what the projection drops (tags, pidMode, ipcMode,
 * inferenceAccelerators).  The ecs-deploy view is added after the user's
 * patches, so its warnings see the final task definition.
 */
#include <stdlib.h>
#include <string.h>

#include "services/service_internal.h"
#include "base/util.h"

/* --- ecspresso ----------------------------------------------------------------- */

void k2e_svc_ecspresso(k2e_svc *svc, const json_t *service)
{
    k2e_map_ctx *ctx = svc->run->map;
    k2e_map_use(ctx, K2E_KEY_REGION);
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    /* timeout is Go time.Duration text, as `ecspresso init` writes it. */
    json_t *config = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "region",
                               ctx->mapping->region.value, "cluster", ctx->mapping->cluster.value,
                               "service", svc->name, "service_definition",
                               "ecs-service-def.json", "task_definition", "ecs-task-def.json",
                               "timeout", "10m0s");
    k2e_map_output(ctx, K2E_DOC_ECSPRESSO_CONFIG, svc->object, config, "ecspresso/%s/ecspresso.yml",
                   svc->name);
    k2e_map_output(ctx, K2E_DOC_ECSPRESSO_JSON, svc->object,
                   json_incref(svc->workload->task_definition), "ecspresso/%s/ecs-task-def.json",
                   svc->name);
    json_t *def = json_deep_copy(service);
    json_object_del(def, "cluster");
    json_object_del(def, "serviceName");
    json_object_del(def, "taskDefinition");
    if (svc->hpa) {
        json_object_del(def, "desiredCount");
        k2e_diag_at(ctx->diags, K2E_I_SERVICE, svc->workload->pod_spec, svc->root,
                    "ecspresso deploy keeps the running count when desiredCount is absent",
                    "ecspresso/%s/ecs-service-def.json has no desiredCount: the service is "
                    "autoscaled", svc->name);
    }
    k2e_map_output(ctx, K2E_DOC_ECSPRESSO_JSON, svc->object, def,
                   "ecspresso/%s/ecs-service-def.json", svc->name);
}

/* --- ecs-deploy ------------------------------------------------------------------ */

/* The members the script's jq projection leaves out. */
static const char *const dropped_keys[] = {"tags", "pidMode", "ipcMode",
                                           "inferenceAccelerators", NULL};

static void warn_dropped(k2e_map_ctx *ctx, const k2e_workload *w, const json_t *td)
{
    k2e_buf list;
    k2e_buf_init(&list);
    for (const char *const *k = dropped_keys; *k; k++) {
        if (json_object_get(td, *k))
            k2e_buf_printf(&list, "%s%s", list.length ? ", " : "", *k);
    }
    char *text = k2e_buf_detach(&list);
    if (text && *text) {
        k2e_node *labels = k2e_get(k2e_get(w->pod_spec->parent, "metadata"), "labels");
        k2e_diag_at(ctx->diags, K2E_W_ECS_DEPLOY_DROPS, labels ? labels : w->pod_spec,
                    w->object->root,
                    "ecs-deploy copies tags only from the live task definition "
                    "(--copy-task-definition-tags); register the first revision with the AWS "
                    "CLI (task-definitions/) to set them",
                    "ecs-deploy/%s.json: ecs-deploy drops %s when it registers the task "
                    "definition", w->family, text);
    }
    free(text);
}

static void warn_untagged_images(k2e_map_ctx *ctx, const k2e_workload *w, const json_t *td)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(td, "containerDefinitions"), i, c) {
        const char *image = json_string_value(json_object_get(c, "image"));
        const char *slash = image ? strrchr(image, '/') : NULL;
        const char *last = slash ? slash + 1 : image;
        if (!image || strchr(last, ':') || strchr(image, '@'))
            continue;
        k2e_diag_at(ctx->diags, K2E_W_ECS_DEPLOY_DROPS, w->pod_spec, w->object->root,
                    "write the image as repository:tag in the manifest",
                    "ecs-deploy/%s.json: image %s has no tag, so ecs-deploy -i/--tag-only "
                    "leaves it unchanged", w->family, image);
    }
}

void k2e_svc_ecs_deploy(k2e_map_ctx *ctx, const k2e_workload *w)
{
    warn_dropped(ctx, w, w->task_definition);
    warn_untagged_images(ctx, w, w->task_definition);
    k2e_map_output(ctx, K2E_DOC_ECS_DEPLOY, w->object, json_incref(w->task_definition),
                   "ecs-deploy/%s.json", w->family);
}
