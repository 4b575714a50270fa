/* Unit tests for yaml_tree.c: the reader (libyaml events -> node tree with
 * positions, limits and consumed marks) and the node accessors.
 *
 * Positions are 1-based; columns count characters, not bytes, so every
 * position test that follows a multi-byte character says so.  Expected
 * scalar types follow go-yaml v2's resolver (the one sigs.k8s.io/yaml and so
 * kubectl use): quoted scalars are strings, yes/no/on/off/y/n are booleans,
 * integers go through strconv.ParseInt(s, 0, 64) after removing '_'.
 */
#include "k2e_test.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/util.h"
#include "read/yaml_tree.h"

static k2e_file file;
static k2e_diags diags;
static k2e_limits limits;

static void setup(void)
{
    memset(&file, 0, sizeof file);
    k2e_diags_init(&diags);
    limits = k2e_limits_default();
}

static void teardown(void)
{
    k2e_file_free(&file);
    k2e_diags_release(&diags);
}

static bool read_bytes(const char *data, size_t size)
{
    k2e_file_free(&file);
    return k2e_read_buffer("t.yaml", data, size, &limits, &file, &diags);
}

static bool read_text(const char *text)
{
    return read_bytes(text, strlen(text));
}

/* Reads text that must parse, and returns its first document's root. */
static k2e_node *parse(const char *text)
{
    bool ok = read_text(text);
    ck_assert_msg(ok, "expected '%s' to parse (first diagnostic: %s)", text,
                  diags.count ? diags.items[0].message : "none");
    ck_assert_uint_ge(file.count, 1);
    return file.documents[0].root;
}

static const k2e_diag *find_diag(k2e_diag_code code)
{
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == code)
            return &diags.items[i];
    }
    return NULL;
}

/* The single error of a failed read: its code, line and column. */
static void assert_error_at(k2e_diag_code code, unsigned line, unsigned column)
{
    const k2e_diag *d = find_diag(code);
    ck_assert_msg(d != NULL, "expected %s, got %zu diagnostics (first: %s %s)",
                  k2e_diag_code_string(code), diags.count,
                  diags.count ? k2e_diag_code_string(diags.items[0].code) : "-",
                  diags.count ? diags.items[0].message : "-");
    ck_assert_int_eq(d->severity, K2E_SEV_ERROR);
    ck_assert_str_eq(d->file, "t.yaml");
    ck_assert_uint_eq(d->line, line);
    ck_assert_uint_eq(d->column, column);
}

static char *path_of(const k2e_node *node, const k2e_node *root)
{
    char *path = k2e_node_path(node, root);
    ck_assert_ptr_nonnull(path);
    return path;
}

#define ASSERT_PATH(node, root, expected)                                       \
    do {                                                                        \
        char *path_ = path_of((node), (root));                                  \
        ck_assert_str_eq(path_, (expected));                                    \
        free(path_);                                                            \
    } while (0)

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/* --- Documents ------------------------------------------------------------ */

