/* CronJobs -> ecschedule rules, Jobs -> run-task inputs; see schedule.h.
 *
 * One pass over the index in canonical order (CronJobs before Jobs, each by
 * namespace and name) collects the rules as a JSON array in ecschedule's
 * key order; emit writes it as ecschedule.yaml at the end.  Rule names are
 * handed out in that same order, so they never depend on file order.
 *
 * A CronJob becomes one rule per EventBridge expression that cron.c
 * computes: usually one, several when one UTC cron cannot express the
 * Kubernetes schedule (suffixes -1, -2, ...).  Each rule starts the
 * CronJob's own task definition (family without revision: ECS takes the
 * latest ACTIVE revision at each run), so no containerOverrides are needed.
 * Consolidating CronJobs that share an image into one task definition with
 * per-rule command/environment overrides is deliberately not done here:
 * it needs the task definitions compared field by field (roles, sizes,
 * volumes, secrets) and is a separate step (MAPPING.md section 11.7).
 *
 * Canonical spellings (ecschedule.md section 7): role and cluster are
 * written as names (an ARN from the mapping table is cut back to its name,
 * because ecschedule's diff strips the prefix from the remote side), the
 * dead-letter queue as a full SQS ARN, taskCount only when above 1,
 * disabled only when true, targetId never (it defaults to the name).
 */
#include "schedules/schedule.h"
#include "schedules/batch.h"
#include "map/ecs_limits.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedules/cron/cron.h"
#include "base/arn.h"
#include "base/util.h"

#define RULE_NAME_MAX K2E_RULE_NAME_MAX
#define DESCRIPTION_MAX K2E_RULE_DESCRIPTION_MAX

/* A rule for `ecschedule run -rule NAME` only: disabled, and even if someone
 * enables it, it fires once, on 2199-01-01 (the last year EventBridge
 * accepts), never by surprise. */
static const char run_only_expression[] = "cron(0 0 1 1 ? 2199)";

/* --- Rule names ----------------------------------------------------------- */

void k2e_rule_names_init(k2e_rule_names *names)
{
    memset(names, 0, sizeof *names);
}

void k2e_rule_names_release(k2e_rule_names *names)
{
    for (size_t i = 0; i < names->count; i++)
        free(names->items[i]);
    free(names->items);
    k2e_table_release(&names->taken);
    k2e_rule_names_init(names);
}

static bool is_taken(const k2e_rule_names *names, const char *name)
{
    size_t cursor = 0, i;
    uint64_t hash = k2e_hash_string(name);
    while ((i = k2e_table_next(&names->taken, hash, &cursor)) != K2E_ABSENT) {
        if (strcmp(names->items[i], name) == 0)
            return true;
    }
    return false;
}

static bool rule_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_';
}

static char *clean_rule_name(const char *wanted)
{
    if (!*wanted)
        return k2e_strdup("rule");
    char *s = k2e_strdup(wanted);
    for (char *p = s; p && *p; p++) {
        if (!rule_name_char(*p))
            *p = '-';
    }
    return s;
}

static char *part_name(const char *base, size_t parts, size_t i)
{
    return parts == 1 ? k2e_strdup(base) : k2e_asprintf("%s-%zu", base, i + 1);
}

static bool name_taken(const k2e_rule_names *names, const char *base, size_t parts)
{
    for (size_t i = 0; i < parts; i++) {
        char *name = part_name(base, parts, i);
        bool taken = name && is_taken(names, name);
        free(name);
        if (taken)
            return true;
    }
    return false;
}

/* FNV-1a: tiny, stable across platforms, good enough to tell names apart. */
static uint32_t name_hash(const char *identity, unsigned attempt)
{
    uint32_t h = 2166136261u;
    for (const unsigned char *p = (const unsigned char *)identity; *p; p++)
        h = (h ^ *p) * 16777619u;
    for (unsigned i = 0; i < attempt; i++)
        h = (h ^ '#') * 16777619u;
    return h;
}

