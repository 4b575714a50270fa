/* Exclusion patterns; see ignore.h.
 *
 * Matching works on '/'-separated components: '*', '?' and classes stay
 * inside one component, so the only pattern element that crosses
 * directories is a whole-component double star.  That keeps both levels to
 * the classic one-backtrack-point wildcard loop: linear in practice and
 * never exponential, whatever the pattern (an ignore file in a pull request
 * is untrusted input too).
 */
#include "read/ignore.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

void k2e_ignore_init(k2e_ignore *ignore)
{
    memset(ignore, 0, sizeof *ignore);
}

void k2e_ignore_release(k2e_ignore *ignore)
{
    for (size_t i = 0; i < ignore->count; i++) {
        free(ignore->items[i].glob);
        free(ignore->items[i].origin);
    }
    free(ignore->items);
    memset(ignore, 0, sizeof *ignore);
}

/* Drops trailing blanks (and a CR) unless the last one is escaped. */
static size_t trimmed_length(const char *line, size_t n)
{
    while (n > 0 && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r')) {
        if (n >= 2 && line[n - 2] == '\\')
            break;
        n--;
    }
    return n;
}

static bool add_rule(k2e_ignore *ignore, const char *line, size_t n, const char *origin)
{
    n = trimmed_length(line, n);
    if (n == 0 || line[0] == '#')
        return true;
    k2e_ignore_rule rule = {0};
    if (line[0] == '!') {
        rule.negate = true;
        line++, n--;
    } else if (line[0] == '\\' && n > 1 && (line[1] == '#' || line[1] == '!')) {
        line++, n--;
    }
    while (n > 0 && line[n - 1] == '/') {
        rule.dir_only = true;
        n--;
    }
    const char *slash = memchr(line, '/', n);
    rule.anchored = slash != NULL;
    if (n > 0 && line[0] == '/')
        line++, n--;
    if (n == 0)
        return true;
    rule.glob = k2e_strndup(line, n);
    rule.origin = k2e_strdup(origin);
    if (!rule.glob || !rule.origin ||
        !k2e_grow((void **)&ignore->items, &ignore->capacity, ignore->count + 1,
                  sizeof *ignore->items)) {
        free(rule.glob);
        free(rule.origin);
        return false;
    }
    ignore->items[ignore->count++] = rule;
    return true;
}

bool k2e_ignore_add(k2e_ignore *ignore, const char *line, const char *origin)
{
    return add_rule(ignore, line, strlen(line), origin);
}

bool k2e_ignore_add_text(k2e_ignore *ignore, const char *text, size_t size, const char *name)
{
    unsigned line = 1;
    for (size_t start = 0; start < size; line++) {
        const char *nl = memchr(text + start, '\n', size - start);
        size_t end = nl ? (size_t)(nl - text) : size;
        char *origin = k2e_asprintf("%s:%u", name, line);
        bool ok = origin && add_rule(ignore, text + start, end - start, origin);
        free(origin);
        if (!ok)
            return false;
        start = end + 1;
    }
    return true;
}

/* --- Matching ----------------------------------------------------------- */

/* One character class at p ("[a-z]", "[!0-9]", "[^x]"); *end is set past it.
 * An unterminated '[' is a literal. */
static bool class_match(const char *p, const char *p_end, char c, const char **end)
{
    const char *q = p + 1;
    bool negate = q < p_end && (*q == '!' || *q == '^');
    if (negate)
        q++;
    bool found = false;
    const char *first = q;
    while (q < p_end && (*q != ']' || q == first)) {
        char lo = *q, hi = *q;
        if (q + 2 < p_end && q[1] == '-' && q[2] != ']') {
            hi = q[2];
            q += 2;
        }
        if (c >= lo && c <= hi)
            found = true;
        q++;
    }
    if (q >= p_end) {
        *end = p + 1;
        return c == '[';
    }
    *end = q + 1;
    return found != negate;
}

/* Does the single element at *p match c?  Advances *p past it. */
static bool element_match(const char **p, const char *p_end, char c)
{
    const char *q = *p;
    if (*q == '?') {
        *p = q + 1;
        return true;
    }
    if (*q == '[')
        return class_match(q, p_end, c, p);
    if (*q == '\\' && q + 1 < p_end)
        q++;
    *p = q + 1;
    return *q == c;
}

/* One component: '*', '?', classes, escapes; no '/' on either side. */
static bool segment_match(const char *p, const char *p_end, const char *t, const char *t_end)
{
    const char *star_p = NULL, *star_t = NULL;
    while (t < t_end) {
        if (p < p_end && *p == '*') {
            while (p < p_end && *p == '*')
                p++;
            star_p = p;
            star_t = t;
            continue;
        }
        const char *next = p;
        if (p < p_end && element_match(&next, p_end, *t)) {
            p = next;
            t++;
            continue;
        }
        if (!star_p)
            return false;
        p = star_p;
        t = ++star_t;
    }
    while (p < p_end && *p == '*')
        p++;
    return p == p_end;
}

typedef struct {
    const char *start, *end;
} span;

/* Splits s at '/' into at most `max` spans; returns the count (max + 1 when
 * there are more). */
static size_t split(const char *s, span *out, size_t max)
{
    size_t n = 0;
    const char *start = s;
    for (const char *p = s;; p++) {
        if (*p != '/' && *p)
            continue;
        if (p > start) {
            if (n == max)
                return max + 1;
            out[n++] = (span){start, p};
        }
        if (!*p)
            return n;
        start = p + 1;
    }
}

static bool double_star(span s)
{
    return s.end - s.start == 2 && s.start[0] == '*' && s.start[1] == '*';
}

enum { MAX_COMPONENTS = 256 };

bool k2e_glob_match(const char *glob, const char *text)
{
    span p[MAX_COMPONENTS], t[MAX_COMPONENTS];
    size_t np = split(glob, p, MAX_COMPONENTS), nt = split(text, t, MAX_COMPONENTS);
    if (np > MAX_COMPONENTS || nt > MAX_COMPONENTS)
        return false;
    /* A trailing double star means "everything inside": at least one more
     * component, so "k8s" + "/" + two stars leaves k8s itself walked. */
    bool need_inside = np > 0 && double_star(p[np - 1]);
    size_t i = 0, j = 0, star_i = 0, star_j = 0;
    bool star = false;
    while (j < nt) {
        if (i < np && double_star(p[i])) {
            star = true;
            star_i = ++i;
            star_j = j;
            if (i == np && need_inside)
                return true;
            continue;
        }
        if (i < np && segment_match(p[i].start, p[i].end, t[j].start, t[j].end)) {
            i++, j++;
            continue;
        }
        if (!star)
            return false;
        i = star_i;
        j = ++star_j;
    }
    while (i < np && double_star(p[i]) && !(i == np - 1 && need_inside))
        i++;
    return i == np;
}

const k2e_ignore_rule *k2e_ignore_match(const k2e_ignore *ignore, const char *path, bool is_dir)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const k2e_ignore_rule *decided = NULL;
    for (size_t i = 0; i < ignore->count; i++) {
        const k2e_ignore_rule *rule = &ignore->items[i];
        if (rule->dir_only && !is_dir)
            continue;
        const char *subject = rule->anchored ? path : base;
        if (k2e_glob_match(rule->glob, subject))
            decided = rule->negate ? NULL : rule;
    }
    return decided;
}
