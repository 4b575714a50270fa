/* Internal helpers; see util.h. */
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool k2e_grow(void **items, size_t *capacity, size_t needed, size_t size)
{
    if (needed <= *capacity)
        return true;
    size_t cap = *capacity ? *capacity : 8;
    while (cap < needed) {
        if (cap > ((size_t)-1) / 2 / size)
            return false;
        cap *= 2;
    }
    void *grown = k2e_realloc(*items, cap * size);
    if (!grown)
        return false;
    *items = grown;
    *capacity = cap;
    return true;
}

char *k2e_strndup(const char *s, size_t n)
{
    char *copy = k2e_malloc(n + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

char *k2e_strdup(const char *s)
{
    return k2e_strndup(s, strlen(s));
}

char *k2e_vasprintf(const char *fmt, va_list ap)
{
    /* Most messages fit in 256 bytes: format once, copy; format twice only
     * for the long ones. */
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    if ((size_t)n < sizeof small)
        return k2e_strndup(small, (size_t)n);
    char *s = k2e_malloc((size_t)n + 1);
    if (!s)
        return NULL;
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *k2e_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = k2e_vasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void k2e_buf_init(k2e_buf *buf)
{
    memset(buf, 0, sizeof *buf);
}

void k2e_buf_release(k2e_buf *buf)
{
    free(buf->data);
    k2e_buf_init(buf);
}

void k2e_buf_append(k2e_buf *buf, const char *s, size_t n)
{
    if (buf->failed)
        return;
    if (!k2e_grow((void **)&buf->data, &buf->capacity, buf->length + n + 1, 1)) {
        buf->failed = true;
        return;
    }
    memcpy(buf->data + buf->length, s, n);
    buf->length += n;
    buf->data[buf->length] = '\0';
}

void k2e_buf_puts(k2e_buf *buf, const char *s)
{
    k2e_buf_append(buf, s, strlen(s));
}

void k2e_buf_printf(k2e_buf *buf, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = k2e_vasprintf(fmt, ap);
    va_end(ap);
    if (!s) {
        buf->failed = true;
        return;
    }
    k2e_buf_puts(buf, s);
    free(s);
}

char *k2e_buf_detach(k2e_buf *buf)
{
    if (buf->failed) {
        k2e_buf_release(buf);
        return NULL;
    }
    if (!buf->data)
        k2e_buf_append(buf, "", 0);
    char *s = buf->data;
    k2e_buf_init(buf);
    return s;
}

bool k2e_str_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

bool k2e_str_has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static char fold(char c, bool fold_case)
{
    return fold_case && c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

size_t k2e_edit_distance(const char *a, const char *b, bool fold_case)
{
    enum { MAX = 64 };
    size_t n = strlen(a), m = strlen(b);
    if (n >= MAX || m >= MAX)
        return MAX;
    /* Three rows of the optimal-string-alignment table. */
    size_t before[MAX + 1], previous[MAX + 1], row[MAX + 1];
    for (size_t j = 0; j <= m; j++)
        previous[j] = j;
    for (size_t i = 1; i <= n; i++) {
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            char x = fold(a[i - 1], fold_case), y = fold(b[j - 1], fold_case);
            size_t best = previous[j - 1] + (x != y);
            if (previous[j] + 1 < best)
                best = previous[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            if (i > 1 && j > 1 && x == fold(b[j - 2], fold_case) &&
                fold(a[i - 2], fold_case) == y && before[j - 2] + 1 < best)
                best = before[j - 2] + 1;
            row[j] = best;
        }
        memcpy(before, previous, sizeof before);
        memcpy(previous, row, sizeof previous);
    }
    return previous[m];
}
