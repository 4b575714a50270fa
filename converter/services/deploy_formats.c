/* Files for deployment tools (--format), from the same values as the plain
 * AWS CLI inputs.
 *
 * ecspresso (kayac/ecspresso v2): per service, the trio `ecspresso init`
 * writes into OUTDIR/ecspresso/<service>/: ecspresso.yml (region, cluster,
 * service, service_definition, task_definition, timeout, in the order of
 * its Config struct), ecs-task-def.json (a bare RegisterTaskDefinition
 * input) and ecs-service-def.json (the service without serviceName,
 * taskDefinition and cluster, which ecspresso takes from its config).  Like
 * init's MarshalJSONForAPI output, keys are sorted.  An autoscaled service
 * gets no desiredCount: ecspresso then keeps the running count on deploy
 * instead of resetting what the autoscaler chose.
 *
 * ecs-deploy (silinternational / sil-org ecs-deploy --task-definition-file):
 * OUTDIR/ecs-deploy/<family>.json = {"taskDefinition": ...}.  The script
 * edits the image with line-based sed before parsing, then projects the
 * object with jq (ecs-schema.md section 7), hence: pretty-printed with one
 * member per line, `"image":` never the last member of its object (the sed
 * expression needs the trailing comma), `volumes` and `placementConstraints`
 * always present (jq would turn them into null), and a warning for what the
 * projection drops (tags, pidMode, ipcMode, inferenceAccelerators).
 */
#include <stdlib.h>
#include <string.h>

#include "emit/emit.h"
#include "services/service_internal.h"
#include "base/util.h"

/* --- ecspresso ----------------------------------------------------------------- */

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A deep copy with every object's keys sorted, as Go's encoding/json
 * writes maps. */
static json_t *sorted_copy(const json_t *value)
{
    if (json_is_array(value)) {
        json_t *out = json_array();
        size_t i;
        const json_t *item;
        json_array_foreach(value, i, item)
            json_array_append_new(out, sorted_copy(item));
        return out;
    }
    if (!json_is_object(value))
        return json_deep_copy(value);
    size_t n = json_object_size(value), i = 0;
    const char **keys = calloc(n ? n : 1, sizeof *keys);
    const char *key;
    const json_t *item;
    json_object_foreach((json_t *)value, key, item)
        keys[i++] = key;
    qsort(keys, n, sizeof *keys, compare_keys);
    json_t *out = json_object();
    for (i = 0; i < n; i++)
        json_object_set_new(out, keys[i], sorted_copy(json_object_get(value, keys[i])));
    free(keys);
    return out;
}

/* Plain YAML when the text cannot be mistaken for anything else, a
 * double-quoted (JSON) string otherwise. */
static void yaml_scalar(k2e_buf *buf, const char *text)
{
    bool plain = *text && ((*text >= 'a' && *text <= 'z') || (*text >= 'A' && *text <= 'Z'));
    for (const char *p = text; plain && *p; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:",
                       *p) != NULL;
    if (plain && strcmp(text, "true") && strcmp(text, "false") && strcmp(text, "null") &&
        strcmp(text, "yes") && strcmp(text, "no") && strcmp(text, "on") && strcmp(text, "off")) {
        k2e_buf_puts(buf, text);
        return;
    }
    json_t *s = json_string(text);
    char *quoted = json_dumps(s, JSON_ENCODE_ANY);
    k2e_buf_puts(buf, quoted ? quoted : "\"\"");
    free(quoted);
    json_decref(s);
}

static void yaml_line(k2e_buf *buf, const char *key, const char *value)
{
    k2e_buf_printf(buf, "%s: ", key);
    yaml_scalar(buf, value);
    k2e_buf_puts(buf, "\n");
}

static void add_file(k2e_map_ctx *ctx, const char *name, const char *file, char *content)
{
    char *path = k2e_asprintf("ecspresso/%s/%s", name, file);
    if (path)
        k2e_outputs_add(ctx->outputs, path, content);
    else
        free(content);
    free(path);
}

void k2e_svc_ecspresso(k2e_svc *svc, const json_t *service)
{
    k2e_map_ctx *ctx = svc->run->map;
    k2e_buf yml;
    k2e_buf_init(&yml);
    k2e_map_use(ctx, K2E_KEY_REGION);
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    yaml_line(&yml, "region", ctx->mapping->region.value);
    yaml_line(&yml, "cluster", ctx->mapping->cluster.value);
    yaml_line(&yml, "service", svc->name);
    yaml_line(&yml, "service_definition", "ecs-service-def.json");
    yaml_line(&yml, "task_definition", "ecs-task-def.json");
    k2e_buf_puts(&yml, "timeout: 10m0s\n"); /* Go time.Duration text, as init writes it */
    add_file(ctx, svc->name, "ecspresso.yml", k2e_buf_detach(&yml));
    add_file(ctx, svc->name, "ecs-task-def.json",
             k2e_json_text_new(sorted_copy(svc->workload->task_definition)));
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
    add_file(ctx, svc->name, "ecs-service-def.json", k2e_json_text_new(sorted_copy(def)));
    json_decref(def);
}

/* --- ecs-deploy ------------------------------------------------------------------ */

/* The members the script's jq projection leaves out. */
static const char *const dropped_keys[] = {"tags", "pidMode", "ipcMode",
                                           "inferenceAccelerators", NULL};

/* A copy with volumes and placementConstraints present, right after
 * containerDefinitions (their place in the API reference). */
static json_t *with_required_lists(const json_t *td)
{
    json_t *out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)td, key, value) {
        json_object_set(out, key, value);
        if (strcmp(key, "containerDefinitions") != 0)
            continue;
        json_t *volumes = json_object_get(td, "volumes");
        json_t *constraints = json_object_get(td, "placementConstraints");
        json_object_set_new(out, "volumes", volumes ? json_incref(volumes) : json_array());
        json_object_set_new(out, "placementConstraints",
                            constraints ? json_incref(constraints) : json_array());
    }
    return out;
}

/* The sed expression needs a comma after the image: if `image` were the
 * last member of a container, move it right after `name`. */
static void image_not_last(json_t *td)
{
    size_t i;
    json_t *c;
    json_array_foreach(json_object_get(td, "containerDefinitions"), i, c) {
        void *last = NULL;
        for (void *it = json_object_iter(c); it; it = json_object_iter_next(c, it))
            last = it;
        if (!last || strcmp(json_object_iter_key(last), "image") != 0)
            continue;
        json_t *fixed = json_object();
        const char *key;
        json_t *value;
        json_object_foreach(c, key, value) {
            if (strcmp(key, "image") == 0)
                continue;
            json_object_set(fixed, key, value);
            if (strcmp(key, "name") == 0)
                json_object_set(fixed, "image", json_object_get(c, "image"));
        }
        json_array_set_new(json_object_get(td, "containerDefinitions"), i, fixed);
    }
}

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
    json_t *td = with_required_lists(w->task_definition);
    image_not_last(td);
    warn_dropped(ctx, w, td);
    warn_untagged_images(ctx, w, td);
    char *path = k2e_asprintf("ecs-deploy/%s.json", w->family);
    if (path)
        k2e_outputs_add(ctx->outputs, path,
                        k2e_json_text_new(json_pack("{s:o}", "taskDefinition", td)));
    else
        json_decref(td);
    free(path);
}