static size_t digits(size_t n)
{
    size_t d = 1;
    while (n >= 10) {
        n /= 10;
        d++;
    }
    return d;
}

size_t k2e_rule_names_add(k2e_rule_names *names, const char *wanted, const char *identity,
                          size_t parts, unsigned *adjusted)
{
    *adjusted = 0;
    size_t room = RULE_NAME_MAX - (parts > 1 ? 1 + digits(parts) : 0);
    char *clean = clean_rule_name(wanted);
    if (!clean || parts == 0 || room < 16)
        goto fail;
    if (strlen(clean) > room) {
        clean[room] = '\0';
        *adjusted |= K2E_RULE_NAME_SHORTENED;
    }
    char *base = k2e_strdup(clean);
    for (unsigned attempt = 0; base && name_taken(names, base, parts); attempt++) {
        free(base);
        base = k2e_asprintf("%.*s-%08x", (int)(room - 9), clean, name_hash(identity, attempt));
        *adjusted |= K2E_RULE_NAME_UNIQUE;
    }
    free(clean);
    clean = NULL;
    if (!base || !k2e_grow((void **)&names->items, &names->capacity, names->count + parts,
                           sizeof *names->items)) {
        free(base);
        goto fail;
    }
    size_t first = names->count;
    for (size_t i = 0; i < parts; i++) {
        char *name = part_name(base, parts, i);
        if (!name || !k2e_table_add(&names->taken, k2e_hash_string(name), names->count)) {
            free(name);
            break;
        }
        names->items[names->count++] = name;
    }
    free(base);
    return names->count == first + parts ? first : (size_t)-1;
fail:
    free(clean);
    return (size_t)-1;
}

/* --- The run's state ------------------------------------------------------- */

typedef struct {
    k2e_map_ctx *ctx;
    const k2e_workload **workload_of;  /* per index item, NULL: none written */
    k2e_rule_names names;
    json_t *rules;                     /* ecschedule rules, in output order */
} schedule_run;

/* --- Text helpers ---------------------------------------------------------- */

static char *replace_all(const char *text, const char *token, const char *value)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    for (const char *p = text; *p;) {
        const char *hit = strstr(p, token);
        if (!hit) {
            k2e_buf_puts(&buf, p);
            break;
        }
        k2e_buf_append(&buf, p, (size_t)(hit - p));
        k2e_buf_puts(&buf, value);
        p = hit + strlen(token);
    }
    k2e_buf_append(&buf, "", 0);
    return k2e_buf_detach(&buf);
}

/* One line of at most `max` bytes, cut on a UTF-8 character boundary. */
static void one_line(char *text, size_t max)
{
    for (unsigned char *p = (unsigned char *)text; *p; p++) {
        if (*p < 0x20 || *p == 0x7F)
            *p = ' ';
    }
    size_t n = strlen(text);
    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    text[max] = '\0';
}

static char *rule_description(const schedule_run *run, const k2e_object *object,
                              const char *family, const char *suffix)
{
    const char *template_ = run->ctx->mapping->schedule_description.value;
    char *expanded = k2e_expand_template(template_ ? template_ : "", object->name,
                                         object->namespace_, object->kind, family);
    char *with_file = expanded ? replace_all(expanded, "{file}", object->file) : NULL;
    char *text = with_file ? k2e_asprintf("%s%s", with_file, suffix) : NULL;
    free(expanded);
    free(with_file);
    if (text)
        one_line(text, DESCRIPTION_MAX);
    return text;
}

/* "arn:aws:iam::1:role/path/x" -> "path/x": ecschedule's diff compares names. */
static const char *after_marker(const char *value, const char *marker)
{
    const char *hit = k2e_str_has_prefix(value, "arn:") ? strstr(value, marker) : NULL;
    return hit ? hit + strlen(marker) : value;
}

/* --- Rules ------------------------------------------------------------------ */

typedef struct {
    const char *name;
    char *description;
    const char *expression;
    bool disabled;
    const k2e_workload *workload;
    unsigned count;
} rule_spec;


