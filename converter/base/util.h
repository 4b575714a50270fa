/* Small internal helpers shared by the modules: growable arrays, string
 * duplication and formatting, and a string builder.  Not public API. */
#ifndef K2E_UTIL_H
#define K2E_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* --- Allocation (alloc.c) ---------------------------------------------------
 *
 * Every allocation of the library goes through these wrappers (never plain
 * malloc), so that a failure is counted; k2e_note_oom counts one that
 * happened elsewhere (libyaml's YAML_MEMORY_ERROR, ENOMEM from libc).  A
 * run whose count grew fails with the internal-error status. */
void *k2e_malloc(size_t size);
void *k2e_calloc(size_t count, size_t size);
void *k2e_realloc(void *old, size_t size);
void k2e_note_oom(void);
/* Counts a failure when a libc call failed with ENOMEM (opendir, fopen...),
 * which is an internal failure, not a property of the input. */
void k2e_note_errno(int error);
unsigned long k2e_oom_count(void);
/* Makes jansson allocate through k2e_malloc (idempotent; process-wide:
 * jansson's allocator hook has no per-call context). */
void k2e_count_json_allocations(void);

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
