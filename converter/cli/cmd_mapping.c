/* kube2ecs mapping --defaults: the embedded default mapping table. */
#include <string.h>

#include "cli.h"
#include "kube2ecs/convert.h"
#include "kube2ecs/mapping.h"

void k2e_help_mapping(FILE *out)
{
    fputs("usage: kube2ecs mapping --defaults\n"
          "\n"
          "Prints the embedded default mapping table.  Save it, fill in your account,\n"
          "region, roles, network, image registries and Secret locations, and pass it to\n"
          "`kube2ecs convert -m FILE`.  Keys you leave out keep these defaults; keys\n"
          "marked PLACEHOLDER produce a K2E-W020 warning when used.\n",
          out);
}

int k2e_cmd_mapping(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--defaults") == 0) {
        fputs(k2e_mapping_default_text(), stdout);
        return fflush(stdout) == 0 ? K2E_EXIT_OK : K2E_EXIT_INTERNAL;
    }
    if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        k2e_help_mapping(stdout);
        return K2E_EXIT_OK;
    }
    k2e_help_mapping(stderr);
    return K2E_EXIT_INPUT;
}
