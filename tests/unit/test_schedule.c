/* Unit tests for schedule.c and runtask.c: CronJobs -> ecschedule rules,
 * Jobs -> run-task inputs.
 *
 * Rule naming is tested directly (a pure function); everything else through
 * the whole pipeline (k2e_convert on files in a temporary directory), since
 * what matters is what reaches OUTDIR and the diagnostics, with their
 * locations.  The schedule translation itself is cron.c's and has its own
 * suite; here it only matters that its results, warnings and errors arrive
 * where they belong.
 */
#include "k2e_test.h"

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "kube2ecs/convert.h"
#include "emit/yaml.h"
#include "schedules/schedule.h"
#include "base/util.h"

/* --- Rule names -------------------------------------------------------------- */

static bool valid_rule_name(const char *name)
{
    regex_t re;
    ck_assert_int_eq(regcomp(&re, "^[-._A-Za-z0-9]{1,64}$", REG_EXTENDED | REG_NOSUB), 0);
    bool ok = regexec(&re, name, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

START_TEST(names_keep_the_alphabet_and_replace_the_rest)
{
    k2e_rule_names names;
    k2e_rule_names_init(&names);
    unsigned adjusted = 9;
    size_t i = k2e_rule_names_add(&names, "a b/c:d.e_f-G9", "CronJob/ns/x", 1, &adjusted);
    ck_assert_uint_eq(i, 0);
    ck_assert_str_eq(names.items[0], "a-b-c-d.e_f-G9");
    ck_assert_uint_eq(adjusted, 0);
    i = k2e_rule_names_add(&names, "", "CronJob/ns/y", 1, &adjusted);
    ck_assert_str_eq(names.items[i], "rule");
    i = k2e_rule_names_add(&names, "caf\xc3\xa9", "CronJob/ns/z", 1, &adjusted);
    ck_assert_str_eq(names.items[i], "caf--");
    k2e_rule_names_release(&names);
}
END_TEST

START_TEST(names_of_split_rules_get_numbered)
{
    k2e_rule_names names;
    k2e_rule_names_init(&names);
    unsigned adjusted;
    size_t i = k2e_rule_names_add(&names, "report", "CronJob/ns/report", 3, &adjusted);
    ck_assert_uint_eq(names.count, 3);
    ck_assert_str_eq(names.items[i], "report-1");
    ck_assert_str_eq(names.items[i + 1], "report-2");
    ck_assert_str_eq(names.items[i + 2], "report-3");
    ck_assert_uint_eq(adjusted, 0);
    k2e_rule_names_release(&names);
}
END_TEST

START_TEST(long_names_are_cut_to_64_with_room_for_the_suffix)
{
    char wanted[101];
    memset(wanted, 'x', 100);
    wanted[100] = '\0';
    k2e_rule_names names;
    k2e_rule_names_init(&names);
    unsigned adjusted;
    size_t i = k2e_rule_names_add(&names, wanted, "CronJob/ns/a", 1, &adjusted);
    ck_assert_uint_eq(strlen(names.items[i]), 64);
    ck_assert_uint_eq(adjusted, K2E_RULE_NAME_SHORTENED);
    wanted[0] = 'y';
    i = k2e_rule_names_add(&names, wanted, "CronJob/ns/b", 12, &adjusted);
    ck_assert_str_eq(names.items[i + 11] + 61, "-12");
    for (size_t j = 0; j < names.count; j++)
        REQUIRE(valid_rule_name(names.items[j]), "bad name %s", names.items[j]);
    k2e_rule_names_release(&names);
}
END_TEST

START_TEST(a_taken_name_gets_a_hash_of_the_object)
{
    k2e_rule_names a, b;
    k2e_rule_names_init(&a);
    k2e_rule_names_init(&b);
    unsigned adjusted;
    k2e_rule_names_add(&a, "job", "CronJob/one/job", 1, &adjusted);
    size_t i = k2e_rule_names_add(&a, "job", "CronJob/two/job", 1, &adjusted);
    ck_assert_uint_eq(adjusted, K2E_RULE_NAME_UNIQUE);
    ck_assert_uint_eq(strlen(a.items[i]), strlen("job-") + 8);
    ck_assert(strncmp(a.items[i], "job-", 4) == 0);
    /* Same object, same name, whatever else is in the file. */
    k2e_rule_names_add(&b, "other", "CronJob/x/other", 1, &adjusted);
    k2e_rule_names_add(&b, "job", "CronJob/zzz/job", 1, &adjusted);
    size_t j = k2e_rule_names_add(&b, "job", "CronJob/two/job", 1, &adjusted);
    ck_assert_str_eq(a.items[i], b.items[j]);
    k2e_rule_names_release(&a);
    k2e_rule_names_release(&b);
}
END_TEST

START_TEST(a_split_rule_cannot_take_an_existing_name)
{
    k2e_rule_names names;
    k2e_rule_names_init(&names);
    unsigned adjusted;
    k2e_rule_names_add(&names, "a-2", "CronJob/ns/a-2", 1, &adjusted);
    size_t i = k2e_rule_names_add(&names, "a", "CronJob/ns/a", 2, &adjusted);
    ck_assert_uint_eq(adjusted, K2E_RULE_NAME_UNIQUE);
    ck_assert_str_ne(names.items[i + 1], "a-2");
    k2e_rule_names_release(&names);
}
END_TEST

START_TEST(many_clashing_long_names_stay_valid_and_unique)
{
    k2e_rule_names names;
    k2e_rule_names_init(&names);
    unsigned seed = 7;
    char wanted[90], identity[32];
    for (int n = 0; n < 400; n++) {
        size_t length = 55 + (size_t)(rand_r(&seed) % 30);
        memset(wanted, 'n', length);
        wanted[length] = '\0';
        wanted[(size_t)rand_r(&seed) % length] = "ab /"[rand_r(&seed) % 4];
        snprintf(identity, sizeof identity, "CronJob/ns/%d", n);
        unsigned adjusted;
        REQUIRE(k2e_rule_names_add(&names, wanted, identity, 1 + (size_t)(rand_r(&seed) % 3),
                                   &adjusted) != (size_t)-1,
                "%s not added", identity);
    }
    /* ~400,000 pairs: REQUIRE, not ck_assert (k2e_test.h) */
    for (size_t i = 0; i < names.count; i++) {
        REQUIRE(valid_rule_name(names.items[i]), "bad name %s", names.items[i]);
        for (size_t j = i + 1; j < names.count; j++)
            REQUIRE(strcmp(names.items[i], names.items[j]) != 0, "%s twice", names.items[i]);
    }
    k2e_rule_names_release(&names);
}
END_TEST

/* --- The pipeline ------------------------------------------------------------- */

/* Each test works in a fresh scratch directory (k2e_test.h). */
static k2e_convert_result result;
static int status;

static void setup(void)
{
    k2e_scratch_begin();
    k2e_convert_result_init(&result);
}

static void teardown(void)
{
    k2e_convert_result_release(&result);
    k2e_scratch_end();
}

/* No placeholders, so the only warnings are the ones under test. */
static const char base_mapping[] =
    "region: eu-west-1\n"
    "accountId: \"123456789012\"\n"
    "cluster: prod\n"
    "executionRoleArn: arn:aws:iam::123456789012:role/exec\n"
    "platformVersion: 1.4.0\n"
    "network:\n"
    "  subnets: [subnet-0123456789abcdef0]\n"
    "  securityGroups: [sg-0123456789abcdef0]\n"
    "  assignPublicIp: DISABLED\n";

/* Converts the files written so far in <temp>/in with base_mapping + extra. */
static void convert(const char *mapping_extra)
{
    /* The default description names the input file, here a temporary path;
     * tests that compare whole rules use a path-free description unless
     * they set `schedules` themselves (the golden cases cover the default). */
    const char *path_free = strstr(mapping_extra, "schedules:")
                                ? ""
                                : "schedules: {description: \"{kind} {namespace}/{name}, "
                                  "converted by kube2ecs\"}\n";
    char *mapping = k2e_asprintf("%s%s%s", base_mapping, mapping_extra, path_free);
    ck_assert_ptr_nonnull(mapping);
    k2e_scratch_write("mapping.yaml", mapping);
    free(mapping);
    const char *mapping_path = k2e_scratch_path("mapping.yaml");
    k2e_convert_options options = {.mapping_path = mapping_path};
    const char *paths[] = {k2e_scratch_path("in")};
    status = k2e_convert(&options, paths, 1, &result);
}

static void input(const char *rel, const char *text)
{
    mkdir(k2e_scratch_path("in"), 0700);
    char name[128];
    snprintf(name, sizeof name, "in/%s", rel);
    k2e_scratch_write(name, text);
}

/* A CronJob: `spec` lines go under spec (2 spaces), `job` lines under
 * jobTemplate.spec (6 spaces). */
static char *cronjob(const char *name, const char *ns, const char *spec, const char *job)
{
    char *text = k2e_asprintf(
                              "apiVersion: batch/v1\n"
                              "kind: CronJob\n"
                              "metadata: {name: %s, namespace: %s}\n"
                              "spec:\n"
                              "%s"
                              "  jobTemplate:\n"
                              "    spec:\n"
                              "%s"
                              "      template:\n"
                              "        spec:\n"
                              "          restartPolicy: Never\n"
                              "          containers:\n"
                              "          - name: main\n"
                              "            image: busybox:1.36\n"
                              "            resources: {requests: {cpu: 250m, memory: 512Mi}}\n"
                              "---\n",
                              name, ns, spec, job);
    ck_assert_ptr_nonnull(text);
    return text;
}

static void add_cronjob(const char *file, const char *name, const char *spec, const char *job)
{
    char *text = cronjob(name, "default", spec, job);
    input(file, text);
    free(text);
}

static char *job(const char *name, const char *metadata, const char *spec)
{
    char *text = k2e_asprintf(
                              "apiVersion: batch/v1\n"
                              "kind: Job\n"
                              "metadata:\n"
                              "  name: %s\n"
                              "%s"
                              "spec:\n"
                              "%s"
                              "  template:\n"
                              "    metadata: {labels: {app: %s, tier: pod}}\n"
                              "    spec:\n"
                              "      restartPolicy: Never\n"
                              "      containers:\n"
                              "      - name: main\n"
                              "        image: busybox:1.36\n"
                              "        resources: {requests: {cpu: 250m, memory: 512Mi}}\n",
                              name, metadata, spec, name);
    ck_assert_ptr_nonnull(text);
    return text;
}

static void add_job(const char *file, const char *name, const char *metadata, const char *spec)
{
    char *text = job(name, metadata, spec);
    input(file, text);
    free(text);
}

static const char *output(const char *path)
{
    const k2e_output *o = k2e_outputs_get(&result.outputs, path);
    return o ? o->content : NULL;
}

static const char *schedule_text(void)
{
    const char *text = output("ecschedule.yaml");
    ck_assert_msg(text != NULL, "no ecschedule.yaml (status %d, %zu diagnostics)", status,
                  result.diags.count);
    return text;
}

static void assert_has(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) != NULL, "'%s' not in:\n%s", needle, text);
}

