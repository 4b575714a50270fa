/* Reading the PATH arguments; see inputs.h.
 *
 * Files are read while the walk goes (depth first, byte-wise order), so
 * memory is the files themselves plus two hash sets of (device, inode): the
 * directories entered and the files read.  Those sets are what ends
 * symbolic-link loops: following links is kept (repositories link shared
 * manifests into overlays), visiting anything twice is not.
 */
#include "read/inputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "read/inputs.h"
#include "base/util.h"
#include "read/classify.h"
#include "read/ignore.h"

/* --- Sets of (device, inode) ----------------------------------------------- */

typedef struct {
    dev_t dev;
    ino_t ino;
    char *name;      /* the display name it was first met under */
} file_id;

typedef struct {
    file_id *slots;  /* name == NULL: free slot */
    size_t count, capacity;
} id_set;

static size_t id_slot(const id_set *s, dev_t dev, ino_t ino)
{
    uint64_t h = ((uint64_t)ino * 0x9E3779B97F4A7C15u) ^ ((uint64_t)dev * 0xC2B2AE3D27D4EB4Fu);
    size_t i = (size_t)(h ^ (h >> 31)) & (s->capacity - 1);
    while (s->slots[i].name && !(s->slots[i].dev == dev && s->slots[i].ino == ino))
        i = (i + 1) & (s->capacity - 1);
    return i;
}

static const char *id_set_find(const id_set *s, const struct stat *st)
{
    if (!s->capacity)
        return NULL;
    return s->slots[id_slot(s, st->st_dev, st->st_ino)].name;
}

static bool id_set_grow(id_set *s)
{
    size_t capacity = s->capacity ? s->capacity * 2 : 64;
    file_id *old = s->slots;
    size_t old_capacity = s->capacity;
    s->slots = k2e_calloc(capacity, sizeof *s->slots);
    if (!s->slots) {
        s->slots = old;
        return false;
    }
    s->capacity = capacity;
    for (size_t i = 0; i < old_capacity; i++) {
        if (old[i].name)
            s->slots[id_slot(s, old[i].dev, old[i].ino)] = old[i];
    }
    free(old);
    return true;
}

static bool id_set_add(id_set *s, const struct stat *st, const char *name)
{
    if ((s->count + 1) * 2 > s->capacity && !id_set_grow(s))
        return false;
    char *copy = k2e_strdup(name);
    if (!copy)
        return false;
    s->slots[id_slot(s, st->st_dev, st->st_ino)] = (file_id){st->st_dev, st->st_ino, copy};
    s->count++;
    return true;
}