static json_t *dead_letter(k2e_map_ctx *ctx)
{
    const char *queue = ctx->mapping->schedule_dead_letter.value;
    if (!queue || !*queue)
        return NULL;
    if (k2e_str_has_prefix(queue, "arn:"))
        return json_pack("{s:s}", "sqs", queue);
    /* A queue name: ecschedule would expand it, but its diff would not, so
     * the full ARN is the spelling that stays stable. */
    const char *region = ctx->mapping->region.value;
    k2e_map_use(ctx, K2E_KEY_REGION);
    k2e_map_use(ctx, K2E_KEY_ACCOUNT_ID);
    char *arn = k2e_arn_new(region, "sqs", ctx->mapping->account_id.value, queue);
    json_t *config = arn ? json_pack("{s:s}", "sqs", arn) : NULL;
    free(arn);
    return config;
}

/* Keys in ecschedule's own order (its `dump`). */
static json_t *rule_json(k2e_map_ctx *ctx, const rule_spec *spec)
{
    const k2e_mapping *m = ctx->mapping;
    json_t *rule = json_object();
    json_object_set_new(rule, "name", json_string(spec->name));
    if (spec->description && *spec->description)
        json_object_set_new(rule, "description", json_string(spec->description));
    json_object_set_new(rule, "scheduleExpression", json_string(spec->expression));
    if (spec->disabled || ctx->schedules_disabled || m->schedules_disabled)
        json_object_set_new(rule, "disabled", json_true());
    /* A consolidated job starts its group's task definition with overrides. */
    k2e_batch_member *shared = k2e_batch_member_of(ctx->batch, spec->workload);
    const json_t *td = shared ? shared->group->task_definition : spec->workload->task_definition;
    json_object_set_new(rule, "taskDefinition",
                        json_string(shared ? shared->group->family : spec->workload->family));
    if (spec->count > 1)
        json_object_set_new(rule, "taskCount", json_integer(spec->count));
    if (shared)
        k2e_batch_rule_overrides(shared, rule);
    json_object_set_new(rule, "launch_type", json_string("FARGATE"));
    if (m->platform_version.value)
        json_object_set_new(rule, "platform_version", json_string(m->platform_version.value));
    json_object_set_new(rule, "network_configuration", k2e_map_network_configuration(ctx, K2E_SPELLING_ECSCHEDULE));
    json_t *dlq = dead_letter(ctx);
    if (dlq)
        json_object_set_new(rule, "dead_letter_config", dlq);
    /* Pods carry their template's labels; scheduled tasks get the same
     * through the task definition's tags (ecschedule has no task tags). */
    if (json_array_size(json_object_get(td, "tags")) > 0)
        json_object_set_new(rule, "propagateTags", json_string("TASK_DEFINITION"));
    return rule;
}

/* --- Diagnostics inside a scalar -------------------------------------------- */

/* A diagnostic pointing at byte `offset` of a one-line scalar (a quoted
 * scalar's text starts one column after its quote). */
