/* Batch consolidation: grouping, shared task definitions, overrides; see
 * batch.h.  The plan document and the ytt layout are in batch_out.c.
 *
 * How groups are found.  Each written CronJob or Job with one app container
 * (the "job container") gets a signature: a copy of its task definition
 * with the family, task size, tags and the job container's name, command,
 * environment and cpu/memory settings taken out, and the log group and
 * stream prefix expanded for the shared family.  Candidates are sorted by
 * (image repository, signature text, index order), so equal signatures are
 * neighbours: one sort, then one pass.  A run of two or more is a group,
 * less the members whose overrides would not fit EventBridge's 8,192 bytes
 * (the shared values are recomputed without them until none is left over).
 *
 * Why a job stays apart is found by comparing its signature with the
 * nearest group on its image repository (the largest), else with another
 * job on it: field by field, in the terms of the manifest (entryPoint is
 * Kubernetes' command, a secret is a valueFrom env).
 */
#include "schedules/batch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map/fargate.h"
#include "map/patch.h"
#include "read/mapping_table.h"
#include "base/util.h"

/* --- Candidates ----------------------------------------------------------- */

typedef struct {
    k2e_workload *w;
    size_t job;                 /* the job container's index in containerDefinitions */
    char *image, *repository;
    char *family;               /* wanted: batch.families, else the repository's name */
    bool family_from_mapping;
    json_t *signature;
    char *key;                  /* the signature as sorted, compact JSON */
    char *excluded;             /* why it is compared with nothing; NULL: it is */
    k2e_batch_group *group;     /* NULL: apart */
    json_t *reasons, *near;     /* why it is apart (strings) */
    const char *compared_with;  /* "CronJob default/x" of the reference, or NULL */
    char *compared_owned;
} cand;

typedef struct {
    k2e_map_ctx *ctx;
    k2e_batch *batch;
    cand *cands;
    size_t count;
    cand **order;               /* by repository, signature, index order */
} batch_run;

/* Keys of the job container that overrides carry, left out of signatures. */
static const char *const override_keys[] = {
    "name", "command", "environment", "cpu", "memory", "memoryReservation", NULL,
};

static bool is_batch_kind(const k2e_object *object)
{
    return strcmp(object->kind, "CronJob") == 0 || strcmp(object->kind, "Job") == 0;
}

/* "reg:5000/acme/app:1.2@sha256:..." -> "reg:5000/acme/app". */
static char *image_repository(const char *image)
{
    const char *digest = strchr(image, '@');
    size_t n = digest ? (size_t)(digest - image) : strlen(image), end = n;
    for (size_t i = 0; i < n; i++) {
        if (image[i] == '/')
            end = n;
        else if (image[i] == ':')
            end = i;
    }
    return k2e_strndup(image, end);
}

static char *object_label(const k2e_object *object)
{
    return k2e_asprintf("%s %s/%s", object->kind, object->namespace_, object->name);
}

static json_t *containers_of(const json_t *td)
{
    return json_object_get(td, "containerDefinitions");
}

static json_t *job_container(const json_t *td, size_t job)
{
    return json_array_get(containers_of(td), job);
}

/* The job container: the pod's one app container, found by name. */
static bool find_job_container(cand *c)
{
    const k2e_node *apps = k2e_get(c->w->pod_spec, "containers");
    if (!apps || apps->kind != K2E_NODE_SEQUENCE || apps->count != 1) {
        c->excluded = k2e_asprintf("%zu app containers: kube2ecs consolidates jobs with one, "
                                   "whose overrides name it", apps ? (size_t)apps->count : 0);
        return false;
    }
    const k2e_node *name = k2e_get(apps->items[0], "name");
    size_t i;
    json_t *ct;
    json_array_foreach(containers_of(c->w->task_definition), i, ct) {
        const char *n = json_string_value(json_object_get(ct, "name"));
        if (k2e_is_scalar(name) && n && strcmp(n, name->value) == 0) {
            c->job = i;
            return true;
        }
    }
    c->excluded = k2e_strdup("its container is not in the task definition");
    return false;
}

static void choose_family(const k2e_mapping *m, cand *c)
{
    for (size_t i = 0; i < m->batch_family_count; i++) {
        const k2e_batch_family *f = &m->batch_families[i];
        if (f->image && f->family &&
            (strcmp(f->image, c->repository) == 0 || strcmp(f->image, c->image) == 0)) {
            c->family = k2e_strdup(f->family);
            c->family_from_mapping = true;
            return;
        }
    }
    const char *slash = strrchr(c->repository, '/');
    c->family = k2e_sanitize_family(slash ? slash + 1 : c->repository);
}

/* --- Shared logging ------------------------------------------------------- */

/* The log group and stream prefix of a container in a task definition of
 * `family` shared by jobs: the mapping's templates with {name} and {family}
 * both the family (a shared definition has one set of log options). */
static void shared_logging(const k2e_mapping *m, const k2e_object *object, const char *family,
                           json_t *container)
{
    json_t *options = json_object_get(json_object_get(container, "logConfiguration"),
                                      "options");
    const struct { const char *option; const char *template_; } rows[] = {
        {"awslogs-group", m->log_group.value},
        {"awslogs-stream-prefix", m->log_stream_prefix.value},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        if (!json_object_get(options, rows[i].option) || !rows[i].template_)
            continue;
        char *value = k2e_expand_template(rows[i].template_, family, object->namespace_,
                                          object->kind, family);
        if (value)
            json_object_set_new(options, rows[i].option, json_string(value));
        free(value);
    }
}

/* --- Signatures ------------------------------------------------------------- */

static json_t *signature_of(const k2e_mapping *m, const cand *c)
{
    json_t *sig = json_deep_copy(c->w->task_definition);
    if (!sig)
        return NULL;
    static const char *const task_keys[] = {"family", "cpu", "memory", "tags", NULL};
    for (const char *const *k = task_keys; *k; k++)
        json_object_del(sig, *k);
    json_t *job = job_container(sig, c->job);
    for (const char *const *k = override_keys; *k; k++)
        json_object_del(job, *k);
    size_t i;
    json_t *ct;
    json_array_foreach(containers_of(sig), i, ct)
        shared_logging(m, c->w->object, c->family, ct);
    return sig;
}

