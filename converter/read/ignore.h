/* Exclusion patterns for directory walks: `--exclude GLOB` and the lines of
 * a `.kube2ecsignore` file at the walked root, both with gitignore's rules:
 *
 *   - blank lines and lines starting with '#' are ignored ("\#" for a
 *     literal '#'); trailing spaces are dropped;
 *   - '!' negates: a later matching pattern re-includes what an earlier one
 *     excluded (the last match wins);
 *   - a trailing '/' matches directories only;
 *   - a pattern without '/' (other than a trailing one) matches the base name
 *     at any depth; one with a '/' matches the path relative to the walked
 *     root (a leading '/' only anchors);
 *   - '*' and '?' do not match '/', "[a-z]" is a character class, and a
 *     double star matches across directories: as a whole component it
 *     stands for any number of directories (zero included), so "a/", then
 *     two stars, then "/b" matches a/b and a/x/y/b.
 *
 * A directory that is excluded is not walked, so nothing below it can be
 * re-included (as in git).
 */
#ifndef KUBE2ECS_IGNORE_H
#define KUBE2ECS_IGNORE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *glob;       /* without '!', leading '/' and trailing '/' */
    char *origin;     /* "--exclude 'x'" or ".kube2ecsignore:3", for messages */
    bool negate;
    bool dir_only;
    bool anchored;    /* matched against the whole relative path */
} k2e_ignore_rule;

typedef struct {
    k2e_ignore_rule *items;
    size_t count, capacity;
} k2e_ignore;

void k2e_ignore_init(k2e_ignore *ignore);
void k2e_ignore_release(k2e_ignore *ignore);

/* Adds one pattern line; `origin` names where it came from.  Comment and
 * blank lines add nothing.  False only when out of memory. */
bool k2e_ignore_add(k2e_ignore *ignore, const char *line, const char *origin);

/* Adds every line of a gitignore-style text; origins are "NAME:LINE". */
bool k2e_ignore_add_text(k2e_ignore *ignore, const char *text, size_t size,
                         const char *name);

/* The rule that excludes `path` (relative to the walked root, '/'-separated,
 * no leading "./"), or NULL when the path is kept. */
const k2e_ignore_rule *k2e_ignore_match(const k2e_ignore *ignore, const char *path,
                                        bool is_dir);

/* Glob matching as described above (no negation, no directory rule). */
bool k2e_glob_match(const char *glob, const char *text);

#endif
