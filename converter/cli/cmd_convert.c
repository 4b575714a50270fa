/* kube2ecs convert: options, then the pipeline, then diagnostics and the
 * summary on stderr.  Options are a table so that --help and the parser
 * can never disagree. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kube2ecs/convert.h"

typedef struct {
    k2e_convert_options convert;
    bool verbose;
    bool quiet;
    const char **codes;  /* --allow then --deny values, argc slots each */
} convert_args;

typedef enum { OPT_MAPPING, OPT_OUTPUT, OPT_NAMESPACE, OPT_FORMAT, OPT_STRICT, OPT_BASELINE,
               OPT_ALLOW, OPT_DENY, OPT_KEEP_GOING, OPT_VERBOSE, OPT_QUIET, OPT_HELP } option_id;

typedef struct {
    option_id id;
    const char *short_name;
    const char *long_name;
    const char *argument;   /* NULL for flags */
    const char *help;
} option;

static const option options[] = {
    {OPT_MAPPING, "-m", "--mapping", "FILE",
     "mapping table (YAML) merged over the embedded default; see\n"
     "                         `kube2ecs mapping --defaults` and MAPPING.md"},
    {OPT_OUTPUT, "-o", "--output", "DIR", "output directory (default: ecs-out)"},
    {OPT_NAMESPACE, "-n", "--namespace", "NS",
     "namespace of objects that name none (default: default)"},
    {OPT_FORMAT, "-f", "--format", "NAME",
     "also write files for a deployment tool: ecspresso, ecs-deploy\n"
     "                         (repeatable)"},
    {OPT_STRICT, NULL, "--strict", NULL,
     "exit 1 when there are warnings (and objects of unknown\n"
     "                         kinds)"},
    {OPT_BASELINE, NULL, "--baseline", "FILE",
     "with --strict (implied): only findings FILE does not\n"
     "                         list fail: a report.json of an accepted run, or\n"
     "                         lines `CODE FILE [PATH]`"},
    {OPT_ALLOW, NULL, "--allow", "CODE",
     "with --strict (implied): CODE never fails the run\n"
     "                         (repeatable; also strict.allow in the mapping)"},
    {OPT_DENY, NULL, "--deny", "CODE",
     "with --strict (implied): CODE fails the run whatever\n"
     "                         its severity (repeatable; also strict.deny)"},
    {OPT_KEEP_GOING, NULL, "--keep-going", NULL,
     "write what converted even when errors occur (still exit 2)"},
    {OPT_VERBOSE, "-v", "--verbose", NULL, "also print info diagnostics"},
    {OPT_QUIET, "-q", "--quiet", NULL, "print only errors and the summary"},
    {OPT_HELP, "-h", "--help", NULL, "show this help"},
};

void k2e_help_convert(FILE *out)
{
    fputs("usage: kube2ecs convert [-m MAPPING.yaml] [-o OUTDIR] [--strict] [--keep-going]\n"
          "                        PATH...\n"
          "\n"
          "PATH is a manifest file (YAML, multi-document, or JSON), a directory (searched\n"
          "recursively for *.yaml, *.yml and *.json; hidden entries skipped; byte-wise\n"
          "order), or - for standard input (e.g. the output of kustomize build or helm\n"
          "template).\n"
          "\n"
          "options:\n",
          out);
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const option *o = &options[i];
        char left[40];
        snprintf(left, sizeof left, "%s%s%s%s%s", o->short_name ? o->short_name : "",
                 o->short_name ? ", " : "    ", o->long_name, o->argument ? " " : "",
                 o->argument ? o->argument : "");
        fprintf(out, "  %-22s %s\n", left, o->help);
    }
    fputs("\n"
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
          "  ecspresso/<family>/             with -f ecspresso: ecspresso.yml,\n"
          "                                  ecs-task-def.json, ecs-service-def.json\n"
          "  ecs-deploy/<family>.json        with -f ecs-deploy: {\"taskDefinition\": ...}\n"
          "                                  for ecs-deploy --task-definition-file\n"
          "  report.json                     every diagnostic and a summary, for CI\n"
          "\n"
          "OUTDIR is replaced as a whole, atomically, and only when the run succeeds; a\n"
          "non-empty directory without kube2ecs' marker (.kube2ecs-output) is never\n"
          "touched.  Missing parents are created.\n"
          "\n"
          "Diagnostics go to stderr as `file:line:col: severity: message: path [CODE]`\n"
          "with a hint; codes are listed in MAPPING.md.  Colours on a terminal unless\n"
          "NO_COLOR is set.\n"
          "\n"
          "--strict counts every warning and every object of an unknown kind (whatever\n"
          "severity that finding has), less the codes --allow (or strict.allow in the\n"
          "mapping table) names, plus the codes --deny (strict.deny) names; with\n"
          "--baseline only counted findings the baseline does not list fail the run:\n"
          "they are listed after the summary as `CODE FILE PATH` lines, the baseline's\n"
          "own format.  report.json records the kube2ecs version, the mapping file and\n"
          "its SHA-256, and the input files.\n"
          "\n"
          "exit status: 0 ok; 1 warnings with --strict; 2 input or usage error (an\n"
          "OUTDIR that may not be replaced included); 3 internal error, or the output\n"
          "could not be written (no space, read-only, permission, name too long).\n",
          out);
}

