/* Canonical JSON text and the in-memory output set; see emit.h. */
#include "emit/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

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
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(value);
    if (!text)
        return NULL;
    size_t n = strlen(text);
    char *with_newline = realloc(text, n + 2);
    if (!with_newline) {
        free(text);
        return NULL;
    }
    with_newline[n] = '\n';
    with_newline[n + 1] = '\0';
    return with_newline;
}