START_TEST(multi_document_stream_gives_each_document_with_its_start)
{
    ck_assert(read_text("a: 1\n---\nb: 2\n---\nc: 3\n...\n---\nd: 4\n"));
    ck_assert_uint_eq(file.count, 4);
    const char *keys[] = {"a", "b", "c", "d"};
    const unsigned lines[] = {1, 2, 4, 7};
    for (size_t i = 0; i < 4; i++) {
        k2e_node *root = file.documents[i].root;
        ck_assert_int_eq(root->kind, K2E_NODE_MAPPING);
        ck_assert_uint_eq(root->count, 1);
        ck_assert_str_eq(root->keys[0]->value, keys[i]);
        ck_assert_ptr_null(root->parent);
        ck_assert_uint_eq(file.documents[i].line, lines[i]);
        ck_assert_uint_eq(file.documents[i].column, 1);
    }
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(empty_and_null_documents_are_skipped)
{
    ck_assert(read_text("---\n---\n# only a comment\n---\nname: x\n---\n~\n---\nnull\n---\n"));
    ck_assert_uint_eq(file.count, 1);
    ck_assert_str_eq(file.documents[0].root->keys[0]->value, "name");
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(comment_only_file_has_no_documents)
{
    ck_assert(read_text("# nothing here\n\n"));
    ck_assert_uint_eq(file.count, 0);
    ck_assert(read_text(""));
    ck_assert_uint_eq(file.count, 0);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(quoted_empty_document_is_kept)
{
    ck_assert(read_text("--- \"\"\n"));
    ck_assert_uint_eq(file.count, 1);
    ck_assert_int_eq(k2e_scalar_type_of(file.documents[0].root), K2E_SCALAR_STRING);
}
END_TEST

START_TEST(json_input_is_read_with_positions_and_types)
{
    k2e_node *root = parse("{\n"
                           "  \"apiVersion\": \"v1\",\n"
                           "  \"kind\": \"Pod\",\n"
                           "  \"spec\": {\"replicas\": 3, \"paused\": false, \"x\": null,\n"
                           "           \"quoted\": \"true\", \"list\": [1.5, \"a\"]}\n"
                           "}\n");
    ck_assert_uint_eq(file.count, 1);
    ck_assert_int_eq(root->kind, K2E_NODE_MAPPING);
    ck_assert_uint_eq(root->count, 3);
    k2e_node *kind = k2e_get(root, "kind");
    ck_assert_str_eq(kind->value, "Pod");
    ck_assert_uint_eq(kind->line, 3);
    ck_assert_uint_eq(kind->column, 11);
    ck_assert(!kind->plain);
    k2e_node *spec = k2e_get(root, "spec");
    ck_assert_int_eq(k2e_scalar_type_of(k2e_get(spec, "replicas")), K2E_SCALAR_INT);
    ck_assert_int_eq(k2e_scalar_type_of(k2e_get(spec, "paused")), K2E_SCALAR_BOOL);
    ck_assert_int_eq(k2e_scalar_type_of(k2e_get(spec, "x")), K2E_SCALAR_NULL);
    ck_assert_int_eq(k2e_scalar_type_of(k2e_get(spec, "quoted")), K2E_SCALAR_STRING);
    k2e_node *list = k2e_get(spec, "list");
    ck_assert_uint_eq(list->count, 2);
    ck_assert_int_eq(k2e_scalar_type_of(list->items[0]), K2E_SCALAR_FLOAT);
    ck_assert_uint_eq(list->items[1]->line, 5);
    ck_assert_uint_eq(list->items[1]->column, 44);
}
END_TEST

START_TEST(json_indented_with_tabs_is_accepted)
{
    k2e_node *root = parse("{\n\t\"a\": 1,\n\t\"b\": [true]\n}\n");
    ck_assert_uint_eq(root->count, 2);
    ck_assert_uint_eq(k2e_get(root, "b")->line, 3);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

/* --- Positions and structure ------------------------------------------------ */

static const char deployment[] =
    "apiVersion: apps/v1\n"                                 /* 1 */
    "kind: Deployment\n"                                    /* 2 */
    "metadata:\n"                                           /* 3 */
    "  name: api\n"                                         /* 4 */
    "  annotations:\n"                                      /* 5 */
    "    eks.amazonaws.com/role-arn: arn:aws:iam::1:role/r\n" /* 6 */
    "spec:\n"                                               /* 7 */
    "  template:\n"                                         /* 8 */
    "    spec:\n"                                           /* 9 */
    "      containers:\n"                                   /* 10 */
    "      - name: api\n"                                   /* 11 */
    "        image: nginx:1.25\n"                           /* 12 */
    "      - name: side\n"                                  /* 13 */
    "        image: busybox\n";                             /* 14 */

START_TEST(nodes_have_line_and_column)
{
    k2e_node *root = parse(deployment);
    ck_assert_uint_eq(root->line, 1);
    ck_assert_uint_eq(root->column, 1);
    k2e_node *containers = k2e_get(k2e_get(k2e_get(k2e_get(root, "spec"), "template"), "spec"),
                                   "containers");
    ck_assert_int_eq(containers->kind, K2E_NODE_SEQUENCE);
    ck_assert_uint_eq(containers->count, 2);
    ck_assert_uint_eq(containers->line, 11);
    ck_assert_uint_eq(containers->column, 7);
    k2e_node *image = k2e_get(containers->items[1], "image");
    ck_assert_str_eq(image->value, "busybox");
    ck_assert_uint_eq(image->length, 7);
    ck_assert_uint_eq(image->line, 14);
    ck_assert_uint_eq(image->column, 16);
    ck_assert_str_eq(image->file, "t.yaml");
    /* keys are nodes too, with their own position */
    k2e_node *meta = k2e_get(root, "metadata");
    ck_assert_uint_eq(meta->keys[1]->line, 5);
    ck_assert_uint_eq(meta->keys[1]->column, 3);
}
END_TEST

START_TEST(column_counts_characters_after_multibyte_utf8)
{
    /* "é" is 2 bytes, "日本" 6 bytes and "😀" 4 bytes, but one column each. */
    k2e_node *root = parse("a: {é: 1, b: 2}\n"
                           "c: [日本, z]\n"
                           "d: [😀, w]\n");
    k2e_node *b = k2e_get(k2e_get(root, "a"), "b");
    ck_assert_uint_eq(b->line, 1);
    ck_assert_uint_eq(b->column, 14);
    k2e_node *z = k2e_get(root, "c")->items[1];
    ck_assert_str_eq(z->value, "z");
    ck_assert_uint_eq(z->column, 9);
    k2e_node *w = k2e_get(root, "d")->items[1];
    ck_assert_uint_eq(w->line, 3);
    ck_assert_uint_eq(w->column, 8);
    ck_assert_str_eq(k2e_get(root, "c")->items[0]->value, "日本");
    ck_assert_uint_eq(k2e_get(root, "c")->items[0]->length, 6);
}
END_TEST

START_TEST(parent_key_and_index_link_the_tree)
{
    k2e_node *root = parse(deployment);
    k2e_node *pod_spec = k2e_get(k2e_get(k2e_get(root, "spec"), "template"), "spec");
    k2e_node *containers = k2e_get(pod_spec, "containers");
    k2e_node *second = containers->items[1];
    k2e_node *image = k2e_get(second, "image");
    ck_assert_ptr_eq(image->parent, second);
    ck_assert_str_eq(image->key, "image");
    ck_assert_uint_eq(image->index, 1); /* second pair of its mapping */
    ck_assert_ptr_eq(second->parent, containers);
    ck_assert_ptr_null(second->key);
    ck_assert_uint_eq(second->index, 1);
    ck_assert_ptr_eq(containers->parent, pod_spec);
    ck_assert_str_eq(containers->key, "containers");
    ck_assert_ptr_null(root->parent);
}
END_TEST

START_TEST(node_path_names_keys_and_indexes)
{
    k2e_node *root = parse(deployment);
    k2e_node *pod_spec = k2e_get(k2e_get(k2e_get(root, "spec"), "template"), "spec");
    k2e_node *containers = k2e_get(pod_spec, "containers");
    ASSERT_PATH(k2e_get(containers->items[0], "image"), root,
                "spec.template.spec.containers[0].image");
    ASSERT_PATH(k2e_get(containers->items[1], "name"), root,
                "spec.template.spec.containers[1].name");
    ASSERT_PATH(containers->items[1], root, "spec.template.spec.containers[1]");
    k2e_node *role = k2e_get(k2e_get(k2e_get(root, "metadata"), "annotations"),
                             "eks.amazonaws.com/role-arn");
    ck_assert_ptr_nonnull(role);
    ASSERT_PATH(role, root, "metadata.annotations[\"eks.amazonaws.com/role-arn\"]");
    ASSERT_PATH(root, root, "");
    /* relative to an inner root */
    ASSERT_PATH(k2e_get(containers->items[0], "image"), pod_spec, "containers[0].image");
}
END_TEST

START_TEST(node_path_of_top_level_sequence_item)
{
    k2e_node *root = parse("- a\n- [x, y]\n");
    ASSERT_PATH(root->items[1]->items[0], root, "[1][0]");
}
END_TEST

START_TEST(crlf_line_ends_and_bom_keep_line_numbers)
{
    k2e_node *root = parse("\xEF\xBB\xBF" "a: 1\r\n"
                           "b:\r\n"
                           "  c: two\r\n"
                           "d: 4\r\n");
    ck_assert_uint_eq(root->count, 3);
    k2e_node *a = k2e_get(root, "a");
    ck_assert_uint_eq(root->keys[0]->line, 1);
    ck_assert_uint_eq(root->keys[0]->column, 1);
    ck_assert_uint_eq(a->column, 4);
    k2e_node *c = k2e_get(k2e_get(root, "b"), "c");
    ck_assert_str_eq(c->value, "two"); /* no stray '\r' */
    ck_assert_uint_eq(c->line, 3);
    ck_assert_uint_eq(c->column, 6);
    ck_assert_uint_eq(k2e_get(root, "d")->line, 4);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(bom_with_lf_line_ends_is_accepted)
{
    k2e_node *root = parse("\xEF\xBB\xBF" "apiVersion: v1\nkind: ConfigMap\n");
    ck_assert_uint_eq(root->count, 2);
    ck_assert_uint_eq(file.documents[0].column, 1);
}
END_TEST

START_TEST(crlf_without_bom_is_accepted)
{
    k2e_node *root = parse("a: 1\r\nb:\r\n  c: 2\r\n");
    k2e_node *c = k2e_get(k2e_get(root, "b"), "c");
    ck_assert_uint_eq(c->line, 3);
    ck_assert_uint_eq(c->column, 6);
}
END_TEST

/* --- Scalar types --------------------------------------------------------------- */

typedef struct {
    const char *text; /* the value as written after "k: " */
    k2e_scalar_type type;
} type_case;

static const type_case type_cases[] = {
    {"hello", K2E_SCALAR_STRING},
    {"\"true\"", K2E_SCALAR_STRING},
    {"'123'", K2E_SCALAR_STRING},
    {"\"\"", K2E_SCALAR_STRING},
    {"!!str 123", K2E_SCALAR_STRING},
    {"true", K2E_SCALAR_BOOL},
    {"False", K2E_SCALAR_BOOL},
    {"TRUE", K2E_SCALAR_BOOL},
    {"yes", K2E_SCALAR_BOOL},
    {"No", K2E_SCALAR_BOOL},
    {"on", K2E_SCALAR_BOOL},
    {"OFF", K2E_SCALAR_BOOL},
    {"y", K2E_SCALAR_BOOL},
    {"N", K2E_SCALAR_BOOL},
    {"yEs", K2E_SCALAR_STRING},
    {"0", K2E_SCALAR_INT},
    {"123", K2E_SCALAR_INT},
    {"-42", K2E_SCALAR_INT},
    {"+7", K2E_SCALAR_INT},
    {"0x1F", K2E_SCALAR_INT},
    {"0b101", K2E_SCALAR_INT},
    {"1_000", K2E_SCALAR_INT},
    {"0755", K2E_SCALAR_INT},
    {"1.5", K2E_SCALAR_FLOAT},
    {".5", K2E_SCALAR_FLOAT},
    {"5.", K2E_SCALAR_FLOAT},
    {"-2.5e-3", K2E_SCALAR_FLOAT},
    {"1e3", K2E_SCALAR_FLOAT},
    {".inf", K2E_SCALAR_FLOAT},
    {"-.Inf", K2E_SCALAR_FLOAT},
    {".NaN", K2E_SCALAR_FLOAT},
    {"~", K2E_SCALAR_NULL},
    {"null", K2E_SCALAR_NULL},
    {"Null", K2E_SCALAR_NULL},
    {"NULL", K2E_SCALAR_NULL},
    {"", K2E_SCALAR_NULL},
    {"nil", K2E_SCALAR_STRING},
    {"nULL", K2E_SCALAR_STRING},
    {"1.2.3", K2E_SCALAR_STRING},
    {"12:30", K2E_SCALAR_STRING},
    {"2001-12-14", K2E_SCALAR_STRING},
    {"0x", K2E_SCALAR_STRING},
    {"1e", K2E_SCALAR_STRING},
    {"e3", K2E_SCALAR_STRING},
    {".", K2E_SCALAR_STRING},
    {"100m", K2E_SCALAR_STRING},
    {"512Mi", K2E_SCALAR_STRING},
};

START_TEST(scalar_type_follows_yaml_1_1_rules)
{
    const type_case *c = &type_cases[_i];
    char *text = NULL;
    size_t n = strlen("k: ") + strlen(c->text) + 2;
    text = malloc(n);
    ck_assert_ptr_nonnull(text);
    snprintf(text, n, "k: %s\n", c->text);
    k2e_node *root = parse(text);
    k2e_node *value = k2e_get(root, "k");
    ck_assert_ptr_nonnull(value);
    ck_assert_msg(k2e_scalar_type_of(value) == c->type, "'%s': type %d, expected %d", c->text,
                  (int)k2e_scalar_type_of(value), (int)c->type);
    ck_assert(k2e_is_scalar(value));
    ck_assert_int_eq(k2e_is_null(value), c->type == K2E_SCALAR_NULL);
    free(text);
}
END_TEST

START_TEST(collections_are_not_null_and_null_pointer_is)
{
    k2e_node *root = parse("a: []\nb: {}\n");
    ck_assert(!k2e_is_null(k2e_get(root, "a")));
    ck_assert(!k2e_is_scalar(k2e_get(root, "b")));
    ck_assert(k2e_is_null(NULL));
    ck_assert(!k2e_is_scalar(NULL));
    ck_assert_int_eq(k2e_scalar_type_of(k2e_get(root, "a")), K2E_SCALAR_STRING);
}
END_TEST

/* --- Typed reads ------------------------------------------------------------------ */

static const char typed[] = "i: 42\n"        /* 1 */
                            "n: -7\n"        /* 2 */
                            "s: hello\n"     /* 3 */
                            "q: \"5\"\n"     /* 4 */
                            "l: [1]\n"       /* 5 */
                            "b: yes\n"       /* 6 */
                            "o: Off\n"       /* 7 */
                            "z: ~\n"         /* 8 */
                            "big: 99999999999999999999\n" /* 9 */
                            "hex: 0x10\n"    /* 10 */
                            "u: 1_000\n"     /* 11 */
                            "m:\n"           /* 12 */
                            "  deep: [x, {k: text}]\n"; /* 13 */

START_TEST(as_int_reads_decimal_integers)
{
    k2e_node *root = parse(typed);
    int64_t v = 0;
    ck_assert(k2e_as_int(k2e_get(root, "i"), root, &v, &diags));
    ck_assert_int_eq(v, 42);
    ck_assert(k2e_as_int(k2e_get(root, "n"), root, &v, &diags));
    ck_assert_int_eq(v, -7);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(as_int_on_string_is_e006_at_its_line)
{
    k2e_node *root = parse(typed);
    int64_t v = 12345;
    ck_assert(!k2e_as_int(k2e_get(root, "s"), root, &v, &diags));
    ck_assert_int_eq(v, 12345);
    ck_assert_uint_eq(diags.count, 1);
    assert_error_at(K2E_E_TYPE, 3, 1);
    ck_assert_str_eq(diags.items[0].path, "s");
    ck_assert(!k2e_as_int(k2e_get(root, "q"), root, &v, &diags)); /* quoted "5" */
    ck_assert_uint_eq(diags.items[1].line, 4);
    ck_assert(!k2e_as_int(k2e_get(root, "l"), root, &v, &diags));
    ck_assert_uint_eq(diags.items[2].line, 5);
    ck_assert_int_eq(diags.items[2].code, K2E_E_TYPE);
}
END_TEST

START_TEST(as_int_out_of_range_is_e006)
{
    k2e_node *root = parse(typed);
    int64_t v;
    ck_assert(!k2e_as_int(k2e_get(root, "big"), root, &v, &diags));
    assert_error_at(K2E_E_TYPE, 9, 1);
}
END_TEST

/* go-yaml v2, Kubernetes' decoder, reads YAML 1.1 integers: hex, binary,
 * a leading 0 with octal digits as octal (defaultMode: 0644 = 420), "08" as
 * decimal, and underscores as separators. */
START_TEST(as_int_reads_yaml11_bases)
{
    k2e_node *root = parse(typed);
    int64_t v;
    ck_assert(k2e_as_int(k2e_get(root, "hex"), root, &v, &diags));
    ck_assert_int_eq(v, 16);
    ck_assert(k2e_as_int(k2e_get(root, "u"), root, &v, &diags));
    ck_assert_int_eq(v, 1000);
    k2e_node *more = parse("mode: 0644\neight: 08\nbin: 0b101\nneg: -0x1F\n");
    ck_assert(k2e_as_int(k2e_get(more, "mode"), more, &v, &diags));
    ck_assert_int_eq(v, 420);
    ck_assert(k2e_as_int(k2e_get(more, "eight"), more, &v, &diags));
    ck_assert_int_eq(v, 8);
    ck_assert(k2e_as_int(k2e_get(more, "bin"), more, &v, &diags));
    ck_assert_int_eq(v, 5);
    ck_assert(k2e_as_int(k2e_get(more, "neg"), more, &v, &diags));
    ck_assert_int_eq(v, -31);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

/* go-yaml v2 (sigs.k8s.io/yaml, kubectl) parses integers with
 * strconv.ParseInt(s, 0, 64): a leading 0 means octal, which is why
 * `defaultMode: 0644` shows up as 420 in `kubectl get -o yaml`. */
START_TEST(as_int_reads_leading_zero_as_octal_like_kubernetes)
{
    k2e_node *root = parse("defaultMode: 0644\n");
    int64_t v = 0;
    bool ok = k2e_as_int(k2e_get(root, "defaultMode"), root, &v, &diags);
    ck_assert_msg(ok && v == 420, "0644 read as %lld (ok=%d); Kubernetes reads 420",
                  (long long)v, ok);
}
END_TEST

START_TEST(as_string_accepts_only_strings)
{
    k2e_node *root = parse(typed);
    const char *s = NULL;
    ck_assert(k2e_as_string(k2e_get(root, "s"), root, &s, &diags));
    ck_assert_str_eq(s, "hello");
    ck_assert(k2e_as_string(k2e_get(root, "q"), root, &s, &diags));
    ck_assert_str_eq(s, "5");
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(!k2e_as_string(k2e_get(root, "i"), root, &s, &diags));
    assert_error_at(K2E_E_TYPE, 1, 1);
    ck_assert_str_eq(diags.items[0].hint, "quote the value");
    ck_assert(!k2e_as_string(k2e_get(root, "z"), root, &s, &diags));
    ck_assert_uint_eq(diags.items[1].line, 8);
}
END_TEST

START_TEST(as_bool_reads_yaml_1_1_booleans)
{
    k2e_node *root = parse(typed);
    bool b = false;
    ck_assert(k2e_as_bool(k2e_get(root, "b"), root, &b, &diags));
    ck_assert(b);
    ck_assert(k2e_as_bool(k2e_get(root, "o"), root, &b, &diags));
    ck_assert(!b);
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(!k2e_as_bool(k2e_get(root, "q"), root, &b, &diags));
    assert_error_at(K2E_E_TYPE, 4, 1);
}
END_TEST

START_TEST(as_bool_each_spelling)
{
    static const struct { const char *text; bool value; } cases[] = {
        {"true", true}, {"True", true}, {"TRUE", true}, {"yes", true}, {"Y", true},
        {"on", true}, {"On", true}, {"ON", true}, {"false", false}, {"no", false},
        {"n", false}, {"off", false}, {"OFF", false}, {"NO", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[32];
        snprintf(text, sizeof text, "k: %s\n", cases[i].text);
        k2e_node *root = parse(text);
        bool b = !cases[i].value;
        ck_assert_msg(k2e_as_bool(k2e_get(root, "k"), root, &b, &diags), "%s", cases[i].text);
        ck_assert_msg(b == cases[i].value, "%s read as %d", cases[i].text, b);
    }
}
END_TEST

START_TEST(as_text_accepts_any_non_null_scalar)
{
    k2e_node *root = parse(typed);
    const char *s = NULL;
    ck_assert(k2e_as_text(k2e_get(root, "i"), root, &s, &diags));
    ck_assert_str_eq(s, "42");
    ck_assert(k2e_as_text(k2e_get(root, "b"), root, &s, &diags));
    ck_assert_str_eq(s, "yes");
    ck_assert(!k2e_as_text(k2e_get(root, "z"), root, &s, &diags));
    assert_error_at(K2E_E_TYPE, 8, 1);
    ck_assert(!k2e_as_text(k2e_get(root, "l"), root, &s, &diags));
    ck_assert_uint_eq(diags.items[1].line, 5);
}
END_TEST

START_TEST(type_error_path_is_relative_to_root)
{
    k2e_node *root = parse(typed);
    k2e_node *m = k2e_get(root, "m");
    k2e_node *k = k2e_get(k2e_get(m, "deep")->items[1], "k");
    int64_t v;
    ck_assert(!k2e_as_int(k, root, &v, &diags));
    ck_assert(!k2e_as_int(k, m, &v, &diags));
    ck_assert_str_eq(diags.items[0].path, "m.deep[1].k");
    ck_assert_str_eq(diags.items[1].path, "deep[1].k");
    ck_assert_uint_eq(diags.items[0].line, 13);
    ck_assert_uint_eq(diags.items[0].column, 14); /* the key k */
    ck_assert_str_eq(diags.items[0].message, "expected an integer, found a string");
}
END_TEST

START_TEST(expect_kind_reports_e006)
{
    k2e_node *root = parse(typed);
    ck_assert(k2e_expect_kind(k2e_get(root, "l"), root, K2E_NODE_SEQUENCE, &diags));
    ck_assert(k2e_expect_kind(k2e_get(root, "m"), root, K2E_NODE_MAPPING, &diags));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(!k2e_expect_kind(k2e_get(root, "l"), root, K2E_NODE_MAPPING, &diags));
    assert_error_at(K2E_E_TYPE, 5, 1);
    ck_assert_str_eq(diags.items[0].message, "expected a mapping, found a list");
}
END_TEST

/* --- Accessors ---------------------------------------------------------------------- */

START_TEST(get_does_not_mark_take_does)
{
    k2e_node *root = parse("a: 1\nb: {c: 2}\n");
    k2e_node *a = k2e_get(root, "a");
    ck_assert(!a->consumed);
    ck_assert_ptr_eq(k2e_take(root, "a"), a);
    ck_assert(a->consumed);
    ck_assert_ptr_null(k2e_get(root, "missing"));
    ck_assert_ptr_null(k2e_take(root, "missing"));
    ck_assert_ptr_null(k2e_get(NULL, "a"));
    ck_assert_ptr_null(k2e_get(a, "a")); /* not a mapping */
    k2e_node *b = k2e_get(root, "b");
    k2e_consume(b);
    ck_assert(b->consumed);
    ck_assert(!k2e_get(b, "c")->consumed);
    k2e_consume_all(root);
    ck_assert(k2e_get(b, "c")->consumed);
    k2e_consume(NULL);
    k2e_consume_all(NULL);
}
END_TEST

/* --- Merge keys, aliases, duplicates -------------------------------------------------- */

START_TEST(merge_key_explicit_keys_win)
{
    k2e_node *root = parse("base: &b {x: 1, y: 2}\n"
                           "m:\n"
                           "  <<: *b\n"
                           "  y: 3\n"
                           "  z: 4\n"
                           "n: {y: 5, <<: *b}\n");
    k2e_node *m = k2e_get(root, "m");
    ck_assert_uint_eq(m->count, 3);
    ck_assert_str_eq(k2e_get(m, "x")->value, "1");
    ck_assert_str_eq(k2e_get(m, "y")->value, "3");
    ck_assert_str_eq(k2e_get(m, "z")->value, "4");
    ck_assert_ptr_null(k2e_get(m, "<<"));
    k2e_node *n = k2e_get(root, "n");
    ck_assert_uint_eq(n->count, 2);
    ck_assert_str_eq(k2e_get(n, "y")->value, "5");
    ck_assert_str_eq(k2e_get(n, "x")->value, "1");
    /* the merged value is the anchored node itself */
    ck_assert_ptr_eq(k2e_get(m, "x"), k2e_get(k2e_get(root, "base"), "x"));
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(merge_list_earlier_mapping_wins)
{
    k2e_node *root = parse("b: &b {x: 1}\n"
                           "c: &c {x: 2, w: 5}\n"
                           "m:\n"
                           "  <<: [*b, *c]\n"
                           "  v: 0\n");
    k2e_node *m = k2e_get(root, "m");
    ck_assert_uint_eq(m->count, 3);
    ck_assert_str_eq(k2e_get(m, "v")->value, "0");
    ck_assert_str_eq(k2e_get(m, "x")->value, "1");
    ck_assert_str_eq(k2e_get(m, "w")->value, "5");
}
END_TEST

/* go-yaml v2 applies every << of a mapping; dropping one silently would
 * lose fields without a word. */
START_TEST(two_merge_keys_in_one_mapping_both_merge)
{
    k2e_node *root = parse("a: &a {x: 1}\n"
                           "b: &b {y: 2}\n"
                           "m:\n"
                           "  <<: *a\n"
                           "  <<: *b\n");
    k2e_node *m = k2e_get(root, "m");
    ck_assert_msg(k2e_get(m, "x") != NULL || diags.count > 0,
                  "the first merge (x) is dropped without a diagnostic");
    ck_assert_ptr_nonnull(k2e_get(m, "y"));
}
END_TEST

START_TEST(quoted_merge_key_is_an_ordinary_key)
{
    k2e_node *root = parse("{\"<<\": {\"x\": 1}}\n");
    ck_assert_uint_eq(root->count, 1);
    ck_assert_ptr_nonnull(k2e_get(root, "<<"));
    ck_assert_ptr_null(k2e_get(root, "x"));
}
END_TEST

START_TEST(merge_of_a_scalar_is_a_syntax_error)
{
    ck_assert(!read_text("a: 1\nm: {<<: 1}\n"));
    assert_error_at(K2E_E_SYNTAX, 2, 5);
}
END_TEST

START_TEST(alias_shares_the_anchored_node)
{
    k2e_node *root = parse("a: &n {p: 1}\n"
                           "b: *n\n"
                           "c: [*n, *n]\n");
    k2e_node *a = k2e_get(root, "a");
    ck_assert_ptr_eq(k2e_get(root, "b"), a);
    ck_assert_ptr_eq(k2e_get(root, "c")->items[0], a);
    ck_assert_ptr_eq(k2e_get(root, "c")->items[1], a);
    /* paths name where the node was written */
    ASSERT_PATH(k2e_get(root, "b"), root, "a");
    ck_assert_uint_eq(k2e_get(root, "b")->line, 1);
    /* consuming through one alias consumes the anchor */
    k2e_take(k2e_get(root, "b"), "p");
    ck_assert(k2e_get(a, "p")->consumed);
}
END_TEST

START_TEST(redefined_anchor_latest_wins)
{
    k2e_node *root = parse("a: &x 1\nb: &x 2\nc: *x\n");
    ck_assert_str_eq(k2e_get(root, "c")->value, "2");
}
END_TEST

START_TEST(duplicate_key_warns_w011_and_later_value_wins)
{
    k2e_node *root = parse("a: 1\n"
                           "b: 2\n"
                           "a: 3\n");
    ck_assert_uint_eq(root->count, 2);
    ck_assert_str_eq(k2e_get(root, "a")->value, "3");
    ck_assert_uint_eq(diags.count, 1);
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->code, K2E_W_DUPLICATE_KEY);
    ck_assert_int_eq(d->severity, K2E_SEV_WARNING);
    ck_assert_str_eq(d->file, "t.yaml");
    ck_assert_uint_eq(d->line, 3);
    ck_assert_uint_eq(d->column, 1);
    /* The key is not quoted: a reader cannot know it is no Secret text. */
    ck_assert_ptr_null(strstr(d->message, "'a'"));
    ck_assert_ptr_nonnull(strstr(d->message, "first at 1:1"));
}
END_TEST

START_TEST(duplicate_key_earlier_value_is_not_reported_unconverted)
{
    k2e_node *root = parse("a: {x: 1}\na: 2\n");
    k2e_consume(root);
    k2e_take(root, "a");
    size_t before = diags.count;
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, before);
}
END_TEST

START_TEST(unknown_alias_is_an_error)
{
    ck_assert(!read_text("a: 1\nb: *nope\n"));
    assert_error_at(K2E_E_SYNTAX, 2, 4);
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "refers to no anchor"));
    ck_assert_ptr_nonnull(strstr(diags.items[0].hint, "quote it"));
}
END_TEST

START_TEST(alias_to_enclosing_node_is_an_error)
{
    ck_assert(!read_text("a: &x [1, *x]\n"));
    assert_error_at(K2E_E_SYNTAX, 1, 11);
}
END_TEST

START_TEST(non_scalar_key_is_an_error)
{
    ck_assert(!read_text("{[1]: 2}\n"));
    assert_error_at(K2E_E_SYNTAX, 1, 4);
}
END_TEST

/* --- Limits ----------------------------------------------------------------------------- */

/* levels of `width` aliases each; level 0 holds `width` scalars. */
static char *alias_bomb(int levels, int width)
{
    size_t cap = (size_t)levels * (size_t)width * 8 + 64;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t n = 0;
    for (int level = 0; level < levels; level++) {
        n += (size_t)snprintf(text + n, cap - n, "%c: &%c [", 'a' + level, 'a' + level);
        for (int i = 0; i < width; i++) {
            if (level == 0)
                n += (size_t)snprintf(text + n, cap - n, "%slol", i ? ", " : "");
            else
                n += (size_t)snprintf(text + n, cap - n, "%s*%c", i ? ", " : "", 'a' + level - 1);
        }
        n += (size_t)snprintf(text + n, cap - n, "]\n");
    }
    return text;
}

START_TEST(billion_laughs_is_rejected_quickly)
{
    char *bomb = alias_bomb(10, 10);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool ok = read_text(bomb);
    double elapsed = seconds_since(&start);
    free(bomb);
    ck_assert(!ok);
    ck_assert_msg(elapsed < 0.5, "took %.3f s", elapsed);
    /* Lines 1-5 expand to 11 + 111 + 1111 + 11111 + 111111 nodes and each
     * alias on line 6 to 111111 more: its eighth alias (column 36) passes the
     * default limit of one million. */
    assert_error_at(K2E_E_LIMIT, 6, 36);
}
END_TEST

START_TEST(nine_levels_of_aliases_are_rejected_quickly)
{
    char *bomb = alias_bomb(9, 10);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool ok = read_text(bomb);
    double elapsed = seconds_since(&start);
    free(bomb);
    ck_assert(!ok);
    ck_assert_msg(elapsed < 0.5, "took %.3f s", elapsed);
    ck_assert_ptr_nonnull(find_diag(K2E_E_LIMIT));
}
END_TEST

START_TEST(small_alias_use_within_limit_is_fine)
{
    char *text = alias_bomb(3, 10);
    bool ok = read_text(text);
    free(text);
    ck_assert(ok);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(expansion_limit_is_configurable)
{
    limits.max_expanded = 50;
    char *text = alias_bomb(3, 10); /* line 1: 11 nodes written, no alias */
    bool ok = read_text(text);
    free(text);
    ck_assert(!ok);
    /* Only aliases count: each on line 2 adds 11, the fifth reaches 55. */
    assert_error_at(K2E_E_LIMIT, 2, 24);
    ck_assert_ptr_nonnull(strstr(find_diag(K2E_E_LIMIT)->message, "alias expansion"));
}
END_TEST

/* A long list with no alias is no alias bomb (issue 10): written nodes are
 * only held to the per-file node limit, which says so when it is hit. */
static char *plain_list(size_t items)
{
    char *text = malloc(items * 4 + 1);
    ck_assert_ptr_nonnull(text);
    for (size_t i = 0; i < items; i++)
        memcpy(text + i * 4, "- a\n", 4);
    text[items * 4] = '\0';
    return text;
}

START_TEST(long_plain_list_is_not_an_alias_bomb)
{
    limits.max_expanded = 50;
    char *text = plain_list(5000);
    bool ok = read_text(text);
    free(text);
    ck_assert(ok);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(node_limit_names_itself_not_aliases)
{
    limits.max_nodes = 100;
    char *text = plain_list(500);
    bool ok = read_text(text);
    free(text);
    ck_assert(!ok);
    const k2e_diag *d = find_diag(K2E_E_LIMIT);
    ck_assert_ptr_nonnull(d);
    ck_assert_ptr_nonnull(strstr(d->message, "nodes in one file"));
    ck_assert_ptr_null(strstr(d->message, "alias"));
    ck_assert_ptr_null(strstr(d->hint, "alias"));
}
END_TEST

/* Reader messages quote no input text (issue 10): `password: *HUNTER2` in a
 * Secret is an alias to the reader, which cannot know it is Secret data. */
START_TEST(reader_messages_quote_no_input)
{
    static const char *const inputs[] = {
        "stringData:\n  password: *HUNTER2\n",
        "data: {HUNTER2: 1, HUNTER2: 2}\n",
        "data: &HUNTER2 [*HUNTER2]\n",
        "data: \"HUNTER2\x01\"\n",
        "data: HUNTER2\xff\n",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        k2e_diags_release(&diags);
        k2e_diags_init(&diags);
        read_text(inputs[i]);
        ck_assert_msg(diags.count > 0, "input %zu: no diagnostic", i);
        for (size_t j = 0; j < diags.count; j++) {
            ck_assert_msg(!strstr(diags.items[j].message, "HUNTER2") &&
                              !strstr(diags.items[j].hint, "HUNTER2") &&
                              !strstr(diags.items[j].path, "HUNTER2"),
                          "input %zu quoted: %s", i, diags.items[j].message);
        }
    }
}
END_TEST

START_TEST(deep_nesting_is_rejected)
{
    size_t depth = 10000;
    char *text = malloc(depth + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, '[', depth);
    text[depth] = '\0';
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool ok = read_text(text);
    double elapsed = seconds_since(&start);
    free(text);
    ck_assert(!ok);
    ck_assert_msg(elapsed < 0.5, "took %.3f s", elapsed);
    /* default max_depth 100: the 101st '[' is refused */
    assert_error_at(K2E_E_LIMIT, 1, 101);
}
END_TEST

START_TEST(max_depth_boundary)
{
    limits.max_depth = 3;
    ck_assert(read_text("[[[1]]]\n"));
    ck_assert(!read_text("a:\n  b:\n    c:\n      d: 1\n"));
    assert_error_at(K2E_E_LIMIT, 4, 7);
}
END_TEST

START_TEST(max_nodes_boundary)
{
    limits.max_nodes = 6; /* mapping, key, sequence and 3 items */
    ck_assert(read_text("a: [1, 2, 3]\n"));
    ck_assert_uint_eq(diags.count, 0);
    limits.max_nodes = 5;
    ck_assert(!read_text("a: [1, 2, 3]\n"));
    assert_error_at(K2E_E_LIMIT, 1, 11);
}
END_TEST

START_TEST(max_nodes_counts_the_whole_file)
{
    limits.max_nodes = 8;
    ck_assert(!read_text("a: 1\n---\nb: 2\n---\nc: 3\n"));
    assert_error_at(K2E_E_LIMIT, 5, 4);
    ck_assert_uint_eq(file.count, 2); /* documents before the problem are kept */
}
END_TEST

START_TEST(max_document_bytes_rejects_the_large_document)
{
    limits.max_document_bytes = 32;
    ck_assert(!read_text("a: 1\n"
                         "---\n"
                         "b: [xxxxxxxxxx, yyyyyyyyyy, zzzzzzzzzz]\n"));
    assert_error_at(K2E_E_LIMIT, 2, 1);
    ck_assert_uint_eq(file.count, 1);
    ck_assert_str_eq(file.documents[0].root->keys[0]->value, "a");
}
END_TEST

START_TEST(max_file_bytes_rejects_a_large_buffer)
{
    const char *text = "a: 1\nb: 2\n"; /* 10 bytes */
    limits.max_file_bytes = 10;
    ck_assert(read_text(text));
    limits.max_file_bytes = 9;
    ck_assert(!read_text(text));
    const k2e_diag *d = find_diag(K2E_E_LIMIT);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, "t.yaml");
    ck_assert_uint_eq(d->line, 0);
}
END_TEST

/* --- Encoding ------------------------------------------------------------------------------ */

START_TEST(nul_byte_is_e003_at_its_position)
{
    static const char text[] = "a: 1\nb: x\0y\n";
    ck_assert(!read_bytes(text, sizeof text - 1));
    assert_error_at(K2E_E_ENCODING, 2, 5);
    ck_assert_uint_eq(file.count, 0);
}
END_TEST

typedef struct {
    const char *name;
    const char *bytes; /* follows "a: 1\nb: é" */
} bad_utf8_case;

static const bad_utf8_case bad_utf8[] = {
    {"overlong '/'", "\xC0\xAF"},
    {"overlong 3-byte", "\xE0\x80\xAF"},
    {"UTF-16 surrogate", "\xED\xA0\x80"},
    {"truncated at end", "\xE2\x82"},
    {"truncated before ASCII", "\xE2\x82x"},
    {"lone continuation byte", "\x80"},
    {"above U+10FFFF", "\xF4\x90\x80\x80"},
    {"5-byte form", "\xF8\x88\x80\x80\x80"},
    {"Latin-1 e-acute", "\xE9t\xE9"},
};

START_TEST(invalid_utf8_is_e003_with_line_and_column)
{
    const bad_utf8_case *c = &bad_utf8[_i];
    char text[64];
    int n = snprintf(text, sizeof text, "a: 1\nb: \xC3\xA9%s\n", c->bytes);
    ck_assert(!read_bytes(text, (size_t)n));
    const k2e_diag *d = find_diag(K2E_E_ENCODING);
    ck_assert_msg(d != NULL, "%s: not rejected as E003", c->name);
    ck_assert_uint_eq(d->line, 2);
    ck_assert_msg(d->column == 5, "%s: column %u", c->name, d->column);
}
END_TEST

START_TEST(encoding_error_column_after_bom_counts_from_first_character)
{
    ck_assert(!read_text("\xEF\xBB\xBF" "a: \xFF\n"));
    assert_error_at(K2E_E_ENCODING, 1, 4);
}
END_TEST

START_TEST(control_character_is_rejected_at_its_position)
{
    ck_assert(!read_text("a: 1\nb: x\x07y\n"));
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].severity, K2E_SEV_ERROR);
    ck_assert_msg(diags.items[0].line == 2 && diags.items[0].column == 5,
                  "control character reported at %u:%u, expected 2:5", diags.items[0].line,
                  diags.items[0].column);
}
END_TEST

/* --- Syntax ------------------------------------------------------------------------------------ */

START_TEST(tab_indentation_is_e002_with_a_hint)
{
    ck_assert(!read_text("a:\n\tb: 1\n"));
    assert_error_at(K2E_E_SYNTAX, 2, 1);
    ck_assert_ptr_nonnull(strstr(diags.items[0].hint, "tabs"));
}
END_TEST

START_TEST(unclosed_flow_sequence_is_e002_located)
{
    ck_assert(!read_text("a: [1, 2\nb: 3\n"));
    assert_error_at(K2E_E_SYNTAX, 2, 2);
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "flow sequence"));
}
END_TEST

START_TEST(mapping_value_in_plain_scalar_is_e002_located)
{
    ck_assert(!read_text("x: 1\na: b: c\n"));
    assert_error_at(K2E_E_SYNTAX, 2, 5);
}
END_TEST

START_TEST(syntax_error_in_second_document_keeps_the_first)
{
    ck_assert(!read_text("a: 1\n---\nb: [\n"));
    ck_assert_ptr_nonnull(find_diag(K2E_E_SYNTAX));
    ck_assert_uint_eq(file.count, 1);
}
END_TEST

/* --- Files ---------------------------------------------------------------------------------------- */

/* Each test works in a fresh scratch directory (k2e_test.h). */
static void setup_dir(void)
{
    setup();
    k2e_scratch_begin();
}

static void teardown_dir(void)
{
    teardown();
    k2e_scratch_end();
}

/* Writes <scratch>/<name>; returns its path, to be freed. */
static char *write_temp(const char *name, const char *data, size_t size)
{
    k2e_scratch_write_bytes(name, data, size);
    char *path = strdup(k2e_scratch_path(name));
    ck_assert_ptr_nonnull(path);
    return path;
}

START_TEST(read_path_reads_a_file_and_names_nodes_after_it)
{
    const char *text = "a: 1\nb: [x]\n";
    char *path = write_temp("ok.yaml", text, strlen(text));
    ck_assert(k2e_read_path(path, &limits, &file, &diags));
    ck_assert_uint_eq(file.count, 1);
    ck_assert_str_eq(file.name, path);
    ck_assert_str_eq(k2e_get(file.documents[0].root, "b")->items[0]->file, path);
    free(path);
}
END_TEST

START_TEST(missing_path_is_e001)
{
    char path[128];
    snprintf(path, sizeof path, "%s/does-not-exist.yaml", k2e_scratch_dir());
    ck_assert(!k2e_read_path(path, &limits, &file, &diags));
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].code, K2E_E_READ);
    ck_assert_str_eq(diags.items[0].file, path);
    ck_assert_uint_eq(diags.items[0].line, 0);
}
END_TEST

