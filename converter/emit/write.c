/* Atomic output trees; see emit.h and write.h.
 *
 * The order of the steps is the design:
 *  1. Everything that can be refused is refused before the file system is
 *     touched: an OUTDIR that is no directory of its own ('.', '..', '/'),
 *     any output path that could leave OUTDIR (absolute, '..', '.', empty
 *     components) or that no file system takes (a component over NAME_MAX),
 *     and an OUTDIR that is neither absent, empty, nor marked as ours.
 *  2. Leftovers of killed runs beside OUTDIR are removed when they carry the
 *     marker (or are empty) and the process that made them is gone; other
 *     look-alikes are reported and left alone.
 *  3. The new tree is built in OUTDIR.new-<pid>-<n>, made with mkdir(0777)
 *     so the process umask gives it the mode any new directory gets (umask is
 *     process state, which library code leaves alone).  The marker is its
 *     first file, so every leftover of a run carries it.
 *  4. Every file and directory of the new tree is fsync'd before the swap, so
 *     a crash never leaves a renamed tree whose data was not yet on disk.
 *  5. The swap.  On Linux renameat2(RENAME_EXCHANGE) swaps the two trees in
 *     one step: OUTDIR is at every instant the complete old or the complete
 *     new tree.  Elsewhere, or on a file system without exchange, two renames
 *     (OUTDIR -> OUTDIR.old-<pid>-<n>, new -> OUTDIR): between them OUTDIR
 *     does not exist, both complete trees sit beside it, and the next run
 *     cleans them up.  An absent or empty OUTDIR takes one rename.
 *  6. The parent directory is fsync'd, then the previous tree is removed,
 *     its marker last, so a half-removed tree is still recognisably ours.
 */
#include "emit/write.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "base/util.h"
#include "emit/emit.h"

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

static const char marker_text[] =
    K2E_OUTPUT_MARKER_LINE
    "This directory was written by `kube2ecs convert`. The next run with the same\n"
    "-o replaces it as a whole; kube2ecs replaces no directory without this file.\n";

typedef struct {
    k2e_diags *diags;
    const k2e_write_options *options;
} writer;

typedef enum { OUTDIR_ABSENT, OUTDIR_EMPTY, OUTDIR_OURS } outdir_state;

static void step(const writer *w, k2e_write_step s)
{
    if (w->options && w->options->hook)
        w->options->hook(s, w->options->context);
}

/* The file system failed us (full, read-only, no permission...): exit 3. */
static bool fail(const writer *w, const char *path, const char *what)
{
    int saved = errno;
    k2e_diag_add(w->diags, K2E_E_OUTPUT, (k2e_where){path, 0, 0, ""}, NULL, "%s: %s", what,
                 strerror(saved));
    return false;
}

/* OUTDIR is not one kube2ecs may replace: a usage error, exit 2. */
static bool refuse(const writer *w, const char *path, const char *hint, const char *message)
{
    k2e_diag_add(w->diags, K2E_E_OUTDIR, (k2e_where){path, 0, 0, ""}, hint, "%s", message);
    return false;
}

int k2e_outputs_write_status(const k2e_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        if (diags->items[i].code == K2E_E_OUTPUT)
            return K2E_EXIT_INTERNAL;
    }
    return K2E_EXIT_INPUT;
}

static bool is_dot_or_dotdot(const char *name, size_t n)
{
    return (n == 1 && name[0] == '.') || (n == 2 && name[0] == '.' && name[1] == '.');
}

/* --- What may be written ------------------------------------------------- */

/* OUTDIR without trailing slashes, or NULL (refused) when it names no
 * directory of its own: "", "/", or a last component "." or "..".  Those
 * cannot be renamed, and replacing them would take the working directory. */
static char *outdir_name(const writer *w, const char *arg)
{
    char *name = k2e_strdup(arg);
    if (!name)
        return NULL;
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == '/')
        name[--n] = '\0';
    const char *slash = strrchr(name, '/');
    const char *last = slash ? slash + 1 : name;
    if (*last && !is_dot_or_dotdot(last, strlen(last)))
        return name;
    free(name);
    refuse(w, arg, "name a directory of its own, e.g. -o ecs-out",
           "the output directory cannot be the current directory, its parent or the root: "
           "kube2ecs replaces the output directory as a whole");
    return NULL;
}

