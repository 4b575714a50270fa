/* The map stage's shared services; see map_context.h.
 *
 * Output file names.  A task family may be 255 characters (ECS's limit) and
 * a Kubernetes name 253, so "<name>.json" can exceed the file system's
 * NAME_MAX (255 bytes on Linux).  Such a name keeps its first characters and
 * gets "-" + 8 hex digits of a hash of the whole name before the extension:
 * stable across runs and input order, and different names stay different.
 */
#include "map/map_context.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* Linux's NAME_MAX; POSIX guarantees only 14, every file system a
 * migration writes to (ext4, xfs, apfs, tmpfs) allows 255. */
#define FILE_NAME_MAX 255

const k2e_object *k2e_map_reference(k2e_map_ctx *ctx, const char *group, const char *kind,
                                    const char *namespace_, const char *name)
{
    const k2e_object *object = k2e_index_find(ctx->index, group, kind, namespace_, name);
    if (object)
        ctx->referenced[object - ctx->index->items] = true;
    return object;
}

void k2e_map_use(k2e_map_ctx *ctx, k2e_placeholder_key key)
{
    ctx->placeholder_used[key] = true;
}

static json_t *string_array(const k2e_string_list *list)
{
    json_t *array = json_array();
    for (size_t i = 0; i < list->count; i++)
        json_array_append_new(array, json_string(list->items[i]));
    return array;
}

json_t *k2e_map_network_configuration(k2e_map_ctx *ctx, k2e_spelling spelling)
{
    static const char *const keys[2][4] = {
        {"awsvpcConfiguration", "subnets", "securityGroups", "assignPublicIp"},
        {"aws_vpc_configuration", "subnets", "security_groups", "assign_public_ip"},
    };
    const char *const *key = keys[spelling];
    const k2e_mapping *m = ctx->mapping;
    json_t *vpc = json_object();
    k2e_map_use(ctx, K2E_KEY_SUBNETS);
    json_object_set_new(vpc, key[1], string_array(&m->subnets));
    if (m->security_groups.count > 0) {
        k2e_map_use(ctx, K2E_KEY_SECURITY_GROUPS);
        json_object_set_new(vpc, key[2], string_array(&m->security_groups));
    }
    if (m->assign_public_ip.value)
        json_object_set_new(vpc, key[3], json_string(m->assign_public_ip.value));
    return json_pack("{s:o}", key[0], vpc);
}

static uint32_t fnv1a(const char *text)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        h = (h ^ *p) * 16777619u;
    return h;
}

/* "dir/<long name>.json" -> "dir/<first bytes>-<hash>.json", cut on a
 * UTF-8 character boundary.  NULL when the name fits (or memory runs out). */
static char *shortened(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (strlen(name) <= FILE_NAME_MAX)
        return NULL;
    const char *dot = strrchr(name, '.');
    size_t ext = dot ? strlen(dot) : 0;
    size_t keep = FILE_NAME_MAX - ext - 9;
    while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
        keep--;
    return k2e_asprintf("%.*s%.*s-%08x%s", (int)(name - path), path, (int)keep, name,
                        fnv1a(name), dot ? dot : "");
}

k2e_doc *k2e_map_output(k2e_map_ctx *ctx, k2e_doc_kind kind, const k2e_object *source,
                        json_t *value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *path = k2e_vasprintf(fmt, ap);
    va_end(ap);
    char *short_path = path ? shortened(path) : NULL;
    if (short_path && source)
        k2e_diag_at(ctx->diags, K2E_W_OUTPUT_NAME, source->root, source->root,
                    "choose shorter names (family template, rule names) if the files must "
                    "carry the whole name",
                    "output file name of %s %s is longer than %d bytes: written as %s",
                    source->kind, source->name, FILE_NAME_MAX, short_path);
    k2e_doc *doc = path ? k2e_model_add(ctx->model, short_path ? short_path : path, value,
                                        kind, source)
                        : NULL;
    if (!path)
        json_decref(value);
    free(short_path);
    free(path);
    return doc;
}
