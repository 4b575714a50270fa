/* Unit tests for fargate.c: the valid Fargate task sizes and the choice of
 * the smallest size for a need.
 *
 * The expected list of sizes below is written out by hand from the AWS table
 * (task-cpu-memory-error.html, ecs-schema.md section 6), independently of
 * fargate.c's range rows, so a typo in either shows up as a difference.
 */
#include "k2e_test.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "map/fargate.h"

#define SIZE_TOTAL 74

/* Every valid pair, ordered by cpu then memory. */
static const k2e_fargate_size expected_sizes[SIZE_TOTAL] = {
    /* 0.25 vCPU */
    {256, 512}, {256, 1024}, {256, 2048},
    /* 0.5 vCPU */
    {512, 1024}, {512, 2048}, {512, 3072}, {512, 4096},
    /* 1 vCPU */
    {1024, 2048}, {1024, 3072}, {1024, 4096}, {1024, 5120}, {1024, 6144}, {1024, 7168},
    {1024, 8192},
    /* 2 vCPU */
    {2048, 4096}, {2048, 5120}, {2048, 6144}, {2048, 7168}, {2048, 8192}, {2048, 9216},
    {2048, 10240}, {2048, 11264}, {2048, 12288}, {2048, 13312}, {2048, 14336}, {2048, 15360},
    {2048, 16384},
    /* 4 vCPU */
    {4096, 8192}, {4096, 9216}, {4096, 10240}, {4096, 11264}, {4096, 12288}, {4096, 13312},
    {4096, 14336}, {4096, 15360}, {4096, 16384}, {4096, 17408}, {4096, 18432}, {4096, 19456},
    {4096, 20480}, {4096, 21504}, {4096, 22528}, {4096, 23552}, {4096, 24576}, {4096, 25600},
    {4096, 26624}, {4096, 27648}, {4096, 28672}, {4096, 29696}, {4096, 30720},
    /* 8 vCPU */
    {8192, 16384}, {8192, 20480}, {8192, 24576}, {8192, 28672}, {8192, 32768}, {8192, 36864},
    {8192, 40960}, {8192, 45056}, {8192, 49152}, {8192, 53248}, {8192, 57344}, {8192, 61440},
    /* 16 vCPU */
    {16384, 32768}, {16384, 40960}, {16384, 49152}, {16384, 57344}, {16384, 65536},
    {16384, 73728}, {16384, 81920}, {16384, 90112}, {16384, 98304}, {16384, 106496},
    {16384, 114688}, {16384, 122880},
};

static bool expected_has(uint64_t cpu, uint64_t memory)
{
    for (size_t i = 0; i < SIZE_TOTAL; i++) {
        if (expected_sizes[i].cpu == cpu && expected_sizes[i].memory == memory)
            return true;
    }
    return false;
}

START_TEST(test_sizes_enumeration)
{
    ck_assert_uint_eq(k2e_fargate_sizes(NULL, 0), SIZE_TOTAL);
    k2e_fargate_size sizes[SIZE_TOTAL + 4];
    for (size_t i = 0; i < SIZE_TOTAL + 4; i++)
        sizes[i] = (k2e_fargate_size){7, 7};
    ck_assert_uint_eq(k2e_fargate_sizes(sizes, SIZE_TOTAL + 4), SIZE_TOTAL);
    for (size_t i = 0; i < SIZE_TOTAL; i++) {
        ck_assert_msg(sizes[i].cpu == expected_sizes[i].cpu &&
                          sizes[i].memory == expected_sizes[i].memory,
                      "size %zu: %" PRIu32 "/%" PRIu32 ", expected %" PRIu32 "/%" PRIu32, i,
                      sizes[i].cpu, sizes[i].memory, expected_sizes[i].cpu,
                      expected_sizes[i].memory);
    }
    /* Nothing written past the total. */
    for (size_t i = SIZE_TOTAL; i < SIZE_TOTAL + 4; i++)
        ck_assert(sizes[i].cpu == 7 && sizes[i].memory == 7);
}
END_TEST

/* A short buffer gets the first `cap` sizes and nothing more. */
START_TEST(test_sizes_truncated)
{
    k2e_fargate_size sizes[6];
    for (size_t i = 0; i < 6; i++)
        sizes[i] = (k2e_fargate_size){7, 7};
    ck_assert_uint_eq(k2e_fargate_sizes(sizes, 5), SIZE_TOTAL);
    for (size_t i = 0; i < 5; i++)
        ck_assert(sizes[i].cpu == expected_sizes[i].cpu &&
                  sizes[i].memory == expected_sizes[i].memory);
    ck_assert(sizes[5].cpu == 7 && sizes[5].memory == 7);
}
END_TEST