/* Why `path` may not be written under OUTDIR, or NULL when it may.  The path
 * is a C string: a NUL in a name ends it before it gets here, which is why
 * the reader refuses names with one. */
static const char *path_problem(const char *path)
{
    if (*path == '/')
        return "is absolute";
    for (const char *p = path;; p++) {
        size_t n = strcspn(p, "/");
        if (n == 0)
            return "has an empty component";
        if (is_dot_or_dotdot(p, n))
            return "has a '.' or '..' component";
        if (n > NAME_MAX)
            return "has a component longer than the longest file name (NAME_MAX, 255 bytes)";
        p += n;
        if (!*p)
            return NULL;
    }
}

static bool check_paths(const writer *w, const k2e_outputs *outputs, const char *outdir)
{
    bool ok = true;
    for (size_t i = 0; i < outputs->count; i++) {
        const char *problem = path_problem(outputs->items[i].path);
        if (!problem)
            continue;
        k2e_diag_add(w->diags, K2E_E_OUTPUT, (k2e_where){outdir, 0, 0, ""},
                     "names are checked before they reach the output, so this is a bug in "
                     "kube2ecs: please report it with the input",
                     "refusing to write the output path '%s': it %s", outputs->items[i].path,
                     problem);
        ok = false;
    }
    return ok;
}

/* --- What OUTDIR is ------------------------------------------------------ */