static bool prepare(batch_run *r, cand *c)
{
    const json_t *job = find_job_container(c) ? job_container(c->w->task_definition, c->job)
                                              : NULL;
    const k2e_patch *patch = k2e_patch_matching(r->ctx->mapping, c->w->object);
    if (patch) {
        free(c->excluded);
        c->excluded = k2e_asprintf("a mapping patch (%s:%u) changes its task definition; "
                                   "patches apply per workload",
                                   patch->origin ? patch->origin->file : "mapping",
                                   patch->origin ? patch->origin->line : 0);
    }
    const char *image = json_string_value(json_object_get(job, "image"));
    c->image = k2e_strdup(image ? image : "");
    c->repository = image_repository(c->image ? c->image : "");
    c->reasons = json_array();
    c->near = json_array();
    if (!c->image || !c->repository || !c->reasons || !c->near)
        return false;
    if (c->excluded)
        return true;
    choose_family(r->ctx->mapping, c);
    c->signature = c->family ? signature_of(r->ctx->mapping, c) : NULL;
    c->key = c->signature ? json_dumps(c->signature, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    return c->key != NULL;
}

static int by_signature(const void *pa, const void *pb)
{
    const cand *a = *(cand *const *)pa, *b = *(cand *const *)pb;
    int c = strcmp(a->repository, b->repository);
    if (c == 0)
        c = strcmp(a->key ? a->key : "", b->key ? b->key : "");
    if (c == 0)
        c = (a->w->object > b->w->object) - (a->w->object < b->w->object);
    return c;
}

/* --- Shared values ------------------------------------------------------------ */

static const json_t *env_value(const json_t *env, const char *name)
{
    size_t i;
    const json_t *item;
    json_array_foreach(env, i, item) {
        const char *n = json_string_value(json_object_get(item, "name"));
        if (n && strcmp(n, name) == 0)
            return json_object_get(item, "value");
    }
    return NULL;
}

static bool has_env(const json_t *env, const json_t *item)
{
    const char *name = json_string_value(json_object_get(item, "name"));
    const json_t *value = name ? env_value(env, name) : NULL;
    return value && json_equal((json_t *)value, json_object_get(item, "value"));
}

static const json_t *member_job(const cand *c)
{
    return job_container(c->w->task_definition, c->job);
}

/* Absent and [] both mean "the image's CMD". */
static const json_t *command_of(const json_t *job)
{
    const json_t *command = json_object_get(job, "command");
    return json_array_size(command) ? command : NULL;
}

static bool same_command(cand **m, size_t n)
{
    const json_t *first = command_of(member_job(m[0]));
    for (size_t i = 1; i < n; i++) {
        const json_t *other = command_of(member_job(m[i]));
        if ((first == NULL) != (other == NULL) ||
            (first && !json_equal((json_t *)first, (json_t *)other)))
            return false;
    }
    return true;
}

/* The items of `list` (env vars or tags) that every member has too. */
static json_t *common_items(const json_t *list, cand **m, size_t n, bool tags)
{
    json_t *out = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(list, i, item) {
        bool everywhere = true;
        for (size_t j = 0; j < n && everywhere; j++) {
            const json_t *theirs = tags ? json_object_get(m[j]->w->task_definition, "tags")
                                        : json_object_get(member_job(m[j]), "environment");
            bool found = false;
            size_t k;
            json_t *other;
            json_array_foreach(theirs, k, other)
                found = found || json_equal(item, other);
            everywhere = found;
        }
        if (everywhere)
            json_array_append(out, item);
    }
    return out;
}

static void set_or_drop(json_t *object, const char *key, json_t *list)
{
    if (json_array_size(list))
        json_object_set_new(object, key, list);
    else {
        json_decref(list);
        json_object_del(object, key);
    }
}

/* The largest value of an integer setting, present only when every member
 * has it (so an override never has to remove one). */
static void largest_setting(json_t *job, const char *key, cand **m, size_t n)
{
    json_int_t best = 0;
    for (size_t i = 0; i < n; i++) {
        const json_t *v = json_object_get(member_job(m[i]), key);
        if (!json_is_integer(v)) {
            json_object_del(job, key);
            return;
        }
        if (json_integer_value(v) > best)
            best = json_integer_value(v);
    }
    json_object_set_new(job, key, json_integer(best));
}

static size_t largest_member(cand **m, size_t n)
{
    size_t best = 0;
    for (size_t i = 1; i < n; i++) {
        const k2e_task_size *a = &m[i]->w->size, *b = &m[best]->w->size;
        if (a->memory > b->memory || (a->memory == b->memory && a->cpu > b->cpu))
            best = i;
    }
    return best;
}

static json_t *size_text(uint32_t value)
{
    char text[16];
    snprintf(text, sizeof text, "%u", value);
    return json_string(text);
}

/* The shared task definition of members m[0..n). */
static json_t *shared_definition(batch_run *r, cand **m, size_t n, k2e_batch_group *g)
{
    uint64_t cpu = 0, memory = 0;
    for (size_t i = 0; i < n; i++) {
        cpu = m[i]->w->size.cpu > cpu ? m[i]->w->size.cpu : cpu;
        memory = m[i]->w->size.memory > memory ? m[i]->w->size.memory : memory;
    }
    k2e_fargate_size size = {(uint32_t)cpu, (uint32_t)memory};
    k2e_fargate_pick(cpu, memory, &size); /* every member fits, so the largest do */
    g->cpu = size.cpu;
    g->memory = size.memory;
    const cand *big = m[largest_member(m, n)];
    json_t *td = json_deep_copy(big->w->task_definition);
    json_t *job = job_container(td, big->job);
    if (!td || !job)
        return td;
    json_object_set_new(td, "family", json_string(g->family));
    json_object_set_new(td, "cpu", size_text(size.cpu));
    json_object_set_new(td, "memory", size_text(size.memory));
    set_or_drop(td, "tags", common_items(json_object_get(td, "tags"), m, n, true));
    json_object_set_new(job, "name", json_string(g->container));
    if (!same_command(m, n))
        json_object_del(job, "command");
    set_or_drop(job, "environment", common_items(json_object_get(job, "environment"), m, n,
                                                 false));
    largest_setting(job, "cpu", m, n);
    largest_setting(job, "memory", m, n);
    largest_setting(job, "memoryReservation", m, n);
    size_t i;
    json_t *ct;
    json_array_foreach(containers_of(td), i, ct)
        shared_logging(r->ctx->mapping, big->w->object, g->family, ct);
    return td;
}

static const json_t *by_name(const json_t *list, const char *name)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        const char *n = json_string_value(json_object_get(item, "name"));
        if (n && strcmp(n, name) == 0)
            return item;
    }
    return NULL;
}

/* --- Overrides ------------------------------------------------------------------ */

static json_t *container_override(const k2e_batch_group *g, const json_t *base, const cand *c)
{
    const json_t *job = member_job(c);
    json_t *co = json_pack("{s:s}", "name", g->container);
    const json_t *command = command_of(job);
    if (command && !json_object_get(base, "command"))
        json_object_set_new(co, "command", json_deep_copy(command));
    json_t *env = json_array();
    size_t i;
    json_t *item;
    json_array_foreach(json_object_get(job, "environment"), i, item) {
        if (!has_env(json_object_get(base, "environment"), item))
            json_array_append(env, item);
    }
    set_or_drop(co, "environment", env);
    static const char *const settings[] = {"cpu", "memory", "memoryReservation", NULL};
    for (const char *const *k = settings; *k; k++) {
        json_t *v = json_object_get(job, *k);
        if (v && !json_equal(v, json_object_get(base, *k)))
            json_object_set(co, *k, v);
    }
    return co;
}

/* The TaskOverride that gives member c its own values back, in the API's
 * member order; NULL when it needs none. */