static const option *find_option(const char *arg)
{
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++) {
        const option *o = &options[i];
        if ((o->short_name && strcmp(arg, o->short_name) == 0) || strcmp(arg, o->long_name) == 0)
            return &options[i];
    }
    return NULL;
}

static bool apply_format(convert_args *args, const char *value)
{
    if (strcmp(value, "ecspresso") == 0)
        args->convert.formats |= K2E_FORMAT_ECSPRESSO;
    else if (strcmp(value, "ecs-deploy") == 0)
        args->convert.formats |= K2E_FORMAT_ECS_DEPLOY;
    else
        return false;
    return true;
}

static void apply_flag(convert_args *args, option_id id, const char *value)
{
    switch (id) {
    case OPT_FORMAT: break; /* validated in parse_args */
    case OPT_MAPPING: args->convert.mapping_path = value; break;
    case OPT_OUTPUT: args->convert.outdir = value; break;
    case OPT_NAMESPACE: args->convert.default_namespace = value; break;
    case OPT_STRICT: args->convert.strict = true; break;
    case OPT_BASELINE:
        args->convert.baseline_path = value;
        args->convert.strict = true;
        break;
    case OPT_ALLOW:
        ((const char **)args->convert.allow)[args->convert.allow_count++] = value;
        args->convert.strict = true;
        break;
    case OPT_DENY:
        ((const char **)args->convert.deny)[args->convert.deny_count++] = value;
        args->convert.strict = true;
        break;
    case OPT_KEEP_GOING: args->convert.keep_going = true; break;
    case OPT_VERBOSE: args->verbose = true; break;
    case OPT_QUIET: args->quiet = true; break;
    case OPT_HELP: break;
    }
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

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, convert_args *args, const char ***paths,
                      size_t *count)
{
    *paths = calloc((size_t)argc, sizeof **paths);
    args->codes = calloc(2 * (size_t)argc, sizeof *args->codes);
    if (!*paths || !args->codes)
        return K2E_EXIT_INTERNAL;
    args->convert.allow = args->codes;
    args->convert.deny = args->codes + argc;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            (*paths)[(*count)++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
            continue;
        }
        const option *o = find_option(arg);
        if (!o) {
            fprintf(stderr, "kube2ecs convert: unknown option '%s' (see kube2ecs help convert)\n",
                    arg);
            return K2E_EXIT_INPUT;
        }
        if (o->id == OPT_HELP) {
            k2e_help_convert(stdout);
            return K2E_EXIT_OK;
        }
        if (o->argument && i + 1 >= argc) {
            fprintf(stderr, "kube2ecs convert: %s needs %s\n", arg, o->argument);
            return K2E_EXIT_INPUT;
        }
        const char *value = o->argument ? argv[++i] : NULL;
        if (o->id == OPT_NAMESPACE && !valid_namespace(value)) {
            fprintf(stderr, "kube2ecs convert: -n: not a Kubernetes namespace name (a lowercase "
                            "RFC 1123 label: a-z, 0-9 and '-', at most 63)\n");
            return K2E_EXIT_INPUT;
        }
        if (o->id == OPT_FORMAT && !apply_format(args, value)) {
            fprintf(stderr, "kube2ecs convert: unknown format '%s' (ecspresso, ecs-deploy)\n",
                    value);
            return K2E_EXIT_INPUT;
        }
        apply_flag(args, o->id, value);
    }
    if (*count == 0) {
        fputs("kube2ecs convert: no PATH given (use - for standard input)\n\n", stderr);
        k2e_help_convert(stderr);
        return K2E_EXIT_INPUT;
    }
    return -1;
}