START_TEST(binary_file_is_rejected)
{
    unsigned char data[4096];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof data; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (unsigned char)(x >> 16);
    }
    data[100] = 0;
    char *path = write_temp("blob.yaml", (const char *)data, sizeof data);
    ck_assert(!k2e_read_path(path, &limits, &file, &diags));
    const k2e_diag *d = find_diag(K2E_E_ENCODING);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, path);
    ck_assert_uint_ge(d->line, 1);
    ck_assert_uint_eq(file.count, 0);
    free(path);
}
END_TEST

START_TEST(read_path_enforces_max_file_bytes)
{
    char data[200];
    memset(data, '#', sizeof data);
    data[sizeof data - 1] = '\n';
    char *path = write_temp("big.yaml", data, sizeof data);
    limits.max_file_bytes = 199;
    ck_assert(!k2e_read_path(path, &limits, &file, &diags));
    const k2e_diag *d = find_diag(K2E_E_LIMIT);
    ck_assert_ptr_nonnull(d);
    ck_assert_str_eq(d->file, path);
    k2e_file_free(&file);
    limits.max_file_bytes = 200;
    ck_assert(k2e_read_path(path, &limits, &file, &diags));
    free(path);
}
END_TEST

/* --- Unconsumed report ------------------------------------------------------------------------------ */

