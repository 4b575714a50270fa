/* kube2ecs diff; see include/kube2ecs/diff.h.
 *
 * The converted side comes from the pipeline as values (the output model,
 * before emit: no text is made and parsed back); the directory's side is
 * parsed once per file.  Files are paired by relative path, both sides
 * normalised by the kind their path names (normalise.c), compared with
 * json_equal, and only a pair that differs is rendered (render.c) and
 * broken down into changed values (compare.c), so the cost of an unchanged
 * tree is reading plus normalising. */
#include "kube2ecs/diff.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/util.h"
#include "convert/convert_model.h"
#include "diff/compare.h"
#include "diff/normalise.h"
#include "diff/render.h"
#include "map/model.h"
#include "read/yaml_tree.h"
#include "report/diags.h"

/* --- Kinds by path ------------------------------------------------------- */

typedef struct {
    const char *prefix;   /* directory (with '/') or whole file name */
    const char *suffix;   /* "" : any */
    k2e_norm_kind kind;
} path_rule;

/* Where convert writes what; a file under one of these prefixes that the
 * conversion does not produce is "extra". */
static const path_rule path_rules[] = {
    {"task-definitions/", ".json", K2E_NORM_TASK_DEFINITION},
    {"services/", ".json", K2E_NORM_SERVICE},
    {"autoscaling/", ".json", K2E_NORM_AUTOSCALING},
    {"target-groups/", ".json", K2E_NORM_TARGET_GROUP},
    {"run-tasks/", ".json", K2E_NORM_RUN_TASK},
    {"ecschedule.yaml", "", K2E_NORM_ECSCHEDULE},
    {"ecspresso/", "/ecs-task-def.json", K2E_NORM_TASK_DEFINITION},
    {"ecspresso/", "/ecs-service-def.json", K2E_NORM_ECSPRESSO_SERVICE},
    {"ecspresso/", "/ecspresso.yml", K2E_NORM_YAML_FLAT},
    {"ecs-deploy/", ".json", K2E_NORM_TASK_DEFINITION},
};

static const path_rule *rule_for(const char *path)
{
    for (size_t i = 0; i < sizeof path_rules / sizeof path_rules[0]; i++) {
        const path_rule *r = &path_rules[i];
        bool dir = k2e_str_has_suffix(r->prefix, "/");
        if (dir ? k2e_str_has_prefix(path, r->prefix) && k2e_str_has_suffix(path, r->suffix)
                : strcmp(path, r->prefix) == 0)
            return r;
    }
    return NULL;
}

static k2e_norm_kind kind_for(const char *path)
{
    const path_rule *r = rule_for(path);
    return r ? r->kind : K2E_NORM_PLAIN;
}

/* --- Result -------------------------------------------------------------- */

void k2e_diff_result_init(k2e_diff_result *r)
{
    memset(r, 0, sizeof *r);
    k2e_convert_result_init(&r->convert);
}

static void file_release(k2e_diff_file *f)
{
    free(f->file);
    free(f->unified);
    for (size_t i = 0; i < f->change_count; i++) {
        free(f->changes[i].path);
        free(f->changes[i].expected);
        free(f->changes[i].actual);
    }
    free(f->changes);
}

void k2e_diff_result_release(k2e_diff_result *r)
{
    for (size_t i = 0; i < r->count; i++)
        file_release(&r->files[i]);
    free(r->files);
    k2e_convert_result_release(&r->convert);
    memset(r, 0, sizeof *r);
}

static char *json_text(const json_t *value)
{
    if (!value)
        return NULL;
    return json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS |
                                 JSON_REAL_PRECISION(15));
}

/* Adds a file record; takes `unified`.  False when out of memory. */
static bool add_file(k2e_diff_result *r, const char *file, k2e_diff_state state,
                     char *unified, const k2e_changes *changes)
{
    k2e_diff_file f = {.file = k2e_strdup(file), .state = state, .unified = unified};
    f.changes = k2e_calloc(changes->count ? changes->count : 1, sizeof *f.changes);
    bool ok = f.file && f.changes;
    for (size_t i = 0; ok && i < changes->count; i++) {
        const k2e_change *c = &changes->items[i];
        k2e_diff_change *d = &f.changes[f.change_count++];
        d->path = k2e_strdup(c->path);
        d->expected = json_text(c->expected);
        d->actual = json_text(c->actual);
        ok = d->path && (!c->expected || d->expected) && (!c->actual || d->actual);
    }
    ok = ok && k2e_grow((void **)&r->files, &r->capacity, r->count + 1, sizeof *r->files);
    if (!ok) {
        file_release(&f);
        return false;
    }
    r->files[r->count++] = f;
    return true;
}