static void assert_lacks(const char *text, const char *needle)
{
    ck_assert_msg(strstr(text, needle) == NULL, "'%s' unexpectedly in:\n%s", needle, text);
}

static size_t count_code(k2e_diag_code code)
{
    size_t n = 0;
    for (size_t i = 0; i < result.diags.count; i++)
        n += result.diags.items[i].code == code;
    return n;
}

static const k2e_diag *find_code(k2e_diag_code code)
{
    for (size_t i = 0; i < result.diags.count; i++) {
        if (result.diags.items[i].code == code)
            return &result.diags.items[i];
    }
    ck_abort_msg("no %s among %zu diagnostics", k2e_diag_code_string(code), result.diags.count);
    return NULL;
}

/* --- CronJobs --------------------------------------------------------------------- */

START_TEST(cronjob_rule_has_ecschedule_keys_in_dump_order)
{
    add_cronjob("a.yaml", "report", "  schedule: \"0 3 * * *\"\n  timeZone: Asia/Tokyo\n",
                "      parallelism: 3\n");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_OK);
    ck_assert_str_eq(schedule_text(),
                     "# ecschedule configuration written by kube2ecs "
                     "(github.com/Songmu/ecschedule).\n"
                     "# Review with: ecschedule -conf ecschedule.yaml diff -all\n"
                     "# Apply with:  ecschedule -conf ecschedule.yaml apply -all\n"
                     "region: 'eu-west-1'\n"
                     "cluster: 'prod'\n"
                     "rules:\n"
                     "- name: 'report'\n"
                     "  description: 'CronJob default/report, converted by kube2ecs'\n"
                     "  scheduleExpression: 'cron(0 18 * * ? *)'\n"
                     "  taskDefinition: 'report'\n"
                     "  taskCount: 3\n"
                     "  launch_type: 'FARGATE'\n"
                     "  platform_version: '1.4.0'\n"
                     "  network_configuration:\n"
                     "    aws_vpc_configuration:\n"
                     "      subnets:\n"
                     "      - 'subnet-0123456789abcdef0'\n"
                     "      security_groups:\n"
                     "      - 'sg-0123456789abcdef0'\n"
                     "      assign_public_ip: 'DISABLED'\n");
    const k2e_diag *d = find_code(K2E_I_RULES);
    ck_assert_uint_eq(d->line, 5);
    ck_assert_str_eq(d->path, "spec.schedule");
    assert_has(d->message, "report cron(0 18 * * ? *)");
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
}
END_TEST

