/* Batch consolidation's documents: the plan (batch-plan.json, and the
 * same plan for people, batch-plan.txt, which emit words) and the ytt
 * layout of each consolidated family; see batch.h.
 *
 * The ytt layout is a view of the rules already in ecschedule.yaml, for
 * teams that keep a base-task-definition pipeline:
 *
 *   ytt/<family>/base-task-def.json   the shared task definition
 *   ytt/<family>/config.yaml          the data-values schema (#@data/values-schema)
 *   ytt/<family>/values.yaml          the family's settings (#@data/values)
 *   ytt/<family>/tasks/<job>.yaml     one job's rules and overrides (#@data/values)
 *   ytt/<family>/ecschedule.yaml      the template: one document, the config
 *   ytt/<family>/ecschedule.star      which ecschedule.star builds from the values
 *
 * `ytt -f ytt/<family>/ | ecschedule -conf /dev/stdin apply -all` then
 * applies exactly the family's rules of ecschedule.yaml.  Unannotated array
 * items of a #@data/values document are appended (ytt's overlay rule for
 * array items without @overlay/match), so every tasks/<job>.yaml adds its
 * job.  The Starlark keeps to what Python also runs, so the test renders the
 * layout with a small stand-in when ytt is not installed
 * (tests/tools/ytt_standin.py).  ytt files take no plain '#' comments, and
 * the values are written like ecschedule.yaml's (single-quoted, `{{`
 * escaped), since ecschedule reads what ytt prints.
 */
#include "schedules/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

/* --- The plan ------------------------------------------------------------- */

static json_t *object_fields(const k2e_object *o)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:i}", "kind", o->kind, "namespace", o->namespace_,
                     "name", o->name, "file", o->file, "line", (json_int_t)o->root->line);
}

static json_t *member_json(const k2e_batch_member *m)
{
    json_t *out = object_fields(m->workload->object);
    json_object_set_new(out, "ownFamily", json_string(m->workload->family));
    json_object_set_new(out, "cpu", json_integer(m->workload->size.cpu));
    json_object_set_new(out, "memory", json_integer(m->workload->size.memory));
    json_object_set_new(out, "overrides", m->overrides ? json_deep_copy(m->overrides)
                                                       : json_null());
    json_object_set_new(out, "inputLength", json_integer((json_int_t)m->input_length));
    return out;
}

static const json_t *job_container_of(const k2e_batch_group *g)
{
    size_t i;
    json_t *ct;
    json_array_foreach(json_object_get(g->task_definition, "containerDefinitions"), i, ct) {
        const char *name = json_string_value(json_object_get(ct, "name"));
        if (name && strcmp(name, g->container) == 0)
            return ct;
    }
    return NULL;
}

static json_t *group_json(const k2e_batch_group *g)
{
    const json_t *job = job_container_of(g);
    const json_t *group = json_object_get(json_object_get(json_object_get(job,
                                          "logConfiguration"), "options"), "awslogs-group");
    json_t *out = json_pack("{s:s, s:s, s:s, s:s, s:i, s:i}", "family", g->family,
                            "familyFrom", g->family_from_mapping ? "batch.families"
                                                                 : "image repository",
                            "image", g->image, "container", g->container,
                            "cpu", (json_int_t)g->cpu, "memory", (json_int_t)g->memory);
    json_object_set_new(out, "logGroup", group ? json_copy((json_t *)group) : json_null());
    const json_t *command = json_object_get(job, "command");
    if (command)
        json_object_set_new(out, "sharedCommand", json_deep_copy(command));
    json_t *names = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(job, "environment"), i, item)
        json_array_append(names, json_object_get(item, "name"));
    json_object_set_new(out, "sharedEnvironment", names);
    json_t *jobs = json_array();
    for (size_t k = 0; k < g->count; k++)
        json_array_append_new(jobs, member_json(&g->members[k]));
    json_object_set_new(out, "jobs", jobs);
    json_object_set(out, "notes", g->notes);
    return out;
}