/* --- Reading the directory ----------------------------------------------- */

typedef struct {
    const char *against;
    k2e_diags *diags;
    bool input_error;
} reader;

static void read_error(reader *rd, const char *file, unsigned line, unsigned column,
                       const char *message)
{
    char *where = k2e_asprintf("%s/%s", rd->against, file);
    k2e_diag_add(rd->diags, K2E_E_DIFF_INPUT, (k2e_where){where ? where : file, line, column, ""},
                 "the compared directory holds convert's layout; each file JSON (or YAML for "
                 "ecschedule.yaml and ecspresso.yml) in a shape kube2ecs diff reads",
                 "%s", message);
    free(where);
    rd->input_error = true;
}

/* A YAML node as JSON with every scalar as text (null stays null): the
 * YAML documents are compared as text (normalise.c says why). */
static json_t *node_json(const k2e_node *node)
{
    if (!node || k2e_is_null(node))
        return json_null();
    if (node->kind == K2E_NODE_SCALAR)
        return json_stringn(node->value, node->length);
    json_t *out = node->kind == K2E_NODE_MAPPING ? json_object() : json_array();
    for (size_t i = 0; out && i < node->count; i++) {
        json_t *item = node_json(node->items[i]);
        if (!item) {
            json_decref(out);
            return NULL;
        }
        if (node->kind == K2E_NODE_MAPPING)
            json_object_set_new(out, node->keys[i]->value, item);
        else
            json_array_append_new(out, item);
    }
    return out;
}

static json_t *read_yaml(reader *rd, const char *file, const char *full)
{
    k2e_limits limits = k2e_limits_default();
    k2e_file parsed;
    memset(&parsed, 0, sizeof parsed);
    bool ok = k2e_read_path(full, &limits, &parsed, rd->diags);
    json_t *value = NULL;
    if (!ok)
        rd->input_error = true;
    else if (parsed.count == 0)
        read_error(rd, file, 0, 0, "empty YAML file");
    else if (!(value = node_json(parsed.documents[0].root)))
        read_error(rd, file, 0, 0, "cannot represent the YAML document (not UTF-8?)");
    k2e_file_free(&parsed);
    return value;
}

/* The file's value, or NULL after an error diagnostic (absent files are
 * the caller's to detect first). */
static json_t *read_value(reader *rd, const char *file)
{
    char *full = k2e_asprintf("%s/%s", rd->against, file);
    if (!full)
        return NULL;
    json_t *value;
    if (k2e_str_has_suffix(file, ".yaml") || k2e_str_has_suffix(file, ".yml")) {
        value = read_yaml(rd, file, full);
    } else {
        json_error_t error;
        value = json_load_file(full, 0, &error);
        if (!value)
            read_error(rd, file, (unsigned)(error.line > 0 ? error.line : 0),
                       (unsigned)(error.column > 0 ? error.column : 0), error.text);
    }
    free(full);
    return value;
}

static bool exists(const char *against, const char *file)
{
    char *full = k2e_asprintf("%s/%s", against, file);
    struct stat st;
    bool found = full && stat(full, &st) == 0 && S_ISREG(st.st_mode);
    free(full);
    return found;
}

/* --- Comparing one file -------------------------------------------------- */

/* Normalises `value` (stolen) or reports why it cannot be. */
static json_t *normalised(reader *rd, const char *file, json_t *value, const json_t *expected)
{
    if (!value)
        return NULL;
    const char *error = NULL;
    json_t *norm = k2e_normalise(value, kind_for(file), expected, &error);
    if (!norm && error)
        read_error(rd, file, 0, 0, error);
    return norm;
}

static bool compare_file(k2e_diff_result *r, reader *rd, const char *file,
                         const json_t *converted)
{
    const char *error = NULL;
    json_t *expected = k2e_normalise(json_deep_copy(converted), kind_for(file), NULL, &error);
    if (!expected)
        return false; /* our own document: only memory can fail */
    bool ok = true;
    k2e_changes changes = {0};
    if (!exists(rd->against, file)) {
        k2e_compare(expected, NULL, "", &changes);
        ok = !changes.failed && add_file(r, file, K2E_DIFF_MISSING, NULL, &changes);
    } else {
        json_t *actual = normalised(rd, file, read_value(rd, file), expected);
        r->compared += actual != NULL;
        if (actual && !json_equal(expected, actual)) {
            k2e_lines a = {0}, b = {0};
            ok = k2e_render_lines(expected, &a) && k2e_render_lines(actual, &b);
            char *unified = ok ? k2e_unified_diff(file, &a, &b) : NULL;
            k2e_compare(expected, actual, "", &changes);
            ok = unified && !changes.failed;
            /* add_file owns `unified` once called, and frees it on failure
             * (scan-build found the double free here). */
            if (ok)
                ok = add_file(r, file, K2E_DIFF_CHANGED, unified, &changes);
            else
                free(unified);
            k2e_lines_release(&a);
            k2e_lines_release(&b);
        }
        json_decref(actual);
    }
    k2e_changes_release(&changes);
    json_decref(expected);
    return ok;
}