static bool use_colour(void)
{
    const char *no_colour = getenv("NO_COLOR");
    return isatty(STDERR_FILENO) && !(no_colour && no_colour[0]);
}

static void print_diagnostics(const convert_args *args, const k2e_diags *diags)
{
    bool colour = use_colour();
    for (size_t i = 0; i < diags->count; i++) {
        const k2e_diag *d = &diags->items[i];
        if (d->severity == K2E_SEV_INFO && !args->verbose)
            continue;
        if (d->severity == K2E_SEV_WARNING && args->quiet)
            continue;
        k2e_diag_print(stderr, d, colour);
    }
}

static void print_summary(const convert_args *args, const k2e_convert_result *r, int status)
{
    size_t infos = k2e_diags_count(&r->diags, K2E_SEV_INFO);
    fprintf(stderr,
            "kube2ecs: %zu file%s, %zu object%s read, %zu converted; %zu error%s, "
            "%zu warning%s, %zu info%s%s\n",
            r->files_read, r->files_read == 1 ? "" : "s", r->objects_read,
            r->objects_read == 1 ? "" : "s", r->objects_converted,
            k2e_diags_count(&r->diags, K2E_SEV_ERROR),
            k2e_diags_count(&r->diags, K2E_SEV_ERROR) == 1 ? "" : "s",
            k2e_diags_count(&r->diags, K2E_SEV_WARNING),
            k2e_diags_count(&r->diags, K2E_SEV_WARNING) == 1 ? "" : "s", infos,
            infos == 1 ? "" : "s", infos && !args->verbose ? " (-v shows them)" : "");
    if (args->convert.strict && r->failing && r->failures) {
        fprintf(stderr, "kube2ecs: --strict: %zu finding%s fail%s the run%s:\n", r->failures,
                r->failures == 1 ? "" : "s", r->failures == 1 ? "s" : "",
                args->convert.baseline_path ? " (not in the baseline)" : "");
        for (size_t i = 0; i < r->diags.count; i++) {
            const k2e_diag *d = &r->diags.items[i];
            if (r->failing[i])
                fprintf(stderr, "%s %s %s\n", k2e_diag_code_string(d->code),
                        d->file[0] ? d->file : "-", d->path);
        }
    }
    if (r->written)
        fprintf(stderr, "kube2ecs: wrote %zu files to %s/ (details in %s/report.json)\n",
                r->outputs.count, args->convert.outdir, args->convert.outdir);
    else if (status == K2E_EXIT_INPUT)
        fprintf(stderr, "kube2ecs: nothing written to %s/ because of errors "
                        "(--keep-going writes what converted)\n", args->convert.outdir);
}

int k2e_cmd_convert(int argc, char **argv)
{
    convert_args args = {.convert = {.outdir = "ecs-out", .zoneinfo_dir = getenv("TZDIR")}};
    const char **paths = NULL;
    size_t count = 0;
    int status = parse_args(argc, argv, &args, &paths, &count);
    if (status >= 0) {
        free(paths);
        free(args.codes);
        return status;
    }
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    status = k2e_convert(&args.convert, paths, count, &result);
    print_diagnostics(&args, &result.diags);
    print_summary(&args, &result, status);
    k2e_convert_result_release(&result);
    free(paths);
    free(args.codes);
    return status;
}
