/* kube2ecs: argument dispatch only.  Each subcommand lives in its own
 * cmd_<name>.c (git's builtin/ layout) and returns the exit status. */
#include <errno.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <string.h>

#include "cli.h"
#include "kube2ecs/convert.h"

static const k2e_command commands[] = {
    {"convert", k2e_cmd_convert, k2e_help_convert,
     "convert Kubernetes manifests into ECS files"},
    {"diff", k2e_cmd_diff, k2e_help_diff,
     "compare the conversion with a directory of ECS files (CI drift check)"},
    {"mapping", k2e_cmd_mapping, k2e_help_mapping,
     "print the embedded default mapping table"},
    {"plan-batch", k2e_cmd_plan_batch, k2e_help_plan_batch,
     "plan which CronJobs and Jobs can share one task definition"},
};

static const size_t command_count = sizeof commands / sizeof commands[0];

static const struct {
    int status;
    const char *meaning;
} exit_statuses[] = {
    {K2E_EXIT_OK, "success"},
    {K2E_EXIT_DIFFERENCES, "differences found (diff), or findings that fail --strict"},
    {K2E_EXIT_INPUT, "input or usage error (OUTDIR is left as it was, unless --keep-going)"},
    {K2E_EXIT_INTERNAL, "internal error, or the output could not be written (no space, "
                        "read-only, permission, name too long)"},
};

void k2e_print_exit_statuses(FILE *out)
{
    for (size_t i = 0; i < sizeof exit_statuses / sizeof exit_statuses[0]; i++)
        fprintf(out, "  %d  %s\n", exit_statuses[i].status, exit_statuses[i].meaning);
}

static const k2e_command *find_command(const char *name)
{
    for (size_t i = 0; i < command_count; i++) {
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    }
    return NULL;
}

static void usage(FILE *out)
{
    fputs("usage: kube2ecs <command> [options] [PATH...]\n"
          "\n"
          "Converts Kubernetes manifests (Deployments, StatefulSets, Jobs, CronJobs, Pods\n"
          "and the ConfigMaps, Secrets, ServiceAccounts, Services and autoscalers they\n"
          "use) into Amazon ECS on Fargate: task definitions, services, autoscaling,\n"
          "run-task inputs and ecschedule rules, with every field either converted or\n"
          "reported with file:line and a hint.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("  help CMD   show the options of a command\n"
          "  --version  print the version\n"
          "\n"
          "examples:\n"
          "  kube2ecs convert k8s/ -o ecs-out            # a whole tree, default mapping\n"
          "  kube2ecs convert -m mapping.yaml k8s/       # with your account, roles, network\n"
          "  kubectl kustomize overlays/prod | kube2ecs convert -m prod.yaml -o ecs-prod -\n"
          "  helm template web charts/web | kube2ecs convert -o ecs-web -\n"
          "  kube2ecs diff -m prod.yaml --against ecs/ k8s/  # CI: exit 1 when they drift\n"
          "  kube2ecs mapping --defaults > mapping.yaml  # start your own mapping table\n"
          "  kube2ecs plan-batch k8s/                    # which jobs can share a task definition\n"
          "\n"
          "environment:\n"
          "  NO_COLOR   set to any value to disable colours on a terminal\n"
          "\n"
          "Every diagnostic code (K2E-W010...) and every field mapping is documented in\n"
          "MAPPING.md; kube2ecs(1) is the manual.\n"
          "\n",
          out);
    k2e_help_convert(out);
}

static int dispatch(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return K2E_EXIT_INPUT;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        usage(stdout);
        return K2E_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0 || strcmp(first, "version") == 0) {
        printf("kube2ecs %s\n", K2E_VERSION);
        return K2E_EXIT_OK;
    }
    if (strcmp(first, "help") == 0) {
        const k2e_command *cmd = argc > 2 ? find_command(argv[2]) : NULL;
        if (argc > 2 && !cmd) {
            fprintf(stderr, "kube2ecs: unknown command '%s'\n", argv[2]);
            return K2E_EXIT_INPUT;
        }
        if (cmd)
            cmd->help(stdout);
        else
            usage(stdout);
        return K2E_EXIT_OK;
    }
    const k2e_command *cmd = find_command(first);
    if (!cmd) {
        fprintf(stderr, "kube2ecs: unknown command '%s' (try kube2ecs --help)\n", first);
        return K2E_EXIT_INPUT;
    }
    return cmd->run(argc - 1, argv + 1);
}

/* Standard output is buffered: a full disk, a closed pipe's EPIPE (with
 * SIGPIPE ignored) or /dev/full shows only when the buffer is flushed, often
 * at exit, after the command has chosen its status.  So, as coreutils'
 * close_stdout does, every run ends by closing stdout and checking: any
 * write error turns the status into K2E_EXIT_INTERNAL with a message, so
 * `kube2ecs mapping --defaults > mapping.yaml` on a full disk never exits 0
 * with half a file.  A stdout closed by the caller (>&-) with nothing
 * written to it is not an error (EBADF with nothing pending), as there. */
static int close_stdout(int status)
{
    bool pending = __fpending(stdout) != 0;
    bool failed_before = ferror(stdout) != 0;
    errno = 0;
    bool close_failed = fclose(stdout) != 0;
    int close_errno = errno;
    if (!failed_before && !(close_failed && (pending || close_errno != EBADF)))
        return status;
    if (close_failed && close_errno != 0)
        fprintf(stderr, "kube2ecs: write error on standard output: %s\n", strerror(close_errno));
    else
        fputs("kube2ecs: write error on standard output\n", stderr);
    return K2E_EXIT_INTERNAL;
}

int main(int argc, char **argv)
{
    return close_stdout(dispatch(argc, argv));
}