static const char pod[] = "apiVersion: v1\n"        /* 1 */
                          "kind: Pod\n"             /* 2 */
                          "metadata:\n"             /* 3 */
                          "  name: p\n"             /* 4 */
                          "spec:\n"                 /* 5 */
                          "  affinity:\n"           /* 6 */
                          "    nodeAffinity:\n"     /* 7 */
                          "      x: 1\n"            /* 8 */
                          "  containers:\n"         /* 9 */
                          "  - name: c\n"           /* 10 */
                          "    image: i\n"          /* 11 */
                          "    tty: true\n";        /* 12 */

static const char *hint_for_affinity(const char *path, void *context)
{
    ++*(int *)context;
    return strcmp(path, "spec.affinity") == 0 ? "use placement constraints" : NULL;
}

START_TEST(report_unconsumed_names_only_the_outermost_node)
{
    k2e_node *root = parse(pod);
    k2e_consume(root);
    k2e_consume_all(k2e_take(root, "apiVersion"));
    k2e_consume_all(k2e_take(root, "kind"));
    k2e_consume_all(k2e_take(root, "metadata"));
    k2e_node *spec = k2e_take(root, "spec");
    k2e_node *containers = k2e_take(spec, "containers");
    k2e_consume(containers->items[0]);
    k2e_take(containers->items[0], "name");
    k2e_take(containers->items[0], "image");
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, 2);
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->code, K2E_W_NOT_CONVERTED);
    ck_assert_int_eq(d->severity, K2E_SEV_WARNING);
    ck_assert_str_eq(d->file, "t.yaml");
    ck_assert_str_eq(d->path, "spec.affinity");
    ck_assert_uint_eq(d->line, 6); /* located at the key, where a reader looks */
    ck_assert_uint_eq(d->column, 3);
    ck_assert_str_eq(d->message, "not converted");
    ck_assert_str_ne(d->hint, "");
    d = &diags.items[1];
    ck_assert_str_eq(d->path, "spec.containers[0].tty");
    ck_assert_uint_eq(d->line, 12);
    ck_assert_uint_eq(d->column, 5);
}
END_TEST