static bool read_full(int fd, char *buf, size_t want)
{
    size_t done = 0;
    while (done < want) {
        ssize_t n = read(fd, buf + done, want - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* A regular file K2E_OUTPUT_MARKER whose first line is ours (a FIFO or a
 * symbolic link of that name is not followed and not waited for). */
static bool has_marker(const char *dir)
{
    char *path = k2e_asprintf("%s/%s", dir, K2E_OUTPUT_MARKER);
    if (!path)
        return false;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    free(path);
    if (fd < 0)
        return false;
    static const char line[] = K2E_OUTPUT_MARKER_LINE;
    char buf[sizeof line];
    struct stat st;
    bool ours = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
                read_full(fd, buf, sizeof line - 1) && memcmp(buf, line, sizeof line - 1) == 0;
    close(fd);
    return ours;
}

/* Whether `dir` has entries, and whether one is report.json. */
static bool scan_dir(const char *dir, bool *empty, bool *has_report)
{
    DIR *d = opendir(dir);
    if (!d)
        return false;
    *empty = true;
    *has_report = false;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (is_dot_or_dotdot(e->d_name, strlen(e->d_name)))
            continue;
        *empty = false;
        *has_report = *has_report || strcmp(e->d_name, "report.json") == 0;
    }
    closedir(d);
    return true;
}

static bool inspect_outdir(const writer *w, const char *outdir, outdir_state *state)
{
    struct stat st;
    if (lstat(outdir, &st) != 0) {
        *state = OUTDIR_ABSENT;
        return errno == ENOENT || fail(w, outdir, "cannot examine the output directory");
    }
    if (!S_ISDIR(st.st_mode))
        return refuse(w, outdir, "choose a directory with -o (a symbolic link is not followed)",
                      "the output path exists and is not a directory");
    *state = OUTDIR_OURS;
    if (has_marker(outdir))
        return true;
    bool empty, has_report;
    if (!scan_dir(outdir, &empty, &has_report))
        return fail(w, outdir, "cannot read the output directory");
    *state = OUTDIR_EMPTY;
    if (empty)
        return true;
    if (has_report)
        return refuse(w, outdir,
                      "kube2ecs 0.1 did not mark its output: if this is one, remove it "
                      "(rm -r) and run again; otherwise choose another -o",
                      "the output directory holds a report.json but no kube2ecs marker "
                      "(" K2E_OUTPUT_MARKER "): not replaced");
    return refuse(w, outdir, "choose an empty or new directory with -o",
                  "the output directory is not empty and is not a kube2ecs output: not replaced");
}

/* --- Building the new tree ----------------------------------------------- */

/* mkdir -p of the directories in `path` after its first `skip` bytes, up to
 * (not including) the last component. */
static bool make_dirs(char *path, size_t skip)
{
    for (char *p = strchr(path + skip + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int rc = mkdir(path, 0777);
        int err = errno;
        *p = '/';
        if (rc != 0 && err != EEXIST) {
            errno = err;
            return false;
        }
    }
    return true;
}

static bool make_parents(const writer *w, const char *outdir)
{
    char *path = k2e_strdup(outdir);
    if (!path)
        return false;
    bool ok = make_dirs(path, 0);
    if (!ok)
        fail(w, outdir, "cannot create the directories above the output directory");
    free(path);
    return ok;
}

static bool write_fd(int fd, const char *content, size_t length)
{
    size_t done = 0;
    while (done < length) {
        ssize_t n = write(fd, content + done, length - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

/* A new file, on disk (fsync) before this returns true. */
static bool write_file(const char *path, const char *content, size_t length)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0)
        return false;
    bool ok = write_fd(fd, content, length) && fsync(fd) == 0;
    int err = errno;
    if (close(fd) != 0 && ok)
        return false;
    errno = err;
    return ok;
}

/* "<outdir>.<tag>-<pid>-<n>" for the first n whose name is free; made as a
 * directory (mkdir 0777, so the umask applies) when `create`. */
static char *sibling(const char *outdir, const char *tag, bool create)
{
    for (unsigned n = 0; n < 1000; n++) {
        char *name = k2e_asprintf("%s.%s-%ld-%u", outdir, tag, (long)getpid(), n);
        if (!name)
            return NULL;
        struct stat st;
        int rc = create ? mkdir(name, 0777) : lstat(name, &st);
        int err = errno;
        if (create ? rc == 0 : (rc != 0 && err == ENOENT))
            return name;
        free(name);
        if (create ? err != EEXIST : rc != 0) {
            errno = err;
            return NULL;
        }
    }
    errno = EEXIST;
    return NULL;
}

static bool write_marker(const writer *w, const char *temp, const char *outdir)
{
    char *path = k2e_asprintf("%s/%s", temp, K2E_OUTPUT_MARKER);
    bool ok = path && write_file(path, marker_text, sizeof marker_text - 1);
    free(path);
    if (!ok)
        return fail(w, outdir, "cannot write the output marker");
    step(w, K2E_WRITE_MARKED);
    return true;
}

/* Errors name the file as it would be under OUTDIR: the temporary directory
 * is gone by the time anyone reads the message. */
static bool write_outputs(const writer *w, const k2e_outputs *outputs, const char *temp,
                          const char *outdir)
{
    for (size_t i = 0; i < outputs->count; i++) {
        const k2e_output *out = &outputs->items[i];
        char *path = k2e_asprintf("%s/%s", temp, out->path);
        bool ok = path && make_dirs(path, strlen(temp)) &&
                  write_file(path, out->content, out->length);
        int err = errno;
        free(path);
        if (!ok) {
            char *shown = k2e_asprintf("%s/%s", outdir, out->path);
            errno = err;
            fail(w, shown ? shown : outdir, "cannot write");
            free(shown);
            return false;
        }
        step(w, K2E_WRITE_FILE_WRITTEN);
    }
    return true;
}

/* fsync of a directory; file systems that cannot (EINVAL) have nothing to do. */
static bool sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return false;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc == 0 || err == EINVAL;
}

static bool sync_tree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir)
        return false;
    bool ok = true;
    struct dirent *e;
    while (ok && (e = readdir(dir))) {
        if (is_dot_or_dotdot(e->d_name, strlen(e->d_name)))
            continue;
        char *child = k2e_asprintf("%s/%s", path, e->d_name);
        struct stat st;
        ok = child && lstat(child, &st) == 0 && (!S_ISDIR(st.st_mode) || sync_tree(child));
        free(child);
    }
    closedir(dir);
    return ok && sync_dir(path);
}

static bool build_tree(const writer *w, const k2e_outputs *outputs, const char *temp,
                       const char *outdir)
{
    if (!write_marker(w, temp, outdir) || !write_outputs(w, outputs, temp, outdir))
        return false;
    if (!sync_tree(temp))
        return fail(w, outdir, "cannot flush the new output to disk");
    step(w, K2E_WRITE_SYNCED);
    return true;
}

/* --- Removing a tree ------------------------------------------------------ */

/* rm -r below `path`, never following a symbolic link; the top-level marker
 * stays when `keep_marker`. */
static void remove_entries(const writer *w, const char *path, bool keep_marker)
{
    DIR *dir = opendir(path);
    if (!dir)
        return;
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (is_dot_or_dotdot(e->d_name, strlen(e->d_name)) ||
            (keep_marker && strcmp(e->d_name, K2E_OUTPUT_MARKER) == 0))
            continue;
        char *child = k2e_asprintf("%s/%s", path, e->d_name);
        if (!child)
            continue;
        struct stat st;
        if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
            remove_entries(w, child, false);
            rmdir(child);
        } else {
            unlink(child);
        }
        free(child);
        step(w, K2E_WRITE_OLD_ENTRY_REMOVED);
    }
    closedir(dir);
}

