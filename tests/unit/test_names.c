/* Unit tests for the name and Secret-key checks of index.c (issue 10): every
 * kind's metadata.name against the rule the API server applies to it,
 * generateName as a prefix, namespaces as labels, and Secret keys checked
 * (and removed, unquoted) before any later stage can use them. */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "read/index.h"
#include "read/yaml_tree.h"

static k2e_file file;
static k2e_index index_;
static k2e_diags diags;

static void setup(void)
{
    memset(&file, 0, sizeof file);
    k2e_diags_init(&diags);
    k2e_index_init(&index_, "default");
}

static void teardown(void)
{
    k2e_index_release(&index_);
    k2e_file_free(&file);
    k2e_diags_release(&diags);
}

static void add_text(const char *text, size_t length)
{
    k2e_index_release(&index_);
    k2e_index_init(&index_, "default");
    k2e_file_free(&file);
    k2e_diags_release(&diags);
    k2e_diags_init(&diags);
    k2e_limits limits = k2e_limits_default();
    ck_assert_msg(k2e_read_buffer("t.yaml", text, length, &limits, &file, &diags),
                  "does not parse: %s", text);
    k2e_index_add_file(&index_, &file, &diags);
}

static size_t count_code(k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < diags.count; i++)
        n += diags.items[i].code == code;
    return n;
}

/* An object of `api_version`/`kind` named `name` (written double-quoted
 * after YAML escaping by the caller); true when it was indexed without a
 * K2E-E010. */
static bool accepted(const char *api_version, const char *kind, const char *field,
                     const char *value)
{
    char text[1200];
    int n = snprintf(text, sizeof text,
                     "apiVersion: %s\nkind: %s\nmetadata:\n  %s: \"%s\"%s\n", api_version,
                     kind, field, value, strcmp(field, "name") ? "\n  name: ok" : "");
    ck_assert_int_lt(n, (int)sizeof text);
    add_text(text, (size_t)n);
    bool ok = count_code(K2E_E_NAME) == 0;
    ck_assert_uint_eq(index_.count, ok ? 1 : 0);
    if (!ok) {
        const k2e_diag *d = &diags.items[0];
        ck_assert_int_eq(d->code, K2E_E_NAME);
        ck_assert_uint_eq(d->line, 4);
        ck_assert_str_ne(d->hint, "");
    }
    return ok;
}

static char *repeat(char c, size_t n)
{
    char *s = malloc(n + 1);
    ck_assert_ptr_nonnull(s);
    memset(s, c, n);
    s[n] = '\0';
    return s;
}

/* --- Names ------------------------------------------------------------------ */

START_TEST(traversal_and_slashes_are_rejected_everywhere)
{
    static const char *const kinds[][2] = {
        {"apps/v1", "Deployment"}, {"v1", "Service"}, {"v1", "ConfigMap"},
        {"batch/v1", "CronJob"}, {"apps/v1", "StatefulSet"}, {"example.com/v1", "Widget"},
        {"rbac.authorization.k8s.io/v1", "ClusterRole"}, {"policy/v1", "PodDisruptionBudget"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        ck_assert_msg(!accepted(kinds[i][0], kinds[i][1], "name", "../../etc/evil"), "%s",
                      kinds[i][1]);
        ck_assert_msg(!accepted(kinds[i][0], kinds[i][1], "name", "x/../../../../escaped"),
                      "%s", kinds[i][1]);
        ck_assert(!accepted(kinds[i][0], kinds[i][1], "name", ".."));
    }
    const k2e_diag *d = &diags.items[0];
    ck_assert_str_eq(d->path, "metadata.name");
    ck_assert_ptr_nonnull(strstr(d->message, "'..'"));
}
END_TEST

START_TEST(subdomain_rule_for_most_kinds)
{
    ck_assert(accepted("apps/v1", "Deployment", "name", "web.v2-api"));
    ck_assert(accepted("apps/v1", "Deployment", "name", "0web"));
    ck_assert(!accepted("apps/v1", "Deployment", "name", "Web"));
    ck_assert(!accepted("apps/v1", "Deployment", "name", "web_api"));
    ck_assert(!accepted("apps/v1", "Deployment", "name", "web-"));
    ck_assert(!accepted("apps/v1", "Deployment", "name", "web..api"));
    ck_assert(!accepted("apps/v1", "Deployment", "name", "-web"));
    ck_assert(!accepted("v1", "ConfigMap", "name", "a b"));
    ck_assert(accepted("example.com/v1", "Widget", "name", "a.b.c"));
    char *max = repeat('a', 253), *over = repeat('a', 254);
    ck_assert(accepted("apps/v1", "Deployment", "name", max));
    ck_assert(!accepted("apps/v1", "Deployment", "name", over));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "no more than 253 characters"));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "...")); /* quoted, cut */
    free(max);
    free(over);
}
END_TEST

