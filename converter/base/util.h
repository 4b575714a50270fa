/* Small internal helpers shared by the modules: growable arrays, string
 * duplication and formatting, and a string builder.  Not public API. */
#ifndef K2E_UTIL_H
#define K2E_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Ensures *items has room for `needed` elements of `size` bytes, doubling
 * the capacity; false (and *items untouched) when out of memory. */
bool k2e_grow(void **items, size_t *capacity, size_t needed, size_t size);

char *k2e_strdup(const char *s);
char *k2e_strndup(const char *s, size_t n);
char *k2e_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *k2e_vasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable NUL-terminated string.  A failed append sets `failed` and
 * further appends do nothing, so callers check once at the end. */
typedef struct {
    char *data;
    size_t length;
    size_t capacity;
    bool failed;
} k2e_buf;

void k2e_buf_init(k2e_buf *buf);
void k2e_buf_release(k2e_buf *buf);
void k2e_buf_append(k2e_buf *buf, const char *s, size_t n);
void k2e_buf_puts(k2e_buf *buf, const char *s);
void k2e_buf_printf(k2e_buf *buf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (NULL if any append failed). */
char *k2e_buf_detach(k2e_buf *buf);

/* Edit distance for "did you mean": insertions, deletions, substitutions
 * and transpositions of neighbours (Deploymnet -> Deployment is 1), ASCII
 * case folded when fold_case.  Words of 64 bytes or more give 64. */
size_t k2e_edit_distance(const char *a, const char *b, bool fold_case);

bool k2e_str_has_suffix(const char *s, const char *suffix);
bool k2e_str_has_prefix(const char *s, const char *prefix);

#endif
