/* Command-line options as a table, parsed the way GNU getopt_long does:
 * "-o DIR", "-oDIR", "--output DIR", "--output=DIR", a unique prefix of a
 * long name ("--out=DIR"), bundled flags ("-vq"), "--" ends the options,
 * and options may follow operands.  The table also prints the help, so the
 * parser and --help cannot disagree.
 */
#ifndef K2E_CLI_OPTIONS_H
#define K2E_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    int id;
    char short_name;          /* 0: none */
    const char *long_name;    /* without "--" */
    const char *argument;     /* NULL for flags */
    const char *help;         /* may contain '\n' + indentation */
} k2e_option;

typedef enum {
    K2E_OPT_OPTION,           /* *id and *value are set */
    K2E_OPT_OPERAND,          /* *value is an operand */
    K2E_OPT_DONE,
    K2E_OPT_ERROR,            /* a message was printed to stderr */
} k2e_opt_result;

typedef struct {
    const k2e_option *options;
    size_t count;
    const char *command;      /* "kube2ecs convert", for messages */
    int argc;
    char **argv;
    int index;                /* next argv element */
    const char *bundle;       /* rest of a "-vq" bundle */
    bool operands_only;       /* after "--" */
} k2e_opt_parser;

void k2e_opt_init(k2e_opt_parser *p, const k2e_option *options, size_t count,
                  const char *command, int argc, char **argv);
k2e_opt_result k2e_opt_next(k2e_opt_parser *p, int *id, const char **value);

/* "  -o, --output DIR       output directory ..." lines. */
void k2e_opt_print_help(FILE *out, const k2e_option *options, size_t count);

#endif
