/* Atomic output trees; see emit.h.
 *
 * Swapping a directory into place takes two renames (old -> backup,
 * new -> OUTDIR) on POSIX; between them OUTDIR briefly does not exist, but it
 * is never partial.  If the second rename fails the backup is put back.
 */
#include "emit/emit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/util.h"

/* --- File system ------------------------------------------------------- */

static bool fail(k2e_diags *diags, const char *path, const char *what)
{
    k2e_diag_add(diags, K2E_E_OUTPUT, (k2e_where){path, 0, 0, ""}, NULL, "%s: %s", what,
                 strerror(errno));
    return false;
}

/* Creates the directories of `path` below its first `skip` bytes. */
static bool make_parents(char *path, size_t skip)
{
    for (char *p = strchr(path + skip, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int rc = mkdir(path, 0777);
        *p = '/';
        if (rc != 0 && errno != EEXIST)
            return false;
    }
    return true;
}

static bool write_file(const char *path, const char *content, size_t length)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
    if (fd < 0)
        return false;
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, content + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            close(fd);
            return false;
        }
        done += (size_t)n;
    }
    return close(fd) == 0;
}

/* rm -r for a tree this program wrote itself (no symlink following). */
static void remove_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char *child = k2e_asprintf("%s/%s", path, entry->d_name);
        if (!child)
            continue;
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(child);
        else
            unlink(child);
        free(child);
    }
    closedir(dir);
    rmdir(path);
}

/* Empty, or a previous kube2ecs output (has report.json). */
static bool replaceable(const char *outdir, bool *exists, k2e_diags *diags)
{
    struct stat st;
    *exists = lstat(outdir, &st) == 0;
    if (!*exists)
        return true;
    if (!S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        return fail(diags, outdir, "output path exists and is not a directory");
    }
    char *report = k2e_asprintf("%s/report.json", outdir);
    bool ours = report && access(report, F_OK) == 0;
    free(report);
    if (ours)
        return true;
    DIR *dir = opendir(outdir);
    if (!dir)
        return fail(diags, outdir, "cannot open output directory");
    struct dirent *entry;
    bool empty = true;
    while ((entry = readdir(dir)) && empty)
        empty = strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0;
    closedir(dir);
    if (!empty) {
        k2e_diag_add(diags, K2E_E_OUTPUT, (k2e_where){outdir, 0, 0, ""},
                     "choose an empty or new directory with -o, or remove this one",
                     "output directory is not empty and holds no kube2ecs report.json: "
                     "refusing to replace it");
    }
    return empty;
}

static char *sibling_temp(const char *outdir, const char *tag)
{
    char *trimmed = k2e_strdup(outdir);
    if (!trimmed)
        return NULL;
    size_t n = strlen(trimmed);
    while (n > 1 && trimmed[n - 1] == '/')
        trimmed[--n] = '\0';
    char *temp = k2e_asprintf("%s.%s-XXXXXX", trimmed, tag);
    free(trimmed);
    return temp;
}

static bool write_all(const k2e_outputs *outputs, const char *dir, k2e_diags *diags)
{
    for (size_t i = 0; i < outputs->count; i++) {
        const k2e_output *out = &outputs->items[i];
        char *path = k2e_asprintf("%s/%s", dir, out->path);
        if (!path)
            return false;
        bool ok = make_parents(path, strlen(dir) + 1) && write_file(path, out->content, out->length);
        if (!ok)
            fail(diags, path, "cannot write");
        free(path);
        if (!ok)
            return false;
    }
    return true;
}

static bool swap_into_place(const char *temp, const char *outdir, bool exists,
                            k2e_diags *diags)
{
    if (!exists) {
        if (rename(temp, outdir) == 0)
            return true;
        return fail(diags, outdir, "cannot move the new output into place");
    }
    char *backup = sibling_temp(outdir, "old");
    if (!backup || !mkdtemp(backup) || rmdir(backup) != 0 || rename(outdir, backup) != 0) {
        free(backup);
        return fail(diags, outdir, "cannot set the previous output aside");
    }
    if (rename(temp, outdir) != 0) {
        int saved = errno;
        rename(backup, outdir);
        free(backup);
        errno = saved;
        return fail(diags, outdir, "cannot move the new output into place");
    }
    remove_tree(backup);
    free(backup);
    return true;
}

bool k2e_outputs_write(const k2e_outputs *outputs, const char *outdir, k2e_diags *diags)
{
    bool exists;
    if (!replaceable(outdir, &exists, diags))
        return false;
    char *temp = sibling_temp(outdir, "new");
    if (!temp || !mkdtemp(temp)) {
        free(temp);
        return fail(diags, outdir, "cannot create a temporary directory beside the output");
    }
    /* mkdtemp makes the directory private; give it the mode mkdir would. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(temp, 0777 & ~mask);
    bool ok = write_all(outputs, temp, diags) && swap_into_place(temp, outdir, exists, diags);
    if (!ok)
        remove_tree(temp);
    free(temp);
    return ok;
}