static void diag_in_scalar(k2e_map_ctx *ctx, k2e_diag_code code, const k2e_node *node,
                           const k2e_node *root, size_t offset, const char *hint,
                           const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void diag_in_scalar(k2e_map_ctx *ctx, k2e_diag_code code, const k2e_node *node,
                           const k2e_node *root, size_t offset, const char *hint,
                           const char *fmt, ...)
{
    unsigned column = node->column;
    if (!strchr(node->value, '\n') && offset <= node->length) {
        column += node->plain ? 0 : 1;
        for (size_t i = 0; i < offset; i++)
            column += ((unsigned char)node->value[i] & 0xC0) != 0x80;
    }
    char *path = k2e_node_path(node, root);
    k2e_where where = {node->file, node->line, column, path ? path : ""};
    va_list ap;
    va_start(ap, fmt);
    k2e_diag_addv(ctx->diags, code, where, hint, fmt, ap);
    va_end(ap);
    free(path);
}

/* --- CronJobs ---------------------------------------------------------------- */

static const k2e_field_rule cronjob_rules[] = {
    {NULL, "concurrencyPolicy", "Allow", NULL, K2E_W_JOB_BEHAVIOUR,
     "EventBridge starts a new task at every firing, even while the previous one still "
     "runs: there is no concurrency guard",
     NULL,
     "make the job exit when another run holds a lock (e.g. a DynamoDB conditional write); "
     "for Replace, stop the running task first (aws ecs stop-task)"},
    {NULL, "startingDeadlineSeconds", NULL, NULL, K2E_W_JOB_BEHAVIOUR,
     "EventBridge has no start deadline and does not catch up missed runs; it retries a "
     "start that fails for up to 24 hours, so a run may start late",
     NULL,
     "if lateness matters, let the job compare its start time with the schedule and exit"},
    {NULL, "successfulJobsHistoryLimit", NULL, NULL, K2E_I_JOB_SETTING,
     "ECS keeps no job history: stopped tasks stay visible for about an hour",
     NULL,
     "keep history in CloudWatch Logs, or record ECS task state-change events"},
    {NULL, "failedJobsHistoryLimit", NULL, NULL, K2E_I_JOB_SETTING,
     "ECS keeps no job history: stopped tasks stay visible for about an hour",
     NULL,
     "keep history in CloudWatch Logs, or record ECS task state-change events"},
    {NULL, NULL, NULL, NULL, K2E_I_JOB_SETTING, NULL, NULL, NULL},
};

static const char *warning_hint(const k2e_map_ctx *ctx, k2e_cron_warning_kind kind)
{
    switch (kind) {
    case K2E_CRON_WARN_DST_DRIFT:
        return ctx->mapping->schedule_dst_policy == K2E_DST_STANDARD
                   ? "set schedules.dstPolicy: seasonal in the mapping table (rules per month: "
                     "runs drift only around the changes), or use EventBridge Scheduler, "
                     "whose schedules have a time zone"
                   : "EventBridge rules know only UTC; EventBridge Scheduler schedules have a "
                     "time zone, if the remaining drift matters";
    case K2E_CRON_WARN_DOUBLE_FIRE:
        return "let the job exit on the days it must not run twice, or restrict only one of "
               "day-of-month and day-of-week";
    case K2E_CRON_WARN_RATE_RELATIVE:
        return "create the rule when the first run should happen, or use a cron schedule";
    default:
        return "check spec.schedule: no rule is written for this CronJob";
    }
}

static k2e_diag_code warning_code(k2e_cron_warning_kind kind)
{
    switch (kind) {
    case K2E_CRON_WARN_DST_DRIFT: return K2E_W_DST_DRIFT;
    case K2E_CRON_WARN_DOUBLE_FIRE: return K2E_W_DOUBLE_FIRE;
    case K2E_CRON_WARN_RATE_RELATIVE: return K2E_W_RATE_RELATIVE;
    default: return K2E_W_NEVER_FIRES;
    }
}

static void report_cron_failure(k2e_map_ctx *ctx, const k2e_object *object,
                                k2e_cron_status status, const k2e_cron_result *cr,
                                k2e_node *schedule, k2e_node *zone)
{
    const char *error = cr->error ? cr->error : "out of memory";
    switch (status) {
    case K2E_CRON_INVALID:
        diag_in_scalar(ctx, K2E_E_SCHEDULE, schedule, object->root, cr->error_offset,
                       "Kubernetes rejects this schedule too: five fields (minute hour "
                       "day-of-month month day-of-week) or a macro such as @daily",
                       "invalid schedule: %s", error);
        break;
    case K2E_CRON_NO_MEMORY:
        break; /* counted where it happened: the run fails as an internal error */
    case K2E_CRON_UNKNOWN_ZONE:
        diag_in_scalar(ctx, K2E_E_TIME_ZONE, zone ? zone : schedule, object->root,
                       zone ? cr->error_offset : 0,
                       "use an IANA zone name such as Europe/Berlin (see /usr/share/zoneinfo)",
                       "%s", error);
        break;
    default:
        k2e_diag_at(ctx->diags, K2E_E_SCHEDULE_UNSUPPORTED, schedule, object->root,
                    "choose a schedule of whole minutes in a zone with whole-minute offsets",
                    "schedule cannot be expressed as EventBridge rules: %s", error);
        break;
    }
}

/* spec.schedule + spec.timeZone -> expressions; false when there are none
 * to write (the reason is reported). */
static bool translate(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec,
                      k2e_cron_result *cr, k2e_node **schedule_out)
{
    k2e_node *root = object->root;
    k2e_node *schedule = k2e_take(spec, "schedule");
    k2e_node *zone = k2e_take(spec, "timeZone");
    const char *text = NULL, *tz = NULL;
    *schedule_out = schedule;
    if (!schedule) {
        k2e_diag_at(ctx->diags, K2E_E_SCHEDULE, spec, root, "a CronJob needs spec.schedule",
                    "CronJob %s has no schedule", object->name);
        return false;
    }
    if (!k2e_as_string(schedule, root, &text, ctx->diags) ||
        (zone && !k2e_is_null(zone) && !k2e_as_string(zone, root, &tz, ctx->diags)))
        return false;
    k2e_cron_options options = {
        .zoneinfo_dir = ctx->zoneinfo_dir,
        .dst_policy = ctx->mapping->schedule_dst_policy == K2E_DST_SEASONAL
                          ? K2E_CRON_DST_SEASONAL : K2E_CRON_DST_STANDARD,
    };
    k2e_cron_status status = k2e_cron_translate_ex(text, tz, &options, cr);
    if (status != K2E_CRON_OK) {
        report_cron_failure(ctx, object, status, cr, schedule, zone);
        return false;
    }
    for (size_t i = 0; i < cr->warning_count; i++) {
        k2e_cron_warning_kind kind = cr->warning_kinds[i];
        k2e_node *at = kind == K2E_CRON_WARN_DST_DRIFT && tz ? zone : schedule;
        k2e_diag_at(ctx->diags, warning_code(kind), at, root, warning_hint(ctx, kind), "%s",
                    cr->warnings[i]);
    }
    return cr->count > 0;
}

static const char labels_hint[] =
    "the pod template's labels are the task definition's tags, which scheduled tasks "
    "receive (propagateTags: TASK_DEFINITION)";

/* The CronJob's own labels and the metadata of the Jobs it would create:
 * neither has an ECS object to land on. */
static void report_cronjob_metadata(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *spec)
{
    k2e_node *labels = k2e_take(k2e_get(object->root, "metadata"), "labels");
    if (labels) {
        k2e_consume_all(labels);
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, labels, object->root, labels_hint,
                    "labels of the CronJob itself are not converted: ecschedule tags a rule "
                    "only with its tracking id");
    }
    k2e_node *job_metadata = k2e_take(k2e_get(spec, "jobTemplate"), "metadata");
    if (job_metadata) {
        k2e_consume_all(job_metadata);
        k2e_diag_at(ctx->diags, K2E_I_JOB_SETTING, job_metadata, object->root, labels_hint,
                    "jobTemplate.metadata is not converted: ECS has no Job objects to label");
    }
}

