/* The mapping table's escape hatch: RFC 6901 JSON-pointer patches applied to
 * a generated task definition.
 *
 * A patch sets (or replaces) the value at its path; missing intermediate
 * objects are created, array indexes must exist ("-" appends).  A path that
 * cannot be followed is an error at the patch's line in the mapping file, so
 * a typo never silently does nothing.
 *
 * Types are checked before anything is set, against the ECS API model's
 * RegisterTaskDefinition shapes (ecs_shapes.inc, generated from the model by
 * tests/tools/gen_ecs_shapes.py): a patch whose path is not a member of a
 * task definition, or whose value (or any value inside it) has another JSON
 * type than the model gives the field (`cpu` must be a string: "1024"), is
 * an error and is not applied.  So a patched task definition is always of
 * the shape the AWS CLI accepts, and nothing downstream meets a surprise.
 */
#include "map/patch.h"

#include <stdio.h>
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

/* --- Types from the ECS API model ------------------------------------------ */

typedef enum {
    K2E_SHAPE_STRING,
    K2E_SHAPE_INTEGER,
    K2E_SHAPE_NUMBER,
    K2E_SHAPE_BOOLEAN,
    K2E_SHAPE_LIST,
    K2E_SHAPE_MAP,
    K2E_SHAPE_STRUCTURE,
} shape_type;

typedef struct {
    const char *pattern;  /* e.g. "/containerDefinitions/<star>/cpu" */
    shape_type type;
} shape_row;

static const shape_row shapes[] = {
#include "map/ecs_shapes.inc"
};

static const char *const type_names[] = {
    [K2E_SHAPE_STRING] = "a string", [K2E_SHAPE_INTEGER] = "an integer",
    [K2E_SHAPE_NUMBER] = "a number", [K2E_SHAPE_BOOLEAN] = "true or false",
    [K2E_SHAPE_LIST] = "a list", [K2E_SHAPE_MAP] = "a mapping of strings",
    [K2E_SHAPE_STRUCTURE] = "an object",
};

static int by_pattern(const void *key, const void *row)
{
    return strcmp(key, ((const shape_row *)row)->pattern);
}

/* The type of a pattern; false when the model has no such member.  The
 * empty pattern is the task definition itself. */
static bool shape_of(const char *pattern, shape_type *type)
{
    if (!*pattern) {
        *type = K2E_SHAPE_STRUCTURE;
        return true;
    }
    const shape_row *row = bsearch(pattern, shapes, sizeof shapes / sizeof shapes[0],
                                   sizeof shapes[0], by_pattern);
    if (row)
        *type = row->type;
    return row != NULL;
}

static bool is_map(const char *pattern)
{
    shape_type type;
    return shape_of(pattern, &type) && type == K2E_SHAPE_MAP;
}

static bool type_fits(shape_type type, const json_t *value)
{
    switch (type) {
    case K2E_SHAPE_STRING: return json_is_string(value);
    case K2E_SHAPE_INTEGER: return json_is_integer(value);
    case K2E_SHAPE_NUMBER: return json_is_number(value);
    case K2E_SHAPE_BOOLEAN: return json_is_boolean(value);
    case K2E_SHAPE_LIST: return json_is_array(value);
    default: return json_is_object(value);
    }
}

typedef struct {
    char where[512];          /* the pattern that failed */
    const char *problem;      /* static text, for a path the model lacks */
    const json_t *bad_value;  /* a value of the wrong type, and the type wanted */
    shape_type wanted;
} type_error;

static bool check_value(k2e_buf *pattern, const json_t *value, type_error *err);

/* The members, items or values inside `value` (already of `type`). */
static bool check_children(k2e_buf *pattern, shape_type type, const json_t *value,
                           type_error *err)
{
    size_t length = pattern->length, i;
    const char *key;
    json_t *child;
    bool ok = true;
    if (type == K2E_SHAPE_LIST) {
        json_array_foreach(value, i, child) {
            k2e_buf_puts(pattern, "/*");
            ok = ok && check_value(pattern, child, err);
            pattern->length = length;
        }
    } else if (type == K2E_SHAPE_MAP || type == K2E_SHAPE_STRUCTURE) {
        json_object_foreach((json_t *)value, key, child) {
            k2e_buf_puts(pattern, "/");
            k2e_buf_puts(pattern, type == K2E_SHAPE_MAP ? "*" : key);
            ok = ok && check_value(pattern, child, err);
            pattern->length = length;
        }
    }
    return ok;
}

static bool check_value(k2e_buf *pattern, const json_t *value, type_error *err)
{
    shape_type type;
    const char *at = pattern->data ? pattern->data : "";
    snprintf(err->where, sizeof err->where, "%s", at);
    if (pattern->failed)
        return false;
    if (!shape_of(at, &type)) {
        err->problem = "is not a member of a task definition in the ECS API model";
        return false;
    }
    if (!type_fits(type, value)) {
        err->bad_value = value;
        err->wanted = type;
        return false;
    }
    return check_children(pattern, type, value, err);
}

