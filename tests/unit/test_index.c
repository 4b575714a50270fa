/* Unit tests for index.c: Kubernetes objects by (group, kind, namespace,
 * name), List flattening, canonical order, duplicates, and the quiet
 * consumption of what `kubectl get -o yaml` adds to every object. */
#include "k2e_test.h"

#include <stdlib.h>
#include <string.h>

#include "read/index.h"
#include "read/yaml_tree.h"

enum { MAX_FILES = 4 };

static k2e_file files[MAX_FILES];
static size_t file_count;
static k2e_index index_;
static k2e_diags diags;

static void setup(void)
{
    memset(files, 0, sizeof files);
    file_count = 0;
    k2e_diags_init(&diags);
    k2e_index_init(&index_, "default");
}

static void teardown(void)
{
    k2e_index_release(&index_);
    for (size_t i = 0; i < file_count; i++)
        k2e_file_free(&files[i]);
    k2e_diags_release(&diags);
}

/* Reads text as file `name` and adds it to the index; returns the add result. */
static bool add(const char *name, const char *text)
{
    ck_assert_uint_lt(file_count, MAX_FILES);
    k2e_limits limits = k2e_limits_default();
    k2e_file *file = &files[file_count++];
    ck_assert_msg(k2e_read_buffer(name, text, strlen(text), &limits, file, &diags),
                  "%s does not parse", name);
    return k2e_index_add_file(&index_, file, &diags);
}

static size_t count_code(k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < diags.count; i++)
        n += diags.items[i].code == code;
    return n;
}

static const k2e_diag *find_diag(k2e_diag_code code)
{
    for (size_t i = 0; i < diags.count; i++) {
        if (diags.items[i].code == code)
            return &diags.items[i];
    }
    return NULL;
}

static void assert_object(size_t i, const char *kind, const char *ns, const char *name,
                          const char *group)
{
    ck_assert_uint_lt(i, index_.count);
    const k2e_object *o = &index_.items[i];
    ck_assert_str_eq(o->kind, kind);
    ck_assert_str_eq(o->namespace_, ns);
    ck_assert_str_eq(o->name, name);
    ck_assert_str_eq(o->group, group);
}

static const char configmap_a[] = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n";

/* --- Lists -------------------------------------------------------------------- */

