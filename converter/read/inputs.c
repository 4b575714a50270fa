/* Expanding PATH arguments into the list of input files.
 *
 * Directory entries are sorted byte-wise (strcmp, not the locale) so that
 * the list, and everything derived from it, never depends on readdir order.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "read/inputs.h"
#include "base/util.h"

typedef struct {
    char **items;
    size_t count, capacity;
} path_list;

static bool push(path_list *list, char *path)
{
    if (!path || !k2e_grow((void **)&list->items, &list->capacity, list->count + 1,
                           sizeof *list->items)) {
        free(path);
        return false;
    }
    list->items[list->count++] = path;
    return true;
}

static bool manifest_name(const char *name)
{
    return k2e_str_has_suffix(name, ".yaml") || k2e_str_has_suffix(name, ".yml") ||
           k2e_str_has_suffix(name, ".json");
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool walk(const char *dir, path_list *out, unsigned depth, k2e_diags *diags);

static bool walk_entry(const char *dir, const char *name, path_list *out, unsigned depth,
                       k2e_diags *diags)
{
    char *path = k2e_asprintf("%s%s%s", dir, k2e_str_has_suffix(dir, "/") ? "" : "/", name);
    if (!path)
        return false;
    struct stat st;
    if (stat(path, &st) != 0) {
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){path, 0, 0, ""}, NULL, "cannot stat: %s",
                     strerror(errno));
        free(path);
        return true;
    }
    if (S_ISDIR(st.st_mode)) {
        bool ok = walk(path, out, depth + 1, diags);
        free(path);
        return ok;
    }
    if (S_ISREG(st.st_mode) && manifest_name(name))
        return push(out, path);
    free(path);
    return true;
}

static bool walk(const char *dir, path_list *out, unsigned depth, k2e_diags *diags)
{
    if (depth > 64) {
        k2e_diag_add(diags, K2E_E_LIMIT, (k2e_where){dir, 0, 0, ""},
                     "is there a symbolic link loop?", "directories nested too deeply");
        return true;
    }
    DIR *d = opendir(dir);
    if (!d) {
        k2e_note_errno(errno);
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){dir, 0, 0, ""}, NULL,
                     "cannot open directory: %s", strerror(errno));
        return true;
    }
    path_list names = {0};
    struct dirent *entry;
    bool ok = true;
    while (ok && (entry = readdir(d))) {
        if (entry->d_name[0] != '.')
            ok = push(&names, k2e_strdup(entry->d_name));
    }
    closedir(d);
    if (names.count > 1)
        qsort(names.items, names.count, sizeof *names.items, compare_names);
    for (size_t i = 0; i < names.count; i++) {
        ok = ok && walk_entry(dir, names.items[i], out, depth, diags);
        free(names.items[i]);
    }
    free(names.items);
    return ok;
}

bool k2e_collect_inputs(const char *const *paths, size_t count, char ***files,
                        size_t *file_count, k2e_diags *diags)
{
    path_list out = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            ok = walk(paths[i], &out, 0, diags);
        else
            ok = push(&out, k2e_strdup(paths[i]));
    }
    *files = out.items;
    *file_count = out.count;
    return ok;
}