static json_t *member_overrides(const k2e_batch_group *g, const cand *c)
{
    /* the shared definition is the largest member's: its job container is
     * the one renamed to the group's container name */
    const json_t *base = by_name(containers_of(g->task_definition), g->container);
    json_t *ov = json_object();
    json_t *co = container_override(g, base, c);
    if (json_object_size(co) > 1)
        json_object_set_new(ov, "containerOverrides", json_pack("[o]", co));
    else
        json_decref(co);
    if (c->w->size.cpu != g->cpu)
        json_object_set_new(ov, "cpu", size_text(c->w->size.cpu));
    if (c->w->size.memory != g->memory)
        json_object_set_new(ov, "memory", size_text(c->w->size.memory));
    if (json_object_size(ov) == 0) {
        json_decref(ov);
        return NULL;
    }
    return ov;
}

/* ecschedule's environment is a YAML map, and the validator (like the ECS
 * console) wants POSIX names; anything else cannot be an override. */
static const char *bad_env_name(const json_t *overrides)
{
    const json_t *co = json_array_get(json_object_get(overrides, "containerOverrides"), 0);
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(co, "environment"), i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        bool ok = name && *name && !(*name >= '0' && *name <= '9');
        for (const char *p = name; ok && *p; p++)
            ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || *p == '_';
        if (!ok)
            return name ? name : "";
    }
    return NULL;
}

/* Thousands separators, for people: 9120 -> "9,120". */
static char *grouped(size_t n)
{
    char digits[32];
    snprintf(digits, sizeof digits, "%zu", n);
    k2e_buf b;
    k2e_buf_init(&b);
    size_t len = strlen(digits);
    for (size_t i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            k2e_buf_puts(&b, ",");
        k2e_buf_append(&b, &digits[i], 1);
    }
    return k2e_buf_detach(&b);
}

static void add_text(json_t *list, char *text)
{
    if (text)
        json_array_append_new(list, json_string(text));
    free(text);
}

/* Why member c cannot keep its overrides in group g, or false. */
static bool overrides_unfit(cand *c, const k2e_batch_member *member)
{
    const char *name = bad_env_name(member->overrides);
    if (name) {
        add_text(c->reasons, k2e_asprintf("environment variable '%s' cannot be an override: "
                                          "override names are letters, digits and '_'", name));
        return true;
    }
    if (member->input_length <= K2E_BATCH_INPUT_MAX)
        return false;
    char *have = grouped(member->input_length), *max = grouped(K2E_BATCH_INPUT_MAX);
    add_text(c->reasons, k2e_asprintf("overrides JSON would be %s characters: EventBridge's "
                                      "limit is %s", have ? have : "?", max ? max : "?"));
    free(have);
    free(max);
    return true;
}

/* --- Groups --------------------------------------------------------------------- */

static void group_release(k2e_batch_group *g)
{
    for (size_t i = 0; i < g->count; i++) {
        json_decref(g->members[i].overrides);
        json_decref(g->members[i].rules);
    }
    free(g->members);
    free(g->family);
    free(g->image);
    free(g->container);
    json_decref(g->task_definition);
    json_decref(g->notes);
    memset(g, 0, sizeof *g);
}

/* Computes the shared definition and every member's overrides; the members
 * whose overrides do not fit leave m (their reasons recorded) and the rest
 * is computed again.  Returns the number of members left. */
static size_t settle(batch_run *r, cand **m, size_t n, k2e_batch_group *g)
{
    for (;;) {
        json_decref(g->task_definition);
        g->task_definition = shared_definition(r, m, n, g);
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            k2e_batch_member member = {m[i]->w, g, member_overrides(g, m[i]), 0, NULL};
            char *input = k2e_batch_eventbridge_input(member.overrides);
            member.input_length = input ? strlen(input) : 0;
            free(input);
            if (!overrides_unfit(m[i], &member))
                m[kept++] = m[i];
            json_decref(member.overrides);
        }
        if (kept == n || kept < 2)
            return kept;
        n = kept;
    }
}

static bool fill_members(k2e_batch_group *g, cand **m, size_t n)
{
    g->members = k2e_calloc(n, sizeof *g->members);
    if (!g->members)
        return false;
    for (size_t i = 0; i < n; i++) {
        k2e_batch_member *member = &g->members[g->count++];
        *member = (k2e_batch_member){m[i]->w, g, member_overrides(g, m[i]), 0, json_array()};
        char *input = k2e_batch_eventbridge_input(member->overrides);
        member->input_length = input ? strlen(input) : 0;
        free(input);
        m[i]->group = g;
    }
    return true;
}

/* Pod labels are task definition tags, which scheduled tasks receive
 * through propagateTags; a shared definition holds only the common ones.
 * (Run-task files name every tag themselves, so Jobs lose none.) */
static void note_unshared_tags(k2e_batch_group *g)
{
    const json_t *shared = json_object_get(g->task_definition, "tags");
    for (size_t i = 0; i < g->count; i++) {
        const k2e_workload *w = g->members[i].workload;
        if (strcmp(w->object->kind, "CronJob") != 0)
            continue;
        k2e_buf keys;
        k2e_buf_init(&keys);
        size_t k;
        json_t *tag;
        json_array_foreach(json_object_get(w->task_definition, "tags"), k, tag) {
            bool found = false;
            size_t j;
            json_t *other;
            json_array_foreach(shared, j, other)
                found = found || json_equal(tag, other);
            if (!found)
                k2e_buf_printf(&keys, "%s%s=%s", keys.length ? ", " : "",
                               json_string_value(json_object_get(tag, "key")),
                               json_string_value(json_object_get(tag, "value")));
        }
        char *text = k2e_buf_detach(&keys);
        if (text && *text)
            add_text(g->notes, k2e_asprintf("pod labels of CronJob %s not shared by every job "
                                            "are not tags of its tasks: %s", w->object->name,
                                            text));
        free(text);
    }
}

/* The label of the job the members that left a group are compared with. */
static void note_left(cand **run, size_t n, cand *const *kept)
{
    for (size_t i = 0; i < n; i++) {
        if (!run[i]->group && json_array_size(run[i]->reasons) && !run[i]->compared_with) {
            run[i]->compared_owned = object_label(kept[0]->w->object);
            run[i]->compared_with = run[i]->compared_owned;
        }
    }
}

/* A run of equal signatures (run[0..n)) -> a group of those whose
 * overrides fit.  The groups array holds one group per two candidates, so
 * a group never moves once made. */