START_TEST(suspend_disables_and_task_count_one_is_omitted)
{
    add_cronjob("a.yaml", "paused", "  schedule: '@daily'\n  suspend: true\n",
                "      parallelism: 1\n");
    add_cronjob("b.yaml", "running", "  schedule: '@daily'\n  suspend: false\n", "");
    convert("");
    const char *text = schedule_text();
    const char *off = strstr(text, "- name: 'paused'"), *on = strstr(text, "- name: 'running'");
    ck_assert_ptr_nonnull(off);
    ck_assert_ptr_nonnull(on);
    ck_assert(off < on);
    ck_assert_ptr_nonnull(strstr(off, "disabled: true"));
    ck_assert(strstr(off, "disabled: true") < on);
    assert_lacks(on, "disabled");
    assert_lacks(text, "taskCount");
    assert_has(find_code(K2E_I_RULES)->message, "(disabled: suspend is true)");
}
END_TEST

START_TEST(parallelism_above_ten_is_capped_with_a_warning)
{
    add_cronjob("a.yaml", "wide", "  schedule: '*/5 * * * *'\n", "      parallelism: 25\n");
    convert("");
    assert_has(schedule_text(), "taskCount: 10\n");
    const k2e_diag *d = find_code(K2E_W_TASK_COUNT);
    ck_assert_str_eq(d->path, "spec.jobTemplate.spec.parallelism");
}
END_TEST

