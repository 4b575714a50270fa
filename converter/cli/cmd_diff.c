/* kube2ecs diff: options, then k2e_diff, then the differences on stdout and
 * the diagnostics and a summary on stderr.  The option table has the shape
 * of cmd_convert.c's, so that the two parsers can become one. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kube2ecs/diff.h"

typedef struct {
    k2e_diff_options diff;
    bool json;
    bool verbose;
} diff_args;

typedef enum { OPT_MAPPING, OPT_AGAINST, OPT_NAMESPACE, OPT_FORMAT, OPT_VERBOSE,
               OPT_HELP } option_id;

typedef struct {
    option_id id;
    const char *short_name;
    const char *long_name;
    const char *argument;   /* NULL for flags */
    const char *help;
} option;

static const option options[] = {
    {OPT_MAPPING, "-m", "--mapping", "FILE",
     "mapping table (YAML) merged over the embedded default"},
    {OPT_AGAINST, NULL, "--against", "DIR",
     "the ECS files to compare with, laid out as convert\n"
     "                         writes them (required)"},
    {OPT_NAMESPACE, "-n", "--namespace", "NS",
     "namespace of objects that name none (default: default)"},
    {OPT_FORMAT, "-f", "--format", "NAME",
     "text (default) or json for the differences; ecspresso,\n"
     "                         ecs-deploy also compare those tools' files\n"
     "                         (repeatable)"},
    {OPT_VERBOSE, "-v", "--verbose", NULL, "also print the conversion's warnings"},
    {OPT_HELP, "-h", "--help", NULL, "show this help"},
};

void k2e_help_diff(FILE *out)
{
    fputs("usage: kube2ecs diff [-m MAPPING] --against DIR [--format text|json]\n"
          "                     [-f ecspresso] [-f ecs-deploy] PATH...\n"
          "\n"
          "Converts PATH in memory (nothing is written) and compares the result with the\n"
          "ECS files in DIR, file by file, by meaning rather than text.  A file in DIR may\n"
          "be convert's own output, `aws ecs describe-task-definition --include TAGS`\n"
          "output ({\"taskDefinition\": ...}), `aws ecs describe-services --include TAGS`\n"
          "output, ecspresso's or ecs-deploy's files, or ecschedule YAML (also what\n"
          "`ecschedule dump` prints).  Both sides are normalised as `ecspresso diff` does:\n"
          "sets sorted by name (containers, environment, secrets, ports, tags), hostPort\n"
          "filled under awsvpc, \"0.25 vCPU\" and \"1 GB\" as ECS stores them, read-only\n"
          "describe fields, nulls, empty lists and values that mean the default dropped;\n"
          "ecschedule rules matched by name with its defaults.\n"
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
          "output (stdout): per file a unified diff of the normalised documents, each\n"
          "hunk headed by the JSON path of its first change\n"
          "  @@ -12,7 +12,7 @@ task-definitions/api.json: containerDefinitions[name=api].image\n"
          "then `missing: FILE` (converted, not in DIR) and `extra: FILE` (in DIR where\n"
          "convert writes, not converted).  --format json prints [{file, path, expected,\n"
          "actual}] instead.  Colours on a terminal unless NO_COLOR is set.  Secrets\n"
          "appear as their valueFrom ARNs, never as values.\n"
          "\n"
          "exit status: 0 equal; 1 differences; 2 input or usage error (the conversion\n"
          "failed, or a file in DIR cannot be read); 3 internal error.\n",
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

static bool apply_format(diff_args *args, const char *value)
{
    if (strcmp(value, "json") == 0)
        args->json = true;
    else if (strcmp(value, "text") == 0)
        args->json = false;
    else if (strcmp(value, "ecspresso") == 0)
        args->diff.convert.formats |= K2E_FORMAT_ECSPRESSO;
    else if (strcmp(value, "ecs-deploy") == 0)
        args->diff.convert.formats |= K2E_FORMAT_ECS_DEPLOY;
    else
        return false;
    return true;
}

static void apply_flag(diff_args *args, option_id id, const char *value)
{
    switch (id) {
    case OPT_MAPPING: args->diff.convert.mapping_path = value; break;
    case OPT_AGAINST: args->diff.against = value; break;
    case OPT_NAMESPACE: args->diff.convert.default_namespace = value; break;
    case OPT_VERBOSE: args->verbose = true; break;
    case OPT_FORMAT: /* validated in parse_args */
    case OPT_HELP: break;
    }
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, diff_args *args, const char ***paths,
                      size_t *count)
{
    *paths = calloc((size_t)argc, sizeof **paths);
    if (!*paths)
        return K2E_EXIT_INTERNAL;
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
            fprintf(stderr, "kube2ecs diff: unknown option '%s' (see kube2ecs help diff)\n",
                    arg);
            return K2E_EXIT_INPUT;
        }
        if (o->id == OPT_HELP) {
            k2e_help_diff(stdout);
            return K2E_EXIT_OK;
        }
        if (o->argument && i + 1 >= argc) {
            fprintf(stderr, "kube2ecs diff: %s needs %s\n", arg, o->argument);
            return K2E_EXIT_INPUT;
        }
        const char *value = o->argument ? argv[++i] : NULL;
        if (o->id == OPT_FORMAT && !apply_format(args, value)) {
            fprintf(stderr, "kube2ecs diff: unknown format '%s' (text, json, ecspresso, "
                            "ecs-deploy)\n", value);
            return K2E_EXIT_INPUT;
        }
        apply_flag(args, o->id, value);
    }
    if (!args->diff.against) {
        fputs("kube2ecs diff: --against DIR is required\n\n", stderr);
        k2e_help_diff(stderr);
        return K2E_EXIT_INPUT;
    }
    if (*count == 0) {
        fputs("kube2ecs diff: no PATH given (use - for standard input)\n\n", stderr);
        k2e_help_diff(stderr);
        return K2E_EXIT_INPUT;
    }
    return -1;
}

