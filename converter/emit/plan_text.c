/* The batch plan for people; see plan_text.h.
 *
 * Layout: a summary line; per group its image, shared task definition and
 * one line per job with what it overrides; the jobs that cannot join and
 * why; near misses; the jobs alone on their image and those that did not
 * convert, as lists; the before/after table.  A job line is cut at
 * LINE_MAX characters: --json has everything.
 */
#include "emit/plan_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

#define LINE_MAX_CHARS 160

static const char *str(const json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : "";
}

static long long num(const json_t *object, const char *key)
{
    return (long long)json_integer_value(json_object_get(object, key));
}

/* "[a, b]" for a list of strings. */
static void put_list(k2e_buf *b, const json_t *list)
{
    k2e_buf_puts(b, "[");
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item)
        k2e_buf_printf(b, "%s%s", i ? ", " : "", json_string_value(item));
    k2e_buf_puts(b, "]");
}

static void separator(k2e_buf *b, bool *first)
{
    k2e_buf_puts(b, *first ? "" : "; ");
    *first = false;
}

static void put_overrides(k2e_buf *b, const json_t *ov)
{
    if (!ov || json_is_null(ov)) {
        k2e_buf_puts(b, "no overrides");
        return;
    }
    bool first = true;
    if (json_object_get(ov, "cpu") || json_object_get(ov, "memory")) {
        separator(b, &first);
        k2e_buf_printf(b, "task %s/%s", json_object_get(ov, "cpu") ? str(ov, "cpu") : "=",
                       json_object_get(ov, "memory") ? str(ov, "memory") : "=");
    }
    const json_t *co = json_array_get(json_object_get(ov, "containerOverrides"), 0);
    if (json_object_get(co, "command")) {
        separator(b, &first);
        k2e_buf_puts(b, "command ");
        put_list(b, json_object_get(co, "command"));
    }
    size_t i;
    const json_t *item;
    json_array_foreach(json_object_get(co, "environment"), i, item) {
        separator(b, &first);
        k2e_buf_printf(b, "%s=%s", str(item, "name"), str(item, "value"));
    }
    static const char *const settings[] = {"cpu", "memory", "memoryReservation", NULL};
    bool container = false;
    for (const char *const *k = settings; *k; k++) {
        if (!json_object_get(co, *k))
            continue;
        if (!container)
            separator(b, &first);
        k2e_buf_printf(b, "%s%s %lld", container ? ", " : "container ", *k, num(co, *k));
        container = true;
    }
}

/* Appends `line` cut to LINE_MAX_CHARS characters (UTF-8 aware). */
static void put_cut(k2e_buf *b, const char *line)
{
    size_t chars = 0, i = 0;
    for (; line[i]; i++) {
        if (((unsigned char)line[i] & 0xC0) != 0x80 && ++chars > LINE_MAX_CHARS)
            break;
    }
    k2e_buf_append(b, line, i);
    k2e_buf_puts(b, line[i] ? "...\n" : "\n");
}

static void put_member(k2e_buf *b, const json_t *m)
{
    k2e_buf line;
    k2e_buf_init(&line);
    k2e_buf_printf(&line, "  %-7s %-24s %5lld  ", str(m, "kind"), str(m, "name"),
                   num(m, "inputLength"));
    put_overrides(&line, json_object_get(m, "overrides"));
    char *text = k2e_buf_detach(&line);
    if (text)
        put_cut(b, text);
    free(text);
}

static void put_group(k2e_buf *b, const json_t *g)
{
    const json_t *jobs = json_object_get(g, "jobs");
    k2e_buf_printf(b, "\n%s: %zu jobs on %s\n", str(g, "family"), json_array_size(jobs),
                   str(g, "image"));
    k2e_buf_printf(b, "  task definition %s (family from %s): %lld CPU units, %lld MiB, "
                   "container %s, log group %s\n", str(g, "family"), str(g, "familyFrom"),
                   num(g, "cpu"), num(g, "memory"), str(g, "container"),
                   json_is_string(json_object_get(g, "logGroup")) ? str(g, "logGroup")
                                                                  : "(none)");
    if (json_object_get(g, "sharedCommand")) {
        k2e_buf_puts(b, "  shared command ");
        put_list(b, json_object_get(g, "sharedCommand"));
        k2e_buf_puts(b, "\n");
    }
    if (json_array_size(json_object_get(g, "sharedEnvironment"))) {
        k2e_buf_puts(b, "  shared environment ");
        put_list(b, json_object_get(g, "sharedEnvironment"));
        k2e_buf_puts(b, "\n");
    }
    k2e_buf_printf(b, "  %-32s %5s  %s\n", "job", "bytes", "overrides (bytes: EventBridge "
                   "input, at most 8192)");
    size_t i;
    const json_t *item;
    json_array_foreach(jobs, i, item)
        put_member(b, item);
    json_array_foreach(json_object_get(g, "notes"), i, item)
        k2e_buf_printf(b, "  note: %s\n", json_string_value(item));
}

