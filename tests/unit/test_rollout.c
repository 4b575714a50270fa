/* Unit tests for rollout.c: Kubernetes' rolling-update fenceposts turned
 * into ECS deployment percentages.
 *
 * The reference below re-implements Kubernetes' own rounding independently
 * of rollout.c, the way the Go code does it (float64 and math.Ceil /
 * math.Floor, kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/
 * util/intstr/intstr.go GetScaledValueFromIntOrPercent, and
 * pkg/controller/deployment/util/deployment_util.go ResolveFenceposts),
 * and ECS's rounding from the API reference (DeploymentConfiguration:
 * maximumPercent "rounded down", minimumHealthyPercent "rounded up"), also
 * in floating point.  The exhaustive test then checks, for 1..100 replicas
 * and every percentage and absolute value around them, that the chosen
 * percentages make ECS run exactly the pod counts Kubernetes would.
 */
#include "k2e_test.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include "services/rollout.h"

/* Check logs every passing ck_assert; the loops below make millions of
 * checks, so they only call Check on a failure. */
#define REQUIRE(cond, ...)             \
    do {                               \
        if (!(cond))                   \
            ck_abort_msg(__VA_ARGS__); \
    } while (0)

static k2e_int_or_percent pct(int64_t v)
{
    return (k2e_int_or_percent){true, v};
}

static k2e_int_or_percent abs_(int64_t v)
{
    return (k2e_int_or_percent){false, v};
}

/* --- independent references ------------------------------------------- */

static int64_t k8s_scaled(k2e_int_or_percent v, int64_t total, bool round_up)
{
    if (!v.percent)
        return v.value;
    double x = (double)v.value * (double)total / 100.0;
    return (int64_t)(round_up ? ceil(x) : floor(x));
}

typedef struct {
    int64_t max_pods, min_available;
} k8s_counts;

static k8s_counts k8s_fenceposts(k2e_int_or_percent surge_in, k2e_int_or_percent unav_in,
                                 int64_t desired)
{
    int64_t surge = k8s_scaled(surge_in, desired, true);
    int64_t unavailable = k8s_scaled(unav_in, desired, false);
    if (surge == 0 && unavailable == 0)
        unavailable = 1;
    if (unavailable > desired) /* MaxUnavailable() caps at the replica count */
        unavailable = desired;
    return (k8s_counts){desired + surge, desired - unavailable};
}

static int64_t ecs_max(int64_t desired, int64_t percent)
{
    return (int64_t)floor((double)desired * (double)percent / 100.0);
}

static int64_t ecs_min(int64_t desired, int64_t percent)
{
    return (int64_t)ceil((double)desired * (double)percent / 100.0);
}

/* --- hand-computed rows: replicas 1, 2, 3, 4, 10 ---------------------- */

typedef struct {
    int64_t desired;
    k2e_int_or_percent surge, unavailable;
    int64_t maximum_percent, minimum_healthy_percent;
    bool forced;
} row;

static const row rows[] = {
    /* Deployment default: 25% / 25% */
    {1, {true, 25}, {true, 25}, 200, 75, false},   /* 2 pods max, 1 available */
    {2, {true, 25}, {true, 25}, 150, 75, false},   /* 3 max, 2 available */
    {3, {true, 25}, {true, 25}, 134, 75, false},   /* 4 max (125% would give 3) */
    {4, {true, 25}, {true, 25}, 125, 75, false},   /* 5 max, 3 available */
    {10, {true, 25}, {true, 25}, 130, 75, false},  /* surge ceil(2.5)=3, unav floor(2.5)=2 */
    /* 25% surge, no unavailability: the samples' api-server */
    {1, {true, 25}, {false, 0}, 200, 100, false},
    {2, {true, 25}, {false, 0}, 150, 100, false},
    {3, {true, 25}, {false, 0}, 134, 100, false},
    {4, {true, 25}, {false, 0}, 125, 100, false},
    {10, {true, 25}, {false, 0}, 130, 100, false},
    /* absolute: one extra pod, none down */
    {1, {false, 1}, {false, 0}, 200, 100, false},
    {2, {false, 1}, {false, 0}, 150, 100, false},
    {3, {false, 1}, {false, 0}, 134, 100, false},
    {4, {false, 1}, {false, 0}, 125, 100, false},
    {10, {false, 1}, {false, 0}, 110, 100, false},
    /* absolute: no surge, one down */
    {1, {false, 0}, {false, 1}, 100, 0, false},
    {2, {false, 0}, {false, 1}, 100, 50, false},
    {3, {false, 0}, {false, 1}, 100, 66, false},   /* ceil(1.98) = 2 */
    {4, {false, 0}, {false, 1}, 100, 75, false},
    {10, {false, 0}, {false, 1}, 100, 90, false},
    /* percent: 10% unavailable rounds down to 0 below 10 replicas */
    {1, {true, 0}, {true, 10}, 100, 0, true},
    {2, {true, 0}, {true, 10}, 100, 50, true},
    {3, {true, 0}, {true, 10}, 100, 66, true},
    {4, {true, 0}, {true, 10}, 100, 75, true},
    {10, {true, 0}, {true, 10}, 100, 90, false},
    /* 50% / 50% */
    {1, {true, 50}, {true, 50}, 200, 50, false},   /* surge 1, unav 0: 50% keeps 1 */
    {2, {true, 50}, {true, 50}, 150, 50, false},
    {3, {true, 50}, {true, 50}, 167, 50, false},   /* 5 max (150% gives 4), 2 available */
    {4, {true, 50}, {true, 50}, 150, 50, false},
    {10, {true, 50}, {true, 50}, 150, 50, false},
    /* absolute values above the replica count */
    {1, {false, 3}, {false, 5}, 400, 0, false},
    {3, {false, 2}, {false, 4}, 167, 0, false},
    /* 100% unavailable: everything may go down at once */
    {4, {true, 0}, {true, 100}, 100, 0, false},
    /* both 0 (Kubernetes' validation rejects it; fixed like the controller) */
    {3, {false, 0}, {false, 0}, 100, 66, true},
};