/* --- Extra files --------------------------------------------------------- */

typedef struct {
    char **items;
    size_t count, capacity;
    bool failed;
} name_list;

static int by_string(const void *pa, const void *pb)
{
    return strcmp(*(char *const *)pa, *(char *const *)pb);
}

/* Every regular file under against/rel (hidden entries skipped). */
static void walk(const char *against, const char *rel, name_list *out)
{
    char *full = k2e_asprintf("%s/%s", against, rel);
    DIR *dir = full ? opendir(full) : NULL;
    if (!dir) {
        if (full && errno == ENOMEM)
            k2e_note_errno(errno);
        free(full);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *child = k2e_asprintf("%s/%s", rel, e->d_name);
        char *child_full = child ? k2e_asprintf("%s/%s", against, child) : NULL;
        struct stat st;
        if (!child_full || stat(child_full, &st) != 0) {
            out->failed = out->failed || !child_full;
        } else if (S_ISDIR(st.st_mode)) {
            walk(against, child, out);
        } else if (S_ISREG(st.st_mode) &&
                   k2e_grow((void **)&out->items, &out->capacity, out->count + 1,
                            sizeof *out->items)) {
            out->items[out->count++] = child;
            child = NULL;
        }
        free(child_full);
        free(child);
    }
    closedir(dir);
    free(full);
}