START_TEST(service_is_an_rfc1035_label)
{
    ck_assert(accepted("v1", "Service", "name", "web"));
    ck_assert(!accepted("v1", "Service", "name", "1web"));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "DNS-1035"));
    ck_assert(!accepted("v1", "Service", "name", "web.api"));
    char *max = repeat('a', 63), *over = repeat('a', 64);
    ck_assert(accepted("v1", "Service", "name", max));
    ck_assert(!accepted("v1", "Service", "name", over));
    free(max);
    free(over);
    /* Another group's Service is a custom resource: a subdomain. */
    ck_assert(accepted("serving.knative.dev/v1", "Service", "name", "1web.api"));
}
END_TEST

START_TEST(statefulset_and_namespace_are_rfc1123_labels)
{
    ck_assert(accepted("apps/v1", "StatefulSet", "name", "0db"));
    ck_assert(!accepted("apps/v1", "StatefulSet", "name", "my.db"));
    ck_assert(accepted("apps/v1", "Deployment", "name", "my.db"));
    ck_assert(!accepted("v1", "Namespace", "name", "team.a"));
    ck_assert(accepted("v1", "ConfigMap", "namespace", "team-a"));
    ck_assert(!accepted("v1", "ConfigMap", "namespace", "Team_A"));
    ck_assert_str_eq(diags.items[0].path, "metadata.namespace");
    ck_assert(!accepted("v1", "ConfigMap", "namespace", "../kube-system"));
}
END_TEST

START_TEST(cronjob_names_stop_at_52)
{
    char *max = repeat('c', 52), *over = repeat('c', 53);
    ck_assert(accepted("batch/v1", "CronJob", "name", max));
    ck_assert(!accepted("batch/v1", "CronJob", "name", over));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "no more than 52"));
    ck_assert(accepted("batch/v1", "Job", "name", over));
    free(max);
    free(over);
}
END_TEST

START_TEST(rbac_and_budgets_take_any_path_segment)
{
    ck_assert(accepted("rbac.authorization.k8s.io/v1", "ClusterRole", "name",
                       "system:aggregate-to-admin"));
    ck_assert(accepted("rbac.authorization.k8s.io/v1", "RoleBinding", "name", "Admin Binding"));
    ck_assert(!accepted("rbac.authorization.k8s.io/v1", "Role", "name", "a/b"));
    ck_assert(!accepted("rbac.authorization.k8s.io/v1", "Role", "name", "100%"));
    ck_assert(!accepted("rbac.authorization.k8s.io/v1", "Role", "name", "."));
    ck_assert(accepted("policy/v1", "PodDisruptionBudget", "name", "Web_PDB"));
}
END_TEST

START_TEST(generate_name_is_checked_as_a_prefix)
{
    ck_assert(accepted("batch/v1", "Job", "generateName", "nightly-"));
    ck_assert(accepted("batch/v1", "Job", "generateName", "a-"));
    ck_assert(!accepted("batch/v1", "Job", "generateName", "-"));
    ck_assert(!accepted("batch/v1", "Job", "generateName", "../x-"));
    ck_assert_str_eq(diags.items[0].path, "metadata.generateName");
    /* maskTrailingDash drops the character before the '-' as well: "9-"
     * passes for a Service (as "a"), "9a-" does not (as "9a"). */
    ck_assert(accepted("v1", "Service", "generateName", "9-"));
    ck_assert(!accepted("v1", "Service", "generateName", "9a-"));
    /* Without name the prefix less its '-' is the name used: checked too.
     * "a.-" passes as a prefix (masked to "aa"), "a." is no name. */
    const char text[] = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  generateName: a.-\n";
    add_text(text, sizeof text - 1);
    ck_assert_uint_eq(index_.count, 0);
    ck_assert_uint_eq(count_code(K2E_E_NAME), 1);
    ck_assert(accepted("batch/v1", "Job", "generateName", "a.-")); /* with a name */
}
END_TEST

START_TEST(control_characters_and_nul_are_rejected)
{
    ck_assert(!accepted("v1", "ConfigMap", "name", "line\\nbreak"));
    ck_assert(!accepted("v1", "ConfigMap", "name", "esc\\e[31m"));
    /* "a\0/../x": the C string is "a", the node is 7 bytes. */
    ck_assert(!accepted("v1", "ConfigMap", "name", "a\\0/../x"));
    ck_assert_ptr_nonnull(strstr(diags.items[0].message, "'a\\0...'"));
    ck_assert(!accepted("v1", "ConfigMap", "name", "a\\0"));
}
END_TEST