START_TEST(test_rows)
{
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const row *w = &rows[i];
        k2e_rollout r = k2e_rollout_plan(w->surge, w->unavailable, w->desired);
        ck_assert_msg(r.maximum_percent == w->maximum_percent &&
                          r.minimum_healthy_percent == w->minimum_healthy_percent &&
                          r.unavailable_forced == w->forced && r.exact,
                      "row %zu (replicas %lld): got %lld/%lld forced %d exact %d, expected "
                      "%lld/%lld forced %d",
                      i, (long long)w->desired, (long long)r.maximum_percent,
                      (long long)r.minimum_healthy_percent, r.unavailable_forced, r.exact,
                      (long long)w->maximum_percent, (long long)w->minimum_healthy_percent,
                      w->forced);
    }
}
END_TEST

/* --- exhaustive: 1..100 replicas --------------------------------------- */

static void check_one(k2e_int_or_percent surge, k2e_int_or_percent unav, int64_t d)
{
    k2e_rollout r = k2e_rollout_plan(surge, unav, d);
    k8s_counts k = k8s_fenceposts(surge, unav, d);
    REQUIRE(r.exact, "d=%lld: no exact plan", (long long)d);
    REQUIRE(r.max_tasks == k.max_pods && r.min_healthy == k.min_available,
            "d=%lld surge %lld%s unav %lld%s: counts %lld/%lld, Kubernetes %lld/%lld",
            (long long)d, (long long)surge.value, surge.percent ? "%" : "",
            (long long)unav.value, unav.percent ? "%" : "", (long long)r.max_tasks,
            (long long)r.min_healthy, (long long)k.max_pods, (long long)k.min_available);
    REQUIRE(ecs_max(d, r.maximum_percent) == k.max_pods,
            "d=%lld surge %lld%s: maximumPercent %lld gives %lld tasks, Kubernetes %lld",
            (long long)d, (long long)surge.value, surge.percent ? "%" : "",
            (long long)r.maximum_percent, (long long)ecs_max(d, r.maximum_percent),
            (long long)k.max_pods);
    REQUIRE(ecs_min(d, r.minimum_healthy_percent) == k.min_available,
            "d=%lld unav %lld%s: minimumHealthyPercent %lld keeps %lld tasks, Kubernetes %lld",
            (long long)d, (long long)unav.value, unav.percent ? "%" : "",
            (long long)r.minimum_healthy_percent,
            (long long)ecs_min(d, r.minimum_healthy_percent), (long long)k.min_available);
    REQUIRE(r.minimum_healthy_percent >= 0 && r.minimum_healthy_percent <= 100 &&
                r.maximum_percent >= 100 && r.maximum_percent > r.minimum_healthy_percent,
            "d=%lld: percentages %lld/%lld out of ECS's ranges", (long long)d,
            (long long)r.maximum_percent, (long long)r.minimum_healthy_percent);
    /* The module's own rounding helpers agree with the float reference. */
    REQUIRE(k2e_ecs_max_tasks(d, r.maximum_percent) == ecs_max(d, r.maximum_percent) &&
                k2e_ecs_min_healthy_tasks(d, r.minimum_healthy_percent) ==
                    ecs_min(d, r.minimum_healthy_percent),
            "d=%lld: rounding helpers disagree", (long long)d);
    /* Closest to what was written: a percentage that already gives the
     * Kubernetes count is kept as is. */
    if (surge.percent && ecs_max(d, 100 + surge.value) == k.max_pods)
        REQUIRE(r.maximum_percent == 100 + surge.value, "d=%lld surge %lld%%: %lld chosen",
                (long long)d, (long long)surge.value, (long long)r.maximum_percent);
    if (unav.percent && !r.unavailable_forced && ecs_min(d, 100 - unav.value) == k.min_available)
        REQUIRE(r.minimum_healthy_percent == 100 - unav.value,
                "d=%lld unav %lld%%: %lld chosen", (long long)d, (long long)unav.value,
                (long long)r.minimum_healthy_percent);
}

