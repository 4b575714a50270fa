/* Labels -> ECS tags (tags.c): the rules shared by task definitions,
 * services and run-task inputs. */
#include <stdio.h>
#include <string.h>

#include "k2e_test.h"
#include "map/tags.h"

START_TEST(tag_rules)
{
    ck_assert(k2e_valid_tag("app.kubernetes.io/name", "api"));
    ck_assert(k2e_valid_tag("team", "payments and ops @ x=1+2:3"));
    ck_assert(k2e_valid_tag("k", ""));
    ck_assert(!k2e_valid_tag("", "v"));
    ck_assert(!k2e_valid_tag("aws:x", "v"));
    ck_assert(!k2e_valid_tag("AWS:x", "v"));
    ck_assert(!k2e_valid_tag("k", "{{ .Values.app }}"));
    ck_assert(!k2e_valid_tag("k*", "v"));
    char long_key[130];
    memset(long_key, 'k', 129);
    long_key[129] = '\0';
    ck_assert(!k2e_valid_tag(long_key, "v"));
    long_key[128] = '\0';
    ck_assert(k2e_valid_tag(long_key, "v"));
}
END_TEST

START_TEST(labels_sorted_and_invalid_ones_reported)
{
    const char *yaml = "labels:\n  zeta: \"1\"\n  alpha: a\n  bad: \"$(x)\"\n  aws:owner: me\n";
    k2e_limits limits = k2e_limits_default();
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_file file;
    ck_assert(k2e_read_buffer("t.yaml", yaml, strlen(yaml), &limits, &file, &diags));
    k2e_node *root = file.documents[0].root;
    json_t *tags = k2e_labels_to_tags(k2e_get(root, "labels"), root, "service tag", &diags);
    char *text = json_dumps(tags, JSON_COMPACT);
    ck_assert_str_eq(text, "[{\"key\":\"alpha\",\"value\":\"a\"},{\"key\":\"zeta\",\"value\":\"1\"}]");
    ck_assert_uint_eq(diags.count, 2);
    ck_assert_str_eq(diags.items[0].message, "label not converted to a service tag");
    ck_assert_str_eq(diags.items[0].path, "labels[\"aws:owner\"]");
    ck_assert_str_eq(diags.items[1].path, "labels.bad");
    ck_assert(k2e_get(root, "labels")->consumed);
    free(text);
    json_decref(tags);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
}
END_TEST

START_TEST(at_most_fifty_tags)
{
    char yaml[4096] = "labels:\n";
    for (int i = 0; i < 52; i++)
        snprintf(yaml + strlen(yaml), sizeof yaml - strlen(yaml), "  k%02d: v\n", i);
    k2e_limits limits = k2e_limits_default();
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_file file;
    ck_assert(k2e_read_buffer("t.yaml", yaml, strlen(yaml), &limits, &file, &diags));
    k2e_node *root = file.documents[0].root;
    json_t *tags = k2e_labels_to_tags(k2e_get(root, "labels"), root, "tag", &diags);
    ck_assert_uint_eq(json_array_size(tags), 50);
    ck_assert_uint_eq(diags.count, 2);
    ck_assert_str_eq(diags.items[0].path, "labels.k50");
    json_decref(tags);
    ck_assert_ptr_null(k2e_labels_to_tags(NULL, root, "tag", &diags));
    k2e_file_free(&file);
    k2e_diags_release(&diags);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("tags");
    TCase *t = tcase_create("tags");
    tcase_add_test(t, tag_rules);
    tcase_add_test(t, labels_sorted_and_invalid_ones_reported);
    tcase_add_test(t, at_most_fifty_tags);
    suite_add_tcase(s, t);
    return s;
}