static bool converted_has(const k2e_model *model, const char *file)
{
    size_t lo = 0, hi = model->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(model->items[mid].path, file);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

static bool report_extras(k2e_diff_result *r, reader *rd, const k2e_model *model)
{
    static const char *const roots[] = {"task-definitions", "services", "autoscaling",
                                        "target-groups", "run-tasks", "ecspresso",
                                        "ecs-deploy", NULL};
    name_list files = {0};
    for (size_t i = 0; roots[i]; i++)
        walk(rd->against, roots[i], &files);
    if (exists(rd->against, "ecschedule.yaml") &&
        k2e_grow((void **)&files.items, &files.capacity, files.count + 1, sizeof *files.items))
        files.items[files.count++] = k2e_strdup("ecschedule.yaml");
    if (files.count > 1)
        qsort(files.items, files.count, sizeof *files.items, by_string);
    bool ok = !files.failed;
    for (size_t i = 0; ok && i < files.count; i++) {
        const char *file = files.items[i];
        if (!file || !rule_for(file) || converted_has(model, file))
            continue;
        json_t *actual = normalised(rd, file, read_value(rd, file), NULL);
        k2e_changes changes = {0};
        if (actual) {
            k2e_compare(NULL, actual, "", &changes);
            ok = !changes.failed && add_file(r, file, K2E_DIFF_EXTRA, NULL, &changes);
        }
        k2e_changes_release(&changes);
        json_decref(actual);
    }
    for (size_t i = 0; i < files.count; i++)
        free(files.items[i]);
    free(files.items);
    return ok;
}

static int by_file(const void *pa, const void *pb)
{
    return strcmp(((const k2e_diff_file *)pa)->file, ((const k2e_diff_file *)pb)->file);
}

/* --- Entry point --------------------------------------------------------- */

static bool against_ok(const char *against, k2e_diags *diags)
{
    struct stat st;
    if (against && stat(against, &st) == 0 && S_ISDIR(st.st_mode))
        return true;
    k2e_diag_add(diags, K2E_E_DIFF_INPUT, (k2e_where){against ? against : "", 0, 0, ""},
                 "--against names the directory holding the ECS files to compare with",
                 "%s", against ? "not a directory (or unreadable)" : "no --against DIR given");
    return false;
}

/* The AWS inputs and ecschedule.yaml are compared; a ytt layout (templates
 * and data values rendered by ytt, --layout ytt) and the batch plan are not
 * deployed as they are, and are left out. */
static bool compared(const k2e_doc *doc)
{
    switch (doc->kind) {
    case K2E_DOC_YTT_SCHEMA:
    case K2E_DOC_YTT_VALUES:
    case K2E_DOC_TEXT:
    case K2E_DOC_BATCH_PLAN:
    case K2E_DOC_BATCH_PLAN_TEXT:
        return false;
    default:
        return true;
    }
}

int k2e_diff(const k2e_diff_options *options, const char *const *paths, size_t count,
             k2e_diff_result *r)
{
    k2e_convert_options convert = options->convert;
    convert.outdir = NULL;
    convert.strict = false;
    convert.keep_going = false;
    k2e_model model;
    unsigned long failures = k2e_oom_count();
    int status = k2e_convert_model(&convert, paths, count, &r->convert, &model);
    if (status == K2E_EXIT_INPUT || status == K2E_EXIT_INTERNAL) {
        k2e_model_release(&model);
        return status;
    }
    if (!against_ok(options->against, &r->convert.diags)) {
        k2e_model_release(&model);
        return K2E_EXIT_INPUT;
    }
    reader rd = {options->against, &r->convert.diags, false};
    bool ok = true;
    for (size_t i = 0; ok && i < model.count; i++) {
        const k2e_doc *doc = &model.items[i];
        if ((i > 0 && strcmp(model.items[i - 1].path, doc->path) == 0) || !compared(doc))
            continue;
        ok = compare_file(r, &rd, doc->path, doc->value);
    }
    ok = ok && report_extras(r, &rd, &model);
    k2e_model_release(&model);
    if (r->count > 1)
        qsort(r->files, r->count, sizeof *r->files, by_file);
    if (!ok || k2e_oom_count() != failures) {
        k2e_diag_add(&r->convert.diags, K2E_E_INTERNAL, (k2e_where){"", 0, 0, ""},
                     "if memory was short, retry with more, else please report this",
                     "internal error: out of memory or a bug in kube2ecs");
        return K2E_EXIT_INTERNAL;
    }
    k2e_diags_sort(&r->convert.diags);
    if (rd.input_error)
        return K2E_EXIT_INPUT;
    return r->count ? K2E_EXIT_DIFFERENCES : K2E_EXIT_OK;
}

/* --- Printing ------------------------------------------------------------ */

static const char *colour_of(char first, bool colour)
{
    if (!colour)
        return "";
    switch (first) {
    case '-': return "\033[31m";
    case '+': return "\033[32m";
    case '@': return "\033[36m";
    default: return "";
    }
}

static void print_unified(FILE *out, const char *text, bool colour)
{
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t length = end ? (size_t)(end - line) : strlen(line);
        const char *start = colour_of(line[0], colour);
        fprintf(out, "%s%.*s%s\n", start, (int)length, line, start[0] ? "\033[0m" : "");
        line += length + (end ? 1 : 0);
    }
}

void k2e_diff_print_text(FILE *out, const k2e_diff_result *r, const char *against, bool colour)
{
    const char *bold = colour ? "\033[1m" : "", *reset = colour ? "\033[0m" : "";
    for (size_t i = 0; i < r->count; i++) {
        const k2e_diff_file *f = &r->files[i];
        if (f->state == K2E_DIFF_MISSING)
            fprintf(out, "%smissing: %s%s (converted, not in %s/)\n", bold, f->file, reset,
                    against);
        else if (f->state == K2E_DIFF_EXTRA)
            fprintf(out, "%sextra: %s%s (in %s/, not converted)\n", bold, f->file, reset,
                    against);
        else {
            fprintf(out, "%s--- converted/%s\n+++ %s/%s%s\n", bold, f->file, against, f->file,
                    reset);
            print_unified(out, f->unified, colour);
        }
    }
}

static json_t *parsed_or_null(const char *text)
{
    json_t *value = text ? json_loads(text, JSON_DECODE_ANY, NULL) : NULL;
    return value ? value : json_null();
}

void k2e_diff_print_json(FILE *out, const k2e_diff_result *r)
{
    json_t *records = json_array();
    for (size_t i = 0; records && i < r->count; i++) {
        const k2e_diff_file *f = &r->files[i];
        for (size_t k = 0; k < f->change_count; k++) {
            const k2e_diff_change *c = &f->changes[k];
            json_array_append_new(records,
                                  json_pack("{s:s, s:s, s:o, s:o}", "file", f->file, "path",
                                            c->path, "expected", parsed_or_null(c->expected),
                                            "actual", parsed_or_null(c->actual)));
        }
    }
    if (records)
        json_dumpf(records, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
    fputc('\n', out);
    json_decref(records);
}
