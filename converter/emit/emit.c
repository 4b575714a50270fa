/* The output model -> text, and the in-memory output set; see emit.h.
 *
 * Key order is decided here and only here.  Task definitions follow the
 * RegisterTaskDefinition API reference (so files diff well and read like the
 * AWS docs), whatever order the mappers and the user's patches inserted
 * them in; other documents keep the order their builder chose, which is
 * that of their API reference too.  ecspresso's files are sorted like Go's
 * encoding/json writes maps (what `ecspresso init` prints).
 */
#include "emit/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "emit/yaml.h"

void k2e_outputs_init(k2e_outputs *outputs)
{
    memset(outputs, 0, sizeof *outputs);
}

void k2e_outputs_release(k2e_outputs *outputs)
{
    for (size_t i = 0; i < outputs->count; i++) {
        free(outputs->items[i].path);
        free(outputs->items[i].content);
    }
    free(outputs->items);
    k2e_outputs_init(outputs);
}

const k2e_output *k2e_outputs_get(const k2e_outputs *outputs, const char *path)
{
    for (size_t i = 0; i < outputs->count; i++) {
        if (strcmp(outputs->items[i].path, path) == 0)
            return &outputs->items[i];
    }
    return NULL;
}

bool k2e_outputs_has(const k2e_outputs *outputs, const char *path)
{
    return k2e_outputs_get(outputs, path) != NULL;
}

bool k2e_outputs_add(k2e_outputs *outputs, const char *path, char *content)
{
    if (!content)
        return false;
    char *copy = k2e_strdup(path);
    if (!copy ||
        !k2e_grow((void **)&outputs->items, &outputs->capacity, outputs->count + 1,
                  sizeof *outputs->items)) {
        free(copy);
        free(content);
        return false;
    }
    outputs->items[outputs->count++] = (k2e_output){copy, content, strlen(content)};
    return true;
}

static int output_order(const void *pa, const void *pb)
{
    return strcmp(((const k2e_output *)pa)->path, ((const k2e_output *)pb)->path);
}

bool k2e_outputs_sort(k2e_outputs *outputs)
{
    if (outputs->count > 1)
        qsort(outputs->items, outputs->count, sizeof *outputs->items, output_order);
    for (size_t i = 1; i < outputs->count; i++) {
        if (strcmp(outputs->items[i - 1].path, outputs->items[i].path) == 0)
            return false;
    }
    return true;
}

char *k2e_json_text_new(json_t *value)
{
    if (!value)
        return NULL;
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                       JSON_REAL_PRECISION(15));
    json_decref(value);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *with_newline = k2e_realloc(text, n + 2);
    if (!with_newline) {
        free(text);
        return NULL;
    }
    with_newline[n] = '\n';
    with_newline[n + 1] = '\0';
    return with_newline;
}

/* --- Key order ------------------------------------------------------------ */

static const char *const task_keys[] = {
    "family", "taskRoleArn", "executionRoleArn", "networkMode", "containerDefinitions",
    "volumes", "placementConstraints", "requiresCompatibilities", "cpu", "memory", "tags",
    "pidMode", "ipcMode", "proxyConfiguration", "inferenceAccelerators", "ephemeralStorage",
    "runtimePlatform", NULL,
};

static const char *const container_keys[] = {
    "name", "image", "repositoryCredentials", "cpu", "memory", "memoryReservation", "links",
    "portMappings", "essential", "restartPolicy", "entryPoint", "command", "environment",
    "environmentFiles", "mountPoints", "volumesFrom", "linuxParameters", "secrets", "dependsOn",
    "startTimeout", "stopTimeout", "versionConsistency", "hostname", "user",
    "workingDirectory", "disableNetworking", "privileged", "readonlyRootFilesystem",
    "dnsServers", "dnsSearchDomains", "extraHosts", "dockerSecurityOptions", "interactive",
    "pseudoTerminal", "dockerLabels", "ulimits", "logConfiguration", "healthCheck",
    "systemControls", "resourceRequirements", "firelensConfiguration", "credentialSpecs",
    NULL,
};

/* A shallow copy of `object` with its keys in `order` (unknown keys after
 * them, as they were). */
