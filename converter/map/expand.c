/* $(VAR) expansion; see expand.h.  The structure follows the Go original so
 * that the two can be compared line by line. */
#include "map/expand.h"

#include <stdlib.h>
#include <string.h>

#include "base/util.h"

char *k2e_expand_vars(const char *input, k2e_var_fn lookup, void *context,
                      const char **dynamic_name_out, bool *dynamic)
{
    k2e_buf out;
    k2e_buf_init(&out);
    *dynamic = false;
    size_t len = strlen(input), checkpoint = 0;
    for (size_t cursor = 0; cursor < len; cursor++) {
        if (input[cursor] != '$' || cursor + 1 >= len)
            continue;
        k2e_buf_append(&out, input + checkpoint, cursor - checkpoint);
        const char *rest = input + cursor + 1;
        size_t advance = 1;
        if (rest[0] == '$') {
            k2e_buf_append(&out, "$", 1);
        } else if (rest[0] == '(') {
            const char *close = strchr(rest + 1, ')');
            if (!close) {
                k2e_buf_append(&out, "$(", 2);
            } else {
                char *name = k2e_strndup(rest + 1, (size_t)(close - rest - 1));
                const char *value = NULL;
                k2e_var_lookup found = name ? lookup(name, &value, context) : K2E_VAR_UNKNOWN;
                if (found == K2E_VAR_FOUND) {
                    k2e_buf_puts(&out, value);
                } else {
                    k2e_buf_printf(&out, "$(%s)", name ? name : "");
                    if (found == K2E_VAR_DYNAMIC) {
                        *dynamic = true;
                        if (dynamic_name_out)
                            *dynamic_name_out = value;
                    }
                }
                free(name);
                advance = (size_t)(close - rest) + 1;
            }
        } else {
            k2e_buf_append(&out, input + cursor, 2);
        }
        cursor += advance;
        checkpoint = cursor + 1;
    }
    if (checkpoint < len)
        k2e_buf_append(&out, input + checkpoint, len - checkpoint);
    return k2e_buf_detach(&out);
}