static bool form_group(batch_run *r, cand *const *run, size_t n)
{
    k2e_batch *b = r->batch;
    cand **m = k2e_calloc(n, sizeof *m);
    if (!m)
        return false;
    memcpy(m, run, n * sizeof *m);
    k2e_batch_group *g = &b->groups[b->group_count];
    memset(g, 0, sizeof *g);
    /* the largest member's name: its task definition is the base */
    const char *name = json_string_value(json_object_get(member_job(m[largest_member(m, n)]),
                                                         "name"));
    g->family = k2e_strdup(m[0]->family);
    g->family_from_mapping = m[0]->family_from_mapping;
    g->image = k2e_strdup(m[0]->image);
    g->container = k2e_strdup(name ? name : "app");
    g->notes = json_array();
    if (!g->family || !g->image || !g->container || !g->notes) {
        group_release(g);
        free(m);
        return false;
    }
    size_t kept = settle(r, m, n, g);
    bool ok = true;
    if (kept < 2) {
        group_release(g);
    } else {
        b->group_count++;
        ok = fill_members(g, m, kept);
        if (ok)
            note_unshared_tags(g);
        note_left((cand **)run, n, m);
    }
    free(m);
    return ok;
}

/* Runs of equal (repository, signature) in sorted order. */
static bool find_groups(batch_run *r)
{
    size_t start = 0;
    for (size_t i = 1; i <= r->count; i++) {
        cand *first = r->order[start];
        if (i < r->count && !first->excluded && !r->order[i]->excluded &&
            strcmp(first->repository, r->order[i]->repository) == 0 &&
            strcmp(first->key, r->order[i]->key) == 0)
            continue;
        if (i - start >= 2 && !form_group(r, &r->order[start], i - start))
            return false;
        start = i;
    }
    return true;
}

/* --- Families ------------------------------------------------------------------- */

static bool family_taken(const k2e_workloads *workloads, const k2e_batch *b, size_t upto,
                         const char *family, const k2e_workload **by)
{
    *by = NULL;
    for (size_t i = 0; i < workloads->count; i++) {
        const k2e_workload *w = &workloads->items[i];
        if (w->written && !b->member_of[w->object - b->index->items] &&
            strcmp(w->family, family) == 0) {
            *by = w;
            return true;
        }
    }
    for (size_t i = 0; i < upto; i++) {
        if (strcmp(b->groups[i].family, family) == 0)
            return true;
    }
    return false;
}

/* A group family must be unique among the task definitions written: a
 * taken one gets -2, -3, ... and a note. */
static void settle_families(const k2e_mapping *mapping, const k2e_workloads *workloads,
                            k2e_batch *b)
{
    for (size_t i = 0; i < b->group_count; i++) {
        k2e_batch_group *g = &b->groups[i];
        const k2e_workload *by = NULL;
        if (!family_taken(workloads, b, i, g->family, &by))
            continue;
        char *wanted = g->family, *family = NULL;
        const k2e_workload *ignored;
        for (unsigned n = 2; !family; n++) {
            char *next = k2e_asprintf("%.*s-%u", 240, wanted, n);
            if (!next)
                return; /* counted: the run fails as an internal error */
            if (!family_taken(workloads, b, i, next, &ignored))
                family = next;
            else
                free(next);
        }
        add_text(g->notes, by ? k2e_asprintf("family %s is taken by %s %s: written as %s; "
                                              "set batch.families to choose one", wanted,
                                              by->object->kind, by->object->name, family)
                              : k2e_asprintf("family %s is another group's: written as %s; "
                                             "set batch.families to choose one", wanted,
                                             family));
        g->family = family;
        free(wanted);
        json_object_set_new(g->task_definition, "family", json_string(family));
        size_t k;
        json_t *ct;
        json_array_foreach(containers_of(g->task_definition), k, ct)
            shared_logging(mapping, g->members[0].workload->object, family, ct);
    }
}

/* --- Reasons ---------------------------------------------------------------------- */

typedef struct {
    const char *key;
    const char *what;
} field_label;

static const field_label task_labels[] = {
    {"taskRoleArn", "task role (serviceAccountName)"},
    {"executionRoleArn", "execution role"},
    {"volumes", "volumes"},
    {"ephemeralStorage", "ephemeral storage"},
    {"runtimePlatform", "runtime platform"},
    {"pidMode", "process namespace (shareProcessNamespace)"},
    {"ipcMode", "IPC mode"},
    {"networkMode", "network mode"},
    {"requiresCompatibilities", "launch type"},
    {NULL, NULL},
};

static const field_label container_labels[] = {
    {"mountPoints", "volume mounts"},
    {"healthCheck", "health check (probes)"},
    {"logConfiguration", "log configuration"},
    {"linuxParameters", "Linux parameters (capabilities, init process, shared memory)"},
    {"user", "security settings (runAsUser/runAsGroup)"},
    {"readonlyRootFilesystem", "security settings (readOnlyRootFilesystem)"},
    {"privileged", "security settings (privileged)"},
    {"portMappings", "ports"},
    {"workingDirectory", "workingDir"},
    {"repositoryCredentials", "image pull secret"},
    {"dependsOn", "start order (init containers)"},
    {"ulimits", "ulimits"},
    {"essential", "essential flag"},
    {"stopTimeout", "stop timeout (terminationGracePeriodSeconds)"},
    {"restartPolicy", "restart policy"},
    {"dockerLabels", "Docker labels"},
    {NULL, NULL},
};

static const char *label_of(const field_label *table, const char *key)
{
    for (; table->key; table++) {
        if (strcmp(table->key, key) == 0)
            return table->what;
    }
    return key;
}

/* A value for a sentence: compact JSON, cut after 60 bytes (on a UTF-8
 * boundary) so that a whole shell script does not fill the plan. */
static char *compact(const json_t *value)
{
    enum { MAX = 60 };
    char *text = value ? json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY)
                       : k2e_strdup("none");
    if (!text || strlen(text) <= MAX)
        return text;
    size_t cut = MAX;
    while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
        cut--;
    char *short_text = k2e_asprintf("%.*s...", (int)cut, text);
    free(text);
    return short_text;
}

/* Every key of a or b whose values differ, in a's order then b's. */
static void differing_keys(const json_t *a, const json_t *b, const char *const *skip,
                           void (*report)(const char *key, void *context), void *context)
{
    const json_t *pair[2] = {a, b};
    for (int side = 0; side < 2; side++) {
        const char *key;
        json_t *value;
        json_object_foreach((json_t *)pair[side], key, value) {
            bool skipped = false;
            for (const char *const *s = skip; s && *s && !skipped; s++)
                skipped = strcmp(*s, key) == 0;
            if (skipped || (side == 1 && json_object_get(a, key)))
                continue;
            if (!json_equal(value, json_object_get(pair[!side], key)))
                report(key, context);
        }
    }
}

typedef struct {
    cand *c;
    const cand *ref;
    const char *ref_label;
} explain_ctx;

static void task_difference(const char *key, void *context)
{
    explain_ctx *e = context;
    const json_t *mine = json_object_get(e->c->signature, key);
    const json_t *theirs = json_object_get(e->ref->signature, key);
    if (json_is_string(mine) || json_is_string(theirs))
        add_text(e->c->reasons, k2e_asprintf("%s differs from %s (%s, not %s)",
                                             label_of(task_labels, key), e->ref_label,
                                             mine ? json_string_value(mine) : "none",
                                             theirs ? json_string_value(theirs) : "none"));
    else
        add_text(e->c->reasons, k2e_asprintf("%s differ from %s", label_of(task_labels, key),
                                             e->ref_label));
}