static json_t *counts_json(size_t tds, size_t images, size_t log_groups, size_t rules)
{
    return json_pack("{s:i, s:i, s:i, s:i}", "taskDefinitions", (json_int_t)tds,
                     "images", (json_int_t)images, "logGroups", (json_int_t)log_groups,
                     "rules", (json_int_t)rules);
}

static json_t *plan_json(const k2e_batch *b, size_t rules)
{
    json_t *groups = json_array();
    for (size_t i = 0; i < b->group_count; i++)
        json_array_append_new(groups, group_json(&b->groups[i]));
    json_t *counts = json_pack("{s:o, s:o}",
                               "before", counts_json(b->before_tds, b->before_images,
                                                     b->before_log_groups, rules),
                               "after", counts_json(b->after_tds, b->after_images,
                                                    b->after_log_groups, rules));
    return json_pack("{s:i, s:i, s:o, s:O, s:o}", "jobs", (json_int_t)b->jobs,
                     "inputLimit", (json_int_t)K2E_BATCH_INPUT_MAX, "groups", groups,
                     "apart", b->apart ? b->apart : json_array(), "counts", counts);
}

static const json_t *ecschedule_config(const k2e_model *model)
{
    for (size_t i = 0; i < model->count; i++) {
        if (model->items[i].kind == K2E_DOC_ECSCHEDULE)
            return model->items[i].value;
    }
    return NULL;
}

/* --- The ytt layout ------------------------------------------------------- */

static const char ytt_template[] =
    "#! ecschedule configuration of one task family, rendered by ytt from\n"
    "#! config.yaml, values.yaml and tasks/ (written by kube2ecs convert --layout ytt)\n"
    "#@ load(\"@ytt:data\", \"data\")\n"
    "#@ load(\"ecschedule.star\", \"ecschedule\")\n"
    "--- #@ ecschedule(data.values)\n";

/* Starlark that Python runs too: no struct(), no ytt-only built-ins. */
static const char ytt_star[] =
    "# The rules of one task family in ecschedule's key order, from the data\n"
    "# values (written by kube2ecs convert --layout ytt).\n"
    "\n"
    "def container_override(values, task):\n"
    "    override = {\"name\": values.container}\n"
    "    if len(task.command) > 0:\n"
    "        override[\"command\"] = [item for item in task.command]\n"
    "    if len(task.environment) > 0:\n"
    "        environment = {}\n"
    "        for variable in task.environment:\n"
    "            environment[variable.name] = variable.value\n"
    "        override[\"environment\"] = environment\n"
    "    if task.containerCpu > 0:\n"
    "        override[\"cpu\"] = task.containerCpu\n"
    "    if task.containerMemory > 0:\n"
    "        override[\"memory\"] = task.containerMemory\n"
    "    if task.containerMemoryReservation > 0:\n"
    "        override[\"memoryReservation\"] = task.containerMemoryReservation\n"
    "    return override\n"
    "\n"
    "def network(values):\n"
    "    vpc = {\"subnets\": [item for item in values.subnets]}\n"
    "    if len(values.securityGroups) > 0:\n"
    "        vpc[\"security_groups\"] = [item for item in values.securityGroups]\n"
    "    if values.assignPublicIp:\n"
    "        vpc[\"assign_public_ip\"] = values.assignPublicIp\n"
    "    return {\"aws_vpc_configuration\": vpc}\n"
    "\n"
    "def rule(values, task, schedule):\n"
    "    out = {\"name\": schedule.name}\n"
    "    if schedule.description:\n"
    "        out[\"description\"] = schedule.description\n"
    "    out[\"scheduleExpression\"] = schedule.scheduleExpression\n"
    "    if task.disabled:\n"
    "        out[\"disabled\"] = True\n"
    "    out[\"taskDefinition\"] = values.taskDefinition\n"
    "    if task.taskCount > 1:\n"
    "        out[\"taskCount\"] = task.taskCount\n"
    "    size = {}\n"
    "    if task.cpu:\n"
    "        size[\"cpu\"] = task.cpu\n"
    "    if task.memory:\n"
    "        size[\"memory\"] = task.memory\n"
    "    if len(size) > 0:\n"
    "        out[\"taskOverride\"] = size\n"
    "    override = container_override(values, task)\n"
    "    if len(override) > 1:\n"
    "        out[\"containerOverrides\"] = [override]\n"
    "    out[\"launch_type\"] = values.launchType\n"
    "    if values.platformVersion:\n"
    "        out[\"platform_version\"] = values.platformVersion\n"
    "    out[\"network_configuration\"] = network(values)\n"
    "    if values.deadLetterQueue:\n"
    "        out[\"dead_letter_config\"] = {\"sqs\": values.deadLetterQueue}\n"
    "    if values.propagateTags:\n"
    "        out[\"propagateTags\"] = values.propagateTags\n"
    "    return out\n"
    "\n"
    "def ecschedule(values):\n"
    "    config = {}\n"
    "    if values.role:\n"
    "        config[\"role\"] = values.role\n"
    "    config[\"region\"] = values.region\n"
    "    config[\"cluster\"] = values.cluster\n"
    "    if values.trackingId:\n"
    "        config[\"trackingId\"] = values.trackingId\n"
    "    rules = []\n"
    "    for task in values.tasks:\n"
    "        for schedule in task.rules:\n"
    "            rules.append(rule(values, task, schedule))\n"
    "    config[\"rules\"] = rules\n"
    "    return config\n";

