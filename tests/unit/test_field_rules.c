/* The field-rule engine (map/field_rules.c): quiet values and their
 * alternatives, K2E_ANY, kind filters, YAML 1.1 booleans, collections,
 * Kubernetes' defaults for absent fields, consumption and the error flag. */
#include <string.h>

#include "k2e_test.h"
#include "map/field_rules.h"

static const k2e_field_rule rules[] = {
    {NULL, "policy", "Always|IfNotPresent", NULL, K2E_W_POD_FEATURE, "not converted", NULL,
     "a hint"},
    {NULL, "anything", K2E_ANY, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
    {"Job", "onlyJobs", NULL, NULL, K2E_W_JOB_BEHAVIOUR, "job field", "scheduled words",
     "hint"},
    {NULL, "hostNetwork", "false", NULL, K2E_E_FARGATE_FORBIDDEN, "forbidden", NULL, "hint"},
    {NULL, "backoffLimit", "0", "6", K2E_W_JOB_BEHAVIOUR, "no retries", NULL, "hint"},
    {NULL, "limit", "10", "10", K2E_I_SERVICE, "quiet default", NULL, "hint"},
    {NULL, NULL, NULL, NULL, K2E_I_SERVICE, NULL, NULL, NULL},
};

typedef struct {
    k2e_file file;
    k2e_diags diags;
    k2e_node *root;
} doc;

static void load(doc *d, const char *yaml)
{
    k2e_limits limits = k2e_limits_default();
    k2e_diags_init(&d->diags);
    ck_assert(k2e_read_buffer("t.yaml", yaml, strlen(yaml), &limits, &d->file, &d->diags));
    d->root = d->file.documents[0].root;
}

static void done(doc *d)
{
    k2e_file_free(&d->file);
    k2e_diags_release(&d->diags);
}

static bool apply(doc *d, const char *kind, k2e_rules_variant variant)
{
    return k2e_field_rules_apply(&d->diags, d->root, k2e_get(d->root, "spec"), NULL, kind, rules,
                                 variant);
}

START_TEST(quiet_values_alternatives_and_any)
{
    doc d;
    load(&d, "spec:\n  policy: IfNotPresent\n  anything: [1, 2]\n  backoffLimit: 0\n"
             "  limit: 10\n");
    ck_assert(!apply(&d, "Deployment", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 0);
    ck_assert(k2e_get(k2e_get(d.root, "spec"), "anything")->consumed);
    ck_assert(k2e_get(k2e_get(d.root, "spec"), "anything")->items[0]->consumed);
    done(&d);
}
END_TEST

START_TEST(other_values_are_reported_in_one_form)
{
    doc d;
    load(&d, "spec:\n  policy: Never\n  backoffLimit: 3\n  anything: x\n  limit: 5\n");
    ck_assert(!apply(&d, "Deployment", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 3);
    ck_assert_str_eq(d.diags.items[0].message, "policy Never: not converted");
    ck_assert_str_eq(d.diags.items[0].hint, "a hint");
    ck_assert_uint_eq(d.diags.items[0].line, 2);
    ck_assert_str_eq(d.diags.items[1].message, "backoffLimit 3: no retries");
    ck_assert_str_eq(d.diags.items[2].message, "limit 5: quiet default");
    done(&d);
}
END_TEST

START_TEST(kind_filter_and_scheduled_variant)
{
    doc d;
    load(&d, "spec:\n  onlyJobs: {a: 1}\n  backoffLimit: 0\n");
    ck_assert(!apply(&d, "Deployment", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 0);
    ck_assert(!k2e_get(k2e_get(d.root, "spec"), "onlyJobs")->consumed);
    ck_assert(!apply(&d, "Job", K2E_RULES_SCHEDULED));
    ck_assert_uint_eq(d.diags.count, 1);
    ck_assert_str_eq(d.diags.items[0].message, "onlyJobs: scheduled words"); /* no value text */
    done(&d);
}
END_TEST

START_TEST(yaml_11_booleans_and_errors)
{
    doc d;
    load(&d, "spec:\n  hostNetwork: off\n  backoffLimit: 0\n");
    ck_assert(!apply(&d, "Pod", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 0);
    done(&d);
    load(&d, "spec:\n  hostNetwork: On\n  backoffLimit: 0\n");
    ck_assert(apply(&d, "Pod", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 1);
    ck_assert_str_eq(d.diags.items[0].message, "hostNetwork true: forbidden");
    ck_assert_int_eq(d.diags.items[0].severity, K2E_SEV_ERROR);
    ck_assert_uint_eq(d.diags.items[0].line, 2); /* at the key, not the value (column 16) */
    ck_assert_uint_eq(d.diags.items[0].column, 3);
    done(&d);
}
END_TEST

START_TEST(absent_fields_count_as_their_default)
{
    doc d;
    load(&d, "spec:\n  policy: Always\n");
    ck_assert(!apply(&d, "Job", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 1);
    ck_assert_str_eq(d.diags.items[0].message,
                     "backoffLimit 6 (Kubernetes' default): no retries");
    ck_assert_uint_eq(d.diags.items[0].line, 1); /* at the key of the mapping lacking it */
    ck_assert_uint_eq(d.diags.items[0].column, 1);
    ck_assert_str_eq(d.diags.items[0].path, "spec");
    done(&d);
}
END_TEST

START_TEST(null_values_are_absent_for_quiet_purposes)
{
    doc d;
    load(&d, "spec:\n  policy: ~\n  backoffLimit: 0\n");
    ck_assert(!apply(&d, "Job", K2E_RULES_PLAIN));
    ck_assert_uint_eq(d.diags.count, 0);
    ck_assert(k2e_get(k2e_get(d.root, "spec"), "policy")->consumed);
    done(&d);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("field_rules");
    TCase *t = tcase_create("rules");
    tcase_add_test(t, quiet_values_alternatives_and_any);
    tcase_add_test(t, other_values_are_reported_in_one_form);
    tcase_add_test(t, kind_filter_and_scheduled_variant);
    tcase_add_test(t, yaml_11_booleans_and_errors);
    tcase_add_test(t, absent_fields_count_as_their_default);
    tcase_add_test(t, null_values_are_absent_for_quiet_purposes);
    suite_add_tcase(s, t);
    return s;
}