/* Secrets by variable name: which are only here, only there, or differ. */
static void secret_differences(explain_ctx *e, const json_t *mine, const json_t *theirs)
{
    size_t i;
    const json_t *item;
    json_array_foreach(mine, i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        const json_t *other = name ? by_name(theirs, name) : NULL;
        if (!name || (other && json_equal((json_t *)item, (json_t *)other)))
            continue;
        add_text(e->c->reasons, other ? k2e_asprintf("secret %s differs from %s", name,
                                                     e->ref_label)
                                      : k2e_asprintf("secret %s is not in %s", name,
                                                     e->ref_label));
    }
    json_array_foreach(theirs, i, item) {
        const char *name = json_string_value(json_object_get(item, "name"));
        if (name && !by_name(mine, name))
            add_text(e->c->reasons, k2e_asprintf("secret %s of %s is not set here", name,
                                                 e->ref_label));
    }
}

static size_t common_prefix(const json_t *a, const json_t *b)
{
    size_t n = 0;
    while (n < json_array_size(a) && n < json_array_size(b) &&
           json_equal(json_array_get(a, n), json_array_get(b, n)))
        n++;
    return n;
}

static json_t *slice(const json_t *list, size_t from, size_t to)
{
    json_t *out = json_array();
    for (size_t i = from; i < to; i++)
        json_array_append(out, json_array_get(list, i));
    return out;
}

/* Kubernetes' command is ECS's entryPoint, which no override can change;
 * but words moved from the end of command to the front of args run the
 * same process, so a shared first part is a near miss. */
static void entry_point_difference(explain_ctx *e, const json_t *mine, const json_t *theirs)
{
    char *a = compact(mine), *b = compact(theirs);
    add_text(e->c->reasons, k2e_asprintf("entryPoint (Kubernetes command) %s differs from "
                                         "%s's %s", a ? a : "?", e->ref_label, b ? b : "?"));
    free(a);
    free(b);
    size_t shared = common_prefix(mine, theirs);
    json_t *keep = slice(mine, 0, shared);
    char *kept = compact(keep);
    if (!theirs) {
        add_text(e->c->near, k2e_asprintf("entryPoint: %s sets no command; if the image has "
                                          "no ENTRYPOINT, this job's command can move into "
                                          "args", e->ref_label));
    } else if (shared == json_array_size(theirs)) {
        json_t *rest = slice(mine, shared, json_array_size(mine));
        char *moved = compact(rest);
        add_text(e->c->near, k2e_asprintf("entryPoint: keep command %s and move %s to the "
                                          "front of args, as %s has it", kept ? kept : "?",
                                          moved ? moved : "?", e->ref_label));
        free(moved);
        json_decref(rest);
    } else if (shared > 0) {
        add_text(e->c->near, k2e_asprintf("entryPoint: this job and %s both start with %s: "
                                          "keep that as command in both and move the rest "
                                          "to the front of args", e->ref_label,
                                          kept ? kept : "?"));
    }
    free(kept);
    json_decref(keep);
}

/* One variable that is a Secret in one job and a literal in the other. */
static void kind_switches(explain_ctx *e)
{
    const json_t *mine = member_job(e->c), *theirs = member_job(e->ref);
    const struct {
        const json_t *secrets, *env;
        const char *here, *there;
    } sides[] = {
        {json_object_get(mine, "secrets"), json_object_get(theirs, "environment"),
         "a Secret", "a literal value"},
        {json_object_get(theirs, "secrets"), json_object_get(mine, "environment"),
         "a literal value", "a Secret"},
    };
    for (size_t s = 0; s < 2; s++) {
        size_t i;
        const json_t *item;
        json_array_foreach(sides[s].secrets, i, item) {
            const char *name = json_string_value(json_object_get(item, "name"));
            if (name && by_name(sides[s].env, name))
                add_text(e->c->near, k2e_asprintf("%s is %s here and %s in %s: make it the "
                                                  "same kind in both", name, sides[s].here,
                                                  sides[s].there, e->ref_label));
        }
    }
}

static void container_difference(const char *key, void *context)
{
    explain_ctx *e = context;
    const json_t *mine = json_object_get(member_job(e->c), key);
    const json_t *theirs = json_object_get(member_job(e->ref), key);
    if (strcmp(key, "image") == 0)
        return; /* the tag: reported once, with its near miss */
    if (strcmp(key, "entryPoint") == 0)
        entry_point_difference(e, mine, theirs);
    else if (strcmp(key, "secrets") == 0)
        secret_differences(e, mine, theirs);
    else
        add_text(e->c->reasons, k2e_asprintf("%s differ%s from %s",
                                             label_of(container_labels, key),
                                             k2e_str_has_suffix(label_of(container_labels, key),
                                                                "s") ? "" : "s",
                                             e->ref_label));
}

/* The other containers (init containers, sidecars), by name. */
static void sidecar_differences(explain_ctx *e)
{
    const json_t *mine = containers_of(e->c->signature), *theirs = containers_of(e->ref->signature);
    size_t i;
    const json_t *ct;
    json_array_foreach(mine, i, ct) {
        const char *name = json_string_value(json_object_get(ct, "name"));
        if (i == e->c->job || !name)
            continue;
        const json_t *other = by_name(theirs, name);
        if (!other || !json_equal((json_t *)ct, (json_t *)other))
            add_text(e->c->reasons, k2e_asprintf(other ? "container %s differs from %s's"
                                                       : "container %s is not in %s",
                                                 name, e->ref_label));
    }
    json_array_foreach(theirs, i, ct) {
        const char *name = json_string_value(json_object_get(ct, "name"));
        if (i != e->ref->job && name && !by_name(mine, name))
            add_text(e->c->reasons, k2e_asprintf("%s has a container %s that this job has not",
                                                 e->ref_label, name));
    }
}

static void explain(cand *c, const cand *ref)
{
    char *label = object_label(ref->w->object);
    explain_ctx e = {c, ref, label ? label : "the other job"};
    if (strcmp(c->image, ref->image) != 0) {
        const char *tag = c->image + strlen(c->repository);
        const char *their = ref->image + strlen(ref->repository);
        tag += *tag == ':';
        their += *their == ':';
        add_text(c->reasons, k2e_asprintf("image tag %s differs from %s's %s",
                                          *tag ? tag : "(none)", e.ref_label,
                                          *their ? their : "(none)"));
        add_text(c->near, k2e_asprintf("same repository, another tag: run %s as %s does",
                                       ref->image, e.ref_label));
    }
    static const char *const skip_task[] = {"containerDefinitions", NULL};
    differing_keys(c->signature, ref->signature, skip_task, task_difference, &e);
    sidecar_differences(&e);
    differing_keys(job_container(c->signature, c->job), job_container(ref->signature, ref->job),
                   NULL, container_difference, &e);
    kind_switches(&e);
    if (json_array_size(c->reasons) == 0)
        add_text(c->reasons, k2e_asprintf("its task definition differs from %s's", e.ref_label));
    /* A near miss is one that manifest changes settle: not when some
     * difference has no such fix. */
    if (json_array_size(c->near) < json_array_size(c->reasons))
        json_array_clear(c->near);
    c->compared_owned = label;
    c->compared_with = label;
}