START_TEST(test_every_valid_pair_is_valid)
{
    const k2e_fargate_size *s = &expected_sizes[_i];
    ck_assert_msg(k2e_fargate_is_valid(s->cpu, s->memory), "%" PRIu32 "/%" PRIu32, s->cpu,
                  s->memory);
}
END_TEST

/* The neighbours of every valid pair (one MiB, half a GiB, one GiB, one step
 * of cpu either side) are valid exactly when they are in the list. */
START_TEST(test_neighbours)
{
    const k2e_fargate_size *s = &expected_sizes[_i];
    static const int64_t memory_deltas[] = {-4096, -1024, -512, -1, 1, 512, 1024, 4096, 8192};
    static const int64_t cpu_deltas[] = {-256, -1, 1, 256, 512, 1024};
    for (size_t i = 0; i < sizeof memory_deltas / sizeof memory_deltas[0]; i++) {
        if ((int64_t)s->memory + memory_deltas[i] < 0)
            continue;
        uint32_t m = (uint32_t)((int64_t)s->memory + memory_deltas[i]);
        ck_assert_msg(k2e_fargate_is_valid(s->cpu, m) == expected_has(s->cpu, m),
                      "%" PRIu32 "/%" PRIu32, s->cpu, m);
    }
    for (size_t i = 0; i < sizeof cpu_deltas / sizeof cpu_deltas[0]; i++) {
        uint32_t c = (uint32_t)((int64_t)s->cpu + cpu_deltas[i]);
        ck_assert_msg(k2e_fargate_is_valid(c, s->memory) == expected_has(c, s->memory),
                      "%" PRIu32 "/%" PRIu32, c, s->memory);
    }
}
END_TEST

/* Every pair on a 128-unit / 128-MiB grid (plus odd values around it) agrees
 * with the hand-written list. */
START_TEST(test_grid_validity)
{
    for (uint32_t cpu = 0; cpu <= 20480; cpu += 128) {
        for (uint32_t memory = 0; memory <= 131072; memory += 128) {
            REQUIRE(k2e_fargate_is_valid(cpu, memory) == expected_has(cpu, memory),
                    "%" PRIu32 "/%" PRIu32, cpu, memory);
            REQUIRE(!k2e_fargate_is_valid(cpu + 1, memory), "%" PRIu32 "+1", cpu);
            REQUIRE(!k2e_fargate_is_valid(cpu, memory + 1), "%" PRIu32 "+1", memory);
        }
    }
    ck_assert(!k2e_fargate_is_valid(0, 0));
    ck_assert(!k2e_fargate_is_valid(UINT32_MAX, UINT32_MAX));
    ck_assert(!k2e_fargate_is_valid(256, 1536)); /* 256 has no 1.5 GiB */
    ck_assert(!k2e_fargate_is_valid(512, 512));
    ck_assert(!k2e_fargate_is_valid(4096, 31744)); /* 30 GiB is the 4 vCPU maximum */
    ck_assert(!k2e_fargate_is_valid(8192, 17408)); /* 8 vCPU steps by 4 GiB */
    ck_assert(!k2e_fargate_is_valid(16384, 36864)); /* 16 vCPU steps by 8 GiB */
    ck_assert(!k2e_fargate_is_valid(32768, 65536)); /* no 32 vCPU on Fargate */
}
END_TEST

typedef struct {
    uint64_t cpu;
    uint64_t memory;
    bool fits;
    uint32_t expected_cpu;
    uint32_t expected_memory;
} pick_case;

