/* k2e_read_driver MANIFESTS MAPPING: the read stage alone, for the growth
 * tests (growth.sh ... read): reads every file, indexes the objects, loads
 * the mapping table, then uses every lookup the later stages rely on, once
 * per thing looked up:
 *   - k2e_get of every key of every mapping (must return that key's value);
 *   - k2e_index_find of every object and k2e_index_kind of its kind and
 *     namespace (must contain it);
 *   - a label index over every object's metadata.labels, and the candidates
 *     of every spec.selector;
 *   - k2e_mapping_secret of every Secret;
 *   - the "not converted" walk over every object.
 * So the read stage's instruction count can be compared at two sizes apart
 * from the mapping stages.  Exit status 0, or 3 when a lookup is wrong.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube2ecs/convert.h"
#include "read/index.h"
#include "read/inputs.h"
#include "read/labels.h"
#include "read/mapping_table.h"
#include "read/yaml_tree.h"

static bool check_lookups(const k2e_node *node)
{
    if (node->kind == K2E_NODE_SCALAR)
        return true;
    for (size_t i = 0; i < node->count; i++) {
        /* (a key holding a NUL cannot be named by a C string) */
        bool nameable = node->kind == K2E_NODE_MAPPING &&
                        strlen(node->keys[i]->value) == node->keys[i]->length;
        if (nameable && k2e_get(node, node->keys[i]->value) != node->items[i])
            return false;
        if (node->items[i]->parent == node && !check_lookups(node->items[i]))
            return false;
    }
    return true;
}

static bool check_object(const k2e_index *index, const k2e_object *o)
{
    if (k2e_index_find(index, o->group, o->kind, o->namespace_, o->name) == NULL)
        return false;
    size_t n;
    const k2e_object *run = k2e_index_kind(index, o->kind, o->namespace_, &n);
    return run && o >= run && o < run + n && check_lookups(o->root);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: k2e_read_driver MANIFESTS MAPPING\n");
        return 2;
    }
    k2e_diags diags;
    k2e_diags_init(&diags);
    char **paths;
    size_t count;
    const char *inputs[] = {argv[1]};
    k2e_collect_inputs(inputs, 1, &paths, &count, &diags);
    k2e_file *files = calloc(count ? count : 1, sizeof *files);
    k2e_index index;
    k2e_index_init(&index, "default");
    k2e_limits limits = k2e_limits_default();
    for (size_t i = 0; files && i < count; i++) {
        k2e_read_path(paths[i], &limits, &files[i], &diags);
        k2e_index_add_file(&index, &files[i], &diags);
    }
    k2e_index_finish(&index, &diags);
    k2e_mapping mapping;
    k2e_mapping_load(&mapping, argv[2], &diags);
    k2e_label_index labels;
    k2e_label_index_init(&labels);
    bool ok = files != NULL;
    for (size_t i = 0; ok && i < index.count; i++) {
        const k2e_object *o = &index.items[i];
        ok = check_object(&index, o);
        k2e_label_index_add(&labels, o->namespace_,
                            k2e_get(k2e_get(o->root, "metadata"), "labels"), i);
        if (strcmp(o->kind, "Secret") == 0)
            k2e_mapping_secret(&mapping, o->name, o->namespace_, "default");
    }
    size_t candidates = 0;
    for (size_t i = 0; ok && i < index.count; i++) {
        const k2e_object *o = &index.items[i];
        size_t n;
        k2e_label_index_candidates(&labels, o->namespace_,
                                   k2e_get(k2e_get(o->root, "spec"), "selector"), &n);
        candidates += n;
        k2e_report_unconsumed(o->root, &diags, NULL, NULL);
    }
    printf("%zu files, %zu objects, %zu diagnostics, %zu selector candidates\n", count,
           index.count, diags.count, candidates);
    k2e_label_index_release(&labels);
    k2e_mapping_release(&mapping);
    k2e_index_release(&index);
    for (size_t i = 0; i < count; i++) {
        if (files)
            k2e_file_free(&files[i]);
        free(paths[i]);
    }
    free(files);
    free(paths);
    k2e_diags_release(&diags);
    return ok ? 0 : 3;
}