static void report_rules(k2e_map_ctx *ctx, const k2e_object *object, k2e_node *schedule,
                         const k2e_rule_names *names, size_t first,
                         const k2e_cron_result *cr, bool disabled)
{
    k2e_buf list;
    k2e_buf_init(&list);
    for (size_t i = 0; i < cr->count; i++)
        k2e_buf_printf(&list, "%s%s %s", i ? ", " : "", names->items[first + i],
                       cr->expressions[i]);
    char *text = k2e_buf_detach(&list);
    k2e_diag_at(ctx->diags, K2E_I_RULES, schedule, object->root,
                "apply with `ecschedule -conf ecschedule.yaml apply -all`",
                "CronJob %s -> ecschedule rule%s %s%s", object->name, cr->count > 1 ? "s" : "",
                text ? text : "", disabled ? " (disabled: suspend is true)"
                                  : ctx->schedules_disabled || ctx->mapping->schedules_disabled
                                        ? " (disabled until the cut-over: schedules.state)"
                                        : "");
    free(text);
}

static void add_rule_name_warning(k2e_map_ctx *ctx, const k2e_object *object,
                                  const char *wanted, const char *name, unsigned adjusted)
{
    if (!adjusted)
        return;
    k2e_diag_at(ctx->diags, K2E_W_RULE_NAME, object->root, object->root,
                "set schedules.ruleName in the mapping table to choose shorter, distinct names",
                "rule name '%s' %s: written as '%s'", wanted,
                adjusted == K2E_RULE_NAME_SHORTENED
                    ? "is longer than EventBridge's 64 characters"
                    : adjusted == K2E_RULE_NAME_UNIQUE
                          ? "is already another rule's name"
                          : "cut to 64 characters, is already another rule's name",
                name);
}

