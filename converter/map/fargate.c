/* Fargate task sizes as a table of memory ranges.
 *
 * Design.  AWS publishes the valid pairs as, per cpu value, a range of
 * memory values with a fixed step.  The table below is that publication
 * written as data, one row per range, rows ordered by (cpu, memory); every
 * function is a walk over the rows, so a new AWS size is a new row.  256 cpu
 * units need two rows because 512, 1024, 2048 is not one arithmetic run.
 *
 * Why the first fitting row gives the cheapest size.  The table has two
 * properties (checked exhaustively by tests/unit/test_fargate.c):
 *   1. a higher cpu never has a lower maximum or minimum memory, and
 *   2. every memory value of a higher cpu that lies within a lower cpu's
 *      range is also valid for the lower cpu (the higher cpus' steps are
 *      multiples of the lower ones' and start on their grid).
 * So if c is the lowest cpu >= need_cpu whose range reaches need_memory and
 * m the lowest valid memory of c >= need_memory, any other covering (c', m')
 * has c' >= c (by 1) and m' >= m (by 2, or m' is beyond c's range and so
 * above m).  (c, m) is minimal in both coordinates, so it is the cheapest
 * under any price that grows with cpu and with memory, as Fargate's
 * per-vCPU-hour plus per-GB-hour price does.
 */
#include "map/fargate.h"

typedef struct {
    uint32_t cpu;
    uint32_t min; /* MiB */
    uint32_t max; /* MiB, min + k * step for some k >= 0 */
    uint32_t step;
} size_range;

static const size_range ranges[] = {
    {256, 512, 512, 512},
    {256, 1024, 2048, 1024},
    {512, 1024, 4096, 1024},
    {1024, 2048, 8192, 1024},
    {2048, 4096, 16384, 1024},
    {4096, 8192, 30720, 1024},
    {8192, 16384, 61440, 4096},
    {16384, 32768, 122880, 8192},
};

#define RANGE_COUNT (sizeof ranges / sizeof ranges[0])

static bool range_has(const size_range *r, uint64_t memory)
{
    return memory >= r->min && memory <= r->max && (memory - r->min) % r->step == 0;
}

bool k2e_fargate_is_valid(uint32_t cpu, uint32_t memory)
{
    for (size_t i = 0; i < RANGE_COUNT; i++) {
        if (ranges[i].cpu == cpu && range_has(&ranges[i], memory))
            return true;
    }
    return false;
}

/* The lowest memory of r that is >= need (the caller knows need <= max). */
static uint32_t round_up_in_range(const size_range *r, uint64_t need)
{
    if (need <= r->min)
        return r->min;
    uint64_t steps = (need - r->min + r->step - 1) / r->step;
    return (uint32_t)(r->min + steps * r->step);
}

bool k2e_fargate_pick(uint64_t need_cpu, uint64_t need_memory, k2e_fargate_size *out)
{
    for (size_t i = 0; i < RANGE_COUNT; i++) {
        const size_range *r = &ranges[i];
        if (r->cpu < need_cpu || r->max < need_memory)
            continue;
        out->cpu = r->cpu;
        out->memory = round_up_in_range(r, need_memory);
        return true;
    }
    return false;
}

size_t k2e_fargate_sizes(k2e_fargate_size *out, size_t cap)
{
    size_t total = 0;
    for (size_t i = 0; i < RANGE_COUNT; i++) {
        for (uint32_t m = ranges[i].min; m <= ranges[i].max; m += ranges[i].step) {
            if (total < cap)
                out[total] = (k2e_fargate_size){ranges[i].cpu, m};
            total++;
        }
    }
    return total;
}

void k2e_pod_need_add(k2e_pod_need *need, k2e_pod_role role, uint64_t amount)
{
    switch (role) {
    case K2E_POD_INIT:
        if (amount + need->sidecars > need->init_peak)
            need->init_peak = amount + need->sidecars;
        break;
    case K2E_POD_SIDECAR:
        need->sidecars += amount;
        break;
    case K2E_POD_APP:
        need->apps += amount;
        break;
    }
}

uint64_t k2e_pod_need_total(const k2e_pod_need *need)
{
    uint64_t running = need->apps + need->sidecars;
    return need->init_peak > running ? need->init_peak : running;
}
