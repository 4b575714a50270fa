/* kube2ecs mapping --defaults: the embedded default mapping table. */
#include <string.h>

#include "cli.h"
#include "kube2ecs/convert.h"
#include "kube2ecs/mapping.h"
#include "options.h"

enum { OPT_DEFAULTS, OPT_HELP };

static const k2e_option options[] = {
    {OPT_DEFAULTS, 0, "defaults", NULL, "print the embedded default mapping table"},
    {OPT_HELP, 'h', "help", NULL, "show this help"},
};

void k2e_help_mapping(FILE *out)
{
    fputs("usage: kube2ecs mapping --defaults\n"
          "\n"
          "Prints the embedded default mapping table, with commented examples of every\n"
          "list (images, secrets, volumes, taskRoles, ...).  Save it, fill in your\n"
          "account, region, roles, network, image registries and Secret locations, and\n"
          "pass it to `kube2ecs convert -m FILE`.  Keys you leave out keep these\n"
          "defaults; keys marked PLACEHOLDER produce a K2E-W020 warning when used.\n"
          "\n"
          "options:\n",
          out);
    k2e_opt_print_help(out, options, sizeof options / sizeof options[0]);
}

int k2e_cmd_mapping(int argc, char **argv)
{
    k2e_opt_parser parser;
    k2e_opt_init(&parser, options, sizeof options / sizeof options[0], "kube2ecs mapping",
                 argc, argv);
    bool defaults = false;
    int id;
    const char *value;
    for (;;) {
        k2e_opt_result r = k2e_opt_next(&parser, &id, &value);
        if (r == K2E_OPT_DONE)
            break;
        if (r == K2E_OPT_ERROR)
            return K2E_EXIT_INPUT;
        if (r == K2E_OPT_OPERAND) {
            fprintf(stderr, "kube2ecs mapping: unexpected argument '%s'\n", value);
            return K2E_EXIT_INPUT;
        }
        if (id == OPT_HELP) {
            k2e_help_mapping(stdout);
            return K2E_EXIT_OK;
        }
        defaults = true;
    }
    if (!defaults) {
        k2e_help_mapping(stderr);
        return K2E_EXIT_INPUT;
    }
    fputs(k2e_mapping_default_text(), stdout);
    return fflush(stdout) == 0 ? K2E_EXIT_OK : K2E_EXIT_INTERNAL;
}