/* --- Secret keys ---------------------------------------------------------------- */

static const char *const marker = "HUNTER2";

static void assert_no_marker(void)
{
    for (size_t i = 0; i < diags.count; i++) {
        const k2e_diag *d = &diags.items[i];
        ck_assert_msg(!strstr(d->message, marker) && !strstr(d->path, marker) &&
                          !strstr(d->hint, marker),
                      "Secret text quoted: %s (%s)", d->message, d->path);
    }
}

static const k2e_node *secret_data(const char *field)
{
    ck_assert_uint_eq(index_.count, 1);
    return k2e_get(index_.items[0].root, field);
}

START_TEST(malformed_flow_mapping_keys_are_errors_without_text)
{
    const char text[] = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\n"
                        "data: {user: YWRtaW4=, HUNTER2, \"HUNTER2 x\": y, ok.key-1_2: eg==}\n"
                        "stringData: {\"..HUNTER2\": v, password: s3cret}\n";
    add_text(text, sizeof text - 1);
    ck_assert_uint_eq(count_code(K2E_E_SECRET_KEY), 3);
    assert_no_marker();
    const k2e_diag *d = &diags.items[0];
    ck_assert_uint_eq(d->line, 4);
    ck_assert_uint_eq(d->column, 24);
    ck_assert_str_eq(d->path, "data");
    /* Only the valid keys are left for the mappers. */
    const k2e_node *data = secret_data("data");
    ck_assert_uint_eq(data->count, 2);
    ck_assert_str_eq(data->keys[0]->value, "user");
    ck_assert_str_eq(data->keys[1]->value, "ok.key-1_2");
    const k2e_node *string_data = secret_data("stringData");
    ck_assert_uint_eq(string_data->count, 1);
    ck_assert_str_eq(string_data->keys[0]->value, "password");
}
END_TEST

START_TEST(secret_key_rule_is_kubernetes)
{
    static const char *const bad[] = {".", "..", "..a", "a/b", "a b", "a:b", "", "ä"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[400];
        int n = snprintf(text, sizeof text,
                         "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                         "data: {\"%s\": eA==}\n", bad[i]);
        add_text(text, (size_t)n);
        ck_assert_msg(count_code(K2E_E_SECRET_KEY) == 1, "key '%s' accepted", bad[i]);
    }
    char *long_key = repeat('k', 254);
    char text[1200];
    int n = snprintf(text, sizeof text,
                     "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {%s: eA==, "
                     "%.253s: eA==, .dotfile: eA==, a..b: eA==}\n", long_key, long_key);
    add_text(text, (size_t)n);
    ck_assert_uint_eq(count_code(K2E_E_SECRET_KEY), 1);
    ck_assert_uint_eq(secret_data("data")->count, 3);
    free(long_key);
}
END_TEST

START_TEST(configmaps_and_other_groups_are_not_secrets)
{
    const char text[] = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n"
                        "data: {\"a b\": x, empty: }\n---\n"
                        "apiVersion: example.com/v1\nkind: Secret\nmetadata: {name: s}\n"
                        "data: {\"a b\": x}\n";
    add_text(text, sizeof text - 1);
    ck_assert_uint_eq(count_code(K2E_E_SECRET_KEY), 0);
    ck_assert_uint_eq(index_.count, 2);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("names");
    TCase *t = tcase_create("names");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, traversal_and_slashes_are_rejected_everywhere);
    tcase_add_test(t, subdomain_rule_for_most_kinds);
    tcase_add_test(t, service_is_an_rfc1035_label);
    tcase_add_test(t, statefulset_and_namespace_are_rfc1123_labels);
    tcase_add_test(t, cronjob_names_stop_at_52);
    tcase_add_test(t, rbac_and_budgets_take_any_path_segment);
    tcase_add_test(t, generate_name_is_checked_as_a_prefix);
    tcase_add_test(t, control_characters_and_nul_are_rejected);
    suite_add_tcase(s, t);
    t = tcase_create("secret_keys");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, malformed_flow_mapping_keys_are_errors_without_text);
    tcase_add_test(t, secret_key_rule_is_kubernetes);
    tcase_add_test(t, configmaps_and_other_groups_are_not_secrets);
    suite_add_tcase(s, t);
    return s;
}
