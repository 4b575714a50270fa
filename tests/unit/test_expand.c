/* Unit tests for expand.c: Kubernetes' $(VAR) expansion.
 *
 * The table below ports the cases of Kubernetes' own tests,
 * k8s.io/kubernetes third_party/forked/golang/expansion/expand_test.go
 * (doExpansionTest, with the same context: VAR_A=A, VAR_B=B, VAR_C=C,
 * VAR_REF="$(VAR_A)", VAR_EMPTY=""; and TestMapReference), so that the C
 * port is checked against the behaviour it promises to copy byte for byte.
 * The Go test strings are written with Go escapes; they are the same bytes
 * here.  Cases after the port cover what kube2ecs adds: run-time-only
 * ("dynamic") variables.
 */
#include "k2e_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/expand.h"

typedef struct {
    const char *name;
    const char *value;
    k2e_var_lookup kind;
} var;

typedef struct {
    const var *vars;
    size_t count;
    int calls;
    char last_name[64];
} var_table;

static k2e_var_lookup lookup(const char *name, const char **value, void *context)
{
    var_table *table = context;
    table->calls++;
    snprintf(table->last_name, sizeof table->last_name, "%s", name);
    for (size_t i = 0; i < table->count; i++) {
        if (strcmp(table->vars[i].name, name) == 0) {
            *value = table->vars[i].value;
            return table->vars[i].kind;
        }
    }
    return K2E_VAR_UNKNOWN;
}

static const var k8s_vars[] = {
    {"VAR_A", "A", K2E_VAR_FOUND},
    {"VAR_B", "B", K2E_VAR_FOUND},
    {"VAR_C", "C", K2E_VAR_FOUND},
    {"VAR_REF", "$(VAR_A)", K2E_VAR_FOUND},
    {"VAR_EMPTY", "", K2E_VAR_FOUND},
};

typedef struct {
    const char *name;
    const char *input;
    const char *expected;
} expand_case;

/* doExpansionTest, in the order of expand_test.go. */
static const expand_case k8s_cases[] = {
    {"whole string", "$(VAR_A)", "A"},
    {"repeat", "$(VAR_A)-$(VAR_A)", "A-A"},
    {"beginning", "$(VAR_A)-1", "A-1"},
    {"middle", "___$(VAR_B)___", "___B___"},
    {"end", "___$(VAR_C)", "___C"},
    {"compound", "$(VAR_A)_$(VAR_B)_$(VAR_C)", "A_B_C"},
    {"escape & expand", "$$(VAR_B)_$(VAR_A)", "$(VAR_B)_A"},
    {"compound escape", "$$(VAR_A)_$$(VAR_B)", "$(VAR_A)_$(VAR_B)"},
    {"mixed in escapes", "f000-$$VAR_A", "f000-$VAR_A"},
    {"backslash escape ignored", "foo\\$(VAR_C)bar", "foo\\Cbar"},
    {"backslash escape ignored (2)", "foo\\\\$(VAR_C)bar", "foo\\\\Cbar"},
    {"lots of backslashes", "foo\\\\\\\\$(VAR_A)bar", "foo\\\\\\\\Abar"},
    {"nested var references", "$(VAR_A$(VAR_B))", "$(VAR_A$(VAR_B))"},
    {"nested var references second type", "$(VAR_A$(VAR_B)", "$(VAR_A$(VAR_B)"},
    {"value is a reference", "$(VAR_REF)", "$(VAR_A)"},
    {"value is a reference x 2", "%%$(VAR_REF)--$(VAR_REF)%%", "%%$(VAR_A)--$(VAR_A)%%"},
    {"empty var", "foo$(VAR_EMPTY)bar", "foobar"},
    {"unterminated expression", "foo$(VAR_Awhoops!", "foo$(VAR_Awhoops!"},
    {"expression without operator", "f00__(VAR_A)__", "f00__(VAR_A)__"},
    {"shell special vars pass through", "$?_boo_$!", "$?_boo_$!"},
    {"bare operators are ignored", "$VAR_A", "$VAR_A"},
    {"undefined vars are passed through", "$(VAR_DNE)", "$(VAR_DNE)"},
    {"multiple (even) operators, var undefined", "$$$$$$(BIG_MONEY)", "$$$(BIG_MONEY)"},
    {"multiple (even) operators, var defined", "$$$$$$(VAR_A)", "$$$(VAR_A)"},
    {"multiple (odd) operators, var undefined", "$$$$$$$(GOOD_ODDS)", "$$$$(GOOD_ODDS)"},
    {"multiple (odd) operators, var defined", "$$$$$$$(VAR_A)", "$$$A"},
    {"missing open expression", "$VAR_A)", "$VAR_A)"},
    {"shell syntax ignored", "${VAR_A}", "${VAR_A}"},
    {"trailing incomplete expression not consumed", "$(VAR_B)_______$(A", "B_______$(A"},
    {"trailing incomplete expression, no content, is not consumed", "$(VAR_C)_______$(",
     "C_______$("},
    {"operator at end of input string is preserved", "$(VAR_A)foobarzab$", "Afoobarzab$"},
    {"shell escaped incomplete expr", "foo-\\$(VAR_A", "foo-\\$(VAR_A"},
    {"lots of $( in middle", "--$($($($($--", "--$($($($($--"},
    {"lots of $( in beginning", "$($($($($--foo$(", "$($($($($--foo$("},
    {"lots of $( at end", "foo0--$($($($(", "foo0--$($($($("},
    {"escaped operators in variable names are not escaped", "$(foo$$var)", "$(foo$$var)"},
    {"newline not expanded", "\n", "\n"},
};

