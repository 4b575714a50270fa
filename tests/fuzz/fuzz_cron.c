/* libFuzzer target: the cron translator (schedules/cron/) on arbitrary
 * schedules and time zones.  Input: the schedule, a NUL, the zone name (no
 * NUL: UTC), then one byte of options (DST policy).  Oracles besides "no
 * crash": a translation that succeeds gives at least one rule or a
 * never-fires warning, and every expression is an EventBridge cron() of at
 * most 256 characters (PutRule's limit) with six fields; a failure has a
 * message.
 *
 *   cmake --build build-fuzz --target fuzz_cron
 *   ./build-fuzz/fuzz_cron -max_total_time=60 -max_len=128 build-fuzz/fuzz-seeds-cron
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schedules/cron/cron.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool valid_expression(const char *e)
{
    size_t n = strlen(e);
    if (n > 256)
        return false;
    if (strncmp(e, "rate(", 5) == 0)
        return e[n - 1] == ')';
    if (strncmp(e, "cron(", 5) != 0 || e[n - 1] != ')')
        return false;
    size_t spaces = 0;
    for (const char *p = e; *p; p++)
        spaces += *p == ' ';
    return spaces == 5;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 512)
        return 0;
    char buf[514];
    memcpy(buf, data, size);
    buf[size] = '\0';
    size_t schedule_len = strlen(buf);
    const char *zone = schedule_len < size ? buf + schedule_len + 1 : NULL;
    k2e_cron_options options = {.dst_policy = K2E_CRON_DST_STANDARD};
    if (zone && strlen(zone) + schedule_len + 2 <= size &&
        (unsigned char)zone[strlen(zone) + 1] & 1)
        options.dst_policy = K2E_CRON_DST_SEASONAL;
    k2e_cron_result r;
    k2e_cron_status status = k2e_cron_translate_ex(buf, zone && *zone ? zone : NULL, &options, &r);
    if (status == K2E_CRON_OK) {
        bool never = false;
        for (size_t i = 0; i < r.warning_count; i++)
            never = never || r.warning_kinds[i] == K2E_CRON_WARN_NEVER_FIRES;
        if (r.count == 0 && !never)
            abort();
        for (size_t i = 0; i < r.count; i++) {
            if (!valid_expression(r.expressions[i]))
                abort();
        }
    } else if (status != K2E_CRON_NO_MEMORY && (!r.error || !*r.error)) {
        abort();
    }
    k2e_cron_result_free(&r);
    return 0;
}