START_TEST(report_unconsumed_uses_the_hint_function)
{
    k2e_node *root = parse(pod);
    k2e_consume(root);
    k2e_consume_all(k2e_take(root, "apiVersion"));
    k2e_consume_all(k2e_take(root, "kind"));
    k2e_consume_all(k2e_take(root, "metadata"));
    k2e_node *spec = k2e_take(root, "spec");
    k2e_consume_all(k2e_take(spec, "containers"));
    int calls = 0;
    k2e_report_unconsumed(root, &diags, hint_for_affinity, &calls);
    ck_assert_int_eq(calls, 1);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.items[0].hint, "use placement constraints");
}
END_TEST

START_TEST(report_unconsumed_on_fully_consumed_tree_is_silent)
{
    k2e_node *root = parse(pod);
    k2e_consume_all(root);
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(report_unconsumed_unconsumed_root_is_one_finding)
{
    k2e_node *root = parse(pod);
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.items[0].path, "");
    ck_assert_uint_eq(diags.items[0].line, 1);
}
END_TEST

START_TEST(report_unconsumed_reports_a_shared_node_once)
{
    k2e_node *root = parse("a: &x {p: 1}\nb: *x\n");
    k2e_consume(root);
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_str_eq(diags.items[0].path, "a");
}
END_TEST

