/* The subcommands of the kube2ecs executable.  Each takes argv with argv[0]
 * the command name and returns the process exit status. */
#ifndef K2E_CLI_H
#define K2E_CLI_H

#include <stdio.h>

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    void (*help)(FILE *out);
    const char *summary;
} k2e_command;

int k2e_cmd_convert(int argc, char **argv);
void k2e_help_convert(FILE *out);
int k2e_cmd_diff(int argc, char **argv);
void k2e_help_diff(FILE *out);
int k2e_cmd_mapping(int argc, char **argv);
void k2e_help_mapping(FILE *out);

#endif