static const pick_case picks[] = {
    {0, 0, true, 256, 512},
    {1, 1, true, 256, 512},
    {256, 512, true, 256, 512},
    {256, 513, true, 256, 1024},
    {256, 1024, true, 256, 1024},
    {256, 1025, true, 256, 2048},
    {256, 2048, true, 256, 2048},
    {256, 2049, true, 512, 3072},
    {257, 512, true, 512, 1024},
    {256, 3000, true, 512, 3072},
    {512, 0, true, 512, 1024},
    {512, 4096, true, 512, 4096},
    {512, 4097, true, 1024, 5120},
    {300, 5000, true, 1024, 5120},
    {1024, 0, true, 1024, 2048},
    {1024, 8193, true, 2048, 9216},
    {1025, 2048, true, 2048, 4096},
    {2048, 16384, true, 2048, 16384},
    {2048, 16385, true, 4096, 17408},
    {4096, 30720, true, 4096, 30720},
    {4096, 30721, true, 8192, 32768},
    {4097, 0, true, 8192, 16384},
    {8192, 16385, true, 8192, 20480},
    {8192, 61440, true, 8192, 61440},
    {8192, 61441, true, 16384, 65536},
    {8193, 0, true, 16384, 32768},
    {16384, 0, true, 16384, 32768},
    {16384, 32769, true, 16384, 40960},
    {0, 122880, true, 16384, 122880},
    {16384, 122880, true, 16384, 122880},
    {16385, 0, false, 0, 0},
    {16385, 512, false, 0, 0},
    {0, 122881, false, 0, 0},
    {16384, 122881, false, 0, 0},
    {UINT64_MAX, 0, false, 0, 0},
    {0, UINT64_MAX, false, 0, 0},
    {UINT64_C(1) << 32, 512, false, 0, 0}, /* no truncation to 32 bits */
    {256, (UINT64_C(1) << 32) + 512, false, 0, 0},
};

#define PICK_COUNT ((int)(sizeof picks / sizeof picks[0]))

START_TEST(test_pick_table)
{
    const pick_case *c = &picks[_i];
    k2e_fargate_size size = {7, 7};
    bool fits = k2e_fargate_pick(c->cpu, c->memory, &size);
    ck_assert_msg(fits == c->fits, "pick(%" PRIu64 ", %" PRIu64 "): fits %d", c->cpu, c->memory,
                  fits);
    if (!fits) {
        ck_assert(size.cpu == 7 && size.memory == 7); /* untouched */
        return;
    }
    ck_assert_msg(size.cpu == c->expected_cpu && size.memory == c->expected_memory,
                  "pick(%" PRIu64 ", %" PRIu64 ") = %" PRIu32 "/%" PRIu32 ", expected %" PRIu32
                  "/%" PRIu32,
                  c->cpu, c->memory, size.cpu, size.memory, c->expected_cpu, c->expected_memory);
}
END_TEST

/* Brute force over the hand-written list: the pick covers the need, is valid,
 * and no covering size is below it in cpu or in memory (so it is also the
 * first covering size in (cpu, memory) order and the cheapest). */
static void check_pick(uint64_t need_cpu, uint64_t need_memory)
{
    const k2e_fargate_size *first = NULL;
    for (size_t i = 0; i < SIZE_TOTAL && first == NULL; i++) {
        if (expected_sizes[i].cpu >= need_cpu && expected_sizes[i].memory >= need_memory)
            first = &expected_sizes[i];
    }
    k2e_fargate_size size;
    bool fits = k2e_fargate_pick(need_cpu, need_memory, &size);
    REQUIRE(fits == (first != NULL), "pick(%" PRIu64 ", %" PRIu64 ")", need_cpu, need_memory);
    if (!fits)
        return;
    REQUIRE(k2e_fargate_is_valid(size.cpu, size.memory), "invalid pick");
    REQUIRE(size.cpu >= need_cpu && size.memory >= need_memory, "pick does not cover");
    REQUIRE(size.cpu == first->cpu && size.memory == first->memory,
            "pick(%" PRIu64 ", %" PRIu64 ") = %" PRIu32 "/%" PRIu32
            ", first covering size is %" PRIu32 "/%" PRIu32,
            need_cpu, need_memory, size.cpu, size.memory, first->cpu, first->memory);
    for (size_t i = 0; i < SIZE_TOTAL; i++) {
        const k2e_fargate_size *s = &expected_sizes[i];
        if (s->cpu < need_cpu || s->memory < need_memory)
            continue;
        REQUIRE(s->cpu >= size.cpu && s->memory >= size.memory,
                "pick(%" PRIu64 ", %" PRIu64 ") = %" PRIu32 "/%" PRIu32
                " but %" PRIu32 "/%" PRIu32 " also covers it",
                need_cpu, need_memory, size.cpu, size.memory, s->cpu, s->memory);
    }
}

START_TEST(test_pick_exhaustive)
{
    /* Every need on a 64-unit / 256-MiB grid, and one past each point. */
    for (uint64_t cpu = 0; cpu <= 16448; cpu += 64) {
        for (uint64_t memory = 0; memory <= 123136; memory += 256) {
            check_pick(cpu, memory);
            check_pick(cpu + 1, memory + 1);
        }
    }
}
END_TEST