START_TEST(report_unconsumed_reaches_values_merged_from_an_inline_mapping)
{
    /* Nothing may vanish silently: `y` below is reachable only through the
     * inline mapping given to <<, which itself is not an item of `m`. */
    k2e_node *root = parse("m:\n"
                           "  <<: {y: 2}\n"
                           "  x: 1\n");
    k2e_consume(root);
    k2e_node *m = k2e_take(root, "m");
    k2e_take(m, "x");
    ck_assert_ptr_nonnull(k2e_get(m, "y"));
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_msg(diags.count == 1, "unconsumed merged value y: %zu findings", diags.count);
    ck_assert_uint_eq(diags.items[0].line, 2);
}
END_TEST

/* A field is located at its key: a mapping value on the next line, a merged
 * value and an aliased one all point at the key where they were written;
 * sequence items, keys and roots at themselves. */
START_TEST(locus_is_the_key_of_a_field)
{
    k2e_node *root = parse("base: &b\n"      /* 1 */
                           "  x: 1\n"        /* 2 */
                           "spec:\n"         /* 3 */
                           "  dnsConfig:\n"  /* 4 */
                           "    options: []\n" /* 5 */
                           "  list:\n"       /* 6 */
                           "    - a\n"       /* 7 */
                           "  <<: *b\n"      /* 8 */
                           "  again: *b\n"); /* 9 */
    k2e_node *spec = k2e_get(root, "spec");
    const k2e_node *at = k2e_node_locus(k2e_get(spec, "dnsConfig"));
    ck_assert_uint_eq(at->line, 4);
    ck_assert_uint_eq(at->column, 3);
    at = k2e_node_locus(k2e_get(spec, "list")->items[0]);
    ck_assert_uint_eq(at->line, 7);
    ck_assert_uint_eq(at->column, 7);
    at = k2e_node_locus(k2e_get(spec, "x")); /* merged from base */
    ck_assert_uint_eq(at->line, 2);
    ck_assert_uint_eq(at->column, 3);
    at = k2e_node_locus(k2e_get(spec, "again")); /* the anchored node itself */
    ck_assert_uint_eq(at->line, 1);
    ck_assert_uint_eq(at->column, 1);
    ck_assert_ptr_eq(k2e_node_locus(root), root);
    ck_assert_ptr_null(k2e_node_locus(NULL));
}
END_TEST

