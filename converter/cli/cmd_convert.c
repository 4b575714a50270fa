/* kube2ecs convert: options, then the pipeline, then diagnostics and the
 * summary on stderr.  Options and formats are tables, so that --help, the
 * parser and the error messages can never disagree. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "diag_print.h"
#include "kube2ecs/convert.h"
#include "options.h"

typedef struct {
    k2e_convert_options convert;
    const char **excludes;
    size_t exclude_count;
    const char *layout;        /* --layout NAME, checked once parsing is done */
    const char **codes;  /* --allow then --deny values, argc slots each */
    size_t allow_count, deny_count, argc_slots;
    bool verbose;
    bool quiet;
} convert_args;

enum { OPT_MAPPING, OPT_OUTPUT, OPT_NAMESPACE, OPT_FORMAT, OPT_EXCLUDE, OPT_CONSOLIDATE,
       OPT_LAYOUT, OPT_SCHEDULES_DISABLED, OPT_STRICT, OPT_BASELINE, OPT_ALLOW, OPT_DENY,
       OPT_KEEP_GOING, OPT_VERBOSE, OPT_QUIET, OPT_HELP };

static const k2e_option options[] = {
    {OPT_MAPPING, 'm', "mapping", "FILE",
     "mapping table (YAML) merged over the embedded default; see\n"
     "                         `kube2ecs mapping --defaults` and MAPPING.md"},
    {OPT_OUTPUT, 'o', "output", "DIR", "output directory (default: ecs-out)"},
    {OPT_NAMESPACE, 'n', "namespace", "NS",
     "namespace of objects that name none (default: default)"},
    {OPT_FORMAT, 'f', "format", "NAME",
     "also write files for a deployment tool: ecspresso, ecs-deploy\n"
     "                         (repeatable)"},
    {OPT_EXCLUDE, 0, "exclude", "GLOB",
     "leave matching paths out of directory walks (gitignore-style,\n"
     "                         relative to the walked PATH; repeatable)"},
    {OPT_CONSOLIDATE, 0, "consolidate", NULL,
     "CronJobs and Jobs that can share a task definition share\n"
     "                         one, with per-job overrides (see plan-batch)"},
    {OPT_LAYOUT, 0, "layout", "NAME",
     "with --consolidate, also write each shared family as: ytt\n"
     "                         (ytt/<family>/, rendered with ytt | ecschedule)"},
    {OPT_SCHEDULES_DISABLED, 0, "schedules-disabled", NULL,
     "write every ecschedule rule disabled: apply before the\n"
     "                         cut-over (as schedules.state: disabled)"},
    {OPT_STRICT, 0, "strict", NULL,
     "exit 1 when there are warnings (and objects of unknown\n"
     "                         kinds)"},
    {OPT_BASELINE, 0, "baseline", "FILE",
     "with --strict (implied): only findings FILE does not\n"
     "                         list fail: a report.json of an accepted run, or\n"
     "                         lines `CODE FILE [PATH]`"},
    {OPT_ALLOW, 0, "allow", "CODE",
     "with --strict (implied): CODE never fails the run\n"
     "                         (repeatable; also strict.allow in the mapping)"},
    {OPT_DENY, 0, "deny", "CODE",
     "with --strict (implied): CODE fails the run whatever\n"
     "                         its severity (repeatable; also strict.deny)"},
    {OPT_KEEP_GOING, 0, "keep-going", NULL,
     "write what converted even when some objects fail (exit\n"
     "                         status still 2; the failures are in report.json)"},
    {OPT_VERBOSE, 'v', "verbose", NULL, "also print info diagnostics"},
    {OPT_QUIET, 'q', "quiet", NULL, "print only errors and the summary, no progress"},
    {OPT_HELP, 'h', "help", NULL, "show this help"},
};

enum { OPTION_COUNT = sizeof options / sizeof options[0] };

static const struct {
    const char *name;
    unsigned flag;
} formats[] = {
    {"ecspresso", K2E_FORMAT_ECSPRESSO},
    {"ecs-deploy", K2E_FORMAT_ECS_DEPLOY},
};

