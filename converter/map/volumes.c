/* Pod storage -> Fargate task storage; see volumes.h.
 *
 * Fargate has exactly two kinds of volume a Kubernetes pod can move to: a
 * bind mount on the task's ephemeral storage (a volume with only a name: the
 * emptyDir) and EFS (a PersistentVolumeClaim whose file system the user names
 * in the mapping table).  So the module is a dispatch on the volume-source
 * key: two converters, one error (hostPath) and a table of warnings whose
 * hints say where such data can go instead.  Reported volumes are left out of
 * the task; the mount-point builder then recognises their mounts by looking
 * the name up in the pod spec and drops them without a second diagnostic.
 *
 * ECS rules checked here rather than left to RegisterTaskDefinition (API
 * reference, EFSAuthorizationConfig and EFSVolumeConfiguration):
 *   - an access point or IAM authorization needs transitEncryption ENABLED;
 *   - with an access point, rootDirectory must be omitted or "/".
 *
 * Ephemeral storage is sized the way the Kubernetes scheduler sizes a pod
 * (component-helpers resource.PodRequests: init containers in order, native
 * sidecars accumulating), per container the larger of request and limit,
 * plus emptyDir sizeLimits, which on Fargate come out of the same disk.  All
 * sums are exact byte counts with saturation; only the total is rounded up
 * to GiB, so two containers of 10.5Gi need 21 GiB, not 22.
 */
#include "map/volumes.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "map/quantity.h"
#include "base/util.h"

/* What every helper needs to report. */
typedef struct {
    const k2e_node *root;
    k2e_diags *diags;
    bool *ok;
} report_ctx;

static void fail(report_ctx *r)
{
    *r->ok = false;
}

static bool is_absent(const k2e_node *node)
{
    return !node || k2e_is_null(node);
}

/* The reader's typed reads report K2E-E006 without a hint; these wrappers
 * read into a scratch list and re-add each finding with one. */
static void add_hinted(report_ctx *r, const k2e_diags *scratch, const char *hint)
{
    for (size_t i = 0; i < scratch->count; i++) {
        const k2e_diag *d = &scratch->items[i];
        k2e_where where = {d->file, d->line, d->column, d->path};
        k2e_diag_add(r->diags, d->code, where, d->hint[0] ? d->hint : hint, "%s", d->message);
    }
}

typedef enum { READ_STRING, READ_BOOL, READ_TEXT } read_kind;

static bool read_scalar(report_ctx *r, const k2e_node *node, read_kind kind, const char **text,
                        bool *flag)
{
    static const char *const hints[] = {
        [READ_STRING] = "write a string (quote values that look like numbers or booleans)",
        [READ_BOOL] = "write true or false",
        [READ_TEXT] = "write a quantity like 500Mi or 10Gi",
    };
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool read = kind == READ_STRING ? k2e_as_string(node, r->root, text, &scratch)
                : kind == READ_BOOL ? k2e_as_bool(node, r->root, flag, &scratch)
                                    : k2e_as_text(node, r->root, text, &scratch);
    add_hinted(r, &scratch, hints[kind]);
    k2e_diags_release(&scratch);
    return read;
}

static bool expect_kind(report_ctx *r, const k2e_node *node, k2e_node_kind kind)
{
    k2e_diags scratch;
    k2e_diags_init(&scratch);
    bool right = k2e_expect_kind(node, r->root, kind, &scratch);
    add_hinted(r, &scratch,
               kind == K2E_NODE_SEQUENCE ? "write a YAML list (one `- item` per entry)"
                                         : "write a mapping (`key: value` pairs)");
    k2e_diags_release(&scratch);
    return right;
}

/* Takes `key` as a string; NULL when absent, null or not a string (the
 * latter reported as K2E-E006 and failing). */
static const char *take_string(report_ctx *r, k2e_node *map, const char *key)
{
    k2e_node *node = k2e_take(map, key);
    const char *value = NULL;
    if (is_absent(node))
        return NULL;
    if (!read_scalar(r, node, READ_STRING, &value, NULL)) {
        fail(r);
        return NULL;
    }
    return value;
}

static bool take_bool(report_ctx *r, k2e_node *map, const char *key)
{
    k2e_node *node = k2e_take(map, key);
    bool value = false;
    if (!is_absent(node) && !read_scalar(r, node, READ_BOOL, NULL, &value))
        fail(r);
    return value;
}