static void id_set_release(id_set *s)
{
    for (size_t i = 0; i < s->capacity; i++)
        free(s->slots[i].name);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* --- Names ------------------------------------------------------------------- */

static bool manifest_name(const char *name)
{
    return k2e_str_has_suffix(name, ".yaml") || k2e_str_has_suffix(name, ".yml") ||
           k2e_str_has_suffix(name, ".json");
}

/* a/b: either part may be empty; a trailing '/' of a is not doubled. */
static char *join(const char *a, const char *b)
{
    if (!a[0])
        return k2e_strdup(b);
    if (!b[0])
        return k2e_strdup(a);
    return k2e_asprintf("%s%s%s", a, k2e_str_has_suffix(a, "/") ? "" : "/", b);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static char *dir_name(const char *display)
{
    const char *slash = strrchr(display, '/');
    return slash ? k2e_strndup(display, (size_t)(slash - display)) : k2e_strdup("");
}

/* The absolute form of `path`, "." and ".." resolved lexically: only ever
 * used to label roots, never to open anything. */
static char *absolute_path(const char *path)
{
    char cwd[4096];
    char *joined = path[0] == '/' ? k2e_strdup(path)
                                  : (getcwd(cwd, sizeof cwd) ? join(cwd, path) : k2e_strdup(path));
    if (!joined)
        return NULL;
    char *out = k2e_malloc(strlen(joined) + 2);
    if (!out) {
        free(joined);
        return NULL;
    }
    size_t n = 0;
    for (char *part = strtok(joined, "/"); part; part = strtok(NULL, "/")) {
        if (strcmp(part, ".") == 0)
            continue;
        if (strcmp(part, "..") == 0) {
            while (n > 0 && out[--n] != '/')
                ;
            continue;
        }
        n += (size_t)sprintf(out + n, "/%s", part);
    }
    out[n] = '\0';
    free(joined);
    return out;
}

/* The last k components of an absolute path ("" for k = 0). */
static const char *last_components(const char *abs, size_t k)
{
    const char *p = abs + strlen(abs);
    while (k > 0 && p > abs) {
        p--;
        if (*p == '/')
            k--;
    }
    return *p == '/' ? p + 1 : p;
}

static size_t component_count(const char *abs)
{
    size_t n = 0;
    for (const char *p = abs; *p; p++)
        n += *p == '/';
    return n;
}

/* Labels of the roots (see inputs.h): "" for a single directory, else the
 * fewest trailing components that tell each root from every other. */
static char **root_labels(const char *const *paths, size_t count, bool single_dir)
{
    char **abs = k2e_calloc(count + 1, sizeof *abs);
    char **labels = k2e_calloc(count + 1, sizeof *labels);
    bool ok = abs && labels;
    for (size_t i = 0; ok && i < count; i++)
        ok = (abs[i] = absolute_path(strcmp(paths[i], "-") == 0 ? "" : paths[i])) != NULL;
    for (size_t i = 0; ok && i < count; i++) {
        size_t k = single_dir ? 0 : 1, most = component_count(abs[i]);
        for (bool clash = !single_dir; clash && k <= most; k += clash) {
            clash = false;
            for (size_t j = 0; j < count && !clash; j++) {
                clash = j != i && strcmp(paths[j], "-") != 0 && strcmp(abs[i], abs[j]) != 0 &&
                        strcmp(last_components(abs[i], k), last_components(abs[j], k)) == 0;
            }
        }
        ok = (labels[i] = k2e_strdup(last_components(abs[i], k))) != NULL;
    }
    for (size_t i = 0; abs && i < count; i++)
        free(abs[i]);
    free(abs);
    if (ok)
        return labels;
    for (size_t i = 0; labels && i < count; i++)
        free(labels[i]);
    free(labels);
    return NULL;
}

/* --- The walker ------------------------------------------------------------- */

typedef struct {
    const k2e_input_options *options;
    k2e_input_set *set;
    k2e_diags *diags;
    id_set dirs, files;
    bool has_outdir, has_outdir_parent;
    struct stat outdir, outdir_parent;
    char *outdir_temp_prefix[2];   /* "ecs-out.new-", "ecs-out.old-" */
    bool ok;                       /* false once out of memory */
} walker;

typedef struct {
    const char *label;
    k2e_ignore ignore;
} root;

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

static void note(walker *w, const char *display, const char *hint, const char *message)
{
    k2e_diag_add(w->diags, K2E_I_INPUT_NOT_READ, (k2e_where){display, 0, 0, ""}, hint, "%s",
                 message);
}

static void skip(walker *w, const k2e_input_class *c, const char *display, const char *dir,
                 bool named)
{
    k2e_input_report(c, display, dir, named, w->diags);
    w->set->skipped += !named;
    w->set->saw_kustomize |= c->kind == K2E_INPUT_KUSTOMIZE;
    w->set->saw_helm |= c->kind == K2E_INPUT_HELM_CHART || c->kind == K2E_INPUT_HELM_TEMPLATE;
}

static void skip_here(walker *w, const k2e_input_class *c, const char *display, bool named)
{
    char *dir = dir_name(display);
    skip(w, c, display, dir ? dir : "", named);
    free(dir);
}

static void read_error(walker *w, const char *display, const char *what, int error)
{
    k2e_note_errno(error); /* ENOMEM is the run's failure, not the input's */
    k2e_diag_add(w->diags, K2E_E_READ, (k2e_where){display, 0, 0, ""}, NULL, "%s: %s", what,
                 strerror(error));
}

/* Reads all of fd, at most `limit` bytes. */
static char *slurp(int fd, size_t limit, size_t *size, bool *too_big, int *error)
{
    k2e_buf buf;
    k2e_buf_init(&buf);
    char chunk[65536];
    *too_big = false;
    for (;;) {
        ssize_t n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = errno;
            k2e_buf_release(&buf);
            return NULL;
        }
        if (n == 0)
            break;
        if (buf.length + (size_t)n > limit) {
            *too_big = true;
            break;
        }
        k2e_buf_append(&buf, chunk, (size_t)n);
    }
    *size = buf.length;
    *error = ENOMEM;
    return k2e_buf_detach(&buf);
}

static bool keep_file(walker *w, k2e_file *file)
{
    k2e_input_set *set = w->set;
    if (!k2e_grow((void **)&set->files, &set->capacity, set->count + 1, sizeof *set->files)) {
        k2e_file_free(file);
        return w->ok = false;
    }
    set->files[set->count++] = *file;
    if (w->options->on_file)
        w->options->on_file(w->options->context, set->count);
    return true;
}

/* Parses the bytes of one input and keeps it, unless it is recognised as
 * something other than manifests. */
static void parse_input(walker *w, const char *display, const char *data, size_t size,
                        bool named)
{
    k2e_input_class c;
    if (k2e_find_template_action(data, size, &c.line, &c.column)) {
        c.kind = K2E_INPUT_HELM_TEMPLATE;
        c.what = NULL;
        skip_here(w, &c, display, named);
        return;
    }
    k2e_file file;
    bool parsed = k2e_read_buffer(display, data, size, &w->options->limits, &file, w->diags);
    if (parsed) {
        c = k2e_classify_documents(&file, base_name(display));
        if (c.kind != K2E_INPUT_MANIFEST) {
            skip_here(w, &c, display, named);
            k2e_file_free(&file);
            return;
        }
    }
    /* A file that failed to parse is kept: the documents before the error
     * are still indexed, as they always were. */
    keep_file(w, &file);
}

/* Opens a file, or standard input for "-". */
static void read_input(walker *w, const char *real, const char *display, bool named)
{
    k2e_input_class c;
    bool is_stdin = strcmp(real, "-") == 0;
    if (!is_stdin && k2e_classify_name(base_name(display), &c)) {
        skip_here(w, &c, display, named);
        return;
    }
    int fd = is_stdin ? STDIN_FILENO : open(real, O_RDONLY);
    if (fd < 0) {
        read_error(w, display, "cannot open", errno);
        return;
    }
    struct stat st;
    if (!is_stdin && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        const char *first = id_set_find(&w->files, &st);
        if (first) {
            char *message = k2e_asprintf("the same file as %s, already read: not read again",
                                         first);
            note(w, display, "a symbolic link, or a file named twice", message ? message : "");
            free(message);
            close(fd);
            return;
        }
        if (!id_set_add(&w->files, &st, display))
            w->ok = false;
    }
    size_t size = 0;
    bool too_big;
    int error = 0;
    char *data = slurp(fd, w->options->limits.max_file_bytes, &size, &too_big, &error);
    if (!is_stdin)
        close(fd);
    if (too_big) {
        k2e_diag_add(w->diags, K2E_E_LIMIT, (k2e_where){display, 0, 0, ""}, "split the input",
                     "input larger than the limit of %zu bytes",
                     w->options->limits.max_file_bytes);
    } else if (!data) {
        read_error(w, display, "cannot read", error);
    } else {
        parse_input(w, display, data, size, named);
    }
    free(data);
}

static void walk_dir(walker *w, root *r, const char *real, const char *rel,
                     const char *chart_dir, const struct stat *st, unsigned depth);

static char *display_of(const root *r, const char *rel)
{
    return join(r->label, rel);
}

static bool temporary_sibling(const walker *w, const struct stat *dir, const char *name)
{
    if (!w->has_outdir_parent || !same_file(dir, &w->outdir_parent))
        return false;
    return k2e_str_has_prefix(name, w->outdir_temp_prefix[0]) ||
           k2e_str_has_prefix(name, w->outdir_temp_prefix[1]);
}

typedef struct {
    const char *real, *rel;   /* of the directory being walked */
    const struct stat *st;
    bool is_chart;            /* holds a Chart.yaml */
    const char *chart_dir;    /* inside a chart's templates/: the chart */
    unsigned depth;
} dir_ctx;

static void walk_entry(walker *w, root *r, const dir_ctx *d, const char *name)
{
    char *real = join(d->real, name), *rel = join(d->rel, name);
    char *display = rel ? display_of(r, rel) : NULL;
    struct stat st;
    if (!real || !rel || !display) {
        w->ok = false;
    } else if (stat(real, &st) != 0) {
        /* A dangling link with a manifest's name was meant to be read. */
        struct stat link;
        int error = errno;
        if (manifest_name(name))
            read_error(w, display,
                       lstat(real, &link) == 0 && S_ISLNK(link.st_mode)
                           ? "cannot read (a dangling symbolic link?)"
                           : "cannot read",
                       error);
    } else if (S_ISDIR(st.st_mode)) {
        const k2e_ignore_rule *rule = k2e_ignore_match(&r->ignore, rel, true);
        char *here = display_of(r, d->rel);
        if (rule) {
            char *message = k2e_asprintf("directory excluded by %s: not read", rule->origin);
            note(w, display, NULL, message ? message : "");
            free(message);
        } else if (temporary_sibling(w, d->st, name)) {
            note(w, display, "remove it once no kube2ecs run is writing there",
                 "a temporary directory of a kube2ecs run (beside the output directory): "
                 "not read");
        } else {
            bool templates = d->is_chart && strcmp(name, "templates") == 0;
            walk_dir(w, r, real, rel, templates ? here : d->chart_dir, &st, d->depth + 1);
        }
        free(here);
    } else if (S_ISREG(st.st_mode) && (manifest_name(name) || strcmp(name, "Kustomization") == 0)) {
        const k2e_ignore_rule *rule = k2e_ignore_match(&r->ignore, rel, false);
        if (rule) {
            char *message = k2e_asprintf("excluded by %s: not read", rule->origin);
            note(w, display, NULL, message ? message : "");
            free(message);
        } else if (d->chart_dir) {
            k2e_input_class c = {K2E_INPUT_HELM_TEMPLATE, NULL, 0, 0};
            skip(w, &c, display, d->chart_dir, false);
        } else {
            read_input(w, real, display, false);
        }
    }
    free(real);
    free(rel);
    free(display);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries but hidden ones, sorted; NULL-terminated. */
static char **list_dir(walker *w, const char *real, const char *display, size_t *count)
{
    DIR *dir = opendir(real);
    if (!dir) {
        read_error(w, display[0] ? display : real, "cannot open directory", errno);
        return NULL;
    }
    char **names = NULL;
    size_t n = 0, capacity = 0;
    struct dirent *entry;
    while ((entry = readdir(dir))) {
        if (entry->d_name[0] == '.')
            continue;
        char *copy = k2e_strdup(entry->d_name);
        if (!copy || !k2e_grow((void **)&names, &capacity, n + 1, sizeof *names)) {
            free(copy);
            w->ok = false;
            break;
        }
        names[n++] = copy;
    }
    closedir(dir);
    if (n > 1)
        qsort(names, n, sizeof *names, compare_names);
    *count = n;
    return names;
}

static void walk_dir(walker *w, root *r, const char *real, const char *rel,
                     const char *chart_dir, const struct stat *st, unsigned depth)
{
    char *display = display_of(r, rel);
    if (!display) {
        w->ok = false;
        return;
    }
    const char *first = id_set_find(&w->dirs, st);
    if (w->has_outdir && same_file(st, &w->outdir)) {
        /* Quietly: the output is no input, and report.json must be the same
         * bytes whether or not a previous output existed. */
    } else if (first) {
        char *message = k2e_asprintf("the same directory as %s, already read: not read again",
                                     first[0] ? first : "the input root");
        note(w, display, "a symbolic link loop, or a directory named twice",
             message ? message : "");
        free(message);
    } else if (depth > 64) {
        k2e_diag_add(w->diags, K2E_E_LIMIT, (k2e_where){display, 0, 0, ""}, NULL,
                     "directories nested more than 64 levels deep");
    } else if (!id_set_add(&w->dirs, st, display)) {
        w->ok = false;
    } else {
        size_t count = 0;
        char **names = list_dir(w, real, display, &count);
        bool chart = false;
        for (size_t i = 0; i < count; i++)
            chart = chart || strcmp(names[i], "Chart.yaml") == 0;
        dir_ctx d = {real, rel, st, chart, chart_dir, depth};
        for (size_t i = 0; i < count; i++) {
            if (w->ok)
                walk_entry(w, r, &d, names[i]);
            free(names[i]);
        }
        free(names);
    }
    free(display);
}

/* --- Roots --------------------------------------------------------------- */

/* .kube2ecsignore at the root, then --exclude (the command line has the
 * last word, as the last matching pattern wins). */
static bool load_ignore(walker *w, root *r, const char *real)
{
    k2e_ignore_init(&r->ignore);
    char *path = join(real, ".kube2ecsignore");
    int fd = path ? open(path, O_RDONLY) : -1;
    free(path);
    bool ok = true;
    if (fd >= 0) {
        size_t size = 0;
        bool too_big;
        int error = 0;
        char *text = slurp(fd, 1u << 20, &size, &too_big, &error);
        close(fd);
        char *name = join(r->label, ".kube2ecsignore");
        ok = text && name && k2e_ignore_add_text(&r->ignore, text, size, name);
        free(text);
        free(name);
    }
    for (size_t i = 0; ok && i < w->options->exclude_count; i++) {
        char *origin = k2e_asprintf("--exclude '%s'", w->options->excludes[i]);
        ok = origin && k2e_ignore_add(&r->ignore, w->options->excludes[i], origin);
        free(origin);
    }
    return ok;
}

/* A file named on the command line inside a chart's templates/. */
static bool in_chart_templates(const char *path)
{
    char *dir = dir_name(path);
    bool yes = false;
    if (dir && strcmp(base_name(dir[0] ? dir : "."), "templates") == 0) {
        char *chart = k2e_asprintf("%s/../Chart.yaml", dir[0] ? dir : ".");
        yes = chart && access(chart, F_OK) == 0;
        free(chart);
    }
    free(dir);
    return yes;
}

static void read_root(walker *w, const char *path, const char *label)
{
    if (strcmp(path, "-") == 0) {
        read_input(w, "-", "<stdin>", true);
        return;
    }
    struct stat st;
    if (stat(path, &st) != 0) {
        read_error(w, path, "cannot read", errno);
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (in_chart_templates(path)) {
            k2e_input_class c = {K2E_INPUT_HELM_TEMPLATE, NULL, 0, 0};
            skip(w, &c, label, "", true);
            return;
        }
        read_input(w, path, label, true);
        return;
    }
    root r = {label, {0}};
    if (!load_ignore(w, &r, path))
        w->ok = false;
    else
        walk_dir(w, &r, path, "", NULL, &st, 0);
    k2e_ignore_release(&r.ignore);
}

static void guard_outdir(walker *w, const char *outdir)
{
    if (!outdir)
        return;
    w->has_outdir = stat(outdir, &w->outdir) == 0 && S_ISDIR(w->outdir.st_mode);
    char *trimmed = k2e_strdup(outdir);
    if (!trimmed)
        return;
    size_t n = strlen(trimmed);
    while (n > 1 && trimmed[n - 1] == '/')
        trimmed[--n] = '\0';
    char *parent = dir_name(trimmed);
    w->has_outdir_parent = parent &&
                           stat(parent[0] ? parent : (trimmed[0] == '/' ? "/" : "."),
                                &w->outdir_parent) == 0;
    w->outdir_temp_prefix[0] = k2e_asprintf("%s.new-", base_name(trimmed));
    w->outdir_temp_prefix[1] = k2e_asprintf("%s.old-", base_name(trimmed));
    w->has_outdir_parent = w->has_outdir_parent && w->outdir_temp_prefix[0] &&
                           w->outdir_temp_prefix[1];
    free(parent);
    free(trimmed);
}

bool k2e_inputs_read(const k2e_input_options *options, const char *const *paths, size_t count,
                     k2e_input_set *set, k2e_diags *diags)
{
    memset(set, 0, sizeof *set);
    walker w = {.options = options, .set = set, .diags = diags, .ok = true};
    guard_outdir(&w, options->outdir);
    size_t roots = 0, dirs = 0;
    for (size_t i = 0; i < count; i++) {
        struct stat st;
        bool is_root = strcmp(paths[i], "-") != 0;
        roots += is_root;
        dirs += is_root && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode);
    }
    char **labels = root_labels(paths, count, roots == 1 && dirs == 1);
    if (!labels)
        w.ok = false;
    for (size_t i = 0; w.ok && i < count; i++)
        read_root(&w, paths[i], labels[i]);
    for (size_t i = 0; labels && i < count; i++)
        free(labels[i]);
    free(labels);
    id_set_release(&w.dirs);
    id_set_release(&w.files);
    free(w.outdir_temp_prefix[0]);
    free(w.outdir_temp_prefix[1]);
    return w.ok;
}

bool k2e_read_named(const char *path, const char *name, const k2e_limits *limits,
                    k2e_file *out, k2e_diags *diags)
{
    memset(out, 0, sizeof *out);
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        k2e_note_errno(errno);
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){path, 0, 0, ""}, NULL, "cannot open: %s",
                     strerror(errno));
        return false;
    }
    size_t size = 0;
    bool too_big;
    int error = 0;
    char *data = slurp(fd, limits->max_file_bytes, &size, &too_big, &error);
    close(fd);
    bool ok = false;
    if (too_big)
        k2e_diag_add(diags, K2E_E_LIMIT, (k2e_where){path, 0, 0, ""}, NULL,
                     "file larger than the limit of %zu bytes", limits->max_file_bytes);
    else if (!data)
        k2e_diag_add(diags, K2E_E_READ, (k2e_where){path, 0, 0, ""}, NULL, "cannot read: %s",
                     strerror(error));
    else
        ok = k2e_read_buffer(name, data, size, limits, out, diags);
    free(data);
    return ok;
}