/* The schema: every value with its type and neutral default. */
static json_t *ytt_schema(void)
{
    json_t *schedule = json_pack("{s:s, s:s, s:s}", "name", "", "description", "",
                                 "scheduleExpression", "");
    json_t *variable = json_pack("{s:s, s:s}", "name", "", "value", "");
    json_t *task = json_pack("{s:s, s:[o], s:b, s:i, s:s, s:s, s:[s], s:[o], s:i, s:i, s:i}",
                             "job", "", "rules", schedule, "disabled", 0, "taskCount", 1,
                             "cpu", "", "memory", "", "command", "", "environment", variable,
                             "containerCpu", 0, "containerMemory", 0,
                             "containerMemoryReservation", 0);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:[s], s:[s], s:s, s:s, s:s, "
                     "s:[o]}",
                     "region", "", "cluster", "", "role", "", "trackingId", "",
                     "taskDefinition", "", "container", "", "launchType", "",
                     "platformVersion", "", "subnets", "", "securityGroups", "",
                     "assignPublicIp", "", "deadLetterQueue", "", "propagateTags", "",
                     "tasks", task);
}

static void copy_key(json_t *to, const char *to_key, const json_t *from, const char *from_key)
{
    json_t *value = json_object_get(from, from_key);
    if (value)
        json_object_set_new(to, to_key, json_deep_copy(value));
}

/* The family's settings: the config's top level and what every rule of the
 * family shares (taken from its first rule). */
static json_t *ytt_values(const json_t *config, const k2e_batch_group *g, const json_t *rule)
{
    const json_t *vpc = json_object_get(json_object_get(rule, "network_configuration"),
                                        "aws_vpc_configuration");
    json_t *values = json_object();
    copy_key(values, "region", config, "region");
    copy_key(values, "cluster", config, "cluster");
    copy_key(values, "role", config, "role");
    copy_key(values, "trackingId", config, "trackingId");
    json_object_set_new(values, "taskDefinition", json_string(g->family));
    json_object_set_new(values, "container", json_string(g->container));
    copy_key(values, "launchType", rule, "launch_type");
    copy_key(values, "platformVersion", rule, "platform_version");
    copy_key(values, "subnets", vpc, "subnets");
    copy_key(values, "securityGroups", vpc, "security_groups");
    copy_key(values, "assignPublicIp", vpc, "assign_public_ip");
    copy_key(values, "deadLetterQueue", json_object_get(rule, "dead_letter_config"), "sqs");
    copy_key(values, "propagateTags", rule, "propagateTags");
    return values;
}

/* One job: its rules' names, descriptions and expressions, and what its
 * first rule overrides (all its rules override the same). */