/* Names for `parts` rules of an object; the index of the first, or -1. */
static size_t pick_names(schedule_run *run, const k2e_object *object, const char *family,
                         size_t parts)
{
    const char *template_ = run->ctx->mapping->schedule_rule_name.value;
    char *wanted = k2e_expand_template(template_ ? template_ : "{family}", object->name,
                                       object->namespace_, object->kind, family);
    char *identity = k2e_asprintf("%s/%s/%s", object->kind, object->namespace_, object->name);
    unsigned adjusted = 0;
    size_t first = wanted && identity
                       ? k2e_rule_names_add(&run->names, wanted, identity, parts, &adjusted)
                       : (size_t)-1;
    if (first != (size_t)-1)
        add_rule_name_warning(run->ctx, object, wanted, run->names.items[first], adjusted);
    free(wanted);
    free(identity);
    return first;
}

static void add_rules(schedule_run *run, const k2e_object *object, const k2e_workload *w,
                      size_t first, const char *const *expressions, size_t count,
                      bool disabled, unsigned tasks, const char *note)
{
    for (size_t i = 0; i < count; i++) {
        char *part = count > 1 ? k2e_asprintf(" (rule %zu of %zu)", i + 1, count)
                               : k2e_strdup("");
        char *suffix = part ? k2e_asprintf("%s%s", part, note) : NULL;
        rule_spec spec = {run->names.items[first + i],
                          suffix ? rule_description(run, object, w->family, suffix) : NULL,
                          expressions[i], disabled, w, tasks};
        json_array_append_new(run->rules, rule_json(run->ctx, &spec));
        free(spec.description);
        free(suffix);
        free(part);
    }
}

static void map_cronjob(schedule_run *run, const k2e_object *object, const k2e_workload *w)
{
    k2e_map_ctx *ctx = run->ctx;
    k2e_node *spec = k2e_get(object->root, "spec");
    report_cronjob_metadata(ctx, object, spec);
    if (!spec || spec->kind != K2E_NODE_MAPPING)
        return; /* workload.c reported the missing template */
    k2e_node *suspend = k2e_take(spec, "suspend");
    bool disabled = false;
    if (suspend)
        k2e_as_bool(suspend, object->root, &disabled, ctx->diags);
    k2e_field_rules_apply(ctx->diags, object->root, spec, NULL, object->kind, cronjob_rules,
                          K2E_RULES_SCHEDULED);
    k2e_job_run job = k2e_job_spec_map(ctx, object, k2e_get(k2e_get(spec, "jobTemplate"), "spec"),
                                       true);
    disabled = disabled || job.suspended;
    k2e_cron_result cr = {0};
    k2e_node *schedule = NULL;
    if (translate(ctx, object, spec, &cr, &schedule) && w) {
        size_t first = pick_names(run, object, w->family, cr.count);
        if (first != (size_t)-1) {
            add_rules(run, object, w, first, (const char *const *)cr.expressions, cr.count,
                      disabled, job.count, "");
            report_rules(ctx, object, schedule, &run->names, first, &cr, disabled);
        }
    }
    k2e_cron_result_free(&cr);
}