/* The group or job an apart job is compared with: the largest group on its
 * repository, else the first other job on it. */
static const cand *reference_for(const batch_run *r, const cand *c)
{
    const cand *best = NULL;
    size_t best_size = 0;
    for (size_t i = 0; i < r->count; i++) {
        const cand *o = r->order[i];
        if (o == c || o->excluded || strcmp(o->repository, c->repository) != 0)
            continue;
        size_t size = o->group ? o->group->count : 1;
        if (!best || size > best_size) {
            best = o;
            best_size = size;
        }
    }
    return best;
}

static void explain_apart(batch_run *r)
{
    for (size_t i = 0; i < r->count; i++) {
        cand *c = &r->cands[i];
        if (c->group || c->excluded || json_array_size(c->reasons))
            continue;
        const cand *ref = reference_for(r, c);
        if (ref)
            explain(c, ref);
        else
            add_text(c->reasons, k2e_asprintf("no other CronJob or Job runs %s", c->repository));
    }
}

/* --- The run ---------------------------------------------------------------------- */

static void cand_release(cand *c)
{
    free(c->image);
    free(c->repository);
    free(c->family);
    json_decref(c->signature);
    free(c->key);
    free(c->excluded);
    json_decref(c->reasons);
    json_decref(c->near);
    free(c->compared_owned);
}

static bool collect(batch_run *r, k2e_workloads *workloads)
{
    r->cands = k2e_calloc(workloads->count + 1, sizeof *r->cands);
    r->order = k2e_calloc(workloads->count + 1, sizeof *r->order);
    if (!r->cands || !r->order)
        return false;
    for (size_t i = 0; i < workloads->count; i++) {
        k2e_workload *w = &workloads->items[i];
        if (!w->written || !is_batch_kind(w->object))
            continue;
        cand *c = &r->cands[r->count];
        c->w = w;
        r->order[r->count++] = c;
        if (!prepare(r, c))
            return false;
    }
    qsort(r->order, r->count, sizeof *r->order, by_signature);
    r->batch->groups = k2e_calloc(r->count / 2 + 1, sizeof *r->batch->groups);
    return r->batch->groups != NULL;
}

void k2e_batch_init(k2e_batch *batch)
{
    memset(batch, 0, sizeof *batch);
    k2e_workloads_init(&batch->shared);
}

void k2e_batch_release(k2e_batch *batch)
{
    for (size_t i = 0; i < batch->group_count; i++)
        group_release(&batch->groups[i]);
    free(batch->groups);
    free(batch->member_of);
    json_decref(batch->apart);
    k2e_workloads_release(&batch->shared);
    k2e_batch_init(batch);
}

k2e_batch_member *k2e_batch_member_of(const k2e_batch *batch, const k2e_workload *w)
{
    if (!batch || !batch->consolidate || !batch->member_of || !w)
        return NULL;
    return batch->member_of[w->object - batch->index->items];
}

/* Plan entries of the jobs that stay apart, in index order, with the ones
 * that did not convert at all. */
static json_t *apart_entry(const k2e_object *object, const cand *c)
{
    json_t *entry = json_pack("{s:s, s:s, s:s, s:s, s:i}", "kind", object->kind, "namespace",
                              object->namespace_, "name", object->name, "file", object->file,
                              "line", (json_int_t)object->root->line);
    if (!c) {
        json_object_set_new(entry, "converted", json_false());
        json_object_set_new(entry, "reasons", json_pack("[s]", "not converted: kube2ecs "
                                                        "convert reports why"));
        return entry;
    }
    json_object_set_new(entry, "converted", json_true());
    json_object_set_new(entry, "family", json_string(c->w->family));
    json_object_set_new(entry, "image", json_string(c->image));
    if (c->compared_with)
        json_object_set_new(entry, "comparedWith", json_string(c->compared_with));
    json_t *reasons = json_copy(c->reasons);
    if (c->excluded)
        json_array_insert_new(reasons, 0, json_string(c->excluded));
    json_object_set_new(entry, "reasons", reasons);
    json_object_set(entry, "nearMisses", c->near);
    json_object_set_new(entry, "alone", json_boolean(!c->compared_with && !c->excluded));
    return entry;
}

static void collect_apart(batch_run *r)
{
    k2e_batch *b = r->batch;
    const k2e_index *index = b->index;
    const cand **of = k2e_calloc(index->count + 1, sizeof *of);
    b->apart = json_array();
    if (!of || !b->apart) {
        free(of);
        return;
    }
    for (size_t i = 0; i < r->count; i++)
        of[r->cands[i].w->object - index->items] = &r->cands[i];
    for (size_t i = 0; i < index->count; i++) {
        const k2e_object *object = &index->items[i];
        if (object->duplicate || !is_batch_kind(object))
            continue;
        b->jobs++;
        if (of[i] && of[i]->group)
            continue;
        json_array_append_new(b->apart, apart_entry(object, of[i]));
    }
    free(of);
}

/* --- Counts --------------------------------------------------------------------- */

static int by_text(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

typedef struct {
    const char **log_groups;
    size_t log_group_count;
    size_t images, tds;
} tally;

static void tally_definition(tally *t, const json_t *td)
{
    t->tds++;
    size_t i;
    json_t *ct;
    json_array_foreach(containers_of(td), i, ct) {
        const char *image = json_string_value(json_object_get(ct, "image"));
        bool seen = false;
        for (size_t j = 0; j < i && image && !seen; j++) {
            const char *other = json_string_value(json_object_get(
                json_array_get(containers_of(td), j), "image"));
            seen = other && strcmp(other, image) == 0;
        }
        t->images += image && !seen;
        const char *group = json_string_value(json_object_get(
            json_object_get(json_object_get(ct, "logConfiguration"), "options"),
            "awslogs-group"));
        if (group)
            t->log_groups[t->log_group_count++] = group;
    }
}

static size_t distinct(const char **items, size_t n)
{
    if (n > 1)
        qsort(items, n, sizeof *items, by_text);
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += i == 0 || strcmp(items[i], items[i - 1]) != 0;
    return count;
}

static size_t container_total(const batch_run *r)
{
    size_t n = 0;
    for (size_t i = 0; i < r->count; i++)
        n += json_array_size(containers_of(r->cands[i].w->task_definition));
    return n;
}

static void count_definitions(batch_run *r)
{
    k2e_batch *b = r->batch;
    size_t cap = container_total(r) + 1;
    tally before = {k2e_calloc(cap, sizeof(char *)), 0, 0, 0};
    tally after = {k2e_calloc(cap, sizeof(char *)), 0, 0, 0};
    if (before.log_groups && after.log_groups) {
        for (size_t i = 0; i < r->count; i++) {
            tally_definition(&before, r->cands[i].w->task_definition);
            if (!r->cands[i].group)
                tally_definition(&after, r->cands[i].w->task_definition);
        }
        for (size_t i = 0; i < b->group_count; i++)
            tally_definition(&after, b->groups[i].task_definition);
    }
    b->before_tds = before.tds;
    b->before_images = before.images;
    b->before_log_groups = distinct(before.log_groups, before.log_group_count);
    b->after_tds = after.tds;
    b->after_images = after.images;
    b->after_log_groups = distinct(after.log_groups, after.log_group_count);
    free(before.log_groups);
    free(after.log_groups);
}

/* --- Consolidation ----------------------------------------------------------------- */

static int by_pointer(const void *a, const void *b)
{
    const void *x = *(const void *const *)a, *y = *(const void *const *)b;
    return (x > y) - (x < y);
}

typedef struct {
    const json_t **items;
    size_t count;
} pointer_set;

static bool is_member_definition(const k2e_doc *doc, void *context)
{
    const pointer_set *set = context;
    const json_t *value = doc->value;
    return doc->kind == K2E_DOC_TASK_DEFINITION &&
           bsearch(&value, set->items, set->count, sizeof *set->items, by_pointer) != NULL;
}

/* The members' own task definitions leave the model (one pass). */
static void take_back_definitions(k2e_map_ctx *ctx, const k2e_batch *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->group_count; i++)
        n += b->groups[i].count;
    const json_t **set = k2e_calloc(n + 1, sizeof *set);
    if (!set)
        return;
    n = 0;
    for (size_t i = 0; i < b->group_count; i++) {
        for (size_t j = 0; j < b->groups[i].count; j++)
            set[n++] = b->groups[i].members[j].workload->task_definition;
    }
    qsort(set, n, sizeof *set, by_pointer);
    pointer_set context = {set, n};
    k2e_model_remove_if(ctx->model, is_member_definition, &context);
    free(set);
}