void k2e_help_convert(FILE *out)
{
    fputs("usage: kube2ecs convert [options] PATH...\n"
          "\n"
          "PATH is a manifest file (YAML, multi-document, or JSON), a directory (walked\n"
          "recursively for *.yaml, *.yml and *.json; hidden entries skipped; byte-wise\n"
          "order; symbolic links followed, each directory once), or - for standard input\n"
          "(e.g. `kubectl kustomize DIR | kube2ecs convert -`).  In a directory,\n"
          "kustomization files, Helm charts (Chart.yaml, values*.yaml, templates/),\n"
          "package.json and other files without Kubernetes objects are skipped with an\n"
          "info that says what to do; named on the command line they are errors.  The\n"
          "output directory is never read back, and a .kube2ecsignore at a walked PATH\n"
          "works like --exclude.  Files are named relative to the PATH they were found\n"
          "under, so the output does not depend on the working directory.\n"
          "\n"
          "options:\n",
          out);
    k2e_opt_print_help(out, options, OPTION_COUNT);
    fputs("\n"
          "Long options also take --option=VALUE (and unique prefixes, --out=DIR); short\n"
          "ones -oDIR; -- ends the options.\n"
          "\n"
          "output (in OUTDIR):\n"
          "  task-definitions/<family>.json  input of aws ecs register-task-definition\n"
          "                                  --cli-input-json file://...\n"
          "  services/<family>.json          input of aws ecs create-service (Deployment,\n"
          "                                  StatefulSet, ReplicaSet, ReplicationController)\n"
          "  autoscaling/<family>.json       {scalableTarget, scalingPolicies}: inputs of\n"
          "                                  aws application-autoscaling\n"
          "                                  register-scalable-target / put-scaling-policy\n"
          "  target-groups/<svc>-<k8s service>-<port>.json\n"
          "                                  input of aws elbv2 modify-target-group: the\n"
          "                                  health check from the readiness probe\n"
          "  run-tasks/<family>.json         input of aws ecs run-task --cli-input-json\n"
          "                                  (Jobs)\n"
          "  ecschedule.yaml                 EventBridge rules for the CronJobs, for\n"
          "                                  ecschedule -conf ecschedule.yaml apply -all\n"
          "  ecspresso/<family>/             with -f ecspresso: ecspresso.yml,\n"
          "                                  ecs-task-def.json, ecs-service-def.json\n"
          "  ecs-deploy/<family>.json        with -f ecs-deploy: {\"taskDefinition\": ...}\n"
          "                                  for ecs-deploy --task-definition-file\n"
          "  ytt/<family>/                   with --consolidate --layout ytt: a shared\n"
          "                                  family's rules as a ytt tree\n"
          "  report.json                     every diagnostic and a summary, for CI\n"
          "\n"
          "OUTDIR is all or nothing: it is replaced as a whole, atomically, only when\n"
          "every object converted.  When some fail (a DaemonSet, a hostPath volume),\n"
          "nothing is written and the exit status is 2; --keep-going writes the objects\n"
          "that did convert, still with exit status 2.  An input without any\n"
          "Kubernetes object (empty standard input) never touches OUTDIR; a non-empty\n"
          "directory without kube2ecs' marker (.kube2ecs-output) is never replaced;\n"
          "missing parents of OUTDIR are created.\n"
          "\n"
          "Diagnostics go to stderr as `file:line:col: severity: message: path [CODE]`\n"
          "with a hint; codes are listed in MAPPING.md.  Colours on a terminal unless\n"
          "NO_COLOR is set.  On a terminal, runs longer than a second show their\n"
          "progress (files and objects read, objects converted) unless -q is given,\n"
          "and a cause (code, field, hint) met more than 3 times is shown 3 times and\n"
          "counted; report.json, or stderr redirected to a file, has every one.\n"
          "\n"
          "--strict counts every warning and every object of an unknown kind (whatever\n"
          "severity that finding has), less the codes --allow (or strict.allow in the\n"
          "mapping table) names, plus the codes --deny (strict.deny) names; with\n"
          "--baseline only counted findings the baseline does not list fail the run:\n"
          "they are listed after the summary as `CODE FILE PATH` lines, the baseline's\n"
          "own format.  report.json records the kube2ecs version, the mapping file and\n"
          "its SHA-256, and the input files.\n"
          "\n"
          "exit status:\n",
          out);
    k2e_print_exit_statuses(out);
}

