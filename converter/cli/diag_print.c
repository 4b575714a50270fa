/* Diagnostics on stderr: on a terminal, the same cause once or thrice, not
 * 20,000 times.
 *
 * A conversion of a large estate repeats causes: every one of 20,000
 * workloads without resource requests gets the same K2E-I030 at the same
 * path.  A person at a terminal needs the cause and a few places, not the
 * whole list (report.json keeps every diagnostic, and the summary counts
 * them all).  A cause is (code, k8s path with list indexes folded to [*],
 * hint): the path says which field, the hint what to do about it, so two
 * diagnostics of one cause need the same fix.  Not on a terminal (CI logs,
 * pipes, the golden tests) every stored diagnostic is printed.
 *
 * Grouping sorts an index of the diagnostics by cause (n log n); printing
 * then keeps the diagnostics' own order (file, line, column).
 */
#include "diag_print.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *key;     /* code NUL folded-path NUL hint */
    size_t length;
    size_t index;  /* in diags->items */
} cause;

/* "spec.containers[0].env[12]" -> "spec.containers[*].env[*]". */
static size_t fold_path(const char *path, char *out)
{
    size_t n = 0;
    for (const char *p = path; *p; p++) {
        out[n++] = *p;
        if (*p == '[' && p[1] >= '0' && p[1] <= '9') {
            while (p[1] >= '0' && p[1] <= '9')
                p++;
            out[n++] = '*';
        }
    }
    out[n] = '\0';
    return n;
}

static char *cause_key(const k2e_diag *d, size_t *length)
{
    const char *code = k2e_diag_code_string(d->code);
    size_t a = strlen(code), b = strlen(d->path), c = strlen(d->hint);
    char *key = malloc(a + b + c + 3);
    if (!key)
        return NULL;
    memcpy(key, code, a + 1);
    size_t folded = fold_path(d->path, key + a + 1);
    memcpy(key + a + 1 + folded + 1, d->hint, c + 1);
    *length = a + 1 + folded + 1 + c;
    return key;
}

static int by_cause(const void *pa, const void *pb)
{
    const cause *a = pa, *b = pb;
    size_t n = a->length < b->length ? a->length : b->length;
    int c = memcmp(a->key, b->key, n);
    if (c == 0)
        c = (a->length > b->length) - (a->length < b->length);
    if (c == 0)
        c = (a->index > b->index) - (a->index < b->index);
    return c;
}

static bool same_cause(const cause *a, const cause *b)
{
    return a->length == b->length && memcmp(a->key, b->key, a->length) == 0;
}

static void print_all(FILE *out, const k2e_diags *diags,
                      bool (*shown)(const void *, const k2e_diag *), const void *context,
                      bool colour)
{
    for (size_t i = 0; i < diags->count; i++) {
        if (shown(context, &diags->items[i]))
            k2e_diag_print(out, &diags->items[i], colour);
    }
}

static void free_causes(cause *causes, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(causes[i].key);
    free(causes);
}

/* The folded path inside a cause key (after the code and its NUL). */
static const char *key_path(const cause *c)
{
    return c->key + strlen(c->key) + 1;
}

/* Sorts the causes and marks the first few of each for printing. */
static void choose(cause *causes, size_t n, bool *print)
{
    qsort(causes, n, sizeof *causes, by_cause);
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && same_cause(&causes[start], &causes[end]); end++)
            ;
        for (size_t i = start; i < end && i < start + K2E_CLI_SHOWN_PER_CAUSE; i++)
            print[causes[i].index] = true;
    }
}

/* One line per cause that had more than were printed. */
static void print_notes(FILE *out, const cause *causes, size_t n)
{
    for (size_t start = 0, end; start < n; start = end) {
        for (end = start + 1; end < n && same_cause(&causes[start], &causes[end]); end++)
            ;
        size_t count = end - start;
        if (count <= K2E_CLI_SHOWN_PER_CAUSE)
            continue;
        fprintf(out, "kube2ecs: %zu more %s like the %d above (%s); report.json has them all\n",
                count - K2E_CLI_SHOWN_PER_CAUSE, causes[start].key, K2E_CLI_SHOWN_PER_CAUSE,
                *key_path(&causes[start]) ? key_path(&causes[start]) : "no path");
    }
}

static bool collect(const k2e_diags *diags, bool (*shown)(const void *, const k2e_diag *),
                    const void *context, cause *causes, size_t *n)
{
    for (size_t i = 0; i < diags->count; i++) {
        if (!shown(context, &diags->items[i]))
            continue;
        size_t length = 0;
        char *key = cause_key(&diags->items[i], &length);
        if (!key)
            return false;
        causes[(*n)++] = (cause){key, length, i};
    }
    return true;
}

bool k2e_cli_print_diagnostics(FILE *out, const k2e_diags *diags,
                               bool (*shown)(const void *, const k2e_diag *), const void *context,
                               bool colour, bool aggregate)
{
    cause *causes = aggregate ? calloc(diags->count + 1, sizeof *causes) : NULL;
    bool *print = aggregate ? calloc(diags->count + 1, sizeof *print) : NULL;
    size_t n = 0;
    bool ok = causes && print && collect(diags, shown, context, causes, &n);
    if (ok) {
        choose(causes, n, print);
        for (size_t i = 0; i < diags->count; i++) {
            if (print[i])
                k2e_diag_print(out, &diags->items[i], colour);
        }
        print_notes(out, causes, n);
    } else {
        print_all(out, diags, shown, context, colour);
    }
    free_causes(causes, n);
    free(print);
    return ok || !aggregate;
}