/* Removes a tree of ours, its marker last: a removal cut short leaves a tree
 * that the next run still recognises and finishes removing. */
static void remove_tree(const writer *w, const char *path)
{
    remove_entries(w, path, true);
    char *marker = k2e_asprintf("%s/%s", path, K2E_OUTPUT_MARKER);
    if (marker)
        unlink(marker);
    free(marker);
    rmdir(path);
}

/* --- Leftovers of killed runs --------------------------------------------- */

/* The pid in "<pid>-<n>", or 0 when the suffix has another form. */
static long leftover_pid(const char *suffix)
{
    char *end;
    errno = 0;
    long pid = strtol(suffix, &end, 10);
    if (errno || end == suffix || *end != '-' || pid <= 0 || !end[1])
        return 0;
    return strspn(end + 1, "0123456789") == strlen(end + 1) ? pid : 0;
}

static bool still_running(long pid)
{
    if (pid <= 0 || pid == (long)getpid())
        return false;
    return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

static bool is_empty_dir(const char *path)
{
    bool empty, has_report;
    return scan_dir(path, &empty, &has_report) && empty;
}

static void clean_leftover(const writer *w, const char *path, const char *suffix)
{
    struct stat st;
    long pid = leftover_pid(suffix);
    if (lstat(path, &st) != 0 || still_running(pid))
        return; /* gone, or a run in progress right now */
    if (S_ISDIR(st.st_mode) && (has_marker(path) || (pid > 0 && is_empty_dir(path)))) {
        remove_tree(w, path);
        return;
    }
    k2e_diag_add(w->diags, K2E_W_LEFTOVER, (k2e_where){path, 0, 0, ""},
                 "remove it by hand once you know it is not needed (kube2ecs 0.1 marked "
                 "nothing it wrote)",
                 "named like a leftover of an interrupted kube2ecs run, but it carries no "
                 "kube2ecs marker: left alone");
}

/* Siblings "<OUTDIR>.new-*" and "<OUTDIR>.old-*". */
static void clean_leftovers(const writer *w, const char *outdir)
{
    const char *slash = strrchr(outdir, '/');
    const char *base = slash ? slash + 1 : outdir;
    char *parent = slash ? k2e_strndup(outdir, slash == outdir ? 1 : (size_t)(slash - outdir))
                         : k2e_strdup(".");
    DIR *dir = parent ? opendir(parent) : NULL;
    free(parent);
    if (!dir)
        return;
    size_t n = strlen(base);
    struct dirent *e;
    while ((e = readdir(dir))) {
        const char *rest = e->d_name + n;
        if (strncmp(e->d_name, base, n) != 0 ||
            (strncmp(rest, ".new-", 5) != 0 && strncmp(rest, ".old-", 5) != 0))
            continue;
        char *path = k2e_asprintf("%s%s", outdir, rest);
        if (path)
            clean_leftover(w, path, rest + 5);
        free(path);
    }
    closedir(dir);
}

/* --- The swap -------------------------------------------------------------- */

#if defined(__linux__) && defined(SYS_renameat2)
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif
static int exchange_paths(const char *a, const char *b)
{
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
}
#else
static int exchange_paths(const char *a, const char *b)
{
    (void)a;
    (void)b;
    errno = ENOSYS;
    return -1;
}
#endif

/* The kernel or file system has no exchange: take the two-rename swap. */
static bool exchange_unsupported(int err)
{
    return err == ENOSYS || err == EINVAL || err == ENOTSUP || err == EOPNOTSUPP;
}

/* Both trees complete at every instant, but OUTDIR absent between the two
 * renames.  *previous: where the old tree went. */
static bool swap_by_renames(const writer *w, const char *temp, const char *outdir,
                            char **previous)
{
    char *aside = sibling(outdir, "old", false);
    if (!aside || rename(outdir, aside) != 0) {
        free(aside);
        return fail(w, outdir, "cannot set the previous output aside");
    }
    step(w, K2E_WRITE_OLD_ASIDE);
    if (rename(temp, outdir) == 0) {
        *previous = aside;
        return true;
    }
    int err = errno;
    if (rename(aside, outdir) != 0) {
        k2e_diag_add(w->diags, K2E_E_OUTPUT, (k2e_where){outdir, 0, 0, ""},
                     "move it back by hand (mv) before anything else",
                     "cannot move the new output into place (%s), nor the previous output "
                     "back (%s): the previous output is now %s",
                     strerror(err), strerror(errno), aside);
        free(aside);
        return false;
    }
    free(aside);
    errno = err;
    return fail(w, outdir, "cannot move the new output into place");
}

static bool swap_with_previous(const writer *w, const char *temp, const char *outdir,
                               char **previous)
{
    bool exchange = !(w->options && w->options->no_exchange);
    if (exchange && exchange_paths(temp, outdir) == 0) {
        *previous = k2e_strdup(temp);
        return true;
    }
    if (exchange && !exchange_unsupported(errno))
        return fail(w, outdir, "cannot swap the new output into place");
    return swap_by_renames(w, temp, outdir, previous);
}

/* The parent's entry for OUTDIR on disk: a failure here leaves the new tree
 * in place and only its durability across a power loss in doubt. */
static void sync_parent(const char *outdir)
{
    const char *slash = strrchr(outdir, '/');
    char *parent = slash ? k2e_strndup(outdir, slash == outdir ? 1 : (size_t)(slash - outdir))
                         : k2e_strdup(".");
    if (parent)
        sync_dir(parent);
    free(parent);
}

static bool put_in_place(const writer *w, const char *temp, const char *outdir,
                         outdir_state state, char **previous)
{
    if (state == OUTDIR_OURS) {
        if (!swap_with_previous(w, temp, outdir, previous))
            return false;
    } else if (rename(temp, outdir) != 0) {
        /* An empty OUTDIR is replaced by the rename itself; one that filled
         * up meanwhile makes it fail (ENOTEMPTY). */
        return fail(w, outdir, "cannot move the new output into place");
    }
    step(w, K2E_WRITE_IN_PLACE);
    sync_parent(outdir);
    step(w, K2E_WRITE_PARENT_SYNCED);
    return true;
}

static bool build_and_swap(const writer *w, const k2e_outputs *outputs, const char *outdir,
                           outdir_state state)
{
    char *temp = sibling(outdir, "new", true);
    if (!temp)
        return fail(w, outdir, "cannot create a temporary directory beside the output");
    step(w, K2E_WRITE_TEMP_CREATED);
    char *previous = NULL;
    bool ok = build_tree(w, outputs, temp, outdir) &&
              put_in_place(w, temp, outdir, state, &previous);
    if (!ok)
        remove_tree(w, temp);
    else if (previous)
        remove_tree(w, previous);
    if (ok)
        step(w, K2E_WRITE_DONE);
    free(previous);
    free(temp);
    return ok;
}

bool k2e_outputs_write_with(const k2e_outputs *outputs, const char *outdir_arg, k2e_diags *diags,
                            const k2e_write_options *options)
{
    writer w = {diags, options};
    char *outdir = outdir_name(&w, outdir_arg);
    if (!outdir)
        return false;
    outdir_state state;
    bool ok = check_paths(&w, outputs, outdir) && inspect_outdir(&w, outdir, &state) &&
              make_parents(&w, outdir);
    if (ok) {
        clean_leftovers(&w, outdir);
        ok = build_and_swap(&w, outputs, outdir, state);
    }
    free(outdir);
    return ok;
}

bool k2e_outputs_write(const k2e_outputs *outputs, const char *outdir, k2e_diags *diags)
{
    return k2e_outputs_write_with(outputs, outdir, diags, NULL);
}