START_TEST(split_schedules_become_numbered_rules)
{
    /* Mondays every 6 hours in Tokyo straddle UTC midnight: two rules. */
    add_cronjob("a.yaml", "sweep", "  schedule: '0 */6 * * 1'\n  timeZone: Asia/Tokyo\n", "");
    convert("");
    const char *text = schedule_text();
    assert_has(text, "- name: 'sweep-1'\n  description: 'CronJob default/sweep, converted by "
                     "kube2ecs (rule 1 of 2)'\n  scheduleExpression: 'cron(0 15,21 ? * 1 *)'\n");
    assert_has(text, "- name: 'sweep-2'\n  description: 'CronJob default/sweep, converted by "
                     "kube2ecs (rule 2 of 2)'\n  scheduleExpression: 'cron(0 3,9 ? * 2 *)'\n");
    assert_has(find_code(K2E_I_RULES)->message,
               "rules sweep-1 cron(0 15,21 ? * 1 *), sweep-2 cron(0 3,9 ? * 2 *)");
}
END_TEST

START_TEST(invalid_schedule_is_an_error_at_the_bad_field)
{
    add_cronjob("a.yaml", "bad", "  schedule: \"0 0 * * 8\"\n", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    const k2e_diag *d = find_code(K2E_E_SCHEDULE);
    ck_assert_uint_eq(d->line, 5);
    ck_assert_uint_eq(d->column, 22); /* the 8: quote at 13, text from 14 */
    ck_assert_str_eq(d->path, "spec.schedule");
    ck_assert_ptr_null(output("ecschedule.yaml"));
}
END_TEST

START_TEST(missing_schedule_is_an_error)
{
    add_cronjob("a.yaml", "none", "  suspend: false\n", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    ck_assert_str_eq(find_code(K2E_E_SCHEDULE)->path, "spec");
}
END_TEST

START_TEST(unknown_time_zone_is_an_error_at_time_zone)
{
    add_cronjob("a.yaml", "tz", "  schedule: '0 1 * * *'\n  timeZone: Mars/Olympus\n", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    const k2e_diag *d = find_code(K2E_E_TIME_ZONE);
    ck_assert_str_eq(d->path, "spec.timeZone");
    ck_assert_uint_eq(d->line, 6);
    ck_assert_uint_eq(d->column, 13);
}
END_TEST

START_TEST(unsupported_every_is_an_error)
{
    add_cronjob("a.yaml", "fast", "  schedule: '@every 90s'\n", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    ck_assert_str_eq(find_code(K2E_E_SCHEDULE_UNSUPPORTED)->path, "spec.schedule");
}
END_TEST

START_TEST(cron_warnings_arrive_with_their_codes)
{
    add_cronjob("a.yaml", "dst", "  schedule: '0 9 * * *'\n  timeZone: America/New_York\n",
                "");
    add_cronjob("b.yaml", "both", "  schedule: '0 0 1-7 * 1'\n", "");
    add_cronjob("c.yaml", "every", "  schedule: '@every 5m'\n", "");
    add_cronjob("d.yaml", "never", "  schedule: '0 0 30 2 *'\n", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_OK);
    const k2e_diag *d = find_code(K2E_W_DST_DRIFT);
    ck_assert_str_eq(d->path, "spec.timeZone");
    assert_has(d->hint, "dstPolicy: seasonal");
    ck_assert_str_eq(find_code(K2E_W_DOUBLE_FIRE)->path, "spec.schedule");
    ck_assert_str_eq(find_code(K2E_W_RATE_RELATIVE)->path, "spec.schedule");
    ck_assert_str_eq(find_code(K2E_W_NEVER_FIRES)->path, "spec.schedule");
    const char *text = schedule_text();
    assert_has(text, "scheduleExpression: 'cron(0 14 * * ? *)'");
    assert_has(text, "- name: 'both-1'");
    assert_has(text, "- name: 'both-2'");
    assert_has(text, "scheduleExpression: 'rate(5 minutes)'");
    assert_lacks(text, "never");
}
END_TEST

START_TEST(seasonal_dst_policy_reaches_the_translation)
{
    add_cronjob("a.yaml", "dst", "  schedule: '0 9 * * *'\n  timeZone: America/New_York\n",
                "");
    convert("schedules: {dstPolicy: seasonal}\n");
    assert_has(schedule_text(), "- name: 'dst-2'");
    assert_lacks(find_code(K2E_W_DST_DRIFT)->hint, "dstPolicy: seasonal");
}
END_TEST

START_TEST(no_rule_means_no_ecschedule_file)
{
    add_cronjob("a.yaml", "never", "  schedule: '0 0 31 2 *'\n", "");
    add_job("b.yaml", "once", "", "");
    convert("");
    ck_assert_ptr_null(output("ecschedule.yaml"));
    ck_assert_ptr_nonnull(output("run-tasks/once.json"));
}
END_TEST

START_TEST(mapping_settings_in_canonical_spellings)
{
    add_cronjob("a.yaml", "r", "  schedule: '@hourly'\n", "");
    convert("cluster: arn:aws:ecs:eu-west-1:123456789012:cluster/prod\n"
            "schedules:\n"
            "  role: arn:aws:iam::123456789012:role/service-role/events\n"
            "  trackingId: team-a\n"
            "  deadLetterQueueArn: dlq\n");
    const char *text = schedule_text();
    assert_has(text, "rules:\n");
    assert_has(text, "\nrole: 'service-role/events'\nregion: 'eu-west-1'\ncluster: 'prod'\n"
                     "trackingId: 'team-a'\nrules:\n");
    assert_has(text, "  dead_letter_config:\n"
                     "    sqs: 'arn:aws:sqs:eu-west-1:123456789012:dlq'\n");
}
END_TEST

START_TEST(dead_letter_arn_is_kept_and_china_partition_is_used)
{
    add_cronjob("a.yaml", "r", "  schedule: '@hourly'\n", "");
    convert("region: cn-north-1\nschedules: {deadLetterQueueArn: q}\n");
    assert_has(schedule_text(), "sqs: 'arn:aws-cn:sqs:cn-north-1:123456789012:q'");
}
END_TEST

START_TEST(rules_are_sorted_by_namespace_and_name_not_file_order)
{
    char *a = cronjob("zeta", "alpha", "  schedule: '@daily'\n", "");
    char *b = cronjob("alpha", "beta", "  schedule: '@daily'\n", "");
    char *c = cronjob("beta", "alpha", "  schedule: '@daily'\n", "");
    input("1.yaml", b);
    input("2.yaml", a);
    input("3.yaml", c);
    free(a);
    free(b);
    free(c);
    convert("family: \"{namespace}-{name}\"\n");
    const char *text = schedule_text();
    const char *p1 = strstr(text, "name: 'alpha-beta'"), *p2 = strstr(text, "name: 'alpha-zeta'"),
               *p3 = strstr(text, "name: 'beta-alpha'");
    ck_assert(p1 && p2 && p3 && p1 < p2 && p2 < p3);
}
END_TEST

START_TEST(template_braces_from_input_are_escaped)
{
    add_cronjob("{{release}}.yaml", "r", "  schedule: '@daily'\n", "");
    convert("schedules: {description: \"{name} from {file}\"}\n");
    const char *text = schedule_text();
    assert_has(text, "from ");
    /* {file} is the name relative to the input root: no scratch path. */
    assert_has(text, "from " K2E_ECSCHEDULE_BRACE_ESCAPE "release}}.yaml'");
    assert_lacks(text, "{{release");
    assert_lacks(text, "/in/");
}
END_TEST

START_TEST(rule_name_template_and_clash_warning)
{
    char *a = cronjob("job", "one", "  schedule: '@daily'\n", "");
    char *b = cronjob("job", "two", "  schedule: '@daily'\n", "");
    input("a.yaml", a);
    input("b.yaml", b);
    free(a);
    free(b);
    /* Distinct families, but the same rule name. */
    convert("family: \"{namespace}-{name}\"\nschedules: {ruleName: \"{name}\"}\n");
    const char *text = schedule_text();
    assert_has(text, "- name: 'job'\n");
    assert_has(text, "- name: 'job-");
    const k2e_diag *d = find_code(K2E_W_RULE_NAME);
    assert_has(d->message, "another rule's name");
    assert_has(d->file, "b.yaml");
}
END_TEST

START_TEST(cronjob_controller_fields_are_reported_with_ecs_behaviour)
{
    add_cronjob("a.yaml", "all",
                "  schedule: '@daily'\n"
                "  concurrencyPolicy: Forbid\n"
                "  startingDeadlineSeconds: 100\n"
                "  successfulJobsHistoryLimit: 3\n"
                "  failedJobsHistoryLimit: 1\n",
                "      backoffLimit: 2\n"
                "      activeDeadlineSeconds: 60\n"
                "      ttlSecondsAfterFinished: 100\n"
                "      completions: 1\n");
    convert("");
    ck_assert_uint_eq(count_code(K2E_W_JOB_BEHAVIOUR), 4);
    ck_assert_uint_eq(count_code(K2E_I_JOB_SETTING), 3);
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
    for (size_t i = 0; i < result.diags.count; i++) {
        const k2e_diag *d = &result.diags.items[i];
        if (d->code == K2E_W_JOB_BEHAVIOUR && strcmp(d->path, "spec.concurrencyPolicy") == 0)
            assert_has(d->message, "no concurrency guard");
        if (d->code == K2E_W_JOB_BEHAVIOUR &&
            strcmp(d->path, "spec.jobTemplate.spec.backoffLimit") == 0)
            assert_has(d->message, "EventBridge retries a start that fails");
    }
}
END_TEST

START_TEST(values_matching_ecs_behaviour_are_quiet)
{
    add_cronjob("a.yaml", "quiet", "  schedule: '@daily'\n  concurrencyPolicy: Allow\n",
                "      backoffLimit: 0\n      completionMode: NonIndexed\n"
                "      completions: 1\n      parallelism: 1\n");
    convert("");
    ck_assert_uint_eq(count_code(K2E_W_JOB_BEHAVIOUR), 0);
    ck_assert_uint_eq(count_code(K2E_I_JOB_SETTING), 0);
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
}
END_TEST

START_TEST(template_labels_propagate_cronjob_labels_are_reported)
{
    input("a.yaml",
          "apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: l, labels: {team: a}}\n"
          "spec:\n  schedule: '@daily'\n  jobTemplate:\n    metadata: {labels: {x: y}}\n"
          "    spec:\n      template:\n"
          "        metadata: {labels: {app: l}}\n        spec:\n          containers:\n"
          "          - {name: c, image: busybox}\n");
    convert("");
    assert_has(schedule_text(), "  propagateTags: 'TASK_DEFINITION'\n");
    ck_assert_uint_eq(count_code(K2E_I_JOB_SETTING), 2);
    ck_assert_str_eq(find_code(K2E_I_JOB_SETTING)->path, "metadata.labels");
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
}
END_TEST

START_TEST(family_clash_writes_no_rule_for_the_loser)
{
    add_cronjob("a.yaml", "same", "  schedule: '@daily'\n", "");
    add_job("b.yaml", "same", "", "");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    ck_assert_uint_eq(count_code(K2E_E_FAMILY_CLASH), 1);
    /* The CronJob keeps the family; the Job gets no run-task pointing at it. */
    assert_has(schedule_text(), "taskDefinition: 'same'");
    ck_assert_ptr_null(output("run-tasks/same.json"));
}
END_TEST

/* --- Jobs ------------------------------------------------------------------------- */

START_TEST(job_run_task_input_in_model_order)
{
    add_job("a.yaml", "migrate", "  labels: {app: job-label, owner: team}\n",
            "  parallelism: 2\n  completions: 2\n");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_OK);
    ck_assert_str_eq(output("run-tasks/migrate.json"),
                     "{\n"
                     "  \"cluster\": \"prod\",\n"
                     "  \"count\": 2,\n"
                     "  \"launchType\": \"FARGATE\",\n"
                     "  \"networkConfiguration\": {\n"
                     "    \"awsvpcConfiguration\": {\n"
                     "      \"subnets\": [\n"
                     "        \"subnet-0123456789abcdef0\"\n"
                     "      ],\n"
                     "      \"securityGroups\": [\n"
                     "        \"sg-0123456789abcdef0\"\n"
                     "      ],\n"
                     "      \"assignPublicIp\": \"DISABLED\"\n"
                     "    }\n"
                     "  },\n"
                     "  \"platformVersion\": \"1.4.0\",\n"
                     "  \"startedBy\": \"job/migrate\",\n"
                     "  \"tags\": [\n"
                     "    {\n"
                     "      \"key\": \"app\",\n"
                     "      \"value\": \"migrate\"\n"
                     "    },\n"
                     "    {\n"
                     "      \"key\": \"owner\",\n"
                     "      \"value\": \"team\"\n"
                     "    },\n"
                     "    {\n"
                     "      \"key\": \"tier\",\n"
                     "      \"value\": \"pod\"\n"
                     "    }\n"
                     "  ],\n"
                     "  \"taskDefinition\": \"migrate\"\n"
                     "}\n");
    const k2e_diag *d = find_code(K2E_I_RUN_TASK);
    assert_has(d->message, "run-tasks/migrate.json (2 tasks)");
    ck_assert_str_eq(find_code(K2E_I_JOB_SETTING)->path, "spec.completions");
    ck_assert_ptr_null(output("ecschedule.yaml"));
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
}
END_TEST

START_TEST(job_fields_are_reported)
{
    add_job("a.yaml", "batch", "",
            "  parallelism: 12\n"
            "  completions: 30\n"
            "  backoffLimit: 4\n"
            "  completionMode: Indexed\n"
            "  podFailurePolicy:\n    rules: [{action: Ignore, onPodConditions: "
            "[{type: DisruptionTarget}]}]\n"
            "  suspend: true\n"
            "  activeDeadlineSeconds: 5\n");
    convert("");
    ck_assert_int_eq(status, K2E_EXIT_OK);
    assert_has(output("run-tasks/batch.json"), "\"count\": 10,");
    ck_assert_str_eq(find_code(K2E_W_TASK_COUNT)->path, "spec.parallelism");
    ck_assert_uint_eq(count_code(K2E_W_JOB_BEHAVIOUR), 5);
    ck_assert_str_eq(find_code(K2E_I_JOB_SETTING)->path, "spec.suspend");
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 0);
    for (size_t i = 0; i < result.diags.count; i++) {
        const k2e_diag *d = &result.diags.items[i];
        if (strcmp(d->path, "spec.completions") == 0)
            assert_has(d->message, "up to 12 pods at a time until 30 have succeeded; ECS starts 10 tasks once");
        if (strcmp(d->path, "spec.backoffLimit") == 0)
            assert_has(d->message, "it runs once");
    }
}
END_TEST

START_TEST(helm_hooks_are_reported_other_annotations_stay_visible)
{
    add_job("a.yaml", "hook",
            "  annotations:\n"
            "    helm.sh/hook: pre-install,pre-upgrade\n"
            "    helm.sh/hook-weight: \"-5\"\n"
            "    helm.sh/hook-delete-policy: before-hook-creation\n"
            "    example.com/owner: me\n",
            "");
    convert("");
    const k2e_diag *d = find_code(K2E_W_HELM_HOOK);
    assert_has(d->message, "Helm hook (pre-install,pre-upgrade)");
    assert_has(d->hint, "run-tasks/hook.json");
    ck_assert_str_eq(d->path, "metadata.annotations[\"helm.sh/hook\"]");
    ck_assert_uint_eq(count_code(K2E_W_NOT_CONVERTED), 1);
    ck_assert_str_eq(find_code(K2E_W_NOT_CONVERTED)->path,
                     "metadata.annotations[\"example.com/owner\"]");
}
END_TEST

START_TEST(jobs_as_disabled_rules)
{
    add_job("a.yaml", "seed", "", "  parallelism: 2\n");
    add_cronjob("b.yaml", "tick", "  schedule: '@daily'\n", "");
    convert("jobs: {asDisabledRules: true}\n");
    const char *text = schedule_text();
    const char *tick = strstr(text, "- name: 'tick'"), *seed = strstr(text, "- name: 'seed'");
    ck_assert(tick && seed && tick < seed); /* CronJobs first */
    assert_has(seed, "- name: 'seed'\n"
                     "  description: 'Job default/seed, converted by kube2ecs; start it with: "
                     "ecschedule run -rule seed'\n"
                     "  scheduleExpression: 'cron(0 0 1 1 ? 2199)'\n"
                     "  disabled: true\n"
                     "  taskDefinition: 'seed'\n"
                     "  taskCount: 2\n");
    ck_assert_ptr_nonnull(output("run-tasks/seed.json"));
}
END_TEST

START_TEST(mapping_errors_in_the_new_keys)
{
    add_job("a.yaml", "x", "", "");
    convert("schedules: {dstPolicy: sometimes, extra: 1}\njobs: {asDisabledRules: yes please}\n");
    ck_assert_int_eq(status, K2E_EXIT_INPUT);
    ck_assert_uint_ge(count_code(K2E_E_MAPPING), 3);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("schedule");
    TCase *t = tcase_create("rule_names");
    /* Check's default 4 s is too short for 400 clashing names (a regcomp per
     * name) under ASan on a busy 2-core machine: it timed out at base too. */
    tcase_set_timeout(t, 60);
    tcase_add_test(t, names_keep_the_alphabet_and_replace_the_rest);
    tcase_add_test(t, names_of_split_rules_get_numbered);
    tcase_add_test(t, long_names_are_cut_to_64_with_room_for_the_suffix);
    tcase_add_test(t, a_taken_name_gets_a_hash_of_the_object);
    tcase_add_test(t, a_split_rule_cannot_take_an_existing_name);
    tcase_add_test(t, many_clashing_long_names_stay_valid_and_unique);
    suite_add_tcase(s, t);

    t = tcase_create("cronjobs");
    tcase_set_timeout(t, 60);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, cronjob_rule_has_ecschedule_keys_in_dump_order);
    tcase_add_test(t, suspend_disables_and_task_count_one_is_omitted);
    tcase_add_test(t, parallelism_above_ten_is_capped_with_a_warning);
    tcase_add_test(t, split_schedules_become_numbered_rules);
    tcase_add_test(t, invalid_schedule_is_an_error_at_the_bad_field);
    tcase_add_test(t, missing_schedule_is_an_error);
    tcase_add_test(t, unknown_time_zone_is_an_error_at_time_zone);
    tcase_add_test(t, unsupported_every_is_an_error);
    tcase_add_test(t, cron_warnings_arrive_with_their_codes);
    tcase_add_test(t, seasonal_dst_policy_reaches_the_translation);
    tcase_add_test(t, no_rule_means_no_ecschedule_file);
    tcase_add_test(t, mapping_settings_in_canonical_spellings);
    tcase_add_test(t, dead_letter_arn_is_kept_and_china_partition_is_used);
    tcase_add_test(t, rules_are_sorted_by_namespace_and_name_not_file_order);
    tcase_add_test(t, template_braces_from_input_are_escaped);
    tcase_add_test(t, rule_name_template_and_clash_warning);
    tcase_add_test(t, cronjob_controller_fields_are_reported_with_ecs_behaviour);
    tcase_add_test(t, values_matching_ecs_behaviour_are_quiet);
    tcase_add_test(t, template_labels_propagate_cronjob_labels_are_reported);
    tcase_add_test(t, family_clash_writes_no_rule_for_the_loser);
    suite_add_tcase(s, t);

    t = tcase_create("jobs");
    tcase_set_timeout(t, 60);
    tcase_add_unchecked_fixture(t, k2e_scratch_base_make, k2e_scratch_base_remove);
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, job_run_task_input_in_model_order);
    tcase_add_test(t, job_fields_are_reported);
    tcase_add_test(t, helm_hooks_are_reported_other_annotations_stay_visible);
    tcase_add_test(t, jobs_as_disabled_rules);
    tcase_add_test(t, mapping_errors_in_the_new_keys);
    suite_add_tcase(s, t);
    return s;
}