/* --- Jobs ---------------------------------------------------------------------- */

static void add_run_task(schedule_run *run, const k2e_object *object, const k2e_workload *w,
                         unsigned count)
{
    k2e_map_ctx *ctx = run->ctx;
    k2e_doc *doc = k2e_map_output(ctx, K2E_DOC_RUN_TASK, object, k2e_runtask_build(ctx, w, count),
                                  "run-tasks/%s.json", w->family);
    if (!doc)
        return;
    k2e_diag_at(ctx->diags, K2E_I_RUN_TASK, object->root, object->root,
                "start it with `aws ecs run-task --cli-input-json file://OUTDIR/run-tasks/"
                "<family>.json` after registering the task definition",
                "Job %s -> %s (%u task%s)", object->name, doc->path, count, count == 1 ? "" : "s");
}

static void map_job(schedule_run *run, const k2e_object *object, const k2e_workload *w)
{
    k2e_map_ctx *ctx = run->ctx;
    k2e_node *spec = k2e_get(object->root, "spec");
    k2e_job_run job = k2e_job_spec_map(ctx, object, spec, false);
    k2e_job_helm_hook(ctx, object, w ? w->family : NULL);
    if (!w)
        return;
    add_run_task(run, object, w, job.count);
    if (!ctx->mapping->jobs_as_disabled_rules)
        return;
    size_t first = pick_names(run, object, w->family, 1);
    if (first == (size_t)-1)
        return;
    char *note = k2e_asprintf("; start it with: ecschedule run -rule %s",
                              run->names.items[first]);
    const char *expression = run_only_expression;
    add_rules(run, object, w, first, &expression, 1, true, job.count, note ? note : "");
    free(note);
}

/* --- The file ------------------------------------------------------------------ */

/* Top-level keys in ecschedule's order: role, region, cluster, trackingId, rules. */
static json_t *config_json(schedule_run *run)
{
    k2e_map_ctx *ctx = run->ctx;
    const k2e_mapping *m = ctx->mapping;
    json_t *config = json_object();
    const char *role = m->schedule_role.value;
    if (role && *role)
        json_object_set_new(config, "role", json_string(after_marker(role, ":role/")));
    k2e_map_use(ctx, K2E_KEY_REGION);
    k2e_map_use(ctx, K2E_KEY_CLUSTER);
    json_object_set_new(config, "region", json_string(m->region.value));
    json_object_set_new(config, "cluster", json_string(after_marker(m->cluster.value,
                                                                    ":cluster/")));
    const char *tracking = m->schedule_tracking_id.value;
    if (tracking && *tracking)
        json_object_set_new(config, "trackingId", json_string(tracking));
    json_object_set(config, "rules", run->rules);
    return config;
}

static void add_config(schedule_run *run)
{
    if (json_array_size(run->rules) == 0)
        return;
    k2e_model_add(run->ctx->model, "ecschedule.yaml", config_json(run), K2E_DOC_ECSCHEDULE, NULL);
}

void k2e_schedules_map(k2e_map_ctx *ctx, const k2e_workloads *workloads)
{
    const k2e_index *index = ctx->index;
    schedule_run run = {.ctx = ctx, .rules = json_array()};
    run.workload_of = k2e_calloc(index->count + 1, sizeof *run.workload_of);
    k2e_rule_names_init(&run.names);
    if (!run.workload_of || !run.rules)
        goto out;
    for (size_t i = 0; i < workloads->count; i++) {
        const k2e_workload *w = &workloads->items[i];
        if (w->written || k2e_batch_member_of(ctx->batch, w))
            run.workload_of[w->object - index->items] = w;
    }
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        if (object->duplicate)
            continue;
        if (strcmp(object->kind, "CronJob") == 0)
            map_cronjob(&run, object, run.workload_of[i]);
        else if (strcmp(object->kind, "Job") == 0)
            map_job(&run, object, run.workload_of[i]);
    }
    add_config(&run);
out:
    json_decref(run.rules);
    free(run.workload_of);
    k2e_rule_names_release(&run.names);
}
