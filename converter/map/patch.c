/* The mapping table's escape hatch: RFC 6901 JSON-pointer patches applied to
 * a generated task definition.
 *
 * A patch sets (or replaces) the value at its path; missing intermediate
 * objects are created, array indexes must exist ("-" appends).  A path that
 * cannot be followed is an error at the patch's line in the mapping file, so
 * a typo never silently does nothing.
 */
#include "map/patch.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* The next reference token of `path` (after a '/'), unescaped (~1 -> /,
 * ~0 -> ~).  Caller frees. */
static char *next_token(const char **path)
{
    const char *start = *path + 1;
    const char *end = strchr(start, '/');
    size_t n = end ? (size_t)(end - start) : strlen(start);
    char *token = k2e_malloc(n + 1);
    if (!token)
        return NULL;
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        if (start[i] == '~' && i + 1 < n && (start[i + 1] == '0' || start[i + 1] == '1')) {
            token[j++] = start[i + 1] == '0' ? '~' : '/';
            i++;
        } else {
            token[j++] = start[i];
        }
    }
    token[j] = '\0';
    *path = start + n;
    return token;
}

static bool array_index(const char *token, size_t size, bool append_ok, size_t *out)
{
    if (append_ok && strcmp(token, "-") == 0) {
        *out = size;
        return true;
    }
    if (!*token || strspn(token, "0123456789") != strlen(token) ||
        (token[0] == '0' && token[1]))
        return false;
    *out = (size_t)strtoull(token, NULL, 10);
    return *out < size || (append_ok && *out == size);
}

static bool set_at(json_t *parent, const char *token, json_t *value)
{
    if (json_is_object(parent))
        return json_object_set(parent, token, value) == 0;
    size_t index;
    if (!json_is_array(parent) || !array_index(token, json_array_size(parent), true, &index))
        return false;
    if (index == json_array_size(parent))
        return json_array_append(parent, value) == 0;
    return json_array_set(parent, index, value) == 0;
}

static json_t *step(json_t *parent, const char *token)
{
    if (json_is_object(parent)) {
        json_t *child = json_object_get(parent, token);
        if (!child) {
            child = json_object();
            json_object_set_new(parent, token, child);
        }
        return child;
    }
    size_t index;
    if (json_is_array(parent) && array_index(token, json_array_size(parent), false, &index))
        return json_array_get(parent, index);
    return NULL;
}

bool k2e_json_pointer_set(json_t *document, const char *path, json_t *value)
{
    if (path[0] != '/')
        return false;
    json_t *node = document;
    while (node) {
        char *token = next_token(&path);
        if (!token)
            return false;
        bool last = *path == '\0';
        bool ok = true;
        if (last)
            ok = set_at(node, token, value);
        else
            node = step(node, token);
        free(token);
        if (last)
            return ok;
    }
    return false;
}

static bool matches(const k2e_patch *patch, const k2e_object *object)
{
    return (!patch->kind || strcmp(patch->kind, object->kind) == 0) &&
           (!patch->namespace_ || strcmp(patch->namespace_, object->namespace_) == 0) &&
           (!patch->name || strcmp(patch->name, object->name) == 0);
}

bool k2e_apply_patches(const k2e_mapping *mapping, const k2e_object *object, json_t *td,
                       k2e_diags *diags)
{
    bool ok = true;
    for (size_t i = 0; i < mapping->patch_count; i++) {
        const k2e_patch *patch = &mapping->patches[i];
        if (!matches(patch, object) || k2e_json_pointer_set(td, patch->path, patch->value))
            continue;
        const k2e_node *at = patch->origin;
        k2e_diag_add(diags, K2E_E_PATCH, (k2e_where){at->file, at->line, at->column, "patches"},
                     "the path must name an existing array element or an object member of "
                     "the generated task definition (see the output without the patch)",
                     "patch path %s cannot be applied to %s %s", patch->path, object->kind,
                     object->name);
        ok = false;
    }
    return ok;
}
