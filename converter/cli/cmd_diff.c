/* kube2ecs diff: options (the shared GNU-style parser, options.h), then
 * k2e_diff, then the differences on stdout and the diagnostics and a
 * summary on stderr. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "kube2ecs/diff.h"
#include "options.h"

typedef struct {
    k2e_diff_options diff;
    const char **excludes;
    size_t exclude_count;
    bool json;
    bool verbose;
} diff_args;

enum { OPT_MAPPING, OPT_AGAINST, OPT_NAMESPACE, OPT_FORMAT, OPT_EXCLUDE, OPT_CONSOLIDATE,
       OPT_LAYOUT, OPT_SCHEDULES_DISABLED, OPT_VERBOSE, OPT_HELP };

static const k2e_option options[] = {
    {OPT_MAPPING, 'm', "mapping", "FILE", "mapping table (YAML) merged over the embedded default"},
    {OPT_AGAINST, 0, "against", "DIR",
     "the ECS files to compare with, laid out as convert\n"
     "                         writes them (required)"},
    {OPT_NAMESPACE, 'n', "namespace", "NS",
     "namespace of objects that name none (default: default)"},
    {OPT_FORMAT, 'f', "format", "NAME",
     "text (default) or json for the differences; ecspresso,\n"
     "                         ecs-deploy also compare those tools' files\n"
     "                         (repeatable)"},
    {OPT_EXCLUDE, 0, "exclude", "GLOB",
     "leave matching paths out of directory walks (as convert)"},
    {OPT_CONSOLIDATE, 0, "consolidate", NULL,
     "compare with a tree converted with --consolidate"},
    {OPT_LAYOUT, 0, "layout", "NAME",
     "with --consolidate, the tree also holds that layout: ytt"},
    {OPT_SCHEDULES_DISABLED, 0, "schedules-disabled", NULL,
     "compare with a tree converted with --schedules-disabled"},
    {OPT_VERBOSE, 'v', "verbose", NULL, "also print the conversion's warnings"},
    {OPT_HELP, 'h', "help", NULL, "show this help"},
};

enum { OPTION_COUNT = sizeof options / sizeof options[0] };

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
    k2e_opt_print_help(out, options, OPTION_COUNT);
    fputs("\n"
          "output (stdout): per file a unified diff of the normalised documents, each\n"
          "hunk headed by the JSON paths of its changes\n"
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
    else {
        fprintf(stderr, "kube2ecs diff: unknown format '%s' (text, json, ecspresso, "
                        "ecs-deploy)\n", value);
        return false;
    }
    return true;
}

/* Returns false on a usage error (already printed). */
static bool apply_option(diff_args *args, int id, const char *value)
{
    switch (id) {
    case OPT_FORMAT: return apply_format(args, value);
    case OPT_MAPPING: args->diff.convert.mapping_path = value; break;
    case OPT_AGAINST: args->diff.against = value; break;
    case OPT_NAMESPACE: args->diff.convert.default_namespace = value; break;
    case OPT_EXCLUDE: args->excludes[args->exclude_count++] = value; break;
    case OPT_CONSOLIDATE: args->diff.convert.consolidate = true; break;
    case OPT_LAYOUT:
        if (strcmp(value, "ytt") != 0) {
            fprintf(stderr, "kube2ecs diff: unknown layout '%s' (ytt)\n", value);
            return false;
        }
        args->diff.convert.layouts = K2E_LAYOUT_YTT;
        break;
    case OPT_SCHEDULES_DISABLED: args->diff.convert.schedules_disabled = true; break;
    case OPT_VERBOSE: args->verbose = true; break;
    default: break;
    }
    return true;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, diff_args *args, const char ***paths,
                      size_t *count)
{
    *paths = calloc((size_t)argc, sizeof **paths);
    args->excludes = calloc((size_t)argc, sizeof *args->excludes);
    if (!*paths || !args->excludes)
        return K2E_EXIT_INTERNAL;
    k2e_opt_parser parser;
    k2e_opt_init(&parser, options, OPTION_COUNT, "kube2ecs diff", argc, argv);
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
            k2e_help_diff(stdout);
            return K2E_EXIT_OK;
        }
        if (!apply_option(args, id, value))
            return K2E_EXIT_INPUT;
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
    args->diff.convert.excludes = args->excludes;
    args->diff.convert.exclude_count = args->exclude_count;
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
        free(args.excludes);
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
    free(args.excludes);
    return status;
}