static bool apply_format(convert_args *args, const char *value)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(value, formats[i].name) == 0) {
            args->convert.formats |= formats[i].flag;
            return true;
        }
    }
    fprintf(stderr, "kube2ecs convert: unknown format '%s' (", value);
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        fprintf(stderr, "%s%s", i ? ", " : "", formats[i].name);
    fputs(")\n", stderr);
    return false;
}

/* -n names a namespace, which Kubernetes holds to an RFC 1123 label: it
 * becomes part of names and parameter paths, so "../x" is refused here as
 * the index refuses it in metadata.namespace. */
static bool valid_namespace(const char *ns)
{
    size_t n = strlen(ns);
    if (n == 0 || n > 63 || ns[0] == '-' || ns[n - 1] == '-')
        return false;
    return strspn(ns, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static bool apply_namespace(convert_args *args, const char *value)
{
    if (!valid_namespace(value)) {
        fprintf(stderr, "kube2ecs convert: -n: not a Kubernetes namespace name (a lowercase "
                        "RFC 1123 label: a-z, 0-9 and '-', at most 63)\n");
        return false;
    }
    args->convert.default_namespace = value;
    return true;
}

/* Returns false on a usage error (already printed). */
static bool apply_option(convert_args *args, int id, const char *value)
{
    switch (id) {
    case OPT_FORMAT: return apply_format(args, value);
    case OPT_MAPPING: args->convert.mapping_path = value; break;
    case OPT_OUTPUT: args->convert.outdir = value; break;
    case OPT_NAMESPACE: return apply_namespace(args, value);
    case OPT_EXCLUDE: args->excludes[args->exclude_count++] = value; break;
    case OPT_CONSOLIDATE: args->convert.consolidate = true; break;
    case OPT_LAYOUT: args->layout = value; break;
    case OPT_SCHEDULES_DISABLED: args->convert.schedules_disabled = true; break;
    case OPT_STRICT: args->convert.strict = true; break;
    case OPT_BASELINE:
        args->convert.baseline_path = value;
        args->convert.strict = true;
        break;
    case OPT_ALLOW:
        args->codes[args->allow_count++] = value;
        args->convert.strict = true;
        break;
    case OPT_DENY:
        args->codes[args->argc_slots + args->deny_count++] = value;
        args->convert.strict = true;
        break;
    case OPT_KEEP_GOING: args->convert.keep_going = true; break;
    case OPT_VERBOSE: args->verbose = true; break;
    case OPT_QUIET: args->quiet = true; break;
    default: break;
    }
    return true;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, convert_args *args, const char ***paths,
                      size_t *count)
{
    *paths = calloc((size_t)argc, sizeof **paths);
    args->excludes = calloc((size_t)argc, sizeof *args->excludes);
    args->codes = calloc(2 * (size_t)argc, sizeof *args->codes);
    args->argc_slots = (size_t)argc;
    if (!*paths || !args->excludes || !args->codes)
        return K2E_EXIT_INTERNAL;
    k2e_opt_parser parser;
    k2e_opt_init(&parser, options, OPTION_COUNT, "kube2ecs convert", argc, argv);
    int id;
    const char *value;
    for (;;) {
        k2e_opt_result r = k2e_opt_next(&parser, &id, &value);
        if (r == K2E_OPT_DONE)
            break;
        if (r == K2E_OPT_ERROR)
            return K2E_EXIT_INPUT;
        if (r == K2E_OPT_OPERAND) {
            (*paths)[(*count)++] = value;
            continue;
        }
        if (id == OPT_HELP) {
            k2e_help_convert(stdout);
            return K2E_EXIT_OK;
        }
        if (!apply_option(args, id, value))
            return K2E_EXIT_INPUT;
    }
    if (args->layout && strcmp(args->layout, "ytt") != 0) {
        fprintf(stderr, "kube2ecs convert: unknown layout '%s' (ytt)\n", args->layout);
        return K2E_EXIT_INPUT;
    }
    if (args->layout && !args->convert.consolidate) {
        fputs("kube2ecs convert: --layout lays out consolidated families: add --consolidate\n",
              stderr);
        return K2E_EXIT_INPUT;
    }
    args->convert.layouts = args->layout ? K2E_LAYOUT_YTT : 0;
    if (args->convert.outdir && !args->convert.outdir[0]) {
        fputs("kube2ecs convert: the output directory (-o) is empty\n", stderr);
        return K2E_EXIT_INPUT;
    }
    if (*count == 0) {
        fputs("kube2ecs convert: no PATH given (use - for standard input)\n\n", stderr);
        k2e_help_convert(stderr);
        return K2E_EXIT_INPUT;
    }
    args->convert.excludes = args->excludes;
    args->convert.exclude_count = args->exclude_count;
    args->convert.allow = args->codes;
    args->convert.allow_count = args->allow_count;
    args->convert.deny = args->codes + args->argc_slots;
    args->convert.deny_count = args->deny_count;
    return -1;
}

/* --- Progress ------------------------------------------------------------ */

bool k2e_progress_due(bool terminal, bool quiet, long elapsed_ms, long since_shown_ms,
                      bool shown_before)
{
    if (!terminal || quiet || elapsed_ms < 1000)
        return false;
    return !shown_before || since_shown_ms >= 100;
}

typedef struct {
    bool terminal, quiet, shown;
    struct timespec start, last;
    size_t width;      /* of the line on screen, to blank it */
} progress_state;

static long ms_between(const struct timespec *a, const struct timespec *b)
{
    return (long)(b->tv_sec - a->tv_sec) * 1000 + (b->tv_nsec - a->tv_nsec) / 1000000;
}

static void show_progress(void *context, size_t files, size_t objects, size_t converted)
{
    progress_state *p = context;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (!k2e_progress_due(p->terminal, p->quiet, ms_between(&p->start, &now),
                          ms_between(&p->last, &now), p->shown))
        return;
    char line[160];
    if (objects)
        snprintf(line, sizeof line, "kube2ecs: %zu file%s, %zu object%s read, %zu converted",
                 files, files == 1 ? "" : "s", objects, objects == 1 ? "" : "s", converted);
    else
        snprintf(line, sizeof line, "kube2ecs: %zu file%s read", files, files == 1 ? "" : "s");
    size_t n = strlen(line);
    fprintf(stderr, "\r%s%*s", line, p->width > n ? (int)(p->width - n) : 0, "");
    fflush(stderr);
    p->width = n;
    p->last = now;
    p->shown = true;
}

static void end_progress(progress_state *p)
{
    if (p->shown)
        fprintf(stderr, "\r%*s\r", (int)p->width, "");
}

/* --- Output ------------------------------------------------------------- */

static bool use_colour(void)
{
    const char *no_colour = getenv("NO_COLOR");
    return isatty(STDERR_FILENO) && !(no_colour && no_colour[0]);
}

static bool shown(const convert_args *args, const k2e_diag *d)
{
    if (d->severity == K2E_SEV_INFO && !args->verbose)
        return false;
    return !(d->severity == K2E_SEV_WARNING && args->quiet);
}

/* With one directory given, file names are relative to it: say so once. */
static void print_root_note(const convert_args *args, const char *const *paths, size_t count,
                            const k2e_diags *diags)
{
    struct stat st;
    if (count != 1 || strcmp(paths[0], "-") == 0 || stat(paths[0], &st) != 0 ||
        !S_ISDIR(st.st_mode))
        return;
    for (size_t i = 0; i < diags->count; i++) {
        if (shown(args, &diags->items[i]) && diags->items[i].file[0]) {
            size_t n = strlen(paths[0]);
            fprintf(stderr, "kube2ecs: file names are relative to %s%s\n", paths[0],
                    n && paths[0][n - 1] == '/' ? "" : "/");
            return;
        }
    }
}

static bool shown_for(const void *context, const k2e_diag *diag)
{
    return shown(context, diag);
}

/* On a terminal a cause is shown a few times, then counted (diag_print.c). */
static void print_diagnostics(const convert_args *args, const k2e_diags *diags)
{
    k2e_cli_print_diagnostics(stderr, diags, shown_for, args, use_colour(),
                              isatty(STDERR_FILENO));
}

static bool has_code(const k2e_diags *diags, k2e_diag_code code)
{
    for (size_t i = 0; i < diags->count; i++) {
        if (diags->items[i].code == code)
            return true;
    }
    return false;
}

static const char *plural(size_t n)
{
    return n == 1 ? "" : "s";
}

static void print_summary(const convert_args *args, const k2e_convert_result *r, int status)
{
    size_t errors = k2e_diags_count(&r->diags, K2E_SEV_ERROR);
    size_t warnings = k2e_diags_count(&r->diags, K2E_SEV_WARNING);
    size_t infos = k2e_diags_count(&r->diags, K2E_SEV_INFO);
    char skipped[64] = "";
    if (r->files_skipped)
        snprintf(skipped, sizeof skipped, " (%zu skipped)", r->files_skipped);
    fprintf(stderr,
            "kube2ecs: %zu file%s%s, %zu object%s read, %zu converted; %zu error%s, "
            "%zu warning%s, %zu info%s%s\n",
            r->files_read, plural(r->files_read), skipped, r->objects_read,
            plural(r->objects_read), r->objects_converted, errors, plural(errors), warnings,
            plural(warnings), infos, plural(infos), infos && !args->verbose ? " (-v shows them)" : "");
    if (args->convert.strict && r->failing && r->failures) {
        fprintf(stderr, "kube2ecs: --strict: %zu finding%s fail%s the run%s:\n", r->failures,
                plural(r->failures), r->failures == 1 ? "s" : "",
                args->convert.baseline_path ? " (not in the baseline)" : "");
        for (size_t i = 0; i < r->diags.count; i++) {
            const k2e_diag *d = &r->diags.items[i];
            if (r->failing[i])
                fprintf(stderr, "%s %s %s\n", k2e_diag_code_string(d->code),
                        d->file[0] ? d->file : "-", d->path);
        }
    }
    const char *outdir = args->convert.outdir;
    if (r->written && status == K2E_EXIT_INPUT)
        fprintf(stderr, "kube2ecs: --keep-going: wrote %zu files to %s/ without the objects "
                        "that failed (exit status 2; details in %s/report.json)\n",
                r->outputs.count, outdir, outdir);
    else if (r->written)
        fprintf(stderr, "kube2ecs: wrote %zu files to %s/ (details in %s/report.json)\n",
                r->outputs.count, outdir, outdir);
    else if (has_code(&r->diags, K2E_E_NO_OBJECTS) || r->objects_read == 0)
        fprintf(stderr, "kube2ecs: nothing written to %s/: the input held no Kubernetes "
                        "object\n", outdir);
    else if (status == K2E_EXIT_INPUT && !args->convert.keep_going)
        fprintf(stderr, "kube2ecs: nothing written to %s/ because of %zu error%s; "
                        "--keep-going writes the %zu object%s that converted (exit status "
                        "still 2)\n",
                outdir, errors, plural(errors), r->objects_converted,
                plural(r->objects_converted));
    else if (status == K2E_EXIT_INPUT)
        fprintf(stderr, "kube2ecs: nothing written to %s/ because of errors\n", outdir);
}

int k2e_cmd_convert(int argc, char **argv)
{
    convert_args args = {.convert = {.outdir = "ecs-out", .zoneinfo_dir = getenv("TZDIR")}};
    const char **paths = NULL;
    size_t count = 0;
    int status = parse_args(argc, argv, &args, &paths, &count);
    if (status >= 0) {
        free(paths);
        free(args.excludes);
        free(args.codes);
        return status;
    }
    progress_state progress = {.terminal = isatty(STDERR_FILENO), .quiet = args.quiet};
    clock_gettime(CLOCK_MONOTONIC, &progress.start);
    args.convert.progress = show_progress;
    args.convert.progress_context = &progress;
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    status = k2e_convert(&args.convert, paths, count, &result);
    end_progress(&progress);
    print_root_note(&args, paths, count, &result.diags);
    print_diagnostics(&args, &result.diags);
    print_summary(&args, &result, status);
    k2e_convert_result_release(&result);
    free(paths);
    free(args.excludes);
    free(args.codes);
    return status;
}