void k2e_inputs_release(k2e_input_set *set)
{
    for (size_t i = 0; i < set->count; i++)
        k2e_file_free(&set->files[i]);
    free(set->files);
    memset(set, 0, sizeof *set);
}

void k2e_inputs_report_empty(const k2e_input_set *set, k2e_diags *diags)
{
    const char *hint =
        set->saw_kustomize ? "this looks like a kustomize tree: convert what it renders, "
                             "`kubectl kustomize DIR | kube2ecs convert -`"
        : set->saw_helm    ? "this looks like a Helm chart: convert what it renders, "
                             "`helm template RELEASE CHART | kube2ecs convert -`"
        : set->skipped     ? "every file was skipped; -v lists them with the reason"
                           : "give Kubernetes manifests: files, directories of them, or - "
                             "for standard input";
    k2e_diag_add(diags, K2E_E_NO_OBJECTS, (k2e_where){"", 0, 0, ""}, hint,
                 "no Kubernetes object in the input (%zu file%s read, %zu skipped): "
                 "nothing to convert, the output directory is left as it was",
                 set->count, set->count == 1 ? "" : "s", set->skipped);
}

/* --- The path list alone (benchmarks, tests) ------------------------------ */

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

static bool collect(const char *dir, path_list *out, id_set *seen, k2e_diags *diags)
{
    size_t count = 0;
    walker w = {.diags = diags, .ok = true};
    char **names = list_dir(&w, dir, dir, &count);
    bool ok = w.ok;
    for (size_t i = 0; i < count; i++) {
        char *path = ok ? join(dir, names[i]) : NULL;
        struct stat st;
        if (path && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            if (!id_set_find(seen, &st))
                ok = id_set_add(seen, &st, path) && collect(path, out, seen, diags);
            free(path);
        } else if (path && manifest_name(names[i])) {
            ok = push(out, path);
        } else {
            free(path);
        }
        free(names[i]);
    }
    free(names);
    return ok;
}

bool k2e_collect_inputs(const char *const *paths, size_t count, char ***files,
                        size_t *file_count, k2e_diags *diags)
{
    path_list out = {0};
    id_set seen = {0};
    bool ok = true;
    for (size_t i = 0; ok && i < count; i++) {
        struct stat st;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &st) == 0 && S_ISDIR(st.st_mode))
            ok = id_set_find(&seen, &st) ||
                 (id_set_add(&seen, &st, paths[i]) && collect(paths[i], &out, &seen, diags));
        else
            ok = push(&out, k2e_strdup(paths[i]));
    }
    id_set_release(&seen);
    *files = out.items;
    *file_count = out.count;
    return ok;
}
