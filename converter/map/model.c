/* The output model; see model.h. */
#include "map/model.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void k2e_model_init(k2e_model *model)
{
    memset(model, 0, sizeof *model);
}

void k2e_model_release(k2e_model *model)
{
    for (size_t i = 0; i < model->count; i++) {
        free(model->items[i].path);
        json_decref(model->items[i].value);
    }
    free(model->items);
    k2e_model_init(model);
}

k2e_doc *k2e_model_add(k2e_model *model, const char *path, json_t *value, k2e_doc_kind kind,
                       const k2e_object *source)
{
    char *copy = value ? k2e_strdup(path) : NULL;
    if (!copy || !k2e_grow((void **)&model->items, &model->capacity, model->count + 1,
                           sizeof *model->items)) {
        free(copy);
        json_decref(value);
        return NULL;
    }
    k2e_doc *doc = &model->items[model->count++];
    *doc = (k2e_doc){copy, value, kind, source};
    return doc;
}

void k2e_model_remove_if(k2e_model *model, bool (*drop)(const k2e_doc *doc, void *context),
                         void *context)
{
    size_t kept = 0;
    for (size_t i = 0; i < model->count; i++) {
        k2e_doc *doc = &model->items[i];
        if (drop(doc, context)) {
            free(doc->path);
            json_decref(doc->value);
            continue;
        }
        model->items[kept++] = *doc;
    }
    model->count = kept;
}

static int by_path(const void *pa, const void *pb)
{
    const k2e_doc *a = pa, *b = pb;
    int c = strcmp(a->path, b->path);
    if (c == 0) /* sources are index items, in canonical order */
        c = (a->source > b->source) - (a->source < b->source);
    return c;
}

void k2e_model_sort(k2e_model *model)
{
    if (model->count > 1)
        qsort(model->items, model->count, sizeof *model->items, by_path);
}