static void check_all_unavailable(k2e_int_or_percent surge, int64_t d)
{
    for (int64_t u = 0; u <= 100; u++)
        check_one(surge, pct(u), d);
    for (int64_t u = 0; u <= d + 3; u++)
        check_one(surge, abs_(u), d);
}

START_TEST(test_exhaustive_1_to_100)
{
    for (int64_t d = 1; d <= 100; d++) {
        for (int64_t s = 0; s <= 200; s++)
            check_all_unavailable(pct(s), d);
        for (int64_t s = 0; s <= d + 3; s++)
            check_all_unavailable(abs_(s), d);
    }
}
END_TEST

/* --- above 100 replicas: not always exact, never stuck ----------------- */

START_TEST(test_large_counts_make_progress)
{
    static const int64_t counts[] = {101, 150, 199, 250, 300, 333, 999, 1000, 5000};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        int64_t d = counts[i];
        for (int64_t s = 0; s <= 5; s++) {
            for (int64_t u = 0; u <= 5; u++) {
                k2e_int_or_percent surge = abs_(s), unav = abs_(u);
                k2e_rollout r = k2e_rollout_plan(surge, unav, d);
                k8s_counts k = k8s_fenceposts(surge, unav, d);
                int64_t max_tasks = ecs_max(d, r.maximum_percent);
                int64_t min_tasks = ecs_min(d, r.minimum_healthy_percent);
                REQUIRE(max_tasks > d || min_tasks < d, "d=%lld %lld/%lld: ECS stuck",
                        (long long)d, (long long)s, (long long)u);
                REQUIRE(max_tasks >= k.max_pods, "d=%lld: fewer tasks than Kubernetes pods",
                        (long long)d);
                REQUIRE(r.exact == (max_tasks == k.max_pods && min_tasks == k.min_available),
                        "d=%lld %lld/%lld: exact flag wrong", (long long)d, (long long)s,
                        (long long)u);
                REQUIRE(r.minimum_healthy_percent <= 100 &&
                            r.maximum_percent > r.minimum_healthy_percent,
                        "d=%lld: out of range", (long long)d);
            }
        }
    }
    /* A known inexact case: 300 tasks, one extra allowed. */
    k2e_rollout r = k2e_rollout_plan(abs_(1), abs_(0), 300);
    ck_assert(!r.exact);
    ck_assert_int_eq(r.maximum_percent, 101);   /* 303 tasks: 100 would give 300 */
    ck_assert_int_eq(r.minimum_healthy_percent, 100);
}
END_TEST

START_TEST(test_recreate_and_parse)
{
    k2e_rollout r = k2e_rollout_recreate(5);
    ck_assert_int_eq(r.maximum_percent, 100);
    ck_assert_int_eq(r.minimum_healthy_percent, 0);
    ck_assert_int_eq(ecs_max(5, r.maximum_percent), 5);
    ck_assert_int_eq(ecs_min(5, r.minimum_healthy_percent), 0);

    k2e_int_or_percent v;
    ck_assert(k2e_percent_parse("25%", &v) && v.percent && v.value == 25);
    ck_assert(k2e_percent_parse("0%", &v) && v.value == 0);
    ck_assert(k2e_percent_parse("150%", &v) && v.value == 150);
    ck_assert(!k2e_percent_parse("25", &v));
    ck_assert(!k2e_percent_parse("%", &v));
    ck_assert(!k2e_percent_parse("-5%", &v));
    ck_assert(!k2e_percent_parse("2.5%", &v));
    ck_assert(!k2e_percent_parse("99999999999%", &v));

    /* Desired counts below 1 are planned as 1. */
    r = k2e_rollout_plan(pct(25), pct(25), 0);
    ck_assert_int_eq(r.desired, 1);
    ck_assert_int_eq(r.maximum_percent, 200);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("rollout");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_rows);
    tcase_add_test(tc, test_exhaustive_1_to_100);
    tcase_add_test(tc, test_large_counts_make_progress);
    tcase_add_test(tc, test_recreate_and_parse);
    suite_add_tcase(s, tc);
    return s;
}
