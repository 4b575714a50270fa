/* Structural comparison; see compare.h. */
#include "diff/compare.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "diff/render.h"

static void add(k2e_changes *out, const char *path, const json_t *expected,
                const json_t *actual)
{
    char *copy = k2e_strdup(path);
    if (!copy ||
        !k2e_grow((void **)&out->items, &out->capacity, out->count + 1, sizeof *out->items)) {
        free(copy);
        out->failed = true;
        return;
    }
    out->items[out->count++] = (k2e_change){copy, json_incref((json_t *)expected),
                                            json_incref((json_t *)actual)};
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* Keys of both objects, sorted, each once. */
static const char **key_union(const json_t *a, const json_t *b, size_t *count)
{
    size_t n = json_object_size(a) + json_object_size(b);
    const char **keys = k2e_calloc(n ? n : 1, sizeof *keys);
    if (!keys)
        return NULL;
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)a, key, value)
        keys[(*count)++] = key;
    json_object_foreach((json_t *)b, key, value) {
        if (!json_object_get(a, key))
            keys[(*count)++] = key;
    }
    qsort(keys, *count, sizeof *keys, by_key);
    return keys;
}

static void compare_objects(const json_t *a, const json_t *b, const char *path,
                            k2e_changes *out)
{
    size_t count = 0;
    const char **keys = key_union(a, b, &count);
    if (!keys) {
        out->failed = true;
        return;
    }
    for (size_t i = 0; i < count; i++) {
        char *child = k2e_path_key(path, keys[i]);
        if (!child) {
            out->failed = true;
            break;
        }
        k2e_compare(json_object_get(a, keys[i]), json_object_get(b, keys[i]), child, out);
        free(child);
    }
    free(keys);
}

static json_t *find_item(const json_t *list, const char *member, const char *id)
{
    size_t i;
    json_t *item;
    json_array_foreach((json_t *)list, i, item) {
        const char *mine = json_string_value(json_object_get(item, member));
        if (mine && strcmp(mine, id) == 0)
            return item;
    }
    return NULL;
}

static void compare_by_identity(const json_t *a, const json_t *b, const char *member,
                                const char *path, k2e_changes *out)
{
    for (int side = 0; side < 2; side++) {
        const json_t *list = side ? b : a, *other = side ? a : b;
        size_t i;
        json_t *item;
        json_array_foreach((json_t *)list, i, item) {
            const char *id = json_string_value(json_object_get(item, member));
            json_t *match = find_item(other, member, id);
            if (side && match)
                continue; /* compared from the expected side */
            char *child = k2e_asprintf("%s[%s=%s]", path, member, id);
            if (!child) {
                out->failed = true;
                return;
            }
            if (side)
                k2e_compare(NULL, item, child, out);
            else
                k2e_compare(item, match, child, out);
            free(child);
        }
    }
}

static void compare_lists(const json_t *a, const json_t *b, const char *path,
                          k2e_changes *out)
{
    const char *ida = k2e_list_identity(a), *idb = k2e_list_identity(b);
    if (ida && (json_array_size(b) == 0 || (idb && strcmp(ida, idb) == 0))) {
        compare_by_identity(a, b, ida, path, out);
        return;
    }
    if (json_array_size(a) != json_array_size(b)) {
        add(out, path, a, b); /* scalar lists that grew or shrank: as a whole */
        return;
    }
    for (size_t i = 0; i < json_array_size(a); i++) {
        char *child = k2e_asprintf("%s[%zu]", path, i);
        if (!child) {
            out->failed = true;
            return;
        }
        k2e_compare(json_array_get(a, i), json_array_get(b, i), child, out);
        free(child);
    }
}

void k2e_compare(const json_t *expected, const json_t *actual, const char *path,
                 k2e_changes *out)
{
    if (out->failed || json_equal((json_t *)expected, (json_t *)actual))
        return;
    if (json_is_object(expected) && json_is_object(actual)) {
        compare_objects(expected, actual, path, out);
        return;
    }
    if (json_is_array(expected) && json_is_array(actual)) {
        compare_lists(expected, actual, path, out);
        return;
    }
    add(out, path, expected, actual);
}

void k2e_changes_release(k2e_changes *changes)
{
    for (size_t i = 0; i < changes->count; i++) {
        free(changes->items[i].path);
        json_decref(changes->items[i].expected);
        json_decref(changes->items[i].actual);
    }
    free(changes->items);
    memset(changes, 0, sizeof *changes);
}
