/* Reading the PATH arguments of `kube2ecs convert`: files as given,
 * directories walked, "-" for standard input; every file read into a
 * k2e_file, or recognised as something else and skipped with a word on what
 * to do (see classify.h).
 *
 * Names.  A file is named relative to the input root it was found under (the
 * PATH argument), so diagnostics, report.json and the rule descriptions that
 * quote file names are the same bytes whatever the working directory: with
 * one PATH, `kube2ecs convert k8s/` names k8s/apps/web.yaml "apps/web.yaml"
 * and a file argument is named by its base name.  With several PATHs each
 * root is prefixed by as many trailing components of its absolute path as
 * it takes to tell the roots apart ("base/web.yaml", "prod/web.yaml").
 * Standard input is "<stdin>".
 *
 * Walks.  Entries are taken in byte-wise order (never readdir's or the
 * locale's); hidden entries are skipped; symbolic links are followed, but
 * every directory and file is read at most once (tracked by device and
 * inode), so `ln -s . loop` ends at once instead of after 40 levels or
 * never.  The output directory (and the temporary siblings of an
 * interrupted run) is never read back.  `--exclude` patterns and a
 * `.kube2ecsignore` at the walked root leave paths out (see ignore.h).
 */
#ifndef K2E_READ_INPUTS_H
#define K2E_READ_INPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "report/diags.h"
#include "read/yaml_tree.h"

typedef struct {
    const char *const *excludes;   /* --exclude GLOB patterns */
    size_t exclude_count;
    const char *outdir;            /* never read as input; NULL: none */
    k2e_limits limits;
    /* Called after each file is read (progress); may be NULL. */
    void (*on_file)(void *context, size_t files_read);
    void *context;
} k2e_input_options;

typedef struct {
    k2e_file *files;               /* the files read, in walk order */
    size_t count, capacity;
    size_t skipped;                /* recognised and skipped (infos) */
    bool saw_kustomize;            /* some skipped file was kustomize's */
    bool saw_helm;                 /* some skipped file was a Helm chart's */
} k2e_input_set;

/* Reads every PATH into `set` (which the caller releases even on failure).
 * Problems are diagnostics; false only when out of memory. */
bool k2e_inputs_read(const k2e_input_options *options, const char *const *paths,
                     size_t count, k2e_input_set *set, k2e_diags *diags);
void k2e_inputs_release(k2e_input_set *set);

/* Reads one file like k2e_read_path, but names it `name` in diagnostics (the
 * mapping file is named by its base name, like a file argument). */
bool k2e_read_named(const char *path, const char *name, const k2e_limits *limits,
                    k2e_file *out, k2e_diags *diags);

/* The K2E-E013 error for a run whose input held no object at all, with a
 * hint drawn from what was skipped. */
void k2e_inputs_report_empty(const k2e_input_set *set, k2e_diags *diags);

/* Expands PATH arguments: files as given, directories recursively (files
 * ending .yaml/.yml/.json, hidden entries skipped, byte-wise sorted, each
 * directory once however many links lead to it), "-" for standard input.
 * The list alone, for tools that time the reader: k2e_convert also skips
 * kustomize/Helm sources, excluded paths and the output directory.  Caller
 * frees each string and the array. */
bool k2e_collect_inputs(const char *const *paths, size_t count, char ***files,
                        size_t *file_count, k2e_diags *diags);

#endif
