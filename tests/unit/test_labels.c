/* Unit tests for read/labels.c: candidates of a selector from the label
 * index, checked against a direct match of every label set. */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"
#include "read/labels.h"
#include "read/yaml_tree.h"

static k2e_file file;
static k2e_diags diags;
static k2e_label_index li;

static void setup(void)
{
    memset(&file, 0, sizeof file);
    k2e_diags_init(&diags);
    k2e_label_index_init(&li);
}

static void teardown(void)
{
    k2e_label_index_release(&li);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
}

static k2e_node *parse(const char *text)
{
    k2e_limits limits = k2e_limits_default();
    ck_assert(k2e_read_buffer("t.yaml", text, strlen(text), &limits, &file, &diags));
    return file.documents[0].root;
}

static bool ids_equal(const size_t *ids, size_t n, const size_t *want, size_t want_n)
{
    if (n != want_n)
        return false;
    for (size_t i = 0; i < n; i++) {
        if (ids[i] != want[i])
            return false;
    }
    return true;
}

START_TEST(rarest_pair_gives_the_candidates)
{
    k2e_node *root = parse("sets:\n"
                           "  - {app: web, tier: front}\n"   /* 0 */
                           "  - {app: web, tier: back}\n"    /* 1 */
                           "  - {app: api, tier: back}\n"    /* 2 */
                           "  - {app: web}\n"                /* 3 */
                           "selectors:\n"
                           "  - {app: web, tier: back}\n"
                           "  - {app: web}\n"
                           "  - {tier: back}\n"
                           "  - {app: nope, tier: back}\n"
                           "  - {}\n"
                           "  - {app: [web]}\n");
    k2e_node *sets = k2e_get(root, "sets"), *selectors = k2e_get(root, "selectors");
    for (size_t i = 0; i < sets->count; i++)
        ck_assert(k2e_label_index_add(&li, "ns", sets->items[i], i));
    size_t n;
    const size_t *ids = k2e_label_index_candidates(&li, "ns", selectors->items[0], &n);
    /* app=web has 3 sets, tier=back 2: the rarer one */
    ck_assert(ids_equal(ids, n, (const size_t[]){1, 2}, 2));
    ids = k2e_label_index_candidates(&li, "ns", selectors->items[1], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){0, 1, 3}, 3));
    ids = k2e_label_index_candidates(&li, "ns", selectors->items[2], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){1, 2}, 2));
    ids = k2e_label_index_candidates(&li, "ns", selectors->items[3], &n);
    ck_assert_ptr_null(ids);
    ck_assert_uint_eq(n, 0);
    /* no usable pair: the whole namespace */
    ids = k2e_label_index_candidates(&li, "ns", selectors->items[4], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){0, 1, 2, 3}, 4));
    ids = k2e_label_index_candidates(&li, "ns", selectors->items[5], &n);
    ck_assert_uint_eq(n, 4);
    ids = k2e_label_index_candidates(&li, "ns", NULL, &n);
    ck_assert_uint_eq(n, 4);
    ck_assert_ptr_nonnull(ids);
}
END_TEST

START_TEST(namespaces_are_kept_apart)
{
    k2e_node *root = parse("[{app: web}, {app: web}, {app: web}, {pp: web}, {p: web}]\n");
    ck_assert(k2e_label_index_add(&li, "a", root->items[0], 0));
    ck_assert(k2e_label_index_add(&li, "b", root->items[1], 1));
    ck_assert(k2e_label_index_add(&li, "a", root->items[2], 2));
    size_t n;
    const size_t *ids = k2e_label_index_candidates(&li, "a", root->items[0], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){0, 2}, 2));
    ids = k2e_label_index_candidates(&li, "b", root->items[0], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){1}, 1));
    ck_assert_ptr_null(k2e_label_index_candidates(&li, "c", root->items[0], &n));
    ck_assert_ptr_null(k2e_label_index_candidates(&li, "c", NULL, &n));
    /* namespace "a" with label pp and namespace "ap" with label p stay apart */
    ck_assert(k2e_label_index_add(&li, "a", root->items[3], 7));
    ck_assert(k2e_label_index_add(&li, "ap", root->items[4], 8));
    ids = k2e_label_index_candidates(&li, "a", root->items[3], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){7}, 1));
    ids = k2e_label_index_candidates(&li, "ap", root->items[4], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){8}, 1));
}
END_TEST

START_TEST(label_set_that_is_not_a_mapping_counts_for_its_namespace)
{
    k2e_node *root = parse("[x, {app: web}]\n");
    ck_assert(k2e_label_index_add(&li, "a", root->items[0], 0));
    ck_assert(k2e_label_index_add(&li, "a", NULL, 1));
    ck_assert(k2e_label_index_add(&li, "a", root->items[1], 2));
    size_t n;
    k2e_label_index_candidates(&li, "a", NULL, &n);
    ck_assert_uint_eq(n, 3);
    const size_t *ids = k2e_label_index_candidates(&li, "a", root->items[1], &n);
    ck_assert(ids_equal(ids, n, (const size_t[]){2}, 1));
}
END_TEST

/* 600 label sets over 5 namespaces and 7 apps x 3 tiers: every candidate
 * list contains every set that really matches, and none of another
 * namespace. */
START_TEST(candidates_are_a_superset_of_the_matches)
{
    k2e_buf text;
    k2e_buf_init(&text);
    k2e_buf_puts(&text, "sets:\n");
    for (int i = 0; i < 600; i++)
        k2e_buf_printf(&text, "  - {app: a%d, tier: t%d, n: \"%d\"}\n", i % 7, i % 3, i);
    k2e_buf_puts(&text, "selectors:\n");
    for (int a = 0; a < 8; a++)
        for (int t = 0; t < 4; t++)
            k2e_buf_printf(&text, "  - {app: a%d, tier: t%d}\n", a, t);
    k2e_node *root = parse(text.data);
    k2e_node *sets = k2e_get(root, "sets"), *selectors = k2e_get(root, "selectors");
    char ns[5][8];
    for (int i = 0; i < 5; i++)
        snprintf(ns[i], sizeof ns[i], "ns%d", i);
    for (size_t i = 0; i < sets->count; i++)
        ck_assert(k2e_label_index_add(&li, ns[i % 5], sets->items[i], i));
    for (size_t s = 0; s < selectors->count; s++) {
        const k2e_node *sel = selectors->items[s];
        for (int space = 0; space < 5; space++) {
            size_t n;
            const size_t *ids = k2e_label_index_candidates(&li, ns[space], sel, &n);
            size_t matches = 0;
            for (size_t i = 0; i < sets->count; i++) {
                const k2e_node *set = sets->items[i];
                bool match = i % 5 == (size_t)space &&
                             strcmp(k2e_get(set, "app")->value, k2e_get(sel, "app")->value) == 0 &&
                             strcmp(k2e_get(set, "tier")->value, k2e_get(sel, "tier")->value) == 0;
                bool listed = false;
                for (size_t j = 0; j < n; j++)
                    listed = listed || ids[j] == i;
                ck_assert(!match || listed);
                ck_assert(!listed || i % 5 == (size_t)space);
                matches += match;
            }
            ck_assert_uint_ge(n, matches);
        }
    }
    k2e_buf_release(&text);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("labels");
    TCase *t = tcase_create("candidates");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, rarest_pair_gives_the_candidates);
    tcase_add_test(t, namespaces_are_kept_apart);
    tcase_add_test(t, label_set_that_is_not_a_mapping_counts_for_its_namespace);
    tcase_add_test(t, candidates_are_a_superset_of_the_matches);
    suite_add_tcase(s, t);
    return s;
}