typedef enum { APART_REASONS, APART_NEAR, APART_ALONE, APART_NOT_CONVERTED } apart_view;

static bool in_view(const json_t *entry, apart_view view)
{
    bool converted = json_is_true(json_object_get(entry, "converted"));
    bool alone = json_is_true(json_object_get(entry, "alone"));
    switch (view) {
    case APART_REASONS: return converted && !alone;
    case APART_NEAR: return json_array_size(json_object_get(entry, "nearMisses")) > 0;
    case APART_ALONE: return converted && alone;
    default: return !converted;
    }
}

static void put_joined(k2e_buf *b, const json_t *list)
{
    size_t i;
    const json_t *item;
    json_array_foreach(list, i, item)
        k2e_buf_printf(b, "%s%s", i ? "; " : "", json_string_value(item));
}

static void put_apart(k2e_buf *b, const json_t *apart, apart_view view, const char *title)
{
    size_t shown = 0, i;
    const json_t *entry;
    json_array_foreach(apart, i, entry) {
        if (!in_view(entry, view))
            continue;
        if (shown++ == 0)
            k2e_buf_printf(b, "\n%s\n", title);
        if (view == APART_ALONE || view == APART_NOT_CONVERTED) {
            k2e_buf_printf(b, "  %s %s/%s%s%s%s\n", str(entry, "kind"), str(entry, "namespace"),
                           str(entry, "name"), view == APART_ALONE ? " (" : "",
                           view == APART_ALONE ? str(entry, "image") : "",
                           view == APART_ALONE ? ")" : "");
            continue;
        }
        k2e_buf line;
        k2e_buf_init(&line);
        k2e_buf_printf(&line, "  %s %s/%s: ", str(entry, "kind"), str(entry, "namespace"),
                       str(entry, "name"));
        put_joined(&line, json_object_get(entry, view == APART_NEAR ? "nearMisses"
                                                                     : "reasons"));
        char *text = k2e_buf_detach(&line);
        if (text)
            k2e_buf_printf(b, "%s\n", text);
        free(text);
    }
}

static void put_counts(k2e_buf *b, const json_t *counts)
{
    const json_t *before = json_object_get(counts, "before");
    const json_t *after = json_object_get(counts, "after");
    static const struct { const char *key, *label; } rows[] = {
        {"taskDefinitions", "task definitions"},
        {"images", "image references"},
        {"logGroups", "log groups"},
        {"rules", "rules"},
    };
    k2e_buf_printf(b, "\n%-20s %7s %7s\n", "", "before", "after");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        k2e_buf_printf(b, "%-20s %7lld %7lld\n", rows[i].label, num(before, rows[i].key),
                       num(after, rows[i].key));
}

char *k2e_batch_plan_text(const json_t *plan)
{
    k2e_buf b;
    k2e_buf_init(&b);
    const json_t *groups = json_object_get(plan, "groups");
    const json_t *apart = json_object_get(plan, "apart");
    size_t joined = 0, i;
    const json_t *g;
    json_array_foreach(groups, i, g)
        joined += json_array_size(json_object_get(g, "jobs"));
    k2e_buf_printf(&b, "Batch plan: %lld CronJobs and Jobs; %zu in %zu shared task "
                   "definition%s, %zu apart\n", num(plan, "jobs"), joined,
                   json_array_size(groups), json_array_size(groups) == 1 ? "" : "s",
                   json_array_size(apart));
    json_array_foreach(groups, i, g)
        put_group(&b, g);
    put_apart(&b, apart, APART_REASONS, "Cannot join:");
    put_apart(&b, apart, APART_NEAR, "Near misses (a manifest change lets them join):");
    put_apart(&b, apart, APART_ALONE, "Alone on their image repository:");
    put_apart(&b, apart, APART_NOT_CONVERTED, "Not converted (kube2ecs convert says why):");
    put_counts(&b, json_object_get(plan, "counts"));
    return k2e_buf_detach(&b);
}