START_TEST(diag_at_locates_at_node_with_path)
{
    k2e_node *root = parse(deployment);
    k2e_node *meta = k2e_get(root, "metadata");
    k2e_node *name = k2e_get(meta, "name");
    ck_assert(k2e_diag_at(&diags, K2E_I_GENERATED_NAME, name, root, "a hint", "n=%d", 5));
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->severity, K2E_SEV_INFO);
    ck_assert_str_eq(d->path, "metadata.name");
    ck_assert_uint_eq(d->line, 4);
    ck_assert_uint_eq(d->column, 3); /* at the key `name`, where a reader looks */
    ck_assert_str_eq(d->message, "n=5");
    ck_assert_str_eq(d->hint, "a hint");
    ck_assert(k2e_diag_at(&diags, K2E_E_TYPE, NULL, root, NULL, "nowhere"));
    ck_assert_str_eq(diags.items[1].file, "");
    ck_assert_uint_eq(diags.items[1].line, 0);
}
END_TEST

/* Regression: an empty collection as the very first node used to do
 * pointer arithmetic on the still-NULL child stack (UBSan). */
START_TEST(empty_first_collections_are_read)
{
    ck_assert(read_text("{}\n"));
    ck_assert_uint_eq(file.count, 1);
    ck_assert_int_eq(file.documents[0].root->kind, K2E_NODE_MAPPING);
    ck_assert_uint_eq(file.documents[0].root->count, 0);
    ck_assert(read_text("[]\n---\n{}\n"));
    ck_assert_uint_eq(file.count, 2);
    ck_assert_int_eq(file.documents[0].root->kind, K2E_NODE_SEQUENCE);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

/* --- Large mappings: hashed duplicate checks and lookups --------------------------------- */

/* "k00000: v0\nk00001: v1\n..." with `n` pairs, then `extra`. */
static char *numbered_mapping(size_t n, const char *extra)
{
    k2e_buf text;
    k2e_buf_init(&text);
    for (size_t i = 0; i < n; i++)
        k2e_buf_printf(&text, "k%05zu: v%zu\n", i, i);
    k2e_buf_puts(&text, extra);
    return k2e_buf_detach(&text);
}

START_TEST(large_mapping_finds_every_key_and_no_other)
{
    char *yaml = numbered_mapping(3000, "");
    k2e_node *root = parse(yaml);
    ck_assert_uint_eq(root->count, 3000);
    for (size_t i = 0; i < 3000; i++) {
        char key[32], value[32];
        snprintf(key, sizeof key, "k%05zu", i);
        snprintf(value, sizeof value, "v%zu", i);
        ck_assert_str_eq(root->keys[i]->value, key); /* document order kept */
        k2e_node *v = k2e_get(root, key);
        ck_assert_ptr_nonnull(v);
        ck_assert_str_eq(v->value, value);
    }
    ck_assert_ptr_null(k2e_get(root, "k03000"));
    ck_assert_ptr_null(k2e_get(root, "k0000"));   /* a prefix of a key */
    ck_assert_ptr_null(k2e_get(root, "k000000")); /* a key plus one */
    ck_assert_ptr_null(k2e_get(root, ""));
    free(yaml);
}
END_TEST

/* Every size around the thresholds (linear below 8 and 16 pairs, hashed
 * above): the same answers. */
START_TEST(mapping_sizes_around_the_thresholds_agree)
{
    char *yaml = numbered_mapping((size_t)_i, "");
    k2e_node *root = _i ? parse(yaml) : NULL;
    for (size_t i = 0; _i && i < (size_t)_i + 2; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%05zu", i);
        k2e_node *v = k2e_get(root, key);
        if (i < (size_t)_i)
            ck_assert_ptr_eq(v, root->items[i]);
        else
            ck_assert_ptr_null(v);
    }
    free(yaml);
}
END_TEST

START_TEST(large_mapping_duplicates_warn_and_later_values_win)
{
    /* 100 keys, then every tenth again: 10 warnings, first slots kept. */
    k2e_buf text;
    k2e_buf_init(&text);
    for (size_t i = 0; i < 100; i++)
        k2e_buf_printf(&text, "k%05zu: first\n", i);
    for (size_t i = 0; i < 100; i += 10)
        k2e_buf_printf(&text, "k%05zu: second\n", i);
    k2e_node *root = parse(text.data);
    ck_assert_uint_eq(root->count, 100);
    ck_assert_uint_eq(diags.count, 10);
    for (size_t i = 0; i < 10; i++) {
        ck_assert_int_eq(diags.items[i].code, K2E_W_DUPLICATE_KEY);
        ck_assert_uint_eq(diags.items[i].line, 101 + i);
    }
    for (size_t i = 0; i < 100; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%05zu", i);
        ck_assert_str_eq(root->keys[i]->value, key);
        ck_assert_str_eq(k2e_get(root, key)->value, i % 10 ? "first" : "second");
    }
    free(text.data);
}
END_TEST

START_TEST(large_merge_explicit_keys_win)
{
    /* base has 40 keys; m merges it and sets 20 keys, 10 of them base's. */
    k2e_buf text;
    k2e_buf_init(&text);
    k2e_buf_printf(&text, "base: &b\n");
    for (size_t i = 0; i < 40; i++)
        k2e_buf_printf(&text, "  k%05zu: base\n", i);
    k2e_buf_printf(&text, "m:\n  <<: *b\n");
    for (size_t i = 30; i < 50; i++)
        k2e_buf_printf(&text, "  k%05zu: own\n", i);
    k2e_node *root = parse(text.data);
    k2e_node *m = k2e_get(root, "m");
    ck_assert_uint_eq(m->count, 50);
    for (size_t i = 0; i < 50; i++) {
        char key[32];
        snprintf(key, sizeof key, "k%05zu", i);
        ck_assert_str_eq(k2e_get(m, key)->value, i < 30 ? "base" : "own");
    }
    ck_assert_uint_eq(diags.count, 0);
    free(text.data);
}
END_TEST

START_TEST(many_anchors_each_alias_finds_its_own)
{
    k2e_buf text;
    k2e_buf_init(&text);
    for (size_t i = 0; i < 2000; i++)
        k2e_buf_printf(&text, "a%zu: &x%zu v%zu\n", i, i, i);
    k2e_buf_printf(&text, "again: &x7 seven\n"); /* re-anchored: latest wins */
    k2e_buf_printf(&text, "refs: [");
    for (size_t i = 0; i < 2000; i++)
        k2e_buf_printf(&text, "%s*x%zu", i ? ", " : "", i);
    k2e_buf_printf(&text, "]\n");
    k2e_node *root = parse(text.data);
    k2e_node *refs = k2e_get(root, "refs");
    ck_assert_uint_eq(refs->count, 2000);
    for (size_t i = 0; i < 2000; i++) {
        char key[32];
        snprintf(key, sizeof key, "a%zu", i);
        k2e_node *expect = i == 7 ? k2e_get(root, "again") : k2e_get(root, key);
        ck_assert_ptr_eq(refs->items[i], expect);
    }
    free(text.data);
}
END_TEST

START_TEST(anchor_redefined_inside_its_collection_keeps_both_meanings)
{
    /* &x names the outer mapping, then (inside it) a scalar: *x after it is
     * the scalar, and the outer mapping's weight does not go to the scalar. */
    k2e_node *root = parse("a: &x {b: &x 1, c: *x}\nd: *x\n");
    k2e_node *a = k2e_get(root, "a");
    ck_assert_ptr_eq(k2e_get(a, "c"), k2e_get(a, "b"));
    ck_assert_ptr_eq(k2e_get(root, "d"), k2e_get(a, "b"));
}
END_TEST

static size_t count_nodes(const k2e_node *node)
{
    size_t n = 1;
    for (size_t i = 0; i < node->count; i++) {
        if (node->kind == K2E_NODE_MAPPING)
            n++; /* the key */
        if (node->items[i]->parent == node)
            n += count_nodes(node->items[i]);
    }
    return n;
}

/* Issue 11: about 100 bytes a YAML node, all included (node, text, arrays,
 * the arena's unused tail). */
START_TEST(a_node_costs_under_100_bytes)
{
    k2e_buf text;
    k2e_buf_init(&text);
    for (size_t i = 0; i < 4000; i++)
        k2e_buf_printf(&text,
                    "- name: app-%05zu\n"
                    "  image: registry.example.com/team/app:%zu\n"
                    "  env: [{name: PORT, value: \"8080\"}, {name: MODE, value: prod}]\n"
                    "  labels: {app: app-%05zu, tier: web}\n",
                    i, i, i);
    k2e_node *root = parse(text.data);
    size_t nodes = count_nodes(root);
    size_t bytes = k2e_file_memory(&file);
    ck_assert_uint_gt(nodes, 4000 * 20);
    ck_assert_msg(bytes <= 100 * nodes, "%zu bytes for %zu nodes: %.1f a node", bytes, nodes,
                  (double)bytes / (double)nodes);
    ck_assert_uint_eq(sizeof(k2e_node), sizeof(void *) == 8 ? 72 : sizeof(k2e_node));
    free(text.data);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("yaml_tree");
    TCase *t = tcase_create("documents");
    tcase_add_test(t, empty_first_collections_are_read);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, multi_document_stream_gives_each_document_with_its_start);
    tcase_add_test(t, empty_and_null_documents_are_skipped);
    tcase_add_test(t, comment_only_file_has_no_documents);
    tcase_add_test(t, quoted_empty_document_is_kept);
    tcase_add_test(t, json_input_is_read_with_positions_and_types);
    tcase_add_test(t, json_indented_with_tabs_is_accepted);
    suite_add_tcase(s, t);

    t = tcase_create("positions");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, nodes_have_line_and_column);
    tcase_add_test(t, column_counts_characters_after_multibyte_utf8);
    tcase_add_test(t, parent_key_and_index_link_the_tree);
    tcase_add_test(t, node_path_names_keys_and_indexes);
    tcase_add_test(t, node_path_of_top_level_sequence_item);
    tcase_add_test(t, crlf_line_ends_and_bom_keep_line_numbers);
    tcase_add_test(t, bom_with_lf_line_ends_is_accepted);
    tcase_add_test(t, crlf_without_bom_is_accepted);
    suite_add_tcase(s, t);

    t = tcase_create("types");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_loop_test(t, scalar_type_follows_yaml_1_1_rules, 0,
                        (int)(sizeof type_cases / sizeof type_cases[0]));
    tcase_add_test(t, collections_are_not_null_and_null_pointer_is);
    tcase_add_test(t, as_int_reads_decimal_integers);
    tcase_add_test(t, as_int_on_string_is_e006_at_its_line);
    tcase_add_test(t, as_int_out_of_range_is_e006);
    tcase_add_test(t, as_int_reads_yaml11_bases);
    tcase_add_test(t, as_int_reads_leading_zero_as_octal_like_kubernetes);
    tcase_add_test(t, as_string_accepts_only_strings);
    tcase_add_test(t, as_bool_reads_yaml_1_1_booleans);
    tcase_add_test(t, as_bool_each_spelling);
    tcase_add_test(t, as_text_accepts_any_non_null_scalar);
    tcase_add_test(t, type_error_path_is_relative_to_root);
    tcase_add_test(t, expect_kind_reports_e006);
    tcase_add_test(t, get_does_not_mark_take_does);
    suite_add_tcase(s, t);

    t = tcase_create("merge_alias_duplicate");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, merge_key_explicit_keys_win);
    tcase_add_test(t, merge_list_earlier_mapping_wins);
    tcase_add_test(t, two_merge_keys_in_one_mapping_both_merge);
    tcase_add_test(t, quoted_merge_key_is_an_ordinary_key);
    tcase_add_test(t, merge_of_a_scalar_is_a_syntax_error);
    tcase_add_test(t, alias_shares_the_anchored_node);
    tcase_add_test(t, redefined_anchor_latest_wins);
    tcase_add_test(t, duplicate_key_warns_w011_and_later_value_wins);
    tcase_add_test(t, duplicate_key_earlier_value_is_not_reported_unconverted);
    tcase_add_test(t, unknown_alias_is_an_error);
    tcase_add_test(t, alias_to_enclosing_node_is_an_error);
    tcase_add_test(t, non_scalar_key_is_an_error);
    suite_add_tcase(s, t);

    t = tcase_create("large_mappings");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, large_mapping_finds_every_key_and_no_other);
    tcase_add_loop_test(t, mapping_sizes_around_the_thresholds_agree, 0, 40);
    tcase_add_test(t, large_mapping_duplicates_warn_and_later_values_win);
    tcase_add_test(t, large_merge_explicit_keys_win);
    tcase_add_test(t, many_anchors_each_alias_finds_its_own);
    tcase_add_test(t, anchor_redefined_inside_its_collection_keeps_both_meanings);
    tcase_add_test(t, a_node_costs_under_100_bytes);
    suite_add_tcase(s, t);

    t = tcase_create("limits");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, billion_laughs_is_rejected_quickly);
    tcase_add_test(t, nine_levels_of_aliases_are_rejected_quickly);
    tcase_add_test(t, small_alias_use_within_limit_is_fine);
    tcase_add_test(t, expansion_limit_is_configurable);
    tcase_add_test(t, long_plain_list_is_not_an_alias_bomb);
    tcase_add_test(t, node_limit_names_itself_not_aliases);
    tcase_add_test(t, reader_messages_quote_no_input);
    tcase_add_test(t, deep_nesting_is_rejected);
    tcase_add_test(t, max_depth_boundary);
    tcase_add_test(t, max_nodes_boundary);
    tcase_add_test(t, max_nodes_counts_the_whole_file);
    tcase_add_test(t, max_document_bytes_rejects_the_large_document);
    tcase_add_test(t, max_file_bytes_rejects_a_large_buffer);
    suite_add_tcase(s, t);

    t = tcase_create("encoding_and_syntax");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, nul_byte_is_e003_at_its_position);
    tcase_add_loop_test(t, invalid_utf8_is_e003_with_line_and_column, 0,
                        (int)(sizeof bad_utf8 / sizeof bad_utf8[0]));
    tcase_add_test(t, encoding_error_column_after_bom_counts_from_first_character);
    tcase_add_test(t, control_character_is_rejected_at_its_position);
    tcase_add_test(t, tab_indentation_is_e002_with_a_hint);
    tcase_add_test(t, unclosed_flow_sequence_is_e002_located);
    tcase_add_test(t, mapping_value_in_plain_scalar_is_e002_located);
    tcase_add_test(t, syntax_error_in_second_document_keeps_the_first);
    suite_add_tcase(s, t);

    t = tcase_create("files");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup_dir, teardown_dir);
    tcase_add_test(t, read_path_reads_a_file_and_names_nodes_after_it);
    tcase_add_test(t, missing_path_is_e001);
    tcase_add_test(t, binary_file_is_rejected);
    tcase_add_test(t, read_path_enforces_max_file_bytes);
    suite_add_tcase(s, t);

    t = tcase_create("unconsumed");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, report_unconsumed_names_only_the_outermost_node);
    tcase_add_test(t, report_unconsumed_uses_the_hint_function);
    tcase_add_test(t, report_unconsumed_on_fully_consumed_tree_is_silent);
    tcase_add_test(t, report_unconsumed_unconsumed_root_is_one_finding);
    tcase_add_test(t, report_unconsumed_reports_a_shared_node_once);
    tcase_add_test(t, report_unconsumed_reaches_values_merged_from_an_inline_mapping);
    tcase_add_test(t, diag_at_locates_at_node_with_path);
    tcase_add_test(t, locus_is_the_key_of_a_field);
    suite_add_tcase(s, t);
    return s;
}
