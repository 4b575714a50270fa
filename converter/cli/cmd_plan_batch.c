/* kube2ecs plan-batch: which CronJobs and Jobs can share a task definition
 * (converter/schedules/batch.h), printed for people or as JSON.  It runs
 * the conversion without writing anything; its diagnostics are summarised
 * on stderr (-v prints them), since the plan already lists every job that
 * did not convert. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kube2ecs/convert.h"
#include "options.h"

typedef struct {
    k2e_convert_options convert;
    bool json;
    bool verbose;
} plan_args;

enum { OPT_MAPPING, OPT_NAMESPACE, OPT_JSON, OPT_VERBOSE, OPT_HELP };

static const k2e_option options[] = {
    {OPT_MAPPING, 'm', "mapping", "FILE",
     "mapping table (batch.families names the families)"},
    {OPT_NAMESPACE, 'n', "namespace", "NS",
     "namespace of objects that name none (default: default)"},
    {OPT_JSON, 0, "json", NULL, "the plan as JSON (groups, apart, counts)"},
    {OPT_VERBOSE, 'v', "verbose", NULL, "also print the conversion's diagnostics"},
    {OPT_HELP, 'h', "help", NULL, "show this help"},
};

enum { OPTION_COUNT = sizeof options / sizeof options[0] };

void k2e_help_plan_batch(FILE *out)
{
    fputs("usage: kube2ecs plan-batch [-m MAPPING.yaml] [--json] [-v] PATH...\n"
          "\n"
          "Groups every CronJob and Job by what a shared task definition must hold\n"
          "identically (image and tag after the mapping's rewrites, entryPoint, secrets,\n"
          "valueFrom env, volumes and mounts, platform, task role, logging, health check,\n"
          "security settings, sidecars).  What may differ per job becomes overrides:\n"
          "command (the Kubernetes args), literal environment, task and container\n"
          "cpu/memory.  Prints per group its jobs, image, task size and each job's\n"
          "overrides; the jobs that cannot join and why; near misses a manifest change\n"
          "would fix; and before/after counts of task definitions, image references,\n"
          "log groups and rules.  Nothing is written: `kube2ecs convert --consolidate`\n"
          "carries the plan out.\n"
          "\n"
          "options:\n",
          out);
    k2e_opt_print_help(out, options, OPTION_COUNT);
    fputs("\n"
          "exit status: 0 a plan was printed (objects that failed to convert are listed\n"
          "in it); 2 usage error or invalid mapping table; 3 internal error.\n",
          out);
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, plan_args *args, const char **paths, size_t *count)
{
    k2e_opt_parser parser;
    k2e_opt_init(&parser, options, OPTION_COUNT, "kube2ecs plan-batch", argc, argv);
    int id;
    const char *value;
    for (;;) {
        k2e_opt_result r = k2e_opt_next(&parser, &id, &value);
        if (r == K2E_OPT_DONE)
            break;
        if (r == K2E_OPT_ERROR)
            return K2E_EXIT_INPUT;
        if (r == K2E_OPT_OPERAND) {
            paths[(*count)++] = value;
            continue;
        }
        switch (id) {
        case OPT_HELP: k2e_help_plan_batch(stdout); return K2E_EXIT_OK;
        case OPT_MAPPING: args->convert.mapping_path = value; break;
        case OPT_NAMESPACE: args->convert.default_namespace = value; break;
        case OPT_JSON: args->json = true; break;
        default: args->verbose = true; break;
        }
    }
    if (*count == 0) {
        fputs("kube2ecs plan-batch: no PATH given (use - for standard input)\n\n", stderr);
        k2e_help_plan_batch(stderr);
        return K2E_EXIT_INPUT;
    }
    return -1;
}

static void print_diagnostics(const plan_args *args, const k2e_diags *diags)
{
    for (size_t i = 0; i < diags->count; i++) {
        const k2e_diag *d = &diags->items[i];
        /* Without -v: what stops the plan from seeing its input. */
        if (args->verbose || d->code == K2E_E_MAPPING || d->code == K2E_E_READ ||
            d->code == K2E_E_INTERNAL)
            k2e_diag_print(stderr, d, false);
    }
    fprintf(stderr, "kube2ecs: %zu error%s, %zu warning%s while converting (kube2ecs convert "
                    "shows them%s)\n",
            k2e_diags_count(diags, K2E_SEV_ERROR),
            k2e_diags_count(diags, K2E_SEV_ERROR) == 1 ? "" : "s",
            k2e_diags_count(diags, K2E_SEV_WARNING),
            k2e_diags_count(diags, K2E_SEV_WARNING) == 1 ? "" : "s",
            args->verbose ? ", as above" : "; -v prints them here");
}

int k2e_cmd_plan_batch(int argc, char **argv)
{
    plan_args args = {.convert = {.plan_batch = true, .zoneinfo_dir = getenv("TZDIR")}};
    const char **paths = calloc((size_t)argc, sizeof *paths);
    size_t count = 0;
    if (!paths)
        return K2E_EXIT_INTERNAL;
    int status = parse_args(argc, argv, &args, paths, &count);
    if (status >= 0) {
        free(paths);
        return status;
    }
    k2e_convert_result result;
    k2e_convert_result_init(&result);
    status = k2e_convert(&args.convert, paths, count, &result);
    print_diagnostics(&args, &result.diags);
    const k2e_output *plan = k2e_outputs_get(&result.outputs, args.json ? "batch-plan.json"
                                                                        : "batch-plan.txt");
    if (status == K2E_EXIT_OK && plan)
        fwrite(plan->content, 1, plan->length, stdout);
    else if (status == K2E_EXIT_OK)
        status = K2E_EXIT_INTERNAL;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("kube2ecs plan-batch: cannot write to standard output\n", stderr);
        status = K2E_EXIT_INTERNAL;
    }
    k2e_convert_result_release(&result);
    free(paths);
    return status;
}
