/* Batch consolidation (schedules/batch.c): EventBridge's target Input byte
 * for byte as ecschedule's Go code builds it, and the plan through the
 * public API (plan_batch: the groups and why the others stay apart). */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "k2e_test.h"
#include "kube2ecs/convert.h"
#include "schedules/batch.h"

static char *input_of(const char *overrides_json)
{
    json_t *ov = overrides_json ? json_loads(overrides_json, 0, NULL) : NULL;
    char *text = k2e_batch_eventbridge_input(ov);
    json_decref(ov);
    return text;
}

START_TEST(ecschedule_sample_bytes)
{
    /* research-fidelity.md section 11: Go prints these 161 bytes for
     * ecschedule's testdata/sample.yaml. */
    char *text = input_of("{\"containerOverrides\":[{\"name\":\"container1\","
                          "\"command\":[\"subcmd\",\"argument\"],\"environment\":"
                          "[{\"name\":\"HOGE_ENV\",\"value\":\"HOGEGE\"}]}],"
                          "\"cpu\":\"4096\",\"memory\":\"16384\"}");
    ck_assert_str_eq(text, "{\"cpu\":\"4096\",\"memory\":\"16384\",\"containerOverrides\":"
                           "[{\"name\":\"container1\",\"command\":[\"subcmd\",\"argument\"],"
                           "\"environment\":[{\"name\":\"HOGE_ENV\",\"value\":\"HOGEGE\"}]}]}");
    ck_assert_uint_eq(strlen(text), 161);
    free(text);
}
END_TEST

START_TEST(nothing_set_is_null_list)
{
    char *text = input_of(NULL);
    ck_assert_str_eq(text, "{\"containerOverrides\":null}");
    free(text);
    text = input_of("{\"memory\":\"512\"}");
    ck_assert_str_eq(text, "{\"memory\":\"512\",\"containerOverrides\":null}");
    free(text);
}
END_TEST

START_TEST(go_escapes)
{
    /* HTML escaping, short forms (Go 1.22+: \b \f too), control bytes,
     * U+2028/U+2029, raw UTF-8 otherwise; integers as written. */
    json_t *ov = json_pack("{s:[{s:s, s:[s, s, s], s:i, s:i}]}", "containerOverrides", "name",
                           "app", "command", "a<b && x>y", "q\"\\\t\n\r\b\f\x01",
                           "\xc3\xa9\xe2\x80\xa8\xe2\x80\xa9", "cpu", 256,
                           "memoryReservation", 512);
    char *text = k2e_batch_eventbridge_input(ov);
    ck_assert_str_eq(text, "{\"containerOverrides\":[{\"name\":\"app\",\"command\":"
                           "[\"a\\u003cb \\u0026\\u0026 x\\u003ey\","
                           "\"q\\\"\\\\\\t\\n\\r\\b\\f\\u0001\","
                           "\"\xc3\xa9\\u2028\\u2029\"],\"cpu\":256,"
                           "\"memoryReservation\":512}]}");
    free(text);
    json_decref(ov);
}
END_TEST

static json_t *plan_of(const char *case_name)
{
    char input[1024], mapping[1024];
    snprintf(input, sizeof input, "%s/tests/cases/%s/input", K2E_SOURCE_DIR, case_name);
    snprintf(mapping, sizeof mapping, "%s/tests/cases/%s/mapping.yaml", K2E_SOURCE_DIR,
             case_name);
    k2e_convert_options options = {.mapping_path = mapping, .plan_batch = true,
                                   .outdir = "must-not-be-written"};
    const char *paths[] = {input};
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    ck_assert_int_eq(k2e_convert(&options, paths, 1, &result), K2E_EXIT_OK);
    ck_assert(!result.written);
    const k2e_output *out = k2e_outputs_get(&result.outputs, "batch-plan.json");
    ck_assert_ptr_nonnull(out);
    ck_assert(k2e_outputs_has(&result.outputs, "batch-plan.txt"));
    json_t *plan = json_loads(out->content, 0, NULL);
    k2e_convert_result_release(&result);
    ck_assert_ptr_nonnull(plan);
    return plan;
}

static const json_t *apart_named(const json_t *plan, const char *name)
{
    size_t i;
    const json_t *entry;
    json_array_foreach(json_object_get(plan, "apart"), i, entry) {
        if (strcmp(json_string_value(json_object_get(entry, "name")), name) == 0)
            return entry;
    }
    ck_abort_msg("%s is not apart", name);
    return NULL;
}

static bool mentions(const json_t *list, const char *text)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        if (strstr(json_string_value(item), text))
            return true;
    }
    return false;
}

START_TEST(plan_groups_and_reasons)
{
    json_t *plan = plan_of("batch-apart");
    ck_assert_int_eq(json_integer_value(json_object_get(plan, "jobs")), 8);
    const json_t *group = json_array_get(json_object_get(plan, "groups"), 0);
    ck_assert_uint_eq(json_array_size(json_object_get(plan, "groups")), 1);
    ck_assert_str_eq(json_string_value(json_object_get(group, "family")), "worker");
    ck_assert_uint_eq(json_array_size(json_object_get(group, "jobs")), 2);
    ck_assert(mentions(json_object_get(apart_named(plan, "sync-replica"), "reasons"),
                       "secret DB_URL differs from CronJob sync/sync-a"));
    ck_assert(mentions(json_object_get(apart_named(plan, "sync-huge"), "reasons"),
                       "EventBridge's limit is 8,192"));
    ck_assert(mentions(json_object_get(apart_named(plan, "sync-entrypoint"), "nearMisses"),
                       "move [\"sync\"] to the front of args"));
    ck_assert(mentions(json_object_get(apart_named(plan, "sync-old"), "nearMisses"),
                       "another tag"));
    ck_assert(mentions(json_object_get(apart_named(plan, "sync-literal"), "nearMisses"),
                       "DB_URL is a literal value here and a Secret"));
    ck_assert(json_is_true(json_object_get(apart_named(plan, "migrate"), "alone")));
    const json_t *after = json_object_get(json_object_get(plan, "counts"), "after");
    ck_assert_int_eq(json_integer_value(json_object_get(after, "taskDefinitions")), 7);
    json_decref(plan);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("batch");
    TCase *t = tcase_create("batch");
    tcase_add_test(t, ecschedule_sample_bytes);
    tcase_add_test(t, nothing_set_is_null_list);
    tcase_add_test(t, go_escapes);
    tcase_add_test(t, plan_groups_and_reasons);
    suite_add_tcase(s, t);
    return s;
}
