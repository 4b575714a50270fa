/* The subcommands of the kube2ecs executable.  Each takes argv with argv[0]
 * the command name and returns the process exit status. */
#ifndef K2E_CLI_H
#define K2E_CLI_H

#include <stdbool.h>
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
int k2e_cmd_plan_batch(int argc, char **argv);
void k2e_help_plan_batch(FILE *out);

/* The exit statuses, one line each, as --help and `help convert` print them
 * (the man page and the README list the same; tests/e2e/docs_agree.sh). */
void k2e_print_exit_statuses(FILE *out);

/* Progress on a terminal: shown only when stderr is a terminal, -q was not
 * given, and the run has lasted a second; then at most every 100 ms. */
bool k2e_progress_due(bool terminal, bool quiet, long elapsed_ms, long since_shown_ms,
                      bool shown_before);

#endif
