/* Lines with paths and the unified diff; see render.h.
 *
 * The line diff is Myers' O((N+M)D) algorithm after trimming the common
 * head and tail (the usual change is one value in a file of a few hundred
 * lines, so D is tiny); past a bound on D (files that share nothing) the
 * diff is "all removed, all added", still a correct diff, only not minimal. */
#include "diff/render.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/util.h"

enum { CONTEXT = 3, MAX_EDITS = 1000 };

/* --- Paths --------------------------------------------------------------- */

static bool is_identifier(const char *key)
{
    if (!key[0] || isdigit((unsigned char)key[0]))
        return false;
    for (const char *p = key; *p; p++) {
        if (!isalnum((unsigned char)*p) && *p != '_')
            return false;
    }
    return true;
}

char *k2e_path_key(const char *parent, const char *key)
{
    if (is_identifier(key))
        return k2e_asprintf("%s%s%s", parent, parent[0] ? "." : "", key);
    json_t *quoted = json_string(key);
    char *text = quoted ? json_dumps(quoted, JSON_ENCODE_ANY) : NULL;
    char *path = text ? k2e_asprintf("%s[%s]", parent, text) : NULL;
    free(text);
    json_decref(quoted);
    return path;
}

static const char *const identities[] = {"name",     "key",          "containerName",
                                         "PolicyName", "portName", "capacityProvider",
                                         NULL};

static const char *identity_of(const json_t *item, const char *member)
{
    return json_string_value(json_object_get(item, member));
}

const char *k2e_list_identity(const json_t *list)
{
    size_t n = json_array_size(list);
    for (size_t k = 0; n && identities[k]; k++) {
        bool all = true;
        for (size_t i = 0; all && i < n; i++) {
            const char *mine = identity_of(json_array_get(list, i), identities[k]);
            all = mine != NULL;
            for (size_t j = 0; all && j < i; j++)
                all = strcmp(mine, identity_of(json_array_get(list, j), identities[k])) != 0;
        }
        if (all)
            return identities[k];
    }
    return NULL;
}

char *k2e_path_item(const char *parent, const json_t *list, size_t i)
{
    const json_t *item = json_array_get(list, i);
    for (size_t k = 0; identities[k]; k++) {
        const char *id = identity_of(item, identities[k]);
        if (id)
            return k2e_asprintf("%s[%s=%s]", parent, identities[k], id);
    }
    return k2e_asprintf("%s[%zu]", parent, i);
}

/* --- Lines --------------------------------------------------------------- */

static void add_line(k2e_lines *out, const char *path, int indent, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add_line(k2e_lines *out, const char *path, int indent, const char *fmt, ...)
{
    if (out->failed)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *body = k2e_vasprintf(fmt, ap);
    va_end(ap);
    char *text = body ? k2e_asprintf("%*s%s", indent, "", body) : NULL;
    char *copy = path ? k2e_strdup(path) : NULL;
    free(body);
    if (!text || !copy ||
        !k2e_grow((void **)&out->items, &out->capacity, out->count + 1, sizeof *out->items)) {
        free(text);
        free(copy);
        out->failed = true;
        return;
    }
    out->items[out->count++] = (k2e_line){text, copy};
}

static char *scalar_text(const json_t *value)
{
    return json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(15));
}