static json_t *ordered(const json_t *object, const char *const *order)
{
    json_t *out = json_object();
    for (const char *const *key = order; *key; key++) {
        json_t *value = json_object_get(object, *key);
        if (value)
            json_object_set(out, *key, value);
    }
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)object, key, value) {
        if (!json_object_get(out, key))
            json_object_set(out, key, value);
    }
    return out;
}

static json_t *ordered_task_definition(const json_t *td)
{
    json_t *out = ordered(td, task_keys);
    json_t *containers = json_object_get(td, "containerDefinitions");
    if (!json_is_array(containers))
        return out;
    json_t *list = json_array();
    size_t i;
    json_t *c;
    json_array_foreach(containers, i, c)
        json_array_append_new(list, json_is_object(c) ? ordered(c, container_keys)
                                                      : json_incref(c));
    json_object_set_new(out, "containerDefinitions", list);
    return out;
}

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
    const char **keys = k2e_calloc(n, sizeof *keys);
    if (!keys)
        return NULL;
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

/* --- ecs-deploy's constraints ----------------------------------------------- */

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

/* {"taskDefinition": td} with volumes and placementConstraints always
 * present (the script's jq projection would turn absent ones into null). */
static json_t *ecs_deploy_view(const json_t *td)
{
    json_t *copy = json_copy((json_t *)td);
    if (!copy)
        return NULL;
    if (!json_object_get(copy, "volumes"))
        json_object_set_new(copy, "volumes", json_array());
    if (!json_object_get(copy, "placementConstraints"))
        json_object_set_new(copy, "placementConstraints", json_array());
    json_t *view = ordered_task_definition(copy);
    json_decref(copy);
    image_not_last(view);
    return json_pack("{s:o}", "taskDefinition", view);
}

/* --- Documents -------------------------------------------------------------- */

static const char ecschedule_header[] =
    "# ecschedule configuration written by kube2ecs (github.com/Songmu/ecschedule).\n"
    "# Review with: ecschedule -conf ecschedule.yaml diff -all\n"
    "# Apply with:  ecschedule -conf ecschedule.yaml apply -all\n";

static char *yaml_text(const k2e_doc *doc, const char *header, k2e_yaml_dialect dialect,
                       k2e_diags *diags)
{
    const char *error = NULL;
    char *text = k2e_yaml_text(doc->value, header, dialect, &error);
    if (!text)
        k2e_diag_add(diags, K2E_E_INTERNAL, (k2e_where){doc->path, 0, 0, ""},
                     "this is a bug in kube2ecs (or the machine ran out of memory): please "
                     "report it with the input", "cannot write %s: %s", doc->path,
                     error ? error : "unknown error");
    return text;
}

static char *document_text(const k2e_doc *doc, k2e_diags *diags)
{
    switch (doc->kind) {
    case K2E_DOC_TASK_DEFINITION:
        return k2e_json_text_new(ordered_task_definition(doc->value));
    case K2E_DOC_ECSPRESSO_JSON:
        return k2e_json_text_new(sorted_copy(doc->value));
    case K2E_DOC_ECS_DEPLOY:
        return k2e_json_text_new(ecs_deploy_view(doc->value));
    case K2E_DOC_ECSCHEDULE:
        return yaml_text(doc, ecschedule_header, K2E_YAML_ECSCHEDULE, diags);
    case K2E_DOC_ECSPRESSO_CONFIG:
        return yaml_text(doc, NULL, K2E_YAML_PLAIN_WHEN_SAFE, diags);
    default:
        return k2e_json_text_new(json_incref(doc->value));
    }
}

bool k2e_emit_model(k2e_model *model, k2e_outputs *outputs, k2e_diags *diags)
{
    for (size_t i = 0; i < model->count; i++) {
        k2e_doc *doc = &model->items[i];
        char *text = document_text(doc, diags);
        if (!text || !k2e_outputs_add(outputs, doc->path, text))
            return false;
        /* The text is what remains: a value shared with a view is kept
         * until its last document is written. */
        json_decref(doc->value);
        doc->value = NULL;
        doc->source = NULL;
    }
    return true;
}