static void describe_member(k2e_map_ctx *ctx, const k2e_batch_group *g,
                            const k2e_batch_member *m)
{
    const k2e_object *o = m->workload->object;
    const json_t *co = json_array_get(json_object_get(m->overrides, "containerOverrides"), 0);
    k2e_buf what;
    k2e_buf_init(&what);
    if (json_object_get(m->overrides, "cpu") || json_object_get(m->overrides, "memory"))
        k2e_buf_printf(&what, ", task size %u/%u", m->workload->size.cpu,
                       m->workload->size.memory);
    if (json_object_get(co, "command"))
        k2e_buf_puts(&what, ", command");
    if (json_array_size(json_object_get(co, "environment")))
        k2e_buf_printf(&what, ", %zu environment variable%s",
                       json_array_size(json_object_get(co, "environment")),
                       json_array_size(json_object_get(co, "environment")) == 1 ? "" : "s");
    if (json_object_get(co, "cpu") || json_object_get(co, "memory") ||
        json_object_get(co, "memoryReservation"))
        k2e_buf_puts(&what, ", container cpu/memory");
    char *text = k2e_buf_detach(&what);
    k2e_diag_at(ctx->diags, K2E_I_BATCH_SHARED, o->root, o->root,
                "kube2ecs plan-batch shows every group and why other jobs stay apart",
                "%s %s starts the shared task definition %s (%zu jobs, image %s) with %s%s "
                "(%zu of %d bytes of EventBridge input)", o->kind, o->name, g->family,
                g->count, g->image, m->overrides ? "overrides" : "no overrides",
                text && *text ? text : "", m->input_length, K2E_BATCH_INPUT_MAX);
    free(text);
}

static void describe_apart(k2e_map_ctx *ctx, const cand *c)
{
    const k2e_object *o = c->w->object;
    k2e_buf why;
    k2e_buf_init(&why);
    if (c->excluded)
        k2e_buf_puts(&why, c->excluded);
    size_t i;
    json_t *reason;
    json_array_foreach(c->reasons, i, reason)
        k2e_buf_printf(&why, "%s%s", why.length ? "; " : "", json_string_value(reason));
    char *text = k2e_buf_detach(&why);
    const char *near = json_string_value(json_array_get(c->near, 0));
    k2e_diag_at(ctx->diags, K2E_I_BATCH_APART, o->root, o->root,
                near ? near : "kube2ecs plan-batch shows the groups and near misses",
                "%s %s keeps its own task definition %s: %s", o->kind, o->name, c->w->family,
                text ? text : "");
    free(text);
}

static bool add_shared_workload(k2e_batch *b, const k2e_batch_group *g)
{
    k2e_workloads *s = &b->shared;
    char *family = k2e_strdup(g->family);
    if (!family || !k2e_grow((void **)&s->items, &s->capacity, s->count + 1, sizeof *s->items)) {
        free(family);
        return false;
    }
    const k2e_workload *first = g->members[0].workload;
    k2e_task_size size = {g->cpu, g->memory, first->size.requests_cpu,
                          first->size.requests_memory, g->cpu, g->memory};
    s->items[s->count++] = (k2e_workload){family, json_incref(g->task_definition), size,
                                          first->object, first->pod_spec, true, false};
    return true;
}

static void consolidate(batch_run *r)
{
    k2e_batch *b = r->batch;
    k2e_map_ctx *ctx = r->ctx;
    take_back_definitions(ctx, b);
    for (size_t i = 0; i < b->group_count; i++) {
        k2e_batch_group *g = &b->groups[i];
        for (size_t j = 0; j < g->count; j++) {
            g->members[j].workload->written = false;
            describe_member(ctx, g, &g->members[j]);
        }
        const k2e_object *first = g->members[0].workload->object;
        k2e_map_output(ctx, K2E_DOC_TASK_DEFINITION, first, json_incref(g->task_definition),
                       "task-definitions/%s.json", g->family);
        add_shared_workload(b, g);
        size_t k;
        json_t *note;
        json_array_foreach(g->notes, k, note)
            k2e_diag_at(ctx->diags, K2E_I_BATCH_SHARED, first->root, first->root, NULL,
                        "task definition %s: %s", g->family, json_string_value(note));
    }
    for (size_t i = 0; i < r->count; i++) {
        if (!r->cands[i].group)
            describe_apart(ctx, &r->cands[i]);
    }
}

static void stream_prefix_note(const k2e_map_ctx *ctx, k2e_batch *b)
{
    const char *prefix = ctx->mapping->log_stream_prefix.value;
    if (!prefix || !strstr(prefix, "{name}"))
        return;
    for (size_t i = 0; i < b->group_count; i++)
        add_text(b->groups[i].notes, k2e_asprintf(
                     "logging.streamPrefix {name} is the family in a shared task definition "
                     "(ECS has no per-run log options): a job's streams are "
                     "<prefix>/<container>/<task id>; its tasks are found with "
                     "aws ecs list-tasks --started-by events-rule/<rule name> (job/<family> "
                     "for run-task files)"));
}

static void index_members(k2e_batch *b)
{
    for (size_t i = 0; i < b->group_count; i++) {
        for (size_t j = 0; j < b->groups[i].count; j++) {
            k2e_batch_member *m = &b->groups[i].members[j];
            b->member_of[m->workload->object - b->index->items] = m;
        }
    }
}