START_TEST(list_items_are_indexed_each)
{
    ck_assert(add("list.yaml", "apiVersion: v1\n"
                               "kind: List\n"
                               "metadata:\n"
                               "  resourceVersion: \"\"\n"
                               "items:\n"
                               "- apiVersion: v1\n"
                               "  kind: ConfigMap\n"
                               "  metadata: {name: one}\n"
                               "- apiVersion: apps/v1\n"
                               "  kind: Deployment\n"
                               "  metadata: {name: two, namespace: web}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 2);
    assert_object(0, "ConfigMap", "default", "one", "");
    assert_object(1, "Deployment", "web", "two", "apps");
    ck_assert_uint_eq(index_.items[1].root->line, 9);
    ck_assert_str_eq(index_.items[1].file, "list.yaml");
    ck_assert_uint_eq(diags.count, 0);
    /* the List wrapper itself is consumed: nothing to report */
    k2e_report_unconsumed(files[0].documents[0].root, &diags, NULL, NULL);
    for (size_t i = 0; i < diags.count; i++)
        ck_assert_str_ne(diags.items[i].path, "metadata");
}
END_TEST

START_TEST(typed_list_kind_is_flattened)
{
    ck_assert(add("l.json", "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMapList\", \"items\": ["
                            "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", "
                            "\"metadata\": {\"name\": \"x\"}}]}"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 1);
    assert_object(0, "ConfigMap", "default", "x", "");
}
END_TEST

START_TEST(empty_list_adds_nothing)
{
    ck_assert(add("l.yaml", "apiVersion: v1\nkind: List\nitems: []\n"));
    ck_assert(add("m.yaml", "apiVersion: v1\nkind: List\nitems:\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 0);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(list_item_that_is_not_an_object_is_e005)
{
    ck_assert(!add("l.yaml", "apiVersion: v1\nkind: List\nitems:\n- just text\n"
                             "- {apiVersion: v1, kind: Secret, metadata: {name: s}}\n"));
    ck_assert_uint_eq(count_code(K2E_E_NOT_OBJECT), 1);
    ck_assert_uint_eq(find_diag(K2E_E_NOT_OBJECT)->line, 4);
    ck_assert_uint_eq(index_.count, 1); /* the good item is kept */
}
END_TEST

/* --- Order --------------------------------------------------------------------- */

static const char *const shuffled[] = {
    "apiVersion: v1\nkind: Service\nmetadata: {name: b}\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: z, namespace: other}\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n",
};

static void check_canonical_order(void)
{
    ck_assert_uint_eq(index_.count, 4);
    assert_object(0, "ConfigMap", "default", "a", "");
    assert_object(1, "ConfigMap", "other", "z", "");
    assert_object(2, "Deployment", "default", "a", "apps");
    assert_object(3, "Service", "default", "b", "");
}

START_TEST(objects_sorted_canonically)
{
    char text[1024] = "";
    for (size_t i = 0; i < 4; i++) {
        strcat(text, "---\n");
        strcat(text, shuffled[i]);
    }
    ck_assert(add("all.yaml", text));
    k2e_index_finish(&index_, &diags);
    check_canonical_order();
}
END_TEST

START_TEST(objects_sorted_canonically_in_reverse_insertion)
{
    char text[1024] = "";
    for (size_t i = 4; i > 0; i--) {
        strcat(text, "---\n");
        strcat(text, shuffled[i - 1]);
    }
    ck_assert(add("all.yaml", text));
    k2e_index_finish(&index_, &diags);
    check_canonical_order();
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(same_name_in_two_groups_sorted_by_group_and_not_duplicates)
{
    ck_assert(add("a.yaml", "apiVersion: extensions/v1beta1\nkind: Deployment\n"
                            "metadata: {name: d}\n---\n"
                            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 2);
    assert_object(0, "Deployment", "default", "d", "apps");
    assert_object(1, "Deployment", "default", "d", "extensions");
    ck_assert(!index_.items[0].duplicate && !index_.items[1].duplicate);
    ck_assert_uint_eq(count_code(K2E_E_DUPLICATE_OBJECT), 0);
}
END_TEST

/* --- Duplicates -------------------------------------------------------------------- */

START_TEST(duplicate_across_files_is_e007_naming_the_other_file)
{
    const char *dep = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n";
    /* added in reverse file order: the index, not the caller, decides */
    ck_assert(add("b.yaml", dep));
    ck_assert(add("a.yaml", dep));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 2);
    ck_assert_str_eq(index_.items[0].file, "a.yaml");
    ck_assert(!index_.items[0].duplicate);
    ck_assert_str_eq(index_.items[1].file, "b.yaml");
    ck_assert(index_.items[1].duplicate);
    ck_assert_uint_eq(count_code(K2E_E_DUPLICATE_OBJECT), 1);
    const k2e_diag *d = find_diag(K2E_E_DUPLICATE_OBJECT);
    ck_assert_int_eq(d->severity, K2E_SEV_ERROR);
    ck_assert_str_eq(d->file, "b.yaml");
    ck_assert_uint_eq(d->line, 1);
    ck_assert_str_eq(d->message, "Deployment default/api is also defined at a.yaml:1");
    /* the skipped copy is consumed: no "not converted" noise for it */
    size_t before = diags.count;
    k2e_report_unconsumed(index_.items[1].root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, before);
}
END_TEST

START_TEST(three_copies_all_name_the_first)
{
    ck_assert(add("one.yaml", configmap_a));
    ck_assert(add("two.yaml", "# x\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                              "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 3);
    ck_assert_uint_eq(count_code(K2E_E_DUPLICATE_OBJECT), 2);
    for (size_t i = 0; i < diags.count; i++) {
        ck_assert_str_eq(diags.items[i].file, "two.yaml");
        ck_assert_ptr_nonnull(strstr(diags.items[i].message, "one.yaml:1"));
    }
    ck_assert_uint_eq(diags.items[0].line, 3);
    ck_assert_uint_eq(diags.items[1].line, 8);
}
END_TEST

START_TEST(same_name_other_namespace_is_not_a_duplicate)
{
    ck_assert(add("a.yaml", configmap_a));
    ck_assert(add("b.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: x}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 2);
    ck_assert_uint_eq(diags.count, 0);
}
END_TEST

START_TEST(explicit_default_namespace_duplicates_implicit)
{
    ck_assert(add("a.yaml", configmap_a));
    ck_assert(add("b.yaml",
                  "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(count_code(K2E_E_DUPLICATE_OBJECT), 1);
}
END_TEST

/* --- Namespace, group, find ----------------------------------------------------------- */

START_TEST(default_namespace_applied)
{
    k2e_index_release(&index_);
    k2e_index_init(&index_, "prod");
    ck_assert(add("a.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n1}\n---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n2, namespace: ~}\n"
                            "---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: n3, namespace: qa}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 3);
    assert_object(0, "ConfigMap", "prod", "n1", "");
    assert_object(1, "ConfigMap", "prod", "n2", "");
    assert_object(2, "ConfigMap", "qa", "n3", "");
}
END_TEST

START_TEST(group_parsed_from_api_version)
{
    static const struct { const char *api_version, *kind, *group; } cases[] = {
        {"v1", "Service", ""},
        {"apps/v1", "Deployment", "apps"},
        {"batch/v1", "CronJob", "batch"},
        {"networking.k8s.io/v1", "Ingress", "networking.k8s.io"},
        {"autoscaling/v2", "HorizontalPodAutoscaler", "autoscaling"},
    };
    char text[2048] = "";
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char doc[256];
        snprintf(doc, sizeof doc, "---\napiVersion: %s\nkind: %s\nmetadata: {name: x}\n",
                 cases[i].api_version, cases[i].kind);
        strcat(text, doc);
    }
    ck_assert(add("g.yaml", text));
    k2e_index_finish(&index_, &diags);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const k2e_object *o =
            k2e_index_find(&index_, cases[i].group, cases[i].kind, "default", "x");
        ck_assert_msg(o != NULL, "%s not found in group '%s'", cases[i].kind, cases[i].group);
        ck_assert_str_eq(o->group, cases[i].group);
        ck_assert_str_eq(o->api_version, cases[i].api_version);
    }
}
END_TEST

START_TEST(find_hits_and_misses)
{
    ck_assert(add("a.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api, namespace: web}\n"
                            "---\n"
                            "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                            "---\n"
                            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: db}\n"));
    k2e_index_finish(&index_, &diags);
    const k2e_object *o = k2e_index_find(&index_, "apps", "Deployment", "web", "api");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(o->name, "api");
    ck_assert_uint_eq(o->root->line, 1);
    o = k2e_index_find(&index_, "", "Secret", "default", "db");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(o->kind, "Secret");
    o = k2e_index_find(&index_, "", "ConfigMap", "default", "db");
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(o->kind, "ConfigMap");
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Deployment", "web", "api"));     /* group */
    ck_assert_ptr_null(k2e_index_find(&index_, "apps", "Deployment", "default", "api"));
    ck_assert_ptr_null(k2e_index_find(&index_, "apps", "Deployment", "web", "apj"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Secret", "default", "dc"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Service", "default", "db"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Aaa", "default", "db"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Zzz", "default", "db"));
}
END_TEST

START_TEST(find_in_empty_index)
{
    k2e_index_finish(&index_, &diags);
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Secret", "default", "db"));
}
END_TEST

/* --- Not objects ----------------------------------------------------------------------- */

typedef struct {
    const char *name;
    const char *text;
    unsigned line;
    const char *path;
} bad_object;

static const bad_object bad_objects[] = {
    {"no apiVersion", "kind: Pod\nmetadata: {name: p}\n", 1, ""},
    {"no kind", "apiVersion: v1\nmetadata: {name: p}\n", 1, ""},
    {"null kind", "apiVersion: v1\nkind:\nmetadata: {name: p}\n", 1, ""},
    {"no metadata", "apiVersion: v1\nkind: Pod\nspec: {}\n", 1, ""},
    {"no name", "apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b}\n", 3, "metadata"},
    {"empty name", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"\"\n", 4, "metadata.name"},
    {"a list", "- apiVersion: v1\n", 1, ""},
    {"a scalar", "hello\n", 1, ""},
};

START_TEST(not_an_object_is_e005)
{
    const bad_object *c = &bad_objects[_i];
    ck_assert(!add("bad.yaml", c->text));
    ck_assert_msg(count_code(K2E_E_NOT_OBJECT) == 1, "%s: %zu E005 (of %zu)", c->name,
                  count_code(K2E_E_NOT_OBJECT), diags.count);
    const k2e_diag *d = find_diag(K2E_E_NOT_OBJECT);
    ck_assert_str_eq(d->file, "bad.yaml");
    ck_assert_msg(d->line == c->line, "%s: line %u", c->name, d->line);
    ck_assert_msg(strcmp(d->path, c->path) == 0, "%s: path '%s'", c->name, d->path);
    ck_assert_uint_eq(index_.count, 0);
}
END_TEST

START_TEST(missing_field_message_names_it)
{
    ck_assert(!add("bad.yaml", "apiVersion: v1\nmetadata: {name: p}\n"));
    ck_assert_str_eq(find_diag(K2E_E_NOT_OBJECT)->message, "missing 'kind'");
}
END_TEST

START_TEST(non_string_kind_is_a_type_error)
{
    ck_assert(!add("bad.yaml", "apiVersion: v1\nkind: 5\nmetadata: {name: p}\n"));
    const k2e_diag *d = find_diag(K2E_E_TYPE);
    ck_assert_ptr_nonnull(d);
    ck_assert_uint_eq(d->line, 2);
    ck_assert_str_eq(d->path, "kind");
    ck_assert_uint_eq(index_.count, 0);
}
END_TEST

START_TEST(bad_document_does_not_stop_the_others)
{
    ck_assert(!add("mixed.yaml", "kind: Pod\n---\napiVersion: v1\nkind: ConfigMap\n"
                                 "metadata: {name: ok}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 1);
    assert_object(0, "ConfigMap", "default", "ok", "");
}
END_TEST

/* --- generateName ---------------------------------------------------------------------- */

START_TEST(generate_name_is_used_with_i012)
{
    ck_assert(add("job.yaml", "apiVersion: batch/v1\n"
                              "kind: Job\n"
                              "metadata:\n"
                              "  generateName: migrate-\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 1);
    assert_object(0, "Job", "default", "migrate", "batch");
    ck_assert_uint_eq(diags.count, 1);
    const k2e_diag *d = &diags.items[0];
    ck_assert_int_eq(d->code, K2E_I_GENERATED_NAME);
    ck_assert_int_eq(d->severity, K2E_SEV_INFO);
    ck_assert_uint_eq(d->line, 4);
    ck_assert_uint_eq(d->column, 3); /* the key generateName */
    ck_assert_str_eq(d->path, "metadata.generateName");
    ck_assert_ptr_nonnull(strstr(d->message, "'migrate'"));
}
END_TEST

START_TEST(generate_name_without_dash_is_kept_whole)
{
    ck_assert(add("job.yaml", "apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: run}\n"));
    k2e_index_finish(&index_, &diags);
    assert_object(0, "Job", "default", "run", "batch");
}
END_TEST

/* --- Server-side noise ---------------------------------------------------------------- */

static const char exported[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  annotations:\n"
    "    deployment.kubernetes.io/revision: \"3\"\n"
    "    kubectl.kubernetes.io/last-applied-configuration: |\n"
    "      {\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\"}\n"
    "  creationTimestamp: \"2024-01-01T00:00:00Z\"\n"
    "  generation: 3\n"
    "  managedFields:\n"
    "  - manager: kubectl\n"
    "    operation: Update\n"
    "  name: api\n"
    "  namespace: web\n"
    "  resourceVersion: \"12345\"\n"
    "  selfLink: /apis/apps/v1/namespaces/web/deployments/api\n"
    "  uid: 0b6f0a3e-1111-2222-3333-444455556666\n"
    "spec:\n"
    "  replicas: 2\n"
    "status:\n"
    "  availableReplicas: 2\n"
    "  conditions:\n"
    "  - type: Available\n";

START_TEST(exported_object_noise_is_consumed_quietly)
{
    ck_assert(add("exported.yaml", exported));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 1);
    assert_object(0, "Deployment", "web", "api", "apps");
    k2e_node *root = index_.items[0].root;
    k2e_consume_all(k2e_take(root, "spec")); /* what a mapper would do */
    k2e_report_unconsumed(root, &diags, NULL, NULL);
    ck_assert_msg(diags.count == 0, "%zu findings, first: %s", diags.count,
                  diags.count ? diags.items[0].path : "");
}
END_TEST

START_TEST(other_annotations_are_still_reported)
{
    ck_assert(add("exported.yaml", "apiVersion: v1\n"
                                   "kind: ConfigMap\n"
                                   "metadata:\n"
                                   "  name: c\n"
                                   "  annotations:\n"
                                   "    kubectl.kubernetes.io/last-applied-configuration: \"{}\"\n"
                                   "    team: payments\n"
                                   "status: {}\n"));
    k2e_index_finish(&index_, &diags);
    k2e_report_unconsumed(index_.items[0].root, &diags, NULL, NULL);
    /* each remaining annotation is reported on its own line */
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].code, K2E_W_NOT_CONVERTED);
    ck_assert_str_eq(diags.items[0].path, "metadata.annotations.team");
    ck_assert_uint_eq(diags.items[0].line, 7);
    k2e_node *annotations = k2e_get(k2e_get(index_.items[0].root, "metadata"), "annotations");
    ck_assert(k2e_get(annotations, "kubectl.kubernetes.io/last-applied-configuration")->consumed);
    ck_assert(!k2e_get(annotations, "team")->consumed);
}
END_TEST

START_TEST(unknown_fields_remain_for_the_mapper)
{
    ck_assert(add("c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n"
                            "  labels: {a: b}\ndata: {k: v}\n"));
    k2e_index_finish(&index_, &diags);
    k2e_report_unconsumed(index_.items[0].root, &diags, NULL, NULL);
    ck_assert_uint_eq(diags.count, 2);
    ck_assert_str_eq(diags.items[0].path, "metadata.labels");
    ck_assert_str_eq(diags.items[1].path, "data");
}
END_TEST

/* Kinds x namespaces x names in one file, every object reachable by find and
 * by its kind's run (issue 11: lookups by hash and binary search). */
static char *many_objects(void)
{
    static const char *const kinds[] = {"Deployment", "Service", "ConfigMap"};
    static const char *const versions[] = {"apps/v1", "v1", "v1"};
    size_t size = 3 * 5 * 200 * 96 + 1, used = 0;
    char *text = malloc(size);
    ck_assert_ptr_nonnull(text);
    for (int k = 0; k < 3; k++)
        for (int ns = 0; ns < 5; ns++)
            for (int n = 199; n >= 0; n--) /* reverse: finish must sort */
                used += (size_t)snprintf(text + used, size - used,
                                         "---\napiVersion: %s\nkind: %s\n"
                                         "metadata: {name: o-%03d, namespace: ns-%d}\n",
                                         versions[k], kinds[k], n, ns);
    return text;
}

START_TEST(many_objects_are_each_found)
{
    char *text = many_objects();
    ck_assert(add("many.yaml", text));
    /* a second copy of one object: find gives the first (canonical) one */
    ck_assert(add("dup.yaml", "apiVersion: v1\nkind: Service\n"
                              "metadata: {name: o-007, namespace: ns-3}\n"));
    k2e_index_finish(&index_, &diags);
    ck_assert_uint_eq(index_.count, 3001);
    for (size_t i = 0; i < index_.count; i++) {
        const k2e_object *o = &index_.items[i];
        const k2e_object *found = k2e_index_find(&index_, o->group, o->kind, o->namespace_, o->name);
        ck_assert_ptr_nonnull(found);
        ck_assert(!found->duplicate);
        ck_assert_ptr_eq(found, o->duplicate ? o - 1 : o);
        ck_assert_uint_eq(k2e_index_position(&index_, found), (size_t)(found - index_.items));
    }
    const k2e_object *dup = k2e_index_find(&index_, "", "Service", "ns-3", "o-007");
    ck_assert_str_eq(dup->file, "dup.yaml"); /* canonical order: by file name */
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Service", "ns-5", "o-007"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Service", "ns-3", "o-200"));
    ck_assert_ptr_null(k2e_index_find(&index_, "apps", "Service", "ns-3", "o-007"));
    ck_assert_ptr_null(k2e_index_find(&index_, "", "Deployment", "ns-3", "o-007"));
    free(text);
}
END_TEST

START_TEST(kind_runs_by_namespace_and_in_all)
{
    char *text = many_objects();
    ck_assert(add("many.yaml", text));
    ck_assert(add("dup.yaml", "apiVersion: v1\nkind: Service\n"
                              "metadata: {name: o-007, namespace: ns-3}\n"));
    k2e_index_finish(&index_, &diags);
    size_t n;
    const k2e_object *run = k2e_index_kind(&index_, "Service", "ns-3", &n);
    ck_assert_uint_eq(n, 201); /* the duplicate is in the run, flagged */
    size_t flagged = 0;
    for (size_t i = 0; i < n; i++) {
        ck_assert_str_eq(run[i].kind, "Service");
        ck_assert_str_eq(run[i].namespace_, "ns-3");
        if (i > 0)
            ck_assert_int_le(strcmp(run[i - 1].name, run[i].name), 0);
        flagged += run[i].duplicate;
    }
    ck_assert_uint_eq(flagged, 1);
    run = k2e_index_kind(&index_, "Deployment", NULL, &n);
    ck_assert_uint_eq(n, 1000);
    ck_assert_str_eq(run[0].namespace_, "ns-0");
    ck_assert_str_eq(run[999].namespace_, "ns-4");
    ck_assert_str_eq(run[999].name, "o-199");
    ck_assert_ptr_null(k2e_index_kind(&index_, "Deployment", "ns-9", &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(k2e_index_kind(&index_, "Job", NULL, &n));
    ck_assert_uint_eq(n, 0);
    ck_assert_ptr_null(k2e_index_kind(&index_, "Aaa", "ns-0", &n));
    ck_assert_ptr_null(k2e_index_kind(&index_, "Zzz", NULL, &n));
    /* first and last kinds of the order */
    run = k2e_index_kind(&index_, "ConfigMap", "ns-0", &n);
    ck_assert_uint_eq(n, 200);
    ck_assert_ptr_eq(run, &index_.items[0]);
    free(text);
}
END_TEST

START_TEST(kind_run_in_empty_index)
{
    k2e_index_finish(&index_, &diags);
    size_t n = 99;
    ck_assert_ptr_null(k2e_index_kind(&index_, "Service", NULL, &n));
    ck_assert_uint_eq(n, 0);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("index");
    TCase *t = tcase_create("lists");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, list_items_are_indexed_each);
    tcase_add_test(t, typed_list_kind_is_flattened);
    tcase_add_test(t, empty_list_adds_nothing);
    tcase_add_test(t, list_item_that_is_not_an_object_is_e005);
    suite_add_tcase(s, t);

    t = tcase_create("order_and_duplicates");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, objects_sorted_canonically);
    tcase_add_test(t, objects_sorted_canonically_in_reverse_insertion);
    tcase_add_test(t, same_name_in_two_groups_sorted_by_group_and_not_duplicates);
    tcase_add_test(t, duplicate_across_files_is_e007_naming_the_other_file);
    tcase_add_test(t, three_copies_all_name_the_first);
    tcase_add_test(t, same_name_other_namespace_is_not_a_duplicate);
    tcase_add_test(t, explicit_default_namespace_duplicates_implicit);
    suite_add_tcase(s, t);

    t = tcase_create("lookup");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, default_namespace_applied);
    tcase_add_test(t, group_parsed_from_api_version);
    tcase_add_test(t, find_hits_and_misses);
    tcase_add_test(t, find_in_empty_index);
    tcase_add_test(t, many_objects_are_each_found);
    tcase_add_test(t, kind_runs_by_namespace_and_in_all);
    tcase_add_test(t, kind_run_in_empty_index);
    suite_add_tcase(s, t);

    t = tcase_create("not_objects");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_loop_test(t, not_an_object_is_e005, 0,
                        (int)(sizeof bad_objects / sizeof bad_objects[0]));
    tcase_add_test(t, missing_field_message_names_it);
    tcase_add_test(t, non_string_kind_is_a_type_error);
    tcase_add_test(t, bad_document_does_not_stop_the_others);
    suite_add_tcase(s, t);

    t = tcase_create("names_and_noise");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, generate_name_is_used_with_i012);
    tcase_add_test(t, generate_name_without_dash_is_kept_whole);
    tcase_add_test(t, exported_object_noise_is_consumed_quietly);
    tcase_add_test(t, other_annotations_are_still_reported);
    tcase_add_test(t, unknown_fields_remain_for_the_mapper);
    suite_add_tcase(s, t);
    return s;
}