/* Cases the Go table implies but does not spell out. */
static const expand_case extra_cases[] = {
    {"empty input", "", ""},
    {"no operator", "plain text", "plain text"},
    {"lone $", "$", "$"},
    {"$$ escape alone", "$$", "$"},
    {"$$$(VAR) escape then reference", "$$$(VAR_A)", "$A"},
    {"empty name stays", "a$()b", "a$()b"},
    {"unterminated at end", "x$(", "x$("},
    {"trailing $ after text", "cost: 5$", "cost: 5$"},
    {"$ before multi-byte character", "$é$(VAR_B)", "$éB"},
    {"value containing $$ is not re-expanded", "$(VAR_REF)$$", "$(VAR_A)$"},
    {"unknown kept among known", "$(VAR_A)$(NOPE)$(VAR_B)", "A$(NOPE)B"},
};

static char *expand(const char *input, const var *vars, size_t count, bool *dynamic,
                    const char **dynamic_name)
{
    var_table table = {vars, count, 0, ""};
    char *out = k2e_expand_vars(input, lookup, &table, dynamic_name, dynamic);
    ck_assert_ptr_nonnull(out);
    return out;
}

START_TEST(kubernetes_expansion_table)
{
    const expand_case *c = &k8s_cases[_i];
    bool dynamic = true;
    char *out = expand(c->input, k8s_vars, sizeof k8s_vars / sizeof k8s_vars[0], &dynamic, NULL);
    ck_assert_msg(strcmp(out, c->expected) == 0, "%s: '%s' -> '%s', expected '%s'", c->name,
                  c->input, out, c->expected);
    ck_assert_msg(!dynamic, "%s: flagged dynamic", c->name);
    free(out);
}
END_TEST

START_TEST(extra_expansion_cases)
{
    const expand_case *c = &extra_cases[_i];
    bool dynamic = true;
    char *out = expand(c->input, k8s_vars, sizeof k8s_vars / sizeof k8s_vars[0], &dynamic, NULL);
    ck_assert_msg(strcmp(out, c->expected) == 0, "%s: '%s' -> '%s', expected '%s'", c->name,
                  c->input, out, c->expected);
    ck_assert(!dynamic);
    free(out);
}
END_TEST

/* TestMapReference: each variable is expanded with the ones before it. */
START_TEST(kubernetes_map_reference_sequential_env)
{
    var env[3] = {{"FOO", NULL, K2E_VAR_FOUND},
                  {"ZOO", NULL, K2E_VAR_FOUND},
                  {"BLU", NULL, K2E_VAR_FOUND}};
    const char *raw[3] = {"bar", "$(FOO)-1", "$(ZOO)-2"};
    const char *expected[3] = {"bar", "bar-1", "bar-1-2"};
    char *values[3] = {NULL, NULL, NULL};
    for (size_t i = 0; i < 3; i++) {
        bool dynamic;
        values[i] = expand(raw[i], env, i, &dynamic, NULL);
        env[i].value = values[i];
        ck_assert_str_eq(values[i], expected[i]);
    }
    for (size_t i = 0; i < 3; i++)
        free(values[i]);
}
END_TEST