void k2e_batch_plan(k2e_map_ctx *ctx, k2e_workloads *workloads, bool consolidate_,
                    k2e_batch *batch)
{
    batch->index = ctx->index;
    batch->consolidate = consolidate_;
    batch->member_of = k2e_calloc(ctx->index->count + 1, sizeof *batch->member_of);
    batch_run r = {.ctx = ctx, .batch = batch};
    if (batch->member_of && collect(&r, workloads) && find_groups(&r)) {
        index_members(batch);
        settle_families(ctx->mapping, workloads, batch);
        stream_prefix_note(ctx, batch);
        explain_apart(&r);
        collect_apart(&r);
        count_definitions(&r);
        if (consolidate_)
            consolidate(&r);
    }
    for (size_t i = 0; i < r.count; i++)
        cand_release(&r.cands[i]);
    free(r.cands);
    free(r.order);
}

/* --- Overrides in ecschedule's and RunTask's spelling ------------------------------ */

void k2e_batch_rule_overrides(k2e_batch_member *member, json_t *rule)
{
    const json_t *ov = member->overrides;
    json_t *task = json_object();
    if (json_object_get(ov, "cpu"))
        json_object_set(task, "cpu", json_object_get(ov, "cpu"));
    if (json_object_get(ov, "memory"))
        json_object_set(task, "memory", json_object_get(ov, "memory"));
    if (json_object_size(task))
        json_object_set_new(rule, "taskOverride", task);
    else
        json_decref(task);
    json_t *list = json_array();
    size_t i;
    json_t *co;
    json_array_foreach(json_object_get(ov, "containerOverrides"), i, co) {
        json_t *copy = json_copy(co);
        json_t *env = json_object_get(co, "environment");
        if (env) {
            json_t *map = json_object();
            size_t k;
            json_t *item;
            json_array_foreach(env, k, item) {
                const char *name = json_string_value(json_object_get(item, "name"));
                if (name)
                    json_object_set(map, name, json_object_get(item, "value"));
            }
            json_object_set_new(copy, "environment", map);
        }
        json_array_append_new(list, copy);
    }
    if (json_array_size(list))
        json_object_set_new(rule, "containerOverrides", list);
    else
        json_decref(list);
    json_array_append(member->rules, rule);
}

json_t *k2e_batch_run_task_overrides(const k2e_batch_member *member)
{
    return member && member->overrides ? json_deep_copy(member->overrides) : NULL;
}

/* --- EventBridge's Input, byte for byte -------------------------------------------- */

/* Length of the UTF-8 sequence at p, 0 when it is not valid UTF-8. */
static size_t utf8_length(const unsigned char *p)
{
    unsigned c = p[0];
    size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
    if (c >= 0xF5)
        n = 0;
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    }
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F) ||
        (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

/* Go's encoding/json string form (HTMLEscape on, as json.Marshal does). */
static void go_string(k2e_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    k2e_buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned c = *p;
        if (c < 0x80) {
            const char *short_form = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
                                   : c == '\r' ? "\\r" : c == '\t' ? "\\t" : c == '\b' ? "\\b"
                                   : c == '\f' ? "\\f" : NULL;
            if (short_form)
                k2e_buf_puts(b, short_form);
            else if (c < 0x20 || c == '<' || c == '>' || c == '&')
                k2e_buf_printf(b, "\\u00%c%c", hex[c >> 4], hex[c & 15]);
            else
                k2e_buf_append(b, (const char *)p, 1);
            p++;
            continue;
        }
        size_t n = utf8_length(p);
        if (n == 0) {
            k2e_buf_puts(b, "\\ufffd"); /* what Go writes for an invalid byte */
            p++;
        } else if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            k2e_buf_puts(b, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
            p += 3;
        } else {
            k2e_buf_append(b, (const char *)p, n);
            p += n;
        }
    }
    k2e_buf_puts(b, "\"");
}

static void go_string_list(k2e_buf *b, const json_t *list)
{
    k2e_buf_puts(b, "[");
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item) {
        if (i)
            k2e_buf_puts(b, ",");
        go_string(b, json_string_value(item) ? json_string_value(item) : "");
    }
    k2e_buf_puts(b, "]");
}

/* ecschedule's containerOverrideJSON: name; command, environment, cpu,
 * memory, memoryReservation each omitted when empty or unset. */
static void go_container(k2e_buf *b, const json_t *co)
{
    const char *name = json_string_value(json_object_get(co, "name"));
    k2e_buf_puts(b, "{\"name\":");
    go_string(b, name ? name : "");
    const json_t *command = json_object_get(co, "command");
    if (json_array_size(command)) {
        k2e_buf_puts(b, ",\"command\":");
        go_string_list(b, command);
    }
    const json_t *env = json_object_get(co, "environment");
    if (json_array_size(env)) {
        k2e_buf_puts(b, ",\"environment\":[");
        size_t i;
        const json_t *item;
        json_array_foreach(env, i, item) {
            const char *n = json_string_value(json_object_get(item, "name"));
            const char *v = json_string_value(json_object_get(item, "value"));
            k2e_buf_puts(b, i ? ",{\"name\":" : "{\"name\":");
            go_string(b, n ? n : "");
            k2e_buf_puts(b, ",\"value\":");
            go_string(b, v ? v : "");
            k2e_buf_puts(b, "}");
        }
        k2e_buf_puts(b, "]");
    }
    static const char *const ints[] = {"cpu", "memory", "memoryReservation", NULL};
    for (const char *const *k = ints; *k; k++) {
        const json_t *v = json_object_get(co, *k);
        if (json_is_integer(v))
            k2e_buf_printf(b, ",\"%s\":%lld", *k, (long long)json_integer_value(v));
    }
    k2e_buf_puts(b, "}");
}

char *k2e_batch_eventbridge_input(const json_t *overrides)
{
    k2e_buf b;
    k2e_buf_init(&b);
    k2e_buf_puts(&b, "{");
    static const char *const sizes[] = {"cpu", "memory", NULL};
    for (const char *const *k = sizes; *k; k++) {
        const char *v = json_string_value(json_object_get(overrides, *k));
        if (!v)
            continue;
        k2e_buf_printf(&b, "\"%s\":", *k);
        go_string(&b, v);
        k2e_buf_puts(&b, ",");
    }
    const json_t *list = json_object_get(overrides, "containerOverrides");
    k2e_buf_puts(&b, "\"containerOverrides\":");
    if (!json_array_size(list))
        k2e_buf_puts(&b, "null"); /* a nil slice: ecschedule's field has no omitempty */
    else {
        k2e_buf_puts(&b, "[");
        size_t i;
        const json_t *co;
        json_array_foreach(list, i, co) {
            if (i)
                k2e_buf_puts(&b, ",");
            go_container(&b, co);
        }
        k2e_buf_puts(&b, "]");
    }
    k2e_buf_puts(&b, "}");
    return k2e_buf_detach(&b);
}