static json_t *ytt_task(const k2e_batch_member *m)
{
    const json_t *first = json_array_get(m->rules, 0);
    const json_t *co = json_array_get(json_object_get(first, "containerOverrides"), 0);
    const k2e_object *o = m->workload->object;
    json_t *task = json_object();
    char *job = k2e_asprintf("%s %s/%s", o->kind, o->namespace_, o->name);
    json_object_set_new(task, "job", json_string(job ? job : ""));
    free(job);
    json_t *schedules = json_array();
    size_t i;
    json_t *rule;
    json_array_foreach(m->rules, i, rule) {
        json_t *s = json_object();
        copy_key(s, "name", rule, "name");
        copy_key(s, "description", rule, "description");
        copy_key(s, "scheduleExpression", rule, "scheduleExpression");
        json_array_append_new(schedules, s);
    }
    json_object_set_new(task, "rules", schedules);
    copy_key(task, "disabled", first, "disabled");
    copy_key(task, "taskCount", first, "taskCount");
    copy_key(task, "cpu", json_object_get(first, "taskOverride"), "cpu");
    copy_key(task, "memory", json_object_get(first, "taskOverride"), "memory");
    copy_key(task, "command", co, "command");
    json_t *env = json_array();
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)json_object_get(co, "environment"), name, value)
        json_array_append_new(env, json_pack("{s:s, s:O}", "name", name, "value", value));
    if (json_array_size(env))
        json_object_set_new(task, "environment", env);
    else
        json_decref(env);
    copy_key(task, "containerCpu", co, "cpu");
    copy_key(task, "containerMemory", co, "memory");
    copy_key(task, "containerMemoryReservation", co, "memoryReservation");
    return json_pack("{s:[o]}", "tasks", task);
}

static void add_ytt_group(k2e_map_ctx *ctx, const json_t *config, const k2e_batch_group *g)
{
    const k2e_batch_member *with_rules = NULL;
    for (size_t i = 0; i < g->count && !with_rules; i++)
        with_rules = json_array_size(g->members[i].rules) ? &g->members[i] : NULL;
    if (!with_rules || !config)
        return; /* only Jobs: their run-task files are the whole story */
    const k2e_object *source = g->members[0].workload->object;
    const char *f = g->family;
    k2e_map_output(ctx, K2E_DOC_TASK_DEFINITION, source, json_incref(g->task_definition),
                   "ytt/%s/base-task-def.json", f);
    k2e_map_output(ctx, K2E_DOC_YTT_SCHEMA, source, ytt_schema(), "ytt/%s/config.yaml", f);
    k2e_map_output(ctx, K2E_DOC_YTT_VALUES, source,
                   ytt_values(config, g, json_array_get(with_rules->rules, 0)),
                   "ytt/%s/values.yaml", f);
    k2e_map_output(ctx, K2E_DOC_TEXT, source, json_string(ytt_template),
                   "ytt/%s/ecschedule.yaml", f);
    k2e_map_output(ctx, K2E_DOC_TEXT, source, json_string(ytt_star),
                   "ytt/%s/ecschedule.star", f);
    for (size_t i = 0; i < g->count; i++) {
        const k2e_batch_member *m = &g->members[i];
        if (json_array_size(m->rules))
            k2e_map_output(ctx, K2E_DOC_YTT_VALUES, m->workload->object, ytt_task(m),
                           "ytt/%s/tasks/%s.yaml", f, m->workload->family);
    }
}

void k2e_batch_finish(k2e_map_ctx *ctx, k2e_batch *batch, bool plan, unsigned layouts)
{
    const json_t *config = ecschedule_config(ctx->model);
    if (plan) {
        json_t *value = plan_json(batch, json_array_size(json_object_get(config, "rules")));
        k2e_model_add(ctx->model, "batch-plan.json", json_incref(value), K2E_DOC_BATCH_PLAN,
                      NULL);
        k2e_model_add(ctx->model, "batch-plan.txt", value, K2E_DOC_BATCH_PLAN_TEXT, NULL);
    }
    if (!batch->consolidate || !(layouts & K2E_LAYOUT_YTT))
        return;
    for (size_t i = 0; i < batch->group_count; i++)
        add_ytt_group(ctx, config, &batch->groups[i]);
}
