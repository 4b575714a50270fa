/* The strict gate (report/gate.c): what counts, allow/deny, the unknown
 * kind whatever its severity, and baselines (exact entries used once each,
 * whole-file entries, report.json and line files, errors). */
#include <stdio.h>
#include <string.h>

#include "k2e_test.h"
#include "report/diags.h"
#include "report/gate.h"

static k2e_diag finding(k2e_severity severity, k2e_diag_code code, const char *file,
                        const char *path)
{
    return (k2e_diag){severity, code, (char *)file, 1, 1, (char *)path, (char *)"m", (char *)""};
}

START_TEST(what_counts)
{
    k2e_gate gate;
    k2e_gate_init(&gate);
    k2e_diag warning = finding(K2E_SEV_WARNING, K2E_W_NOT_CONVERTED, "a.yaml", "spec.x");
    k2e_diag info = finding(K2E_SEV_INFO, K2E_I_TASK_SIZE, "a.yaml", "");
    k2e_diag error = finding(K2E_SEV_ERROR, K2E_E_TYPE, "a.yaml", "");
    /* an unknown kind counts at either severity: the gate does not depend
     * on which one the converter gives it */
    k2e_diag unknown_info = finding(K2E_SEV_INFO, K2E_I_KIND_UNKNOWN, "a.yaml", "");
    k2e_diag unknown_as_info = finding(K2E_SEV_INFO, K2E_W_KIND_UNKNOWN, "a.yaml", "");
    ck_assert(k2e_gate_counts(&gate, &warning));
    ck_assert(!k2e_gate_counts(&gate, &info));
    ck_assert(!k2e_gate_counts(&gate, &error));
    ck_assert(k2e_gate_counts(&gate, &unknown_info));
    ck_assert(k2e_gate_counts(&gate, &unknown_as_info));
    k2e_diags diags;
    k2e_diags_init(&diags);
    k2e_where cli = {"--allow", 0, 0, ""};
    ck_assert(k2e_gate_allow(&gate, "K2E-W010", false, cli, &diags));
    ck_assert(k2e_gate_allow(&gate, "K2E-I031", true, cli, &diags));
    ck_assert(k2e_gate_allow(&gate, "K2E-W012", false, cli, &diags));
    ck_assert(!k2e_gate_counts(&gate, &warning));
    ck_assert(k2e_gate_counts(&gate, &info));
    ck_assert(!k2e_gate_counts(&gate, &unknown_as_info));
    ck_assert_uint_eq(diags.count, 0);
    ck_assert(!k2e_gate_allow(&gate, "K2E-W999", false, cli, &diags));
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_int_eq(diags.items[0].code, K2E_E_BASELINE);
    k2e_diags_release(&diags);
    k2e_gate_release(&gate);
}
END_TEST

static const char *write_file(const char *name, const char *text)
{
    k2e_scratch_write(name, text);
    return k2e_scratch_path(name);
}

START_TEST(line_baseline)
{
    const char *path = write_file("baseline.txt",
                                  "# accepted\n"
                                  "\n"
                                  "K2E-W010 a.yaml spec.x\n"
                                  "K2E-W081 b.yaml\n"
                                  "K2E-W020 -\n");
    k2e_gate gate;
    k2e_gate_init(&gate);
    k2e_diags diags;
    k2e_diags_init(&diags);
    ck_assert(k2e_gate_read_baseline(&gate, path, &diags));
    k2e_diags run;
    k2e_diags_init(&run);
    run.items = (k2e_diag[]){
        finding(K2E_SEV_WARNING, K2E_W_NOT_CONVERTED, "a.yaml", "spec.x"),
        finding(K2E_SEV_WARNING, K2E_W_NOT_CONVERTED, "a.yaml", "spec.x"), /* listed once */
        finding(K2E_SEV_WARNING, K2E_W_NOT_CONVERTED, "a.yaml", "spec.y"),
        finding(K2E_SEV_WARNING, K2E_W_SERVICE_SETTING, "b.yaml", "spec.a"),
        finding(K2E_SEV_WARNING, K2E_W_SERVICE_SETTING, "b.yaml", "spec.b"),
        finding(K2E_SEV_WARNING, K2E_W_PLACEHOLDER, "", "region"),
    };
    run.count = 6;
    bool failing[6];
    ck_assert_uint_eq(k2e_gate_apply(&gate, &run, failing), 2);
    ck_assert(!failing[0] && failing[1] && failing[2]);
    ck_assert(!failing[3] && !failing[4] && !failing[5]);
    k2e_gate_release(&gate);
    k2e_diags_release(&diags);
}
END_TEST

START_TEST(report_baseline_and_errors)
{
    const char *path = write_file("report.json",
                                  "{\"diagnostics\": [{\"severity\": \"warning\", \"code\": "
                                  "\"K2E-W010\", \"file\": \"a.yaml\", \"line\": 3, "
                                  "\"column\": 1, \"path\": \"spec.x\"}]}\n");
    k2e_gate gate;
    k2e_gate_init(&gate);
    k2e_diags diags;
    k2e_diags_init(&diags);
    ck_assert(k2e_gate_read_baseline(&gate, path, &diags));
    k2e_diags run = {.items = (k2e_diag[]){finding(K2E_SEV_WARNING, K2E_W_NOT_CONVERTED,
                                                   "a.yaml", "spec.x")},
                     .count = 1, .capacity = 1};
    bool failing[1];
    ck_assert_uint_eq(k2e_gate_apply(&gate, &run, failing), 0);
    k2e_gate_release(&gate);
    k2e_gate_init(&gate);
    path = write_file("bad.txt", "K2E-W010 a.yaml\nW010 a.yaml\n");
    ck_assert(!k2e_gate_read_baseline(&gate, path, &diags));
    ck_assert_uint_eq(diags.count, 1);
    ck_assert_uint_eq(diags.items[0].line, 2);
    ck_assert(!k2e_gate_read_baseline(&gate, "no-such-file", &diags));
    path = write_file("bad.json", "{\"diagnostics\": 3}");
    ck_assert(!k2e_gate_read_baseline(&gate, path, &diags));
    ck_assert_uint_eq(diags.count, 3);
    k2e_gate_release(&gate);
    k2e_diags_release(&diags);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("gate");
    TCase *t = tcase_create("gate");
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, k2e_scratch_begin, k2e_scratch_end);
    tcase_add_test(t, what_counts);
    tcase_add_test(t, line_baseline);
    tcase_add_test(t, report_baseline_and_errors);
    suite_add_tcase(s, t);
    return s;
}
