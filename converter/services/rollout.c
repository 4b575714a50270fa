/* Rolling-update arithmetic; see rollout.h.
 *
 * Everything is integer arithmetic on non-negative values, so there is no
 * floating-point rounding to argue about: Kubernetes' math.Ceil/math.Floor
 * of value * total / 100 equals the integer ceiling/floor division for the
 * int32 values it accepts.
 *
 * The ranges.  ECS runs floor(d * p / 100) tasks at most, so p reproduces
 * M tasks exactly when 100M/d <= p < 100(M+1)/d; it keeps ceil(d * m / 100)
 * healthy, so m reproduces t when 100(t-1)/d < m <= 100t/d.  Both ranges
 * are 100/d wide, hence never empty for d <= 100.  Within a range we take
 * the value closest to what the user wrote: a percentage as given (clamped
 * into the range), an absolute count as its exact proportion (which is the
 * range's edge).
 */
#include "services/rollout.h"

#include <string.h>

bool k2e_percent_parse(const char *text, k2e_int_or_percent *out)
{
    size_t n = strlen(text);
    if (n < 2 || n > 10 || text[n - 1] != '%')
        return false;
    int64_t value = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    *out = (k2e_int_or_percent){true, value};
    return true;
}

static int64_t div_floor(int64_t a, int64_t b)
{
    return a / b;
}

static int64_t div_ceil(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

static int64_t clamp(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

int64_t k2e_scaled_value(k2e_int_or_percent value, int64_t total, bool round_up)
{
    if (!value.percent)
        return value.value;
    return round_up ? div_ceil(value.value * total, 100) : div_floor(value.value * total, 100);
}

int64_t k2e_ecs_max_tasks(int64_t desired, int64_t maximum_percent)
{
    return div_floor(desired * maximum_percent, 100);
}

int64_t k2e_ecs_min_healthy_tasks(int64_t desired, int64_t minimum_healthy)
{
    return div_ceil(desired * minimum_healthy, 100);
}

/* maximumPercent: exact when [lo, hi] is not empty; otherwise the smallest
 * value that allows at least max_tasks (more surge rather than none). */
static int64_t plan_maximum(k2e_rollout *r, k2e_int_or_percent surge)
{
    int64_t d = r->desired, m = r->max_tasks;
    int64_t lo = div_ceil(100 * m, d), hi = div_ceil(100 * (m + 1), d) - 1;
    if (lo > hi) {
        r->exact = false;
        return lo;
    }
    return clamp(surge.percent ? 100 + surge.value : lo, lo, hi);
}

/* minimumHealthyPercent: exact when possible; otherwise the smallest value
 * that keeps at least min_healthy tasks, unless that would leave ECS no
 * room to replace anything, in which case the largest below it. */
static int64_t plan_minimum(k2e_rollout *r, k2e_int_or_percent unavailable)
{
    int64_t d = r->desired, t = r->min_healthy;
    int64_t lo = t == 0 ? 0 : div_floor(100 * (t - 1), d) + 1, hi = div_floor(100 * t, d);
    if (lo <= hi) {
        bool as_given = unavailable.percent && !r->unavailable_forced;
        return clamp(as_given ? 100 - clamp(unavailable.value, 0, 100) : hi, lo, hi);
    }
    r->exact = false;
    bool stuck = k2e_ecs_min_healthy_tasks(d, lo) >= d &&
                 k2e_ecs_max_tasks(d, r->maximum_percent) <= d;
    return stuck ? hi : lo;
}

k2e_rollout k2e_rollout_plan(k2e_int_or_percent max_surge, k2e_int_or_percent max_unavailable,
                             int64_t desired)
{
    k2e_rollout r = {.desired = desired < 1 ? 1 : desired, .exact = true};
    r.surge = k2e_scaled_value(max_surge, r.desired, true);
    r.unavailable = k2e_scaled_value(max_unavailable, r.desired, false);
    if (r.surge == 0 && r.unavailable == 0) {
        r.unavailable = 1;
        r.unavailable_forced = true;
    }
    r.max_tasks = r.desired + r.surge;
    r.min_healthy = r.unavailable >= r.desired ? 0 : r.desired - r.unavailable;
    r.maximum_percent = plan_maximum(&r, max_surge);
    r.minimum_healthy_percent = plan_minimum(&r, max_unavailable);
    return r;
}

k2e_rollout k2e_rollout_recreate(int64_t desired)
{
    k2e_rollout r = {.desired = desired < 1 ? 1 : desired, .exact = true};
    r.unavailable = r.desired;
    r.max_tasks = r.desired;
    r.maximum_percent = 100;
    return r;
}