/* The pattern of a patch path: list indexes and map keys become "*". */
static bool pattern_of(const char *path, k2e_buf *pattern, type_error *err)
{
    shape_type parent = K2E_SHAPE_STRUCTURE;
    while (*path == '/') {
        char *token = next_token(&path);
        if (!token)
            return false;
        bool any = parent == K2E_SHAPE_LIST || parent == K2E_SHAPE_MAP;
        k2e_buf_puts(pattern, "/");
        k2e_buf_puts(pattern, any ? "*" : token);
        free(token);
        const char *at = pattern->data ? pattern->data : "";
        if (pattern->failed || !shape_of(at, &parent)) {
            snprintf(err->where, sizeof err->where, "%s", at);
            err->problem = "is not a member of a task definition in the ECS API model";
            return false;
        }
    }
    return true;
}

static bool type_check(const k2e_patch *patch, type_error *err)
{
    k2e_buf pattern;
    k2e_buf_init(&pattern);
    bool ok = pattern_of(patch->path, &pattern, err) && check_value(&pattern, patch->value, err);
    k2e_buf_release(&pattern);
    return ok;
}

static const char *json_type_name(const json_t *value)
{
    switch (json_typeof(value)) {
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_ARRAY: return "a list";
    case JSON_OBJECT: return "an object";
    default: return "null";
    }
}

static void report_type(const k2e_patch *patch, const k2e_object *object,
                        const type_error *err, k2e_diags *diags)
{
    const k2e_node *at = patch->origin;
    k2e_where where = {at->file, at->line, at->column, "patches"};
    const char *hint = "write the value as the ECS API reference types the field (task-level "
                       "cpu and memory are strings, container cpu and memory integers); the "
                       "patch is not applied";
    const char *field = *err->where ? err->where : "/";
    if (err->bad_value)
        k2e_diag_add(diags, K2E_E_PATCH, where, hint,
                     "patch %s for %s %s: %s must be %s in the ECS API model, not %s",
                     patch->path, object->kind, object->name, field, type_names[err->wanted],
                     json_type_name(err->bad_value));
    else
        k2e_diag_add(diags, K2E_E_PATCH, where, hint, "patch %s for %s %s: %s %s", patch->path,
                     object->kind, object->name, field,
                     err->problem ? err->problem : "cannot be checked (out of memory)");
}

/* --- Setting the value -------------------------------------------------------- */

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

/* The child `token` of `parent`; a missing member is created empty, as a
 * list when the model says the member is one (so "/add/-" appends to a new
 * list), else as an object. */
static json_t *step(json_t *parent, const char *token, const char *child_pattern)
{
    if (json_is_object(parent)) {
        json_t *child = json_object_get(parent, token);
        shape_type type = K2E_SHAPE_STRUCTURE;
        if (!child) {
            shape_of(child_pattern, &type);
            child = type == K2E_SHAPE_LIST ? json_array() : json_object();
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
    k2e_buf pattern;
    k2e_buf_init(&pattern);
    bool ok = false;
    while (node) {
        /* list indexes and map keys are "*" in the model's patterns */
        bool any = json_is_array(node) || (pattern.data && is_map(pattern.data));
        char *token = next_token(&path);
        if (!token)
            break;
        k2e_buf_puts(&pattern, "/");
        k2e_buf_puts(&pattern, any ? "*" : token);
        bool last = *path == '\0';
        if (last)
            ok = set_at(node, token, value);
        else
            node = pattern.failed ? NULL : step(node, token, pattern.data);
        free(token);
        if (last)
            break;
    }
    k2e_buf_release(&pattern);
    return ok;
}


static bool matches(const k2e_patch *patch, const k2e_object *object)
{
    return (!patch->kind || strcmp(patch->kind, object->kind) == 0) &&
           (!patch->namespace_ || strcmp(patch->namespace_, object->namespace_) == 0) &&
           (!patch->name || strcmp(patch->name, object->name) == 0);
}

const k2e_patch *k2e_patch_matching(const k2e_mapping *mapping, const k2e_object *object)
{
    for (size_t i = 0; i < mapping->patch_count; i++) {
        if (matches(&mapping->patches[i], object))
            return &mapping->patches[i];
    }
    return NULL;
}

bool k2e_apply_patches(const k2e_mapping *mapping, const k2e_object *object, json_t *td,
                       k2e_diags *diags)
{
    bool ok = true;
    for (size_t i = 0; i < mapping->patch_count; i++) {
        const k2e_patch *patch = &mapping->patches[i];
        type_error err = {.problem = NULL, .bad_value = NULL};
        if (!matches(patch, object))
            continue;
        if (!type_check(patch, &err)) {
            report_type(patch, object, &err, diags);
            ok = false;
            continue;
        }
        if (k2e_json_pointer_set(td, patch->path, patch->value))
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