static bool no_colour_env(void)
{
    const char *no_colour = getenv("NO_COLOR");
    return no_colour && no_colour[0];
}

static void print_diagnostics(const diff_args *args, const k2e_diags *diags)
{
    bool colour = isatty(STDERR_FILENO) && !no_colour_env();
    for (size_t i = 0; i < diags->count; i++) {
        const k2e_diag *d = &diags->items[i];
        if (d->severity == K2E_SEV_ERROR || (d->severity == K2E_SEV_WARNING && args->verbose))
            k2e_diag_print(stderr, d, colour);
    }
}

static void print_summary(const k2e_diff_result *r, int status)
{
    size_t changed = 0, missing = 0, extra = 0;
    for (size_t i = 0; i < r->count; i++) {
        changed += r->files[i].state == K2E_DIFF_CHANGED;
        missing += r->files[i].state == K2E_DIFF_MISSING;
        extra += r->files[i].state == K2E_DIFF_EXTRA;
    }
    if (status == K2E_EXIT_OK || status == K2E_EXIT_DIFFERENCES)
        fprintf(stderr, "kube2ecs diff: %zu file%s compared, %zu different, %zu missing, "
                        "%zu extra\n", r->compared, r->compared == 1 ? "" : "s", changed,
                missing, extra);
    else
        fprintf(stderr, "kube2ecs diff: not compared: %zu error%s (above)\n",
                k2e_diags_count(&r->convert.diags, K2E_SEV_ERROR),
                k2e_diags_count(&r->convert.diags, K2E_SEV_ERROR) == 1 ? "" : "s");
}

int k2e_cmd_diff(int argc, char **argv)
{
    diff_args args = {.diff = {.convert = {.zoneinfo_dir = getenv("TZDIR")}}};
    const char **paths = NULL;
    size_t count = 0;
    int status = parse_args(argc, argv, &args, &paths, &count);
    if (status >= 0) {
        free(paths);
        return status;
    }
    k2e_diff_result result;
    k2e_diff_result_init(&result);
    status = k2e_diff(&args.diff, paths, count, &result);
    print_diagnostics(&args, &result.convert.diags);
    if (status == K2E_EXIT_OK || status == K2E_EXIT_DIFFERENCES) {
        if (args.json)
            k2e_diff_print_json(stdout, &result);
        else
            k2e_diff_print_text(stdout, &result, args.diff.against,
                                isatty(STDOUT_FILENO) && !no_colour_env());
    }
    print_summary(&result, status);
    k2e_diff_result_release(&result);
    free(paths);
    return status;
}
