/* kube2ecs: argument dispatch only.  Each subcommand lives in its own
 * cmd_<name>.c (git's builtin/ layout) and returns the exit status. */
#include <stdio.h>
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
};

static const size_t command_count = sizeof commands / sizeof commands[0];

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
          "and the ConfigMaps, Secrets and ServiceAccounts they use) into Amazon ECS on\n"
          "Fargate: task definitions for `aws ecs register-task-definition`, with every\n"
          "field either converted or reported with file:line and a hint.\n"
          "\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < command_count; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fputs("  help CMD   show the options of a command\n"
          "\n"
          "examples:\n"
          "  kube2ecs convert k8s/ -o ecs-out            # a whole tree, default mapping\n"
          "  kube2ecs convert -m mapping.yaml k8s/       # with your account, roles, network\n"
          "  kustomize build overlays/prod | kube2ecs convert -m prod.yaml -o ecs-prod -\n"
          "  kube2ecs diff -m prod.yaml --against ecs/ k8s/  # CI: exit 1 when they drift\n"
          "  kube2ecs mapping --defaults > mapping.yaml  # start your own mapping table\n"
          "\n"
          "exit status:\n"
          "  0  success\n"
          "  1  differences found (diff), or warnings under --strict\n"
          "  2  input or usage error (nothing is written unless --keep-going)\n"
          "  3  internal error, or the output could not be written (file system)\n"
          "\n"
          "environment:\n"
          "  NO_COLOR   set to any value to disable colours on a terminal\n"
          "\n"
          "Every diagnostic code (K2E-W010...) and every field mapping is documented in\n"
          "MAPPING.md and in kube2ecs(1).\n",
          out);
}

int main(int argc, char **argv)
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