START_TEST(test_pick_around_every_size)
{
    /* Needs exactly at, just below and just above every valid pair. */
    for (size_t i = 0; i < SIZE_TOTAL; i++) {
        const k2e_fargate_size *s = &expected_sizes[i];
        for (int dc = -1; dc <= 1; dc++) {
            for (int dm = -1; dm <= 1; dm++)
                check_pick((uint64_t)((int64_t)s->cpu + dc),
                           (uint64_t)((int64_t)s->memory + dm));
        }
    }
}
END_TEST

/* The two table properties fargate.c's cheapest-size argument rests on. */
START_TEST(test_table_properties)
{
    for (size_t i = 0; i < SIZE_TOTAL; i++) {
        for (size_t j = 0; j < SIZE_TOTAL; j++) {
            const k2e_fargate_size *low = &expected_sizes[i];
            const k2e_fargate_size *high = &expected_sizes[j];
            if (high->cpu <= low->cpu)
                continue;
            /* A higher cpu's memory inside a lower cpu's range is valid there. */
            uint32_t low_min = UINT32_MAX;
            uint32_t low_max = 0;
            for (size_t k = 0; k < SIZE_TOTAL; k++) {
                if (expected_sizes[k].cpu != low->cpu)
                    continue;
                uint32_t m = expected_sizes[k].memory;
                low_min = m < low_min ? m : low_min;
                low_max = m > low_max ? m : low_max;
            }
            if (high->memory >= low_min && high->memory <= low_max)
                REQUIRE(expected_has(low->cpu, high->memory), "%" PRIu32, high->memory);
            REQUIRE(high->memory >= low_min, "%" PRIu32, high->memory);
        }
    }
}
END_TEST

/* --- The pod's effective request (KEP-753) ------------------------------- */

typedef struct {
    k2e_pod_role role;
    uint64_t amount;
} pod_item;

static uint64_t pod_total(const pod_item *items, size_t n)
{
    k2e_pod_need need = {0, 0, 0};
    for (size_t i = 0; i < n; i++)
        k2e_pod_need_add(&need, items[i].role, items[i].amount);
    return k2e_pod_need_total(&need);
}

/* The KEP's own example shape: an init container runs beside the sidecars
 * started before it, not beside those after it. */
START_TEST(test_pod_need_init_beside_earlier_sidecars)
{
    const pod_item pod[] = {{K2E_POD_INIT, 2048}, {K2E_POD_SIDECAR, 512},
                            {K2E_POD_INIT, 1536}, {K2E_POD_SIDECAR, 256},
                            {K2E_POD_INIT, 1792}, {K2E_POD_APP, 256}};
    /* max(2048, 1536 + 512, 1792 + 512 + 256, 256 + 512 + 256) */
    ck_assert_uint_eq(pod_total(pod, 6), 2560);
    /* "max(largest init, apps + sidecars)" would say 2048 */
}
END_TEST

START_TEST(test_pod_need_apps_and_all_sidecars)
{
    const pod_item pod[] = {{K2E_POD_SIDECAR, 100}, {K2E_POD_INIT, 300},
                            {K2E_POD_APP, 250}, {K2E_POD_APP, 250}};
    ck_assert_uint_eq(pod_total(pod, 4), 600); /* apps 500 + sidecar 100 > 300 + 100 */
    const pod_item later[] = {{K2E_POD_INIT, 300}, {K2E_POD_SIDECAR, 100}};
    ck_assert_uint_eq(pod_total(later, 2), 300); /* the sidecar starts after it */
    ck_assert_uint_eq(pod_total(NULL, 0), 0);
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *suite = suite_create("fargate");
    TCase *tc = tcase_create("sizes");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_sizes_enumeration);
    tcase_add_test(tc, test_sizes_truncated);
    tcase_add_loop_test(tc, test_every_valid_pair_is_valid, 0, SIZE_TOTAL);
    tcase_add_loop_test(tc, test_neighbours, 0, SIZE_TOTAL);
    tcase_add_test(tc, test_grid_validity);
    tcase_add_loop_test(tc, test_pick_table, 0, PICK_COUNT);
    tcase_add_test(tc, test_pick_exhaustive);
    tcase_add_test(tc, test_pick_around_every_size);
    tcase_add_test(tc, test_table_properties);
    tcase_add_test(tc, test_pod_need_init_beside_earlier_sidecars);
    tcase_add_test(tc, test_pod_need_apps_and_all_sidecars);
    suite_add_tcase(suite, tc);
    return suite;
}