START_TEST(empty_name_is_looked_up_and_kept)
{
    var_table table = {k8s_vars, 5, 0, "unset"};
    bool dynamic;
    char *out = k2e_expand_vars("$()", lookup, &table, NULL, &dynamic);
    ck_assert_str_eq(out, "$()");
    ck_assert_int_eq(table.calls, 1);
    ck_assert_str_eq(table.last_name, "");
    free(out);
}
END_TEST

START_TEST(escapes_do_not_call_lookup)
{
    var_table table = {k8s_vars, 5, 0, ""};
    bool dynamic;
    char *out = k2e_expand_vars("$$(VAR_A) $VAR_B $( $", lookup, &table, NULL, &dynamic);
    ck_assert_str_eq(out, "$(VAR_A) $VAR_B $( $");
    ck_assert_int_eq(table.calls, 0);
    free(out);
}
END_TEST

/* --- Dynamic variables ---------------------------------------------------------------- */

static const var pod_vars[] = {
    {"POD_IP", "POD_IP", K2E_VAR_DYNAMIC},
    {"DB_PASSWORD", "DB_PASSWORD", K2E_VAR_DYNAMIC},
    {"PORT", "8080", K2E_VAR_FOUND},
};

START_TEST(dynamic_var_is_kept_and_flagged)
{
    bool dynamic = false;
    const char *name = NULL;
    char *out = expand("--bind=$(POD_IP):$(PORT)", pod_vars, 3, &dynamic, &name);
    ck_assert_str_eq(out, "--bind=$(POD_IP):8080");
    ck_assert(dynamic);
    ck_assert_ptr_nonnull(name);
    ck_assert_str_eq(name, "POD_IP");
    free(out);
}
END_TEST

START_TEST(dynamic_name_may_be_omitted)
{
    bool dynamic = false;
    char *out = expand("$(DB_PASSWORD)", pod_vars, 3, &dynamic, NULL);
    ck_assert_str_eq(out, "$(DB_PASSWORD)");
    ck_assert(dynamic);
    free(out);
}
END_TEST

START_TEST(escaped_dynamic_var_is_not_flagged)
{
    bool dynamic = true;
    const char *name = NULL;
    char *out = expand("$$(POD_IP) on $(PORT)", pod_vars, 3, &dynamic, &name);
    ck_assert_str_eq(out, "$(POD_IP) on 8080");
    ck_assert(!dynamic);
    ck_assert_ptr_null(name);
    free(out);
}
END_TEST

START_TEST(unknown_var_is_not_dynamic)
{
    bool dynamic = true;
    char *out = expand("$(HOSTNAME)", pod_vars, 3, &dynamic, NULL);
    ck_assert_str_eq(out, "$(HOSTNAME)");
    ck_assert(!dynamic);
    free(out);
}
END_TEST

START_TEST(two_dynamic_vars_name_one_of_them)
{
    bool dynamic = false;
    const char *name = NULL;
    char *out = expand("$(POD_IP)/$(DB_PASSWORD)", pod_vars, 3, &dynamic, &name);
    ck_assert_str_eq(out, "$(POD_IP)/$(DB_PASSWORD)");
    ck_assert(dynamic);
    ck_assert(strcmp(name, "POD_IP") == 0 || strcmp(name, "DB_PASSWORD") == 0);
    free(out);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("expand");
    TCase *t = tcase_create("kubernetes");
    tcase_add_loop_test(t, kubernetes_expansion_table, 0,
                        (int)(sizeof k8s_cases / sizeof k8s_cases[0]));
    tcase_add_test(t, kubernetes_map_reference_sequential_env);
    suite_add_tcase(s, t);

    t = tcase_create("edges");
    tcase_add_loop_test(t, extra_expansion_cases, 0,
                        (int)(sizeof extra_cases / sizeof extra_cases[0]));
    tcase_add_test(t, empty_name_is_looked_up_and_kept);
    tcase_add_test(t, escapes_do_not_call_lookup);
    suite_add_tcase(s, t);

    t = tcase_create("dynamic");
    tcase_add_test(t, dynamic_var_is_kept_and_flagged);
    tcase_add_test(t, dynamic_name_may_be_omitted);
    tcase_add_test(t, escaped_dynamic_var_is_not_flagged);
    tcase_add_test(t, unknown_var_is_not_dynamic);
    tcase_add_test(t, two_dynamic_vars_name_one_of_them);
    suite_add_tcase(s, t);
    return s;
}