/* A boolean read without reporting (the owner of the field reports it). */
static bool peek_bool(const k2e_node *node)
{
    bool value = false;
    k2e_diags scratch;
    if (is_absent(node) || k2e_scalar_type_of(node) != K2E_SCALAR_BOOL)
        return false;
    k2e_diags_init(&scratch);
    if (!k2e_as_bool(node, NULL, &value, &scratch))
        value = false;
    k2e_diags_release(&scratch);
    return value;
}

/* ECS volume names: up to 255 letters, digits, '_' and '-' (API Volume). */
static bool valid_ecs_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 255)
        return false;
    for (const char *p = name; *p; p++) {
        char c = *p;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* --- Volume-source table ---------------------------------------------------- */

/* Volume types that are reported, not converted, with what to do instead.
 * Types not listed get the generic hint. */
typedef struct {
    const char *type;
    const char *hint;
} reported_type;

#define HINT_FILES_COMMON                                                                 \
    "or add an init container that writes them into an emptyDir shared with this "     \
    "container; or keep them on EFS (a persistentVolumeClaim with a `volumes` mapping " \
    "entry)"

static const reported_type reported_types[] = {
    {"configMap",
     "ECS has no ConfigMap volumes: bake the files into the image; pass the values as "
     "environment variables (env/envFrom), " HINT_FILES_COMMON},
    {"secret",
     "ECS has no Secret volumes: pass the keys as environment variables (env/envFrom "
     "secretKeyRef become ECS `secrets` from Secrets Manager or SSM), and if the "
     "application needs files, add an init container that writes those variables into "
     "an emptyDir shared with this container; or keep the files on EFS"},
    {"projected",
     "ECS has no projected volumes: bake the files into the image; " HINT_FILES_COMMON},
    {"downwardAPI",
     "ECS has no downward API volumes: read pod metadata at run time from the task "
     "metadata endpoint ($ECS_CONTAINER_METADATA_URI_V4/task), e.g. in an init "
     "container that writes it into an emptyDir shared with this container"},
    {"ephemeral",
     "a generic ephemeral volume is scratch space: use an emptyDir (with sizeLimit), "
     "which Fargate backs with the task's ephemeral storage (up to 200 GiB)"},
    {"nfs",
     "Fargate mounts network file systems only as EFS: move the data to EFS and use a "
     "persistentVolumeClaim with a `volumes` entry in the mapping table"},
    {NULL,
     "Fargate supports only task storage (emptyDir) and EFS volumes: use an emptyDir "
     "for scratch data, or move the data to EFS and use a persistentVolumeClaim with a "
     "`volumes` entry in the mapping table"},
};

static const char *reported_hint(const char *type)
{
    const reported_type *row = reported_types;
    while (row->type && strcmp(row->type, type) != 0)
        row++;
    return row->hint;
}

/* The service-account token volume `kubectl get -o yaml` shows in every pod. */
static bool is_token_volume(const char *type, const k2e_node *source)
{
    const k2e_node *sources = k2e_get(source, "sources");
    if (strcmp(type, "projected") != 0 || !sources || sources->kind != K2E_NODE_SEQUENCE)
        return false;
    for (size_t i = 0; i < sources->count; i++) {
        if (k2e_get(sources->items[i], "serviceAccountToken"))
            return true;
    }
    return false;
}

static void report_unsupported(report_ctx *r, const char *name, const char *type,
                               k2e_node *source)
{
    const char *hint = is_token_volume(type, source)
                           ? "ECS tasks call AWS with the task role's credentials, not a "
                             "Kubernetes service-account token; if the application talks "
                             "to a Kubernetes API, mount a token some other way"
                           : reported_hint(type);
    k2e_diag_at(r->diags, K2E_W_VOLUME_NOT_CONVERTED, source, r->root, hint,
                "%s volume '%s' not converted: Fargate has only task storage and EFS "
                "volumes; mounts of it are left out",
                type, name);
    k2e_consume_all(source);
}

/* --- emptyDir ------------------------------------------------------------- */

/* Fargate has no tmpfs (linuxParameters.tmpfs and sharedMemorySize are
 * EC2-only), so a memory-backed emptyDir becomes the same disk-backed task
 * volume as any other: the pod keeps running, its data lands on ephemeral
 * storage instead of RAM.  Huge pages and unknown media stay errors. */
static void build_empty_dir(report_ctx *r, const char *name, k2e_node *source, json_t *out)
{
    const char *medium = take_string(r, source, "medium");
    if (medium && strcmp(medium, "Memory") == 0) {
        k2e_diag_at(r->diags, K2E_W_MEMORY_VOLUME, k2e_get(source, "medium"), r->root,
                    "its sizeLimit now counts against the task's ephemeral storage, not "
                    "memory; a mount at /dev/shm still serves POSIX shared memory (as files "
                    "on disk); for RAM-backed storage use ECS with EC2 "
                    "(linuxParameters.sharedMemorySize or tmpfs)",
                    "emptyDir '%s' with medium Memory becomes a task volume on ephemeral "
                    "storage: Fargate has no tmpfs volumes", name);
    } else if (medium && medium[0]) {
        bool huge = k2e_str_has_prefix(medium, "HugePages");
        k2e_diag_at(r->diags, K2E_E_VOLUME, k2e_get(source, "medium"), r->root,
                    "drop `medium` to use a regular emptyDir on the task's ephemeral "
                    "storage (size it with sizeLimit), or keep the data in the "
                    "application's memory",
                    "emptyDir '%s' with medium %s: %s", name, medium,
                    huge ? "Fargate has no huge pages" : "unknown storage medium");
        fail(r);
        return;
    }
    json_array_append_new(out, json_pack("{s:s}", "name", name));
}

/* --- persistentVolumeClaim -> EFS ------------------------------------------ */

static bool is_value(const char *setting, const char *value)
{
    return setting && strcmp(setting, value) == 0;
}

/* Checks the ECS rules on the mapping entry; true when it can be used. */
static bool efs_entry_usable(report_ctx *r, const k2e_node *at, const char *claim,
                             const k2e_efs_volume *v)
{
    const char *file = v->origin ? v->origin->file : "mapping";
    unsigned line = v->origin ? v->origin->line : 0;
    bool needs_tls = v->access_point_id || is_value(v->iam, "ENABLED");
    if (needs_tls && is_value(v->transit_encryption, "DISABLED")) {
        k2e_diag_at(r->diags, K2E_E_VOLUME, at, r->root,
                    "set transitEncryption: ENABLED (or remove it) in that mapping entry",
                    "EFS mapping for claim '%s' (%s:%u) sets transitEncryption: DISABLED, "
                    "but ECS requires it ENABLED with %s",
                    claim, file, line,
                    v->access_point_id ? "an access point" : "IAM authorization");
        fail(r);
        return false;
    }
    if (v->access_point_id && v->root_directory && strcmp(v->root_directory, "/") != 0) {
        k2e_diag_at(r->diags, K2E_E_VOLUME, at, r->root,
                    "remove rootDirectory from that mapping entry and set the directory "
                    "as the access point's root directory instead",
                    "EFS mapping for claim '%s' (%s:%u) sets rootDirectory %s together "
                    "with access point %s: ECS allows only / (the access point's path "
                    "applies)",
                    claim, file, line, v->root_directory, v->access_point_id);
        fail(r);
        return false;
    }
    return true;
}

/* efsVolumeConfiguration, keys in API order. */
static json_t *efs_configuration(const k2e_efs_volume *v)
{
    json_t *efs = json_pack("{s:s}", "fileSystemId", v->file_system_id);
    if (!efs)
        return NULL;
    bool needs_tls = v->access_point_id || is_value(v->iam, "ENABLED");
    const char *tls = v->transit_encryption ? v->transit_encryption
                      : needs_tls           ? "ENABLED"
                                            : NULL;
    if (v->root_directory)
        json_object_set_new(efs, "rootDirectory", json_string(v->root_directory));
    if (tls)
        json_object_set_new(efs, "transitEncryption", json_string(tls));
    if (!v->access_point_id && !v->iam)
        return efs;
    json_t *auth = json_object();
    if (v->access_point_id)
        json_object_set_new(auth, "accessPointId", json_string(v->access_point_id));
    if (v->iam)
        json_object_set_new(auth, "iam", json_string(v->iam));
    json_object_set_new(efs, "authorizationConfig", auth);
    return efs;
}

typedef struct {
    const k2e_mapping *mapping;
    const char *namespace_;
    const char *default_namespace;
} claim_lookup;

/* A claim without an EFS entry is one more missing mapping value: the
 * volume gets a placeholder file system and a K2E-W020 at the claim, so the
 * workload converts and the mapping entry is the one thing left to add. */
#define EFS_PLACEHOLDER "fs-00000000000000000"

static json_t *placeholder_claim(report_ctx *r, const claim_lookup *l, const k2e_node *at,
                                 const char *name, const char *claim)
{
    bool other_ns = strcmp(l->namespace_, l->default_namespace) != 0;
    char *hint = k2e_asprintf("Fargate mounts claims only as EFS: add `volumes: [{claim: %s%s%s, "
                              "fileSystemId: fs-...}]` (optional accessPointId, rootDirectory, "
                              "transitEncryption, iam) to the mapping table",
                              claim, other_ns ? ", namespace: " : "",
                              other_ns ? l->namespace_ : "");
    k2e_diag_at(r->diags, K2E_W_PLACEHOLDER, at, r->root, hint,
                "PersistentVolumeClaim '%s' (namespace %s) has no EFS entry in the mapping "
                "table: placeholder file system '%s' written to the output",
                claim, l->namespace_, EFS_PLACEHOLDER);
    free(hint);
    return json_pack("{s:s, s:{s:s}}", "name", name, "efsVolumeConfiguration",
                     "fileSystemId", EFS_PLACEHOLDER);
}

static void build_claim(report_ctx *r, const claim_lookup *l, const char *name,
                        k2e_node *source, json_t *out)
{
    bool fields_ok = true;
    report_ctx local = {r->root, r->diags, &fields_ok};
    const char *claim = take_string(&local, source, "claimName");
    take_bool(&local, source, "readOnly"); /* applied to the mounts */
    if (!fields_ok) {
        fail(r);
        return;
    }
    if (!claim) {
        k2e_diag_at(r->diags, K2E_E_TYPE, source, r->root,
                    "name the claim: persistentVolumeClaim: {claimName: ...}",
                    "persistentVolumeClaim without claimName");
        fail(r);
        return;
    }
    const k2e_efs_volume *v =
        k2e_mapping_efs_volume(l->mapping, claim, l->namespace_, l->default_namespace);
    if (!v) {
        json_array_append_new(out, placeholder_claim(r, l, source, name, claim));
        return;
    }
    if (!efs_entry_usable(r, source, claim, v))
        return;
    json_array_append_new(out, json_pack("{s:s, s:o*}", "name", name,
                                         "efsVolumeConfiguration", efs_configuration(v)));
}

/* --- One volume ------------------------------------------------------------- */

/* The volume-source key: the one key besides `name`.  Returns how many there
 * are; *type and *source describe the first, *other names the second. */
static size_t volume_source(const k2e_node *volume, const char **type, k2e_node **source,
                            const char **other)
{
    size_t count = 0;
    *type = *other = NULL;
    *source = NULL;
    for (size_t i = 0; i < volume->count; i++) {
        if (strcmp(volume->keys[i]->value, "name") == 0)
            continue;
        if (count == 1)
            *other = volume->keys[i]->value;
        if (count++ == 0) {
            *type = volume->keys[i]->value;
            *source = volume->items[i];
        }
    }
    return count;
}

static bool has_volume(const json_t *volumes, const char *name)
{
    size_t i;
    const json_t *v;
    json_array_foreach(volumes, i, v) {
        if (strcmp(json_string_value(json_object_get(v, "name")), name) == 0)
            return true;
    }
    return false;
}

/* Name checks; true when the volume can be converted under this name. */
static bool volume_name_ok(report_ctx *r, k2e_node *volume, const char *name,
                           const json_t *seen)
{
    if (!name) {
        k2e_diag_at(r->diags, K2E_E_TYPE, volume, r->root, "give every volume a name",
                    "volume without a name");
    } else if (!valid_ecs_name(name)) {
        k2e_diag_at(r->diags, K2E_E_VOLUME, k2e_get(volume, "name"), r->root,
                    "ECS volume names are 1-255 letters, digits, '-' and '_'; Kubernetes "
                    "requires a DNS label (lower-case letters, digits, '-')",
                    "volume name '%s' is not a valid ECS volume name", name);
    } else if (has_volume(seen, name)) {
        k2e_diag_at(r->diags, K2E_E_TYPE, k2e_get(volume, "name"), r->root,
                    "Kubernetes rejects this too: rename one of the volumes",
                    "volume '%s' defined twice", name);
    } else {
        return true;
    }
    fail(r);
    return false;
}

static void build_volume(report_ctx *r, const claim_lookup *l, k2e_node *volume, json_t *out)
{
    if (!expect_kind(r, volume, K2E_NODE_MAPPING)) {
        fail(r);
        return;
    }
    k2e_consume(volume);
    bool name_ok = true;
    report_ctx local = {r->root, r->diags, &name_ok};
    const char *name = take_string(&local, volume, "name");
    if (!name_ok || !volume_name_ok(r, volume, name, out)) {
        k2e_consume_all(volume); /* reported as a whole */
        fail(r);
        return;
    }
    const char *type, *other;
    k2e_node *source;
    size_t sources = volume_source(volume, &type, &source, &other);
    if (sources > 1) {
        k2e_diag_at(r->diags, K2E_E_TYPE, volume, r->root,
                    "Kubernetes rejects this too: keep one volume type per volume (check "
                    "the spelling of the keys)",
                    "volume '%s' has %zu volume types (%s, %s%s)", name, sources, type,
                    other, sources > 2 ? ", ..." : "");
        k2e_consume_all(volume);
        fail(r);
        return;
    }
    if (sources == 0) { /* Kubernetes defaults an empty source to emptyDir */
        json_array_append_new(out, json_pack("{s:s}", "name", name));
        return;
    }
    k2e_consume(source);
    bool converted = strcmp(type, "emptyDir") == 0 || strcmp(type, "persistentVolumeClaim") == 0;
    if (converted && source->kind != K2E_NODE_MAPPING && !k2e_is_null(source)) {
        expect_kind(r, source, K2E_NODE_MAPPING);
        fail(r);
        return;
    }
    if (strcmp(type, "emptyDir") == 0) {
        build_empty_dir(r, name, source, out);
    } else if (strcmp(type, "persistentVolumeClaim") == 0) {
        build_claim(r, l, name, source, out);
    } else if (strcmp(type, "hostPath") == 0) {
        k2e_diag_at(r->diags, K2E_E_FARGATE_FORBIDDEN, source, r->root,
                    "Fargate gives no access to the host: use an emptyDir for scratch "
                    "space or EFS (a persistentVolumeClaim with a `volumes` mapping entry) "
                    "for shared data",
                    "hostPath volume '%s' is not allowed on Fargate", name);
        k2e_consume_all(source);
        fail(r);
    } else {
        report_unsupported(r, name, type, source);
    }
}

/* A StatefulSet's volumeClaimTemplates, seen from its pod spec
 * (spec.template.spec -> spec.volumeClaimTemplates), or NULL. */
static const k2e_node *claim_templates(const k2e_node *pod_spec)
{
    const k2e_node *template_ = pod_spec ? pod_spec->parent : NULL;
    const k2e_node *workload_spec = template_ ? template_->parent : NULL;
    const k2e_node *templates = k2e_get(workload_spec, "volumeClaimTemplates");
    return templates && templates->kind == K2E_NODE_SEQUENCE ? templates : NULL;
}

static const char *claim_template_name(const k2e_node *claim)
{
    const k2e_node *name = k2e_get(k2e_get(claim, "metadata"), "name");
    return k2e_is_scalar(name) ? name->value : NULL;
}

static bool mounted_in(const k2e_node *containers, const char *name)
{
    for (size_t i = 0; containers && containers->kind == K2E_NODE_SEQUENCE &&
                       i < containers->count; i++) {
        const k2e_node *mounts = k2e_get(containers->items[i], "volumeMounts");
        for (size_t j = 0; mounts && mounts->kind == K2E_NODE_SEQUENCE && j < mounts->count;
             j++) {
            const k2e_node *mount_name = k2e_get(mounts->items[j], "name");
            if (k2e_is_scalar(mount_name) && strcmp(mount_name->value, name) == 0)
                return true;
        }
    }
    return false;
}

/* Claim templates that a container mounts become EFS volumes named like the
 * template, from the mapping's `volumes` entry for that claim name (every
 * task shares it: the service code warns about that); the template nodes
 * themselves are consumed by the service code. */
static void build_claim_templates(report_ctx *r, const claim_lookup *l,
                                  const k2e_node *pod_spec, json_t *out)
{
    const k2e_node *templates = claim_templates(pod_spec);
    for (size_t i = 0; templates && i < templates->count; i++) {
        const char *name = claim_template_name(templates->items[i]);
        if (!name || has_volume(out, name) ||
            !(mounted_in(k2e_get(pod_spec, "containers"), name) ||
              mounted_in(k2e_get(pod_spec, "initContainers"), name)))
            continue;
        const k2e_efs_volume *v =
            k2e_mapping_efs_volume(l->mapping, name, l->namespace_, l->default_namespace);
        if (!v) {
            json_array_append_new(out, placeholder_claim(r, l, templates->items[i], name, name));
            continue;
        }
        if (efs_entry_usable(r, templates->items[i], name, v))
            json_array_append_new(out, json_pack("{s:s, s:o*}", "name", name,
                                                 "efsVolumeConfiguration", efs_configuration(v)));
    }
}

bool k2e_volumes_build(k2e_node *pod_spec, const k2e_node *root, const k2e_mapping *mapping,
                       const char *namespace_, const char *default_namespace, json_t **result,
                       k2e_diags *diags)
{
    bool ok = true;
    report_ctx r = {root, diags, &ok};
    claim_lookup l = {mapping, namespace_, default_namespace};
    json_t *out = json_array();
    *result = out;
    k2e_node *volumes = k2e_take(pod_spec, "volumes");
    if (!out)
        return ok;
    if (!is_absent(volumes) && !expect_kind(&r, volumes, K2E_NODE_SEQUENCE)) {
        fail(&r);
        return ok;
    }
    for (size_t i = 0; !is_absent(volumes) && i < volumes->count; i++)
        build_volume(&r, &l, volumes->items[i], out);
    build_claim_templates(&r, &l, pod_spec, out);
    return ok;
}

/* --- Mount points ------------------------------------------------------------ */

/* The pod's volume named `name`, or NULL. */
static const k2e_node *pod_volume(const k2e_node *pod_spec, const char *name)
{
    const k2e_node *volumes = k2e_get(pod_spec, "volumes");
    if (!volumes || volumes->kind != K2E_NODE_SEQUENCE)
        return NULL;
    for (size_t i = 0; i < volumes->count; i++) {
        const k2e_node *n = k2e_get(volumes->items[i], "name");
        if (k2e_is_scalar(n) && strcmp(n->value, name) == 0)
            return volumes->items[i];
    }
    return NULL;
}

/* Mount options of a mount that is left out with its volume: consumed
 * without a word, the volume's diagnostic covers the whole mount. */
static void drop_mount_options(k2e_node *mount)
{
    static const char *const keys[] = {"subPath", "subPathExpr", "mountPropagation",
                                       "recursiveReadOnly"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        k2e_consume(k2e_take(mount, keys[i]));
}

/* Reports mount options ECS cannot express; the mount is still emitted. */
static void report_mount_options(report_ctx *r, k2e_node *mount, const char *volume)
{
    static const char *const sub_keys[] = {"subPath", "subPathExpr"};
    for (size_t i = 0; i < 2; i++) {
        const char *sub = take_string(r, mount, sub_keys[i]);
        if (!sub || !sub[0])
            continue;
        k2e_diag_at(r->diags, K2E_W_SUBPATH, k2e_get(mount, sub_keys[i]), r->root,
                    "ECS mounts the whole volume: mount it at a directory and point the "
                    "application at the path inside it, or give the subdirectory an EFS "
                    "access point (or rootDirectory) and a volume of its own",
                    "%s '%s' of volume '%s' ignored: the whole volume is mounted",
                    sub_keys[i], sub, volume);
    }
    const char *propagation = take_string(r, mount, "mountPropagation");
    if (propagation && strcmp(propagation, "None") != 0)
        k2e_diag_at(r->diags, K2E_W_VOLUME_NOT_CONVERTED, k2e_get(mount, "mountPropagation"),
                    r->root,
                    "Fargate tasks neither see nor create host mounts: remove "
                    "mountPropagation",
                    "mountPropagation %s has no ECS equivalent: ignored", propagation);
    const char *recursive = take_string(r, mount, "recursiveReadOnly");
    if (recursive && strcmp(recursive, "Enabled") == 0)
        k2e_diag_at(r->diags, K2E_W_VOLUME_NOT_CONVERTED, k2e_get(mount, "recursiveReadOnly"),
                    r->root,
                    "ECS mounts the volume itself read-only (readOnly: true) and has no "
                    "recursive option: use IfPossible or remove the field",
                    "recursiveReadOnly: Enabled cannot be guaranteed on ECS");
}

static json_t *mount_point(report_ctx *r, k2e_node *mount, const k2e_node *pod_spec,
                           const json_t *task_volumes)
{
    if (!expect_kind(r, mount, K2E_NODE_MAPPING)) {
        fail(r);
        return NULL;
    }
    k2e_consume(mount);
    bool fields_ok = true;
    report_ctx local = {r->root, r->diags, &fields_ok};
    const char *name = take_string(&local, mount, "name");
    const char *path = take_string(&local, mount, "mountPath");
    bool read_only = take_bool(&local, mount, "readOnly");
    if (!fields_ok) {
        fail(r);
        return NULL;
    }
    if (!name || !path) {
        k2e_diag_at(r->diags, K2E_E_TYPE, mount, r->root,
                    "every volumeMount needs a name and a mountPath",
                    "volumeMount without %s", name ? "mountPath" : "name");
        fail(r);
        return NULL;
    }
    const k2e_node *volume = pod_volume(pod_spec, name);
    const k2e_node *templates = claim_templates(pod_spec);
    for (size_t i = 0; !volume && templates && i < templates->count; i++) {
        const char *claim = claim_template_name(templates->items[i]);
        if (claim && strcmp(claim, name) == 0)
            volume = templates->items[i];
    }
    if (!volume) {
        k2e_diag_at(r->diags, K2E_E_VOLUME, k2e_get(mount, "name"), r->root,
                    "add the volume to the pod's `volumes` or fix the name",
                    "no volume named '%s' in the pod", name);
        fail(r);
        return NULL;
    }
    if (!has_volume(task_volumes, name)) {
        drop_mount_options(mount); /* reported with the volume */
        return NULL;
    }
    report_mount_options(r, mount, name);
    read_only = read_only || peek_bool(k2e_get(k2e_get(volume, "persistentVolumeClaim"),
                                               "readOnly"));
    return json_pack("{s:s, s:s, s:b}", "sourceVolume", name, "containerPath", path,
                     "readOnly", read_only);
}

bool k2e_mount_points_build(k2e_node *container, const k2e_node *pod_spec,
                            const k2e_node *root, const json_t *task_volumes, json_t **result,
                            k2e_diags *diags)
{
    bool ok = true;
    report_ctx r = {root, diags, &ok};
    *result = NULL;
    k2e_node *mounts = k2e_take(container, "volumeMounts");
    if (is_absent(mounts))
        return ok;
    if (!expect_kind(&r, mounts, K2E_NODE_SEQUENCE)) {
        fail(&r);
        return ok;
    }
    json_t *out = json_array();
    for (size_t i = 0; out && i < mounts->count; i++) {
        json_t *point = mount_point(&r, mounts->items[i], pod_spec, task_volumes);
        if (point)
            json_array_append_new(out, point);
    }
    if (json_array_size(out) == 0)
        json_decref(out);
    else
        *result = out;
    return ok;
}

/* --- Ephemeral storage --------------------------------------------------------- */

#define GIB (UINT64_C(1) << 30)

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static uint64_t max_u64(uint64_t a, uint64_t b)
{
    return a > b ? a : b;
}

static uint64_t gib_ceil(uint64_t bytes)
{
    return bytes / GIB + (bytes % GIB != 0);
}

/* Takes `key` of `map` as a quantity in whole bytes (rounded up); 0 when
 * absent or invalid (invalid is reported and fails). */
static uint64_t take_bytes(report_ctx *r, k2e_node *map, const char *key)
{
    k2e_node *node = k2e_take(map, key);
    const char *text, *why = NULL;
    k2e_quantity q;
    uint64_t bytes = 0;
    if (is_absent(node))
        return 0;
    if (!read_scalar(r, node, READ_TEXT, &text, NULL)) {
        fail(r);
        return 0;
    }
    if (!k2e_quantity_parse(text, &q, &why) || k2e_quantity_is_negative(&q) ||
        !k2e_quantity_ceil_scaled(&q, 1, 1, &bytes)) {
        k2e_diag_at(r->diags, K2E_E_QUANTITY, node, r->root,
                    "write sizes like 500Mi, 1Gi or 10G",
                    "invalid quantity '%s': %s", text, why ? why : "out of range");
        fail(r);
        return 0;
    }
    return bytes;
}

/* An ephemeral-storage limit or an emptyDir sizeLimit is a cap the kubelet
 * enforces by evicting the pod (Kubernetes docs, "Resource Management for
 * Pods and Containers", local ephemeral storage); Fargate enforces neither:
 * the task's ephemeralStorage only sizes the disk all containers share.
 * Reported at any size, so the user knows the cap is gone. */
static uint64_t take_cap(report_ctx *r, k2e_node *map, const char *key, bool volume)
{
    k2e_node *node = k2e_get(map, key);
    size_t errors = k2e_diags_count(r->diags, K2E_SEV_ERROR);
    uint64_t bytes = take_bytes(r, map, key);
    if (is_absent(node) || k2e_diags_count(r->diags, K2E_SEV_ERROR) != errors ||
        !k2e_is_scalar(node))
        return bytes;
    k2e_diag_at(r->diags, K2E_W_STORAGE_LIMIT, node, r->root,
                "watch the task's disk use (Container Insights EphemeralStorageUtilized) or "
                "bound what the application writes; the task's ephemeralStorage only sizes "
                "the disk",
                volume ? "emptyDir sizeLimit %s: Kubernetes evicts the pod when the volume "
                         "holds more; on Fargate the volume is a directory on the task's "
                         "ephemeral storage with no size cap"
                       : "ephemeral-storage limit %s: Kubernetes evicts the pod when the "
                         "container writes more (its writable layer and logs); Fargate "
                         "does not enforce it: the container can fill the task's shared "
                         "ephemeral storage", node->value);
    return bytes;
}

static uint64_t container_bytes(report_ctx *r, k2e_node *container)
{
    k2e_node *resources = k2e_get(container, "resources");
    uint64_t request = take_bytes(r, k2e_get(resources, "requests"), "ephemeral-storage");
    uint64_t limit = take_cap(r, k2e_get(resources, "limits"), "ephemeral-storage", false);
    return max_u64(request, limit);
}

static bool is_sidecar(const k2e_node *container)
{
    const k2e_node *policy = k2e_get(container, "restartPolicy");
    return k2e_is_scalar(policy) && strcmp(policy->value, "Always") == 0;
}

static k2e_node *sequence(const k2e_node *map, const char *key)
{
    k2e_node *node = k2e_get(map, key);
    return node && node->kind == K2E_NODE_SEQUENCE ? node : NULL;
}

/* What Kubernetes schedules: max(init phase peak, app containers + sidecars). */
static uint64_t containers_bytes(report_ctx *r, const k2e_node *pod_spec)
{
    k2e_node *apps = sequence(pod_spec, "containers");
    k2e_node *inits = sequence(pod_spec, "initContainers");
    uint64_t app = 0, sidecars = 0, init_peak = 0;
    for (size_t i = 0; apps && i < apps->count; i++)
        app = add_sat(app, container_bytes(r, apps->items[i]));
    for (size_t i = 0; inits && i < inits->count; i++) {
        uint64_t need = container_bytes(r, inits->items[i]);
        if (is_sidecar(inits->items[i])) {
            sidecars = add_sat(sidecars, need);
            init_peak = max_u64(init_peak, sidecars);
        } else {
            init_peak = max_u64(init_peak, add_sat(need, sidecars));
        }
    }
    return max_u64(init_peak, add_sat(app, sidecars));
}

/* Sum of the sizeLimits of emptyDirs: on Fargate memory-backed ones are on
 * the same disk (k2e_volumes_build); huge pages are rejected there. */
static uint64_t empty_dir_bytes(report_ctx *r, const k2e_node *pod_spec)
{
    k2e_node *volumes = sequence(pod_spec, "volumes");
    uint64_t sum = 0;
    for (size_t i = 0; volumes && i < volumes->count; i++) {
        k2e_node *dir = k2e_get(volumes->items[i], "emptyDir");
        const k2e_node *medium = k2e_get(dir, "medium");
        bool disk = is_absent(medium) || (k2e_is_scalar(medium) && medium->value[0] == '\0');
        /* A Memory emptyDir is a disk volume on Fargate (K2E-W140 says so):
         * it takes task storage, and its sizeLimit was never a disk cap. */
        bool memory = k2e_is_scalar(medium) && strcmp(medium->value, "Memory") == 0;
        uint64_t bytes = disk ? take_cap(r, dir, "sizeLimit", true)
                              : take_bytes(r, dir, "sizeLimit");
        if (disk || memory)
            sum = add_sat(sum, bytes);
    }
    return sum;
}

bool k2e_ephemeral_storage_build(k2e_node *pod_spec, const k2e_node *root, json_t **result,
                                 k2e_diags *diags)
{
    bool read_ok = true;
    report_ctx r = {root, diags, &read_ok};
    *result = NULL;
    uint64_t containers = containers_bytes(&r, pod_spec);
    uint64_t dirs = empty_dir_bytes(&r, pod_spec);
    if (!read_ok)
        return false;
    uint64_t need = gib_ceil(add_sat(containers, dirs));
    if (need <= K2E_FARGATE_EPHEMERAL_DEFAULT_GIB)
        return true;
    if (need > K2E_FARGATE_EPHEMERAL_MAX_GIB) {
        k2e_diag_at(diags, K2E_E_EPHEMERAL_TOO_LARGE, pod_spec, root,
                    "lower the ephemeral-storage requests/limits and emptyDir sizeLimits, "
                    "or keep large data on EFS (a persistentVolumeClaim with a `volumes` "
                    "mapping entry)",
                    "the pod needs %llu GiB of ephemeral storage (containers %llu GiB, "
                    "emptyDir sizeLimits %llu GiB); Fargate tasks get at most %d GiB",
                    (unsigned long long)need, (unsigned long long)gib_ceil(containers),
                    (unsigned long long)gib_ceil(dirs), K2E_FARGATE_EPHEMERAL_MAX_GIB);
        return false;
    }
    if (need < K2E_FARGATE_EPHEMERAL_MIN_GIB)
        need = K2E_FARGATE_EPHEMERAL_MIN_GIB;
    *result = json_pack("{s:I}", "sizeInGiB", (json_int_t)need);
    return true;
}