static int by_key(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void render(const json_t *value, const char *path, const char *label, int indent,
                   const char *comma, k2e_lines *out);

static void render_object(const json_t *value, const char *path, const char *label,
                          int indent, const char *comma, k2e_lines *out)
{
    size_t n = json_object_size(value);
    const char **keys = k2e_calloc(n ? n : 1, sizeof *keys);
    if (!keys) {
        out->failed = true;
        return;
    }
    size_t count = 0;
    const char *key;
    json_t *member;
    json_object_foreach((json_t *)value, key, member)
        keys[count++] = key;
    qsort(keys, count, sizeof *keys, by_key);
    add_line(out, path, indent, "%s{", label);
    for (size_t i = 0; i < count; i++) {
        char *child = k2e_path_key(path, keys[i]);
        json_t *name = json_string(keys[i]);
        char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
        char *child_label = quoted ? k2e_asprintf("%s: ", quoted) : NULL;
        if (child && child_label)
            render(json_object_get(value, keys[i]), child, child_label, indent + 2,
                   i + 1 < count ? "," : "", out);
        else
            out->failed = true;
        free(child_label);
        free(quoted);
        json_decref(name);
        free(child);
    }
    add_line(out, path, indent, "}%s", comma);
    free(keys);
}

static void render(const json_t *value, const char *path, const char *label, int indent,
                   const char *comma, k2e_lines *out)
{
    if (json_is_object(value) && json_object_size(value)) {
        render_object(value, path, label, indent, comma, out);
        return;
    }
    if (json_is_array(value) && json_array_size(value)) {
        add_line(out, path, indent, "%s[", label);
        size_t n = json_array_size(value);
        for (size_t i = 0; i < n; i++) {
            char *child = k2e_path_item(path, value, i);
            if (child)
                render(json_array_get(value, i), child, "", indent + 2, i + 1 < n ? "," : "",
                       out);
            else
                out->failed = true;
            free(child);
        }
        add_line(out, path, indent, "]%s", comma);
        return;
    }
    char *text = scalar_text(value);
    if (!text) {
        out->failed = true;
        return;
    }
    add_line(out, path, indent, "%s%s%s", label, text, comma);
    free(text);
}

bool k2e_render_lines(const json_t *doc, k2e_lines *out)
{
    memset(out, 0, sizeof *out);
    render(doc, "", "", 0, "", out);
    return !out->failed;
}

void k2e_lines_release(k2e_lines *lines)
{
    for (size_t i = 0; i < lines->count; i++) {
        free(lines->items[i].text);
        free(lines->items[i].path);
    }
    free(lines->items);
    memset(lines, 0, sizeof *lines);
}

/* --- Myers --------------------------------------------------------------- */

typedef enum { OP_KEEP, OP_DELETE, OP_INSERT } op_kind;

typedef struct {
    op_kind *items;
    size_t count;
} edit_script;

static bool same(const k2e_lines *a, size_t i, const k2e_lines *b, size_t j)
{
    return strcmp(a->items[i].text, b->items[j].text) == 0;
}

/* The shortest edit script of a[lo_a, hi_a) -> b[lo_b, hi_b), appended to
 * `ops` from the back (the trace is walked backwards); false when D
 * exceeds MAX_EDITS or memory runs out. */
static bool myers_middle(const k2e_lines *a, size_t lo_a, size_t n, const k2e_lines *b,
                         size_t lo_b, size_t m, op_kind *ops, size_t *count)
{
    size_t max = n + m < MAX_EDITS ? n + m : MAX_EDITS;
    size_t width = 2 * max + 1;
    long *v = k2e_calloc(width, sizeof *v);
    long **trace = k2e_calloc(max + 1, sizeof *trace);
    bool found = false;
    size_t d = 0;
    for (; v && trace && d <= max && !found; d++) {
        /* V before step d: only diagonals -d..d can be read back */
        trace[d] = k2e_malloc((2 * d + 1) * sizeof *v);
        if (!trace[d])
            break;
        memcpy(trace[d], v + max - d, (2 * d + 1) * sizeof *v);
        long *vk = v + max; /* vk[k] for k in -max..max */
        for (long k = -(long)d; k <= (long)d && !found; k += 2) {
            long x;
            if (k == -(long)d || (k != (long)d && vk[k - 1] < vk[k + 1]))
                x = vk[k + 1];
            else
                x = vk[k - 1] + 1;
            long y = x - k;
            while (x < (long)n && y < (long)m && same(a, lo_a + (size_t)x, b, lo_b + (size_t)y)) {
                x++;
                y++;
            }
            vk[k] = x;
            found = x >= (long)n && y >= (long)m;
        }
    }
    bool ok = found;
    if (found) {
        /* Walk back from (n, m): trace[d] holds V before step d. */
        long x = (long)n, y = (long)m;
        for (size_t step = d; step-- > 0;) {
            long *pv = trace[step] + step; /* pv[k] for k in -step..step */
            long k = x - y;
            long prev_k = (k == -(long)step ||
                           (k != (long)step && pv[k - 1] < pv[k + 1]))
                              ? k + 1
                              : k - 1;
            long prev_x = step ? pv[prev_k] : 0;
            long prev_y = prev_x - prev_k;
            while (x > prev_x && y > prev_y) {
                ops[--*count] = OP_KEEP;
                x--;
                y--;
            }
            if (step == 0)
                break;
            ops[--*count] = x == prev_x ? OP_INSERT : OP_DELETE;
            x = prev_x;
            y = prev_y;
        }
        while (x > 0 && y > 0) {
            ops[--*count] = OP_KEEP;
            x--;
            y--;
        }
    }
    for (size_t i = 0; trace && i <= max; i++)
        free(trace[i]);
    free(trace);
    free(v);
    return ok;
}

static bool edit_script_of(const k2e_lines *a, const k2e_lines *b, edit_script *script)
{
    size_t head = 0;
    while (head < a->count && head < b->count && same(a, head, b, head))
        head++;
    size_t tail = 0;
    while (tail < a->count - head && tail < b->count - head &&
           same(a, a->count - 1 - tail, b, b->count - 1 - tail))
        tail++;
    size_t n = a->count - head - tail, m = b->count - head - tail;
    size_t middle = n + m; /* an upper bound of the middle's length */
    script->items = k2e_calloc(head + middle + tail + 1, sizeof *script->items);
    if (!script->items)
        return false;
    op_kind *mid = k2e_calloc(middle + 1, sizeof *mid);
    if (!mid)
        return false;
    size_t mid_count = middle;
    bool minimal = myers_middle(a, head, n, b, head, m, mid, &mid_count);
    size_t count = 0;
    for (size_t i = 0; i < head; i++)
        script->items[count++] = OP_KEEP;
    if (minimal) {
        for (size_t i = mid_count; i < middle; i++)
            script->items[count++] = mid[i];
    } else {
        for (size_t i = 0; i < n; i++)
            script->items[count++] = OP_DELETE;
        for (size_t i = 0; i < m; i++)
            script->items[count++] = OP_INSERT;
    }
    for (size_t i = 0; i < tail; i++)
        script->items[count++] = OP_KEEP;
    script->count = count;
    free(mid);
    return true;
}

/* --- Hunks --------------------------------------------------------------- */

/* Unified diff's range: "start,count" with start 0 for an empty range. */
static void put_range(k2e_buf *out, size_t start, size_t count)
{
    if (count == 1)
        k2e_buf_printf(out, "%zu", start + 1);
    else
        k2e_buf_printf(out, "%zu,%zu", count ? start + 1 : start, count);
}

enum { HEADER_PATHS = 3 };

/* The hunk header names the paths of the changed lines, each once, at
 * most HEADER_PATHS of them ("+N more" after). */
static void put_paths(k2e_buf *out, const char **paths, size_t count)
{
    size_t shown = 0;
    for (size_t i = 0; i < count; i++) {
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(paths[i], paths[j]) == 0;
        if (seen)
            continue;
        if (shown == HEADER_PATHS) {
            size_t more = 0;
            for (size_t k = i; k < count; k++) {
                bool dup = false;
                for (size_t j = 0; j < k && !dup; j++)
                    dup = strcmp(paths[k], paths[j]) == 0;
                more += !dup;
            }
            k2e_buf_printf(out, ", +%zu more", more);
            return;
        }
        k2e_buf_printf(out, "%s%s", shown ? ", " : "", paths[i][0] ? paths[i] : "(document)");
        shown++;
    }
}

/* One hunk: ops [from, to), starting at line a_at / b_at. */
static void put_hunk(k2e_buf *out, const char *file, const edit_script *s, size_t from,
                     size_t to, size_t a_at, size_t b_at, const k2e_lines *a,
                     const k2e_lines *b)
{
    size_t a_count = 0, b_count = 0, path_count = 0;
    const char **paths = k2e_calloc(to - from + 1, sizeof *paths);
    if (!paths) {
        out->failed = true;
        return;
    }
    size_t ai = a_at, bi = b_at;
    for (size_t i = from; i < to; i++) {
        op_kind op = s->items[i];
        if (op == OP_DELETE)
            paths[path_count++] = a->items[ai].path;
        if (op == OP_INSERT)
            paths[path_count++] = b->items[bi].path;
        a_count += op != OP_INSERT;
        b_count += op != OP_DELETE;
        ai += op != OP_INSERT;
        bi += op != OP_DELETE;
    }
    k2e_buf_puts(out, "@@ -");
    put_range(out, a_at, a_count);
    k2e_buf_puts(out, " +");
    put_range(out, b_at, b_count);
    k2e_buf_printf(out, " @@ %s: ", file);
    put_paths(out, paths, path_count);
    k2e_buf_puts(out, "\n");
    free(paths);
    ai = a_at;
    bi = b_at;
    for (size_t i = from; i < to; i++) {
        op_kind op = s->items[i];
        if (op == OP_KEEP)
            k2e_buf_printf(out, " %s\n", a->items[ai].text);
        else if (op == OP_DELETE)
            k2e_buf_printf(out, "-%s\n", a->items[ai].text);
        else
            k2e_buf_printf(out, "+%s\n", b->items[bi].text);
        ai += op != OP_INSERT;
        bi += op != OP_DELETE;
    }
}

char *k2e_unified_diff(const char *file, const k2e_lines *expected, const k2e_lines *actual)
{
    edit_script s = {0};
    if (!edit_script_of(expected, actual, &s)) {
        free(s.items);
        return NULL;
    }
    k2e_buf out;
    k2e_buf_init(&out);
    k2e_buf_append(&out, "", 0);
    size_t i = 0, a_line = 0, b_line = 0;
    while (i < s.count) {
        if (s.items[i] == OP_KEEP) {
            i++;
            a_line++;
            b_line++;
            continue;
        }
        /* A change at i: start CONTEXT lines before it, extend while the
         * next change is within 2 * CONTEXT unchanged lines. */
        size_t back = i < CONTEXT ? i : CONTEXT;
        size_t from = i - back, a_at = a_line - back, b_at = b_line - back;
        size_t end = i, gap = 0;
        for (size_t j = i; j < s.count && gap <= 2 * CONTEXT; j++) {
            if (s.items[j] == OP_KEEP) {
                gap++;
            } else {
                gap = 0;
                end = j + 1;
            }
        }
        size_t to = end + CONTEXT < s.count ? end + CONTEXT : s.count;
        put_hunk(&out, file, &s, from, to, a_at, b_at, expected, actual);
        for (; i < to; i++) {
            a_line += s.items[i] != OP_INSERT;
            b_line += s.items[i] != OP_DELETE;
        }
    }
    free(s.items);
    return k2e_buf_detach(&out);
}
