/* Option parsing; see options.h. */
#include "options.h"

#include <string.h>

void k2e_opt_init(k2e_opt_parser *p, const k2e_option *options, size_t count,
                  const char *command, int argc, char **argv)
{
    *p = (k2e_opt_parser){options, count, command, argc, argv, 1, NULL, false};
}

/* "kube2ecs convert: unknown option '--bogus' (see kube2ecs help convert)" */
static k2e_opt_result fail(const k2e_opt_parser *p, const char *problem, const char *what)
{
    const char *space = strchr(p->command, ' ');
    fprintf(stderr, "%s: %s '%s' (see kube2ecs help %s)\n", p->command, problem, what,
            space ? space + 1 : p->command);
    return K2E_OPT_ERROR;
}

/* Exact long name, else the only option the text is a prefix of. */
static const k2e_option *find_long(const k2e_opt_parser *p, const char *name, size_t n,
                                   bool *ambiguous)
{
    const k2e_option *prefix = NULL;
    *ambiguous = false;
    for (size_t i = 0; i < p->count; i++) {
        const k2e_option *o = &p->options[i];
        if (strncmp(o->long_name, name, n) != 0)
            continue;
        if (o->long_name[n] == '\0')
            return o;
        *ambiguous = prefix != NULL;
        prefix = o;
    }
    return *ambiguous ? NULL : prefix;
}

static const k2e_option *find_short(const k2e_opt_parser *p, char c)
{
    for (size_t i = 0; i < p->count; i++) {
        if (p->options[i].short_name == c)
            return &p->options[i];
    }
    return NULL;
}

static k2e_opt_result long_option(k2e_opt_parser *p, const char *arg, int *id,
                                  const char **value)
{
    const char *name = arg + 2, *equals = strchr(name, '=');
    size_t n = equals ? (size_t)(equals - name) : strlen(name);
    bool ambiguous;
    const k2e_option *o = find_long(p, name, n, &ambiguous);
    if (!o)
        return fail(p, ambiguous ? "ambiguous option" : "unknown option", arg);
    *id = o->id;
    if (!o->argument) {
        if (equals)
            return fail(p, "no value allowed for option", arg);
        *value = NULL;
        return K2E_OPT_OPTION;
    }
    if (equals) {
        *value = equals + 1;
        return K2E_OPT_OPTION;
    }
    if (p->index >= p->argc) {
        fprintf(stderr, "%s: --%s needs %s\n", p->command, o->long_name, o->argument);
        return K2E_OPT_ERROR;
    }
    *value = p->argv[p->index++];
    return K2E_OPT_OPTION;
}

static k2e_opt_result short_option(k2e_opt_parser *p, int *id, const char **value)
{
    char c = *p->bundle++;
    const k2e_option *o = find_short(p, c);
    if (!o) {
        char text[3] = {'-', c, '\0'};
        p->bundle = NULL;
        return fail(p, "unknown option", text);
    }
    *id = o->id;
    *value = NULL;
    if (!o->argument) {
        if (!*p->bundle)
            p->bundle = NULL;
        return K2E_OPT_OPTION;
    }
    if (*p->bundle) {
        *value = p->bundle;       /* -oDIR */
    } else if (p->index < p->argc) {
        *value = p->argv[p->index++];
    } else {
        fprintf(stderr, "%s: -%c needs %s\n", p->command, c, o->argument);
        return K2E_OPT_ERROR;
    }
    p->bundle = NULL;
    return K2E_OPT_OPTION;
}

k2e_opt_result k2e_opt_next(k2e_opt_parser *p, int *id, const char **value)
{
    if (p->bundle)
        return short_option(p, id, value);
    if (p->index >= p->argc)
        return K2E_OPT_DONE;
    const char *arg = p->argv[p->index++];
    if (p->operands_only || arg[0] != '-' || strcmp(arg, "-") == 0) {
        *value = arg;
        return K2E_OPT_OPERAND;
    }
    if (strcmp(arg, "--") == 0) {
        p->operands_only = true;
        return k2e_opt_next(p, id, value);
    }
    if (arg[1] == '-')
        return long_option(p, arg, id, value);
    p->bundle = arg + 1;
    return short_option(p, id, value);
}

void k2e_opt_print_help(FILE *out, const k2e_option *options, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        const k2e_option *o = &options[i];
        char left[48];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->long_name,
                     o->argument ? " " : "", o->argument ? o->argument : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->long_name, o->argument ? " " : "",
                     o->argument ? o->argument : "");
        fprintf(out, "  %-22s %s\n", left, o->help);
    }
}
