/* A normalised document as lines that know their JSON path, and the
 * unified diff of two of them with the path of the first change in every
 * hunk header:
 *
 *   @@ -12,7 +12,7 @@ task-definitions/api.json: containerDefinitions[name=api].image
 *
 * Paths name list items by their identity where they have one
 * (containerDefinitions[name=api], tags[key=team], rules[name=nightly]),
 * else by index (command[2]); keys that are not identifiers are quoted
 * (options["awslogs-group"]). */
#ifndef K2E_DIFF_RENDER_H
#define K2E_DIFF_RENDER_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

typedef struct {
    char *text;  /* without the newline */
    char *path;  /* "" for the document itself */
} k2e_line;

typedef struct {
    k2e_line *items;
    size_t count, capacity;
    bool failed; /* out of memory */
} k2e_lines;

/* "a.b" + "c" -> "a.b.c"; "" + "c" -> "c"; "x" + "a-b" -> x["a-b"]. */
char *k2e_path_key(const char *parent, const char *key);
/* The label of item i of `list`: [name=api], [key=team] or [3]. */
char *k2e_path_item(const char *parent, const json_t *list, size_t i);
/* The identity member of a list's items ("name", "key", ...) when every
 * item has a distinct one, else NULL (items are then matched by index). */
const char *k2e_list_identity(const json_t *list);

/* Pretty JSON (keys sorted, two-space indent), one k2e_line per line. */
bool k2e_render_lines(const json_t *doc, k2e_lines *out);
void k2e_lines_release(k2e_lines *lines);

/* The hunks of a unified diff from `expected` to `actual` (3 lines of
 * context), headers named "<file>: <path>"; "" when equal, NULL when out of
 * memory. */
char *k2e_unified_diff(const char *file, const k2e_lines *expected, const k2e_lines *actual);

#endif
