/* Tests for the cron module (include/kube2ecs/cron.h).
 *
 * The acceptance test is the table: for every (schedule, zone, DST policy)
 * the produced expressions are evaluated by an independent oracle
 * (cron_eval.c: its own schedule parser, libc's view of the zone, its own
 * EventBridge parser) over 2027-01-01 .. 2029-01-01 at minute resolution:
 *   1. every expression passes a strict EventBridge syntax check;
 *   2. the rules fire exactly at {u : u + assumed(u) matches}, where
 *      assumed(u) is the offset the result says it assumed in u's UTC month;
 *   3. outside the reported drift periods they fire exactly when the CronJob
 *      controller would (local-clock semantics from libc: gap times skipped,
 *      overlap times twice), and each reported period is exactly a stretch
 *      where the zone's real offset differs from the assumed one, with the
 *      offsets the result states;
 *   4. "exact" holds iff there is no drift and no double start; a double
 *      start happens iff the DOUBLE_FIRE warning is present;
 *   5. for fixed-offset zones the rules are also compared day by day with
 *      the schedule over all of EventBridge's years, 1970-2199, which is
 *      where year lists and leap-year rules are really tested.
 * The remaining tests pin exact outputs for the cases of cron.md, parse
 * errors with their offsets, zone-name validation, @every, and the TZif
 * footer path with synthetic slim zone files.
 */
#include "k2e_test.h"

#include "schedules/cron/cron.h"

#include "cron_eval.c"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A passing ck_assert records its location with a write() to Check's pipe;
 * in loops over thousands of cases that dominated the run time, so hot
 * paths only call into Check when something fails. */
#define CHECK(cond, ...)                                                                 \
    do {                                                                                 \
        if (!(cond))                                                                     \
            ck_abort_msg(__VA_ARGS__);                                                   \
    } while (0)

#define WINDOW_FROM INT64_C(1798761600) /* 2027-01-01 00:00 UTC */
#define WINDOW_TO INT64_C(1861920000)   /* 2029-01-01 00:00 UTC */

static const char *const schedules[] = {
    /* every minute / sub-hour steps / minute lists */
    "* * * * *", "*/5 * * * *", "*/15 * * * *", "*/7 * * * *", "0 * * * *", "30 * * * *",
    "15,45 * * * *", "0,30 * * * *", "10-40/10 * * * *", "5/15 * * * *", "1-59/2 0 * * *",
    "*/20 9 * * *", "*/10 0-3 * * 1", "59 * * * *", "45 */2 * * *",
    /* hours */
    "0 0 * * *", "0 9 * * *", "30 2 * * *", "30 1 * * *", "0 1 * * *", "45 23 * * *", "0 12 * * *",
    "5 4 * * *", "0 14 * * *", "0 15 * * *", "0 20 * * *", "0 0-8 * * *", "0 22-23 * * *",
    "0 0,12 * * *", "0 6-18/3 * * *", "0 1/2 * * *", "0 0-23/2 * * *", "15 18 * * *",
    "0 10 * * *", "30 5 * * *", "0 8 * * *", "20 11 * * *", "0 16 * * *", "0 19 * * *",
    /* day of month, month boundaries, leap years */
    "0 0 1 * *", "0 5 1 * *", "0 5 1-3 * *", "0 0 31 * *", "0 0 30 * *", "0 0 29 * *",
    "0 0 28 * *", "0 0 1,31 * *", "0 0 1-5,25-31 * *", "0 0 */5 * *", "0 0 2-30/7 * *",
    "0 12 1,10,20 * *", "45 3 1 * *", "0 23 15 * *", "7 7 7 7 *", "0 0 1 1 *", "0 0 31 12 *",
    "59 23 31 12 *", "0 0 29 2 *", "0 21 28 2 *", "0 22 29 2 *", "0 3 1 3 *", "30 20 28,29 2 *",
    "0 0 28 2 *", "0 0 1 2 *", "0 0 1 3 *", "0 18 28-31 * *", "0 2 30 4,6,9,11 *",
    /* months */
    "0 0 * 1 *", "0 0 * jan-mar *", "0 0 1 */3 *", "0 0 1 1,4,7,10 *", "0 12 * 12 *",
    "0 23 * 2 *", "0 1 * 3 *", "30 22 * 6-8 *",
    /* weekdays */
    "0 0 * * 0", "0 0 * * 1", "0 9 * * 1-5", "0 18 * * mon-fri", "0 0 * * sat,sun",
    "0 */6 * * 1", "0 23 * * 5", "30 0 * * 6", "0 8 * * 1,3,5", "0 3 * * 0-6", "0 0 * * 0,6",
    "30 19 * * 0", "0 2 * * 0", "0 12 * * wed", "0 22 * * 6", "0 6 * * 1",
    /* weekdays restricted to months (boundary days cross months) */
    "0 0 * 2 1", "0 5 * 1 1", "0 0 * 6-8 1-5", "0 10 * 12 0", "0 0 * 3 0", "0 2 * 3,11 0",
    "0 22 * 1 5",
    /* dom OR dow */
    "0 0 1-7 * 1", "0 0 */2 * 1", "0 0 */1 * 1", "0 0 1-31 * 1", "0 0 15 * 5", "0 12 13 * 5",
    "0 0 1,15 * 3", "0 0 8-14 * 2", "0 23 1 * 0", "0 6 31 1 6", "0 0 31 2 1",
    /* descriptors and '?' */
    "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    "0 0 ? * ?", "0 0 * * ?", "? ? ? ? ?",
    /* never fires */
    "0 0 31 2 *", "0 0 30 2 *", "0 0 31 4,6,9,11 *",
};

static const char *const fixed_zones[] = {
    "UTC",          "Asia/Tokyo",        "Asia/Kolkata",     "Asia/Kathmandu",
    "America/Sao_Paulo", "Etc/GMT+5",   "Pacific/Kiritimati", "Pacific/Pago_Pago",
};

static const char *const dst_zones[] = {
    "America/New_York",  "Europe/Berlin",   "Australia/Adelaide", "Pacific/Chatham",
    "America/St_Johns", "Australia/Lord_Howe",
};

#define NSCHED (sizeof schedules / sizeof schedules[0])
#define NFIXED (sizeof fixed_zones / sizeof fixed_zones[0])
#define NDST (sizeof dst_zones / sizeof dst_zones[0])

/* ---- helpers ------------------------------------------------------------------ */

static bool has_warning(const k2e_cron_result *r, k2e_cron_warning_kind kind)
{
    for (size_t i = 0; i < r->warning_count; i++)
        if (r->warning_kinds[i] == kind)
            return true;
    return false;
}

static const char *warning_text(const k2e_cron_result *r, k2e_cron_warning_kind kind)
{
    for (size_t i = 0; i < r->warning_count; i++)
        if (r->warning_kinds[i] == kind)
            return r->warnings[i];
    return "";
}

static int off_zone(const void *ctx, int64_t t)
{
    return ev_zone_offset(ctx, t);
}

/* UTC month of an instant in the window, from a table of month starts built
 * once with timegm (called twice per UTC hour of every case). */
static int utc_month_of(int64_t t)
{
    static int64_t starts[25];
    if (starts[0] == 0)
        for (int i = 0; i < 25; i++) {
            struct tm tm = {.tm_year = 127 + i / 12, .tm_mon = i % 12, .tm_mday = 1};
            starts[i] = (int64_t)timegm(&tm);
        }
    int i = 0;
    while (i < 24 && starts[i + 1] <= t)
        i++;
    return i % 12 + 1;
}

static int off_assumed(const void *ctx, int64_t t)
{
    const int *assumed = ctx;
    return assumed[utc_month_of(t) - 1];
}

static char *describe(const k2e_cron_result *r)
{
    static char buf[8192];
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < r->count && n < 1200; i++) /* Check caps messages at ~4 KB */
        n += (size_t)snprintf(buf + n, sizeof buf - n, " %s", r->expressions[i]);
    return buf;
}

static void fmt_minute(char *buf, size_t len, const ev_bitmap *b, size_t i)
{
    time_t t = (time_t)(b->from + (int64_t)i * 60);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, len, "%Y-%m-%d %H:%M UTC", &tm);
}

/* First minute where a and b differ within mask (or everywhere), or SIZE_MAX. */
static size_t first_diff(const ev_bitmap *a, const ev_bitmap *b, const ev_bitmap *skip)
{
    for (size_t w = 0; w < a->minutes / 64 + 1; w++) {
        uint64_t d = a->bits[w] ^ b->bits[w];
        if (skip)
            d &= ~skip->bits[w];
        if (d)
            return w * 64 + (size_t)__builtin_ctzll(d);
    }
    return SIZE_MAX;
}

typedef struct {
    size_t cases, expressions, drift_cases, double_cases, never_cases, long_range, most;
} stats;

/* ---- the long-range check for fixed offsets ------------------------------------ */

typedef struct {
    uint64_t w[23]; /* 1440 bits */
} day_bits;

static void tod_set(day_bits *b, int minute)
{
    b->w[minute / 64] |= UINT64_C(1) << (minute % 64);
}

/* Day by day over 1970-2199: UTC fires of the schedule at a fixed offset vs
 * the union of the rules.  A day's expected minutes depend only on which of
 * the local days before/on/after it match (3 bits), and the rules' minutes
 * only on which rules match the day (one bit per rule), so each distinct pair
 * is compared once and the walk itself is cheap.  Returns the first
 * differing day or -1. */
static int64_t long_range_check(const ev_sched *s, int off, const ev_rule *rules, size_t nrules,
                                const ev_date *d, int64_t first, size_t n)
{
    day_bits shifted[3] = {{{0}}}, *rule_tod = calloc(nrules ? nrules : 1, sizeof *rule_tod);
    for (int h = 0; h < 24; h++)
        for (int m = 0; m < 60; m++)
            if (((s->hour >> h) & 1) && ((s->min >> m) & 1))
                for (int k = -1; k <= 1; k++) { /* local day = UTC day + k */
                    int u = h * 60 + m - off + k * 1440;
                    if (u >= 0 && u < 1440)
                        tod_set(&shifted[k + 1], u);
                }
    for (size_t i = 0; i < nrules; i++)
        for (int h = 0; h < 24; h++)
            for (int m = 0; m < 60; m++)
                if (((rules[i].hour >> h) & 1) && ((rules[i].min >> m) & 1))
                    tod_set(&rule_tod[i], h * 60 + m);
    enum { SEEN = 256 };
    struct {
        unsigned local;
        uint64_t rules;
    } seen[SEEN];
    size_t nseen = 0;
    int64_t bad = -1;
    bool *match = malloc(n);
    for (size_t i = 0; i < n; i++)
        match[i] = ev_day_match(s, d[i].m, d[i].d, d[i].wday);
    for (size_t i = 1; i + 1 < n && bad < 0; i++) {
        unsigned local = (unsigned)match[i - 1] | (unsigned)match[i] << 1 | (unsigned)match[i + 1] << 2;
        uint64_t which = 0;
        for (size_t r = 0; r < nrules && r < 64; r++)
            if (ev_eb_day_match(&rules[r], d[i].y, d[i].m, d[i].d, d[i].wday))
                which |= UINT64_C(1) << r;
        size_t k = 0; /* the memo key holds 64 rules; beyond that compare every day */
        while (nrules <= 64 && k < nseen && !(seen[k].local == local && seen[k].rules == which))
            k++;
        if (nrules <= 64 && k < nseen)
            continue;
        if (nrules <= 64 && nseen < SEEN)
            seen[nseen].local = local, seen[nseen++].rules = which;
        day_bits want = {{0}}, got = {{0}};
        for (int j = 0; j < 3; j++)
            if ((local >> j) & 1)
                for (int w = 0; w < 23; w++)
                    want.w[w] |= shifted[j].w[w];
        for (size_t r = 0; r < nrules; r++)
            if (r < 64 ? (which >> r) & 1
                       : ev_eb_day_match(&rules[r], d[i].y, d[i].m, d[i].d, d[i].wday))
                for (int w = 0; w < 23; w++) {
                    if (got.w[w] & rule_tod[r].w[w])
                        bad = first + (int64_t)i; /* two rules at one instant */
                    got.w[w] |= rule_tod[r].w[w];
                }
        if (memcmp(&want, &got, sizeof want) != 0)
            bad = first + (int64_t)i;
    }
    free(match);
    free(rule_tod);
    return bad;
}

/* ---- the table check ------------------------------------------------------------ */

/* The DOUBLE_FIRE warning names a date ("such as 2032-01-31, a Saturday")
 * that must match both day fields. */
static void check_double_example(const ev_sched *s, const char *w, const char *sched)
{
    const char *p = strstr(w, "such as ");
    int y, m, d;
    CHECK(p && sscanf(p, "such as %d-%d-%d", &y, &m, &d) == 3, "[%s]: %s", sched, w);
    int wday = (int)((ev_days_from_civil(y, m, d) % 7 + 7 + 4) % 7);
    CHECK(((s->mon >> m) & 1) && ((s->dom >> d) & 1) && ((s->dow >> wday) & 1),
                  "[%s]: %d-%d-%d does not match both fields", sched, y, m, d);
}

/* Bitmaps reused across cases: allocating 130 KB four times per case made
 * the suite spend a third of its time in the kernel. */
typedef struct {
    ev_bitmap rules, want, truth, drift;
    ev_date *dates; /* 1969-12-31 .. 2200-01-01, for the long-range check */
    int64_t first;
    size_t ndates;
} workspace;

static void workspace_init(workspace *w)
{
    ev_bitmap_init(&w->rules, WINDOW_FROM, WINDOW_TO);
    ev_bitmap_init(&w->want, WINDOW_FROM, WINDOW_TO);
    ev_bitmap_init(&w->truth, WINDOW_FROM, WINDOW_TO);
    ev_bitmap_init(&w->drift, WINDOW_FROM, WINDOW_TO);
    w->first = ev_days_from_civil(1970, 1, 1) - 1;
    w->ndates = (size_t)(ev_days_from_civil(2200, 1, 1) - w->first) + 1;
    w->dates = ev_dates(w->first, w->ndates);
}

static void workspace_clear(workspace *w)
{
    size_t bytes = (w->rules.minutes / 64 + 1) * sizeof(uint64_t);
    memset(w->rules.bits, 0, bytes);
    memset(w->want.bits, 0, bytes);
    memset(w->truth.bits, 0, bytes);
    memset(w->drift.bits, 0, bytes);
}

static void workspace_free(workspace *w)
{
    ev_bitmap_free(&w->rules);
    ev_bitmap_free(&w->want);
    ev_bitmap_free(&w->truth);
    ev_bitmap_free(&w->drift);
    free(w->dates);
}

static void set_range(ev_bitmap *b, size_t i0, size_t i1)
{
    for (size_t i = i0; i < i1;) {
        if (i % 64 == 0 && i + 64 <= i1) {
            b->bits[i / 64] = ~UINT64_C(0);
            i += 64;
        } else {
            ev_bitmap_set(b, i++);
        }
    }
}

static void check_case(const char *sched, const char *zone, const ev_zone *z,
                       k2e_cron_dst_policy policy, bool fixed, workspace *ws, stats *st)
{
    k2e_cron_options opt = {NULL, policy, 0, 0};
    k2e_cron_result r;
    k2e_cron_status status = k2e_cron_translate_ex(sched, zone, &opt, &r);
    CHECK(status == K2E_CRON_OK, "[%s] in %s: status %d (%s)", sched, zone, status,
                  r.error ? r.error : "");
    ev_sched s;
    CHECK(ev_parse_k8s(sched, &s) == 0, "oracle cannot parse [%s]", sched);

    workspace_clear(ws);
    ev_rule *parsed = calloc(r.count + 1, sizeof *parsed);
    size_t overlaps = 0;
    for (size_t i = 0; i < r.count; i++) {
        const char *why = ev_check_eb_syntax(r.expressions[i]);
        CHECK(why == NULL, "[%s] in %s: %s: %s", sched, zone, r.expressions[i], why);
        CHECK(ev_parse_eb(r.expressions[i], &parsed[i]) == 0, "oracle cannot parse %s",
              r.expressions[i]);
        overlaps += ev_fire_eb(&parsed[i], &ws->rules);
    }
    st->expressions += r.count;
    st->most = r.count > st->most ? r.count : st->most;

    /* 2: the rules are exactly the schedule read with the assumed offsets */
    ev_fire_k8s(&s, off_assumed, r.assumed_offset_minutes, &ws->want);
    size_t d = first_diff(&ws->rules, &ws->want, NULL);
    char when[64] = "";
    if (d != SIZE_MAX)
        fmt_minute(when, sizeof when, &ws->rules, d);
    CHECK(d == SIZE_MAX, "[%s] in %s (policy %d): rules%s %s at %s but assumed-offset "
                  "schedule %s",
                  sched, zone, policy, describe(&r), ev_bitmap_get(&ws->rules, d) ? "fire" : "do not fire",
                  when, ev_bitmap_get(&ws->want, d) ? "fires" : "does not");

    /* 3: truth vs rules outside drift periods; drift periods are real */
    ev_fire_k8s(&s, off_zone, z, &ws->truth);
    for (size_t i = 0; i < r.drift_count; i++) {
        const k2e_cron_drift *dr = &r.drifts[i];
        CHECK(dr->utc_start >= WINDOW_FROM && dr->utc_end <= WINDOW_TO &&
                          dr->utc_start < dr->utc_end,
                      "[%s] in %s: drift period outside the window", sched, zone);
        CHECK(dr->assumed_offset_minutes != dr->actual_offset_minutes, "[%s] in %s: empty drift",
              sched, zone);
        set_range(&ws->drift, (size_t)((dr->utc_start - WINDOW_FROM) / 60),
                  (size_t)((dr->utc_end - WINDOW_FROM) / 60));
        /* offsets change on whole minutes and stay put for hours: check every
         * hour and the last minute */
        for (int64_t t = dr->utc_start; t < dr->utc_end; t = t + 3600 < dr->utc_end ? t + 3600 :
                                                              (t + 60 < dr->utc_end ? dr->utc_end - 60 : dr->utc_end)) {
            CHECK(ev_zone_offset(z, t) == dr->actual_offset_minutes,
                          "[%s] in %s: drift claims offset %d at %lld, libc says %d", sched, zone,
                          dr->actual_offset_minutes, (long long)t, ev_zone_offset(z, t));
            CHECK(off_assumed(r.assumed_offset_minutes, t) == dr->assumed_offset_minutes,
                  "[%s] in %s: drift assumed offset differs from the month's", sched, zone);
        }
    }
    d = first_diff(&ws->rules, &ws->truth, &ws->drift);
    if (d != SIZE_MAX)
        fmt_minute(when, sizeof when, &ws->rules, d);
    CHECK(d == SIZE_MAX, "[%s] in %s (policy %d): outside drift periods rules%s %s at %s, "
                  "Kubernetes %s",
                  sched, zone, policy, describe(&r), ev_bitmap_get(&ws->rules, d) ? "fire" : "do not fire",
                  when, ev_bitmap_get(&ws->truth, d) ? "fires" : "does not");

    /* 4: warnings and exactness agree with what was measured */
    bool differs = first_diff(&ws->rules, &ws->truth, NULL) != SIZE_MAX;
    CHECK((r.drift_count > 0) == has_warning(&r, K2E_CRON_WARN_DST_DRIFT),
                  "[%s] in %s: drift data and warning disagree", sched, zone);
    CHECK(!differs || r.drift_count > 0, "[%s] in %s: differs without a drift warning",
                  sched, zone);
    bool doubled = has_warning(&r, K2E_CRON_WARN_DOUBLE_FIRE);
    CHECK(overlaps == 0 || doubled, "[%s] in %s: %zu double starts without a warning",
                  sched, zone, overlaps);
    if (doubled && overlaps == 0) /* the coincidence lies outside the window: check the example */
        check_double_example(&s, warning_text(&r, K2E_CRON_WARN_DOUBLE_FIRE), sched);
    CHECK(r.exact == (r.drift_count == 0 && !doubled), "[%s] in %s: exact=%d", sched, zone,
                  r.exact);
    CHECK((r.count > K2E_CRON_MANY_RULES) == has_warning(&r, K2E_CRON_WARN_MANY_RULES),
          "[%s] in %s: %zu rules, many-rules warning %d", sched, zone, r.count,
          has_warning(&r, K2E_CRON_WARN_MANY_RULES));
    CHECK((r.count == 0) == has_warning(&r, K2E_CRON_WARN_NEVER_FIRES),
                  "[%s] in %s: never-fires warning", sched, zone);
    if (r.drift_count > 0) {
        const char *w = warning_text(&r, K2E_CRON_WARN_DST_DRIFT);
        CHECK(strstr(w, zone) && strstr(w, "UTC") &&
                          (strstr(w, " later ") || strstr(w, " earlier ")),
                      "[%s] in %s: vague warning: %s", sched, zone, w);
        st->drift_cases++;
    }
    if (fixed) {
        CHECK(r.drift_count == 0 && r.assumed_offset_minutes[0] == z->off_min[0],
                      "[%s] in %s: fixed zone not treated as fixed", sched, zone);
        if (r.exact) {
            int64_t bad = long_range_check(&s, z->off_min[0], parsed, r.count, ws->dates, ws->first,
                                           ws->ndates);
            int y = 0, m = 0, dd = 0;
            if (bad >= 0)
                ev_civil_from_days(bad, &y, &m, &dd);
            CHECK(bad < 0, "[%s] in %s: rules%s differ from the schedule on %04d-%02d-%02d",
                          sched, zone, describe(&r), y, m, dd);
            st->long_range++;
        }
    }
    st->double_cases += doubled;
    st->never_cases += r.count == 0;
    st->cases++;
    free(parsed);
    k2e_cron_result_free(&r);
}

START_TEST(table_fixed_zone)
{
    const char *zone = fixed_zones[_i];
    ev_zone z;
    ev_zone_load(zone, WINDOW_FROM, WINDOW_TO, &z);
    ck_assert_msg(z.n == 1, "%s is expected to have a fixed offset in 2027-2028", zone);
    stats st = {0};
    workspace ws;
    workspace_init(&ws);
    for (size_t i = 0; i < NSCHED; i++)
        check_case(schedules[i], zone, &z, K2E_CRON_DST_STANDARD, true, &ws, &st);
    workspace_free(&ws);
    printf("table %-20s %zu cases, %zu expressions, %zu day-by-day 1970-2199, %zu double, %zu never\n",
           zone, st.cases, st.expressions, st.long_range, st.double_cases, st.never_cases);
}
END_TEST

START_TEST(table_dst_zone)
{
    const char *zone = dst_zones[_i / 2];
    k2e_cron_dst_policy policy = _i % 2 ? K2E_CRON_DST_SEASONAL : K2E_CRON_DST_STANDARD;
    ev_zone z;
    ev_zone_load(zone, WINDOW_FROM, WINDOW_TO, &z);
    ck_assert_msg(z.n > 1, "%s is expected to observe DST in 2027-2028", zone);
    stats st = {0};
    workspace ws;
    workspace_init(&ws);
    for (size_t i = 0; i < NSCHED; i++)
        check_case(schedules[i], zone, &z, policy, false, &ws, &st);
    workspace_free(&ws);
    printf("table %-20s %-8s %zu cases, %zu expressions, %zu with drift, %zu exact\n", zone,
           policy ? "seasonal" : "standard", st.cases, st.expressions, st.drift_cases,
           st.cases - st.drift_cases - st.double_cases);
}
END_TEST

/* ---- random schedules ----------------------------------------------------------------- */

/* A small deterministic generator (xorshift) so failures reproduce. */
static uint64_t rnd_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static int rnd(uint64_t *x, int lo, int hi)
{
    return lo + (int)(rnd_next(x) % (uint64_t)(hi - lo + 1));
}

static void rnd_item(uint64_t *x, char *buf, size_t len, int lo, int hi, const char *const *names)
{
    int a = rnd(x, lo, hi), b = rnd(x, a, hi), k = rnd(x, 2, (hi - lo) / 2 + 2);
    char av[8], bv[8];
    if (names && rnd(x, 0, 2) == 0)
        snprintf(av, sizeof av, "%s", names[a - lo]), snprintf(bv, sizeof bv, "%s", names[b - lo]);
    else
        snprintf(av, sizeof av, "%d", a), snprintf(bv, sizeof bv, "%d", b);
    switch (rnd(x, 0, 6)) {
    case 0: snprintf(buf, len, "*"); break;
    case 1: snprintf(buf, len, "*/%d", k); break;
    case 2: snprintf(buf, len, "%s-%s", av, bv); break;
    case 3: snprintf(buf, len, "%s-%s/%d", av, bv, k); break;
    case 4: snprintf(buf, len, "%d/%d", a, k); break;
    default: snprintf(buf, len, "%s", av); break;
    }
}

static void rnd_field(uint64_t *x, char *buf, size_t len, int lo, int hi, const char *const *names,
                      int star_weight)
{
    if (rnd(x, 0, 9) < star_weight) {
        snprintf(buf, len, "%s", rnd(x, 0, 4) ? "*" : "?");
        return;
    }
    size_t n = 0;
    int items = rnd(x, 1, 3);
    for (int i = 0; i < items && n < len - 20; i++) {
        char it[32];
        rnd_item(x, it, sizeof it, lo, hi, names);
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "," : "", it);
    }
}

START_TEST(random_schedules)
{
    static const char *const mon[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                      "jul", "aug", "sep", "oct", "nov", "dec"};
    static const char *const dow[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    const char *zones[NFIXED + NDST];
    ev_zone z[NFIXED + NDST];
    for (size_t i = 0; i < NFIXED + NDST; i++) {
        zones[i] = i < NFIXED ? fixed_zones[i] : dst_zones[i - NFIXED];
        ev_zone_load(zones[i], WINDOW_FROM, WINDOW_TO, &z[i]);
    }
    uint64_t seed = UINT64_C(0x9E3779B97F4A7C15);
    stats st = {0};
    workspace ws;
    workspace_init(&ws);
    for (int i = 0; i < 420; i++) {
        char f[5][64], sched[400];
        rnd_field(&seed, f[0], sizeof f[0], 0, 59, NULL, 1);
        rnd_field(&seed, f[1], sizeof f[1], 0, 23, NULL, 2);
        rnd_field(&seed, f[2], sizeof f[2], 1, 31, NULL, 6);
        rnd_field(&seed, f[3], sizeof f[3], 1, 12, mon, 6);
        rnd_field(&seed, f[4], sizeof f[4], 0, 6, dow, 6);
        snprintf(sched, sizeof sched, "%s %s %s %s %s", f[0], f[1], f[2], f[3], f[4]);
        size_t zi = (size_t)i % (NFIXED + NDST);
        check_case(sched, zones[zi], &z[zi], (i / (int)(NFIXED + NDST)) % 2 ? K2E_CRON_DST_SEASONAL
                                                                             : K2E_CRON_DST_STANDARD,
                   zi < NFIXED, &ws, &st);
    }
    workspace_free(&ws);
    printf("random: %zu cases, %zu expressions (at most %zu for one schedule), %zu day-by-day, "
           "%zu with drift, %zu double, %zu never\n",
           st.cases, st.expressions, st.most, st.long_range, st.drift_cases, st.double_cases,
           st.never_cases);
}
END_TEST

START_TEST(api_edges)
{
    k2e_cron_result r;
    memset(&r, 0, sizeof r);
    k2e_cron_result_free(&r); /* zeroed result */
    ck_assert_int_eq(k2e_cron_translate_ex("0 9 * * *", "Asia/Tokyo", NULL, &r), K2E_CRON_OK);
    ck_assert_str_eq(r.expressions[0], "cron(0 0 * * ? *)");
    for (int m = 0; m < 12; m++)
        ck_assert_int_eq(r.assumed_offset_minutes[m], 540);
    k2e_cron_result_free(&r);
    k2e_cron_options o = {NULL, K2E_CRON_DST_STANDARD, 2027, 7};
    ck_assert_int_eq(k2e_cron_translate_ex("0 9 * * *", "UTC", &o, &r), K2E_CRON_UNSUPPORTED);
    ck_assert_ptr_nonnull(r.error);
    ck_assert_ptr_null(r.expressions);
    k2e_cron_result_free(&r);
    /* another window: 2030-2031, New York drift dates move accordingly */
    k2e_cron_options o2 = {NULL, K2E_CRON_DST_STANDARD, 2030, 2};
    ck_assert_int_eq(k2e_cron_translate_ex("0 9 * * *", "America/New_York", &o2, &r), K2E_CRON_OK);
    ck_assert_uint_eq(r.drift_count, 2);
    ck_assert_ptr_nonnull(strstr(r.warnings[0], "from 2030-03-10 07:00 to 2030-11-03 06:00"));
    k2e_cron_result_free(&r);
    /* the error result keeps nothing but the error */
    ck_assert_int_eq(k2e_cron_translate("0 0 * * 7", "America/New_York", NULL, &r), K2E_CRON_INVALID);
    ck_assert_uint_eq(r.warning_count + r.count + r.drift_count, 0);
    k2e_cron_result_free(&r);
}
END_TEST

/* ---- pinned outputs ------------------------------------------------------------------ */

typedef struct {
    const char *schedule, *zone;
    const char *expr[4];
    int exact;
    int warning; /* -1: none */
} golden;

static const golden goldens[] = {
    /* cron.md: what one rule cannot express */
    {"*/20 9 * * *", "Asia/Kolkata", {"cron(30,50 3 * * ? *)", "cron(10 4 * * ? *)"}, 1, -1},
    {"0 */6 * * 1", "Asia/Tokyo", {"cron(0 15,21 ? * 1 *)", "cron(0 3,9 ? * 2 *)"}, 1, -1},
    {"0 5 1-3 * *", "Asia/Tokyo", {"cron(0 20 L * ? *)", "cron(0 20 1,2 * ? *)"}, 1, -1},
    {"0 21 28 2 *", "America/Sao_Paulo",
     {"cron(0 0 29 2 ? *)", "cron(0 0 1 3 ? 1970/4,1971/2,2100)"}, 1, -1},
    {"0 22 29 2 *", "America/Sao_Paulo", {"cron(0 1 1 3 ? 1972-2096/4,2104/4)"}, 1, -1},
    {"*/15 * * * *", "America/New_York", {"cron(0/15 * * * ? *)"}, 1, -1},
    {"0 * * * *", "Europe/Berlin", {"cron(0 * * * ? *)"}, 1, -1},
    {"0 * * * *", "Australia/Adelaide", {"cron(30 * * * ? *)"}, 1, -1},
    {"0 * * * *", "Pacific/Chatham", {"cron(15 * * * ? *)"}, 1, -1},
    /* cron.md: day rule */
    {"0 0 1-7 * 1", NULL, {"cron(0 0 1-7 * ? *)", "cron(0 0 ? * 2 *)"}, 0, K2E_CRON_WARN_DOUBLE_FIRE},
    {"0 0 */2 * 1", NULL, {"cron(0 0 1/2 * ? *)", "cron(0 0 ? * 2 *)"}, 0, K2E_CRON_WARN_DOUBLE_FIRE},
    {"0 0 */1 * 1", NULL, {"cron(0 0 ? * 2 *)"}, 1, -1},
    {"0 0 1-31 * 1", NULL, {"cron(0 0 * * ? *)"}, 1, -1},
    {"0 0 31 2 1", NULL, {"cron(0 0 ? 2 2 *)"}, 1, -1},
    /* descriptors */
    {"@hourly", NULL, {"cron(0 * * * ? *)"}, 1, -1},
    {"@daily", NULL, {"cron(0 0 * * ? *)"}, 1, -1},
    {"@weekly", NULL, {"cron(0 0 ? * 1 *)"}, 1, -1},
    {"@monthly", NULL, {"cron(0 0 1 * ? *)"}, 1, -1},
    {"@yearly", NULL, {"cron(0 0 1 1 ? *)"}, 1, -1},
    {"@monthly", "Asia/Tokyo", {"cron(0 15 L * ? *)"}, 1, -1},
    {"@yearly", "Asia/Tokyo", {"cron(0 15 31 12 ? *)"}, 1, -1},
    {"@weekly", "Asia/Tokyo", {"cron(0 15 ? * 7 *)"}, 1, -1},
    /* shapes of fields */
    {"*/5 * * * *", NULL, {"cron(0/5 * * * ? *)"}, 1, -1},
    {"0,30 * * * *", NULL, {"cron(0,30 * * * ? *)"}, 1, -1},
    {"0 9 * * 1-5", NULL, {"cron(0 9 ? * 2-6 *)"}, 1, -1},
    {"0 0 * * sat,sun", NULL, {"cron(0 0 ? * 1,7 *)"}, 1, -1},
    {"0 0 * * 0,1,5,6", NULL, {"cron(0 0 ? * 1,2,6,7 *)"}, 1, -1},
    {"0 1/2 * * *", NULL, {"cron(0 1/2 * * ? *)"}, 1, -1},
    {"0 0 31 * *", NULL, {"cron(0 0 31 * ? *)"}, 1, -1},
    {"0 0 1 */3 *", NULL, {"cron(0 0 1 1/3 ? *)"}, 1, -1},
    {"0 0 * * *", "Asia/Kathmandu", {"cron(15 18 * * ? *)"}, 1, -1},
    {"0 0 1 3 *", "Asia/Tokyo", {"cron(0 15 L 2 ? *)"}, 1, -1},
    {"0 9 * * *", "Etc/GMT+5", {"cron(0 14 * * ? *)"}, 1, -1},
    /* DST */
    {"0 9 * * *", "America/New_York", {"cron(0 14 * * ? *)"}, 0, K2E_CRON_WARN_DST_DRIFT},
    {"0 9 * 1 *", "America/New_York", {"cron(0 14 * 1 ? *)"}, 1, -1},
    /* never */
    {"0 0 30 2 *", NULL, {NULL}, 1, K2E_CRON_WARN_NEVER_FIRES},
};

START_TEST(golden_outputs)
{
    const golden *g = &goldens[_i];
    k2e_cron_result r;
    ck_assert_int_eq(k2e_cron_translate(g->schedule, g->zone, NULL, &r), K2E_CRON_OK);
    size_t n = 0;
    while (n < 4 && g->expr[n])
        n++;
    ck_assert_msg(r.count == n, "[%s] in %s: got%s", g->schedule, g->zone ? g->zone : "UTC",
                  describe(&r));
    for (size_t i = 0; i < n; i++)
        ck_assert_msg(strcmp(r.expressions[i], g->expr[i]) == 0, "[%s] in %s: got%s",
                      g->schedule, g->zone ? g->zone : "UTC", describe(&r));
    ck_assert_int_eq(r.exact, g->exact);
    if (g->warning >= 0)
        ck_assert_msg(has_warning(&r, (k2e_cron_warning_kind)g->warning), "[%s]: warning %d missing",
                      g->schedule, g->warning);
    else
        ck_assert_uint_eq(r.warning_count, 0);
    k2e_cron_result_free(&r);
}
END_TEST

START_TEST(dst_warning_text)
{
    k2e_cron_result r;
    ck_assert_int_eq(k2e_cron_translate("0 9 * * *", "America/New_York", NULL, &r), K2E_CRON_OK);
    const char *w = warning_text(&r, K2E_CRON_WARN_DST_DRIFT);
    ck_assert_ptr_nonnull(strstr(w, "assume its standard time, UTC-05:00, all year"));
    ck_assert_ptr_nonnull(strstr(w, "from 2027-03-14 07:00 to 2027-11-07 06:00"));
    ck_assert_ptr_nonnull(strstr(w, "each run starts 1 hour later"));
    ck_assert_ptr_nonnull(strstr(w, "(the 09:00 run starts at 10:00 local time)"));
    ck_assert_ptr_nonnull(strstr(w, "2nd Sunday of March at 02:00"));
    ck_assert_ptr_nonnull(strstr(w, "1st Sunday of November at 02:00"));
    ck_assert_uint_eq(r.drift_count, 2);
    ck_assert_int_eq(r.drifts[0].utc_start, INT64_C(1805007600)); /* 2027-03-14 07:00 UTC */
    ck_assert_int_eq(r.drifts[0].assumed_offset_minutes, -300);
    ck_assert_int_eq(r.drifts[0].actual_offset_minutes, -240);
    k2e_cron_result_free(&r);

    /* gap and overlap are spelled out when the schedule hits them */
    ck_assert_int_eq(k2e_cron_translate("30 1,2 * * *", "America/New_York", NULL, &r), K2E_CRON_OK);
    w = warning_text(&r, K2E_CRON_WARN_DST_DRIFT);
    ck_assert_ptr_nonnull(strstr(w, "On 2027-03-14 the clocks go forward and Kubernetes skips the "
                                    "02:30 run"));
    ck_assert_ptr_nonnull(strstr(w, "these rules still start it"));
    ck_assert_ptr_nonnull(strstr(w, "On 2027-11-07 the clocks go back and Kubernetes starts the "
                                    "01:30 run twice"));
    ck_assert_ptr_nonnull(strstr(w, "these rules start it once"));
    k2e_cron_result_free(&r);

    /* seasonal policy: two rule sets, drift only in the transition months */
    k2e_cron_options opt = {NULL, K2E_CRON_DST_SEASONAL, 0, 0};
    ck_assert_int_eq(k2e_cron_translate_ex("0 9 * * *", "America/New_York", &opt, &r), K2E_CRON_OK);
    ck_assert_uint_eq(r.count, 2);
    ck_assert_str_eq(r.expressions[0], "cron(0 14 * 1,2,11,12 ? *)");
    ck_assert_str_eq(r.expressions[1], "cron(0 13 * 3-10 ? *)");
    w = warning_text(&r, K2E_CRON_WARN_DST_DRIFT);
    ck_assert_ptr_nonnull(strstr(w, "from 2027-03-01 00:00 to 2027-03-14 07:00"));
    ck_assert_ptr_nonnull(strstr(w, "1 hour earlier"));
    ck_assert_ptr_nonnull(strstr(w, "from 2027-11-01 00:00 to 2027-11-07 06:00"));
    k2e_cron_result_free(&r);

    /* 30-minute DST */
    ck_assert_int_eq(k2e_cron_translate("0 9 * * *", "Australia/Lord_Howe", NULL, &r), K2E_CRON_OK);
    w = warning_text(&r, K2E_CRON_WARN_DST_DRIFT);
    ck_assert_ptr_nonnull(strstr(w, "each run starts 30 minutes later"));
    ck_assert_ptr_nonnull(strstr(w, "(the 09:00 run starts at 09:30 local time)"));
    k2e_cron_result_free(&r);
}
END_TEST

/* ---- errors -------------------------------------------------------------------------- */

typedef struct {
    const char *schedule;
    k2e_cron_status status;
    size_t offset;
    const char *message; /* substring */
} bad_case;

static const bad_case bad_cases[] = {
    {"", K2E_CRON_INVALID, 0, "empty"},
    {"   ", K2E_CRON_INVALID, 3, "expected exactly 5 fields, found 0"},
    {"0 0 * *", K2E_CRON_INVALID, 7, "expected exactly 5 fields, found 4"},
    {"0 0 * * * *", K2E_CRON_INVALID, 10, "expected exactly 5 fields, found 6"},
    {"0 0 * * 7", K2E_CRON_INVALID, 8, "day-of-week field: end of range (7) above maximum (6): 7"},
    {"0 0 * * 1-7", K2E_CRON_INVALID, 8, "end of range (7) above maximum (6): 1-7"},
    {"60 * * * *", K2E_CRON_INVALID, 0, "minute field: end of range (60) above maximum (59)"},
    {"* 24 * * *", K2E_CRON_INVALID, 2, "hour field: end of range (24)"},
    {"* * 0 * *", K2E_CRON_INVALID, 4, "day-of-month field: beginning of range (0) below minimum (1)"},
    {"* * * 13 *", K2E_CRON_INVALID, 6, "month field: end of range (13) above maximum (12)"},
    {"*/0 * * * *", K2E_CRON_INVALID, 0, "step of range should be a positive number"},
    {"1-2-3 * * * *", K2E_CRON_INVALID, 0, "too many hyphens: 1-2-3"},
    {"1/2/3 * * * *", K2E_CRON_INVALID, 0, "too many slashes: 1/2/3"},
    {"a * * * *", K2E_CRON_INVALID, 0, "failed to parse int from a"},
    {"5-1 * * * *", K2E_CRON_INVALID, 0, "beginning of range (5) beyond end of range (1)"},
    {"0 0 1,2,x * *", K2E_CRON_INVALID, 8, "failed to parse int from x"},
    {"0 0 * * -1", K2E_CRON_INVALID, 8, "failed to parse int from "},
    {"0 0 * * mon/-1", K2E_CRON_INVALID, 12, "negative number (-1) not allowed"},
    {"0 0 * jan-foo *", K2E_CRON_INVALID, 10, "failed to parse int from foo"},
    {"0 0 * * 99999999999999999999", K2E_CRON_INVALID, 8, "value out of range"},
    {"0 0 * * 1/jan", K2E_CRON_INVALID, 10, "failed to parse int from jan"},
    {"-0 0 * * *", K2E_CRON_INVALID, 0, "failed to parse int from "}, /* split on '-' first */
    {"TZ=UTC 0 0 * * *", K2E_CRON_INVALID, 0, "cannot use TZ or CRON_TZ in schedule"},
    {"CRON_TZ=Asia/Tokyo 0 0 * * *", K2E_CRON_INVALID, 5, "use timeZone field instead"},
    {"@daily ", K2E_CRON_INVALID, 0, "unrecognized descriptor"},
    {"@Daily", K2E_CRON_INVALID, 0, "unrecognized descriptor"},
    {"@reboot", K2E_CRON_INVALID, 0, "unrecognized descriptor"},
    {"@every", K2E_CRON_INVALID, 0, "unrecognized descriptor"},
    {" @daily", K2E_CRON_INVALID, 7, "expected exactly 5 fields, found 1"},
    {"@every ", K2E_CRON_INVALID, 7, "invalid duration"},
    {"@every 5x", K2E_CRON_INVALID, 8, "unknown unit"},
    {"@every 5", K2E_CRON_INVALID, 8, "missing unit"},
    {"@every .s", K2E_CRON_INVALID, 7, "invalid duration"},
    {"@every 1h ", K2E_CRON_INVALID, 8, "unknown unit"},
    {"@every 9999999999h", K2E_CRON_INVALID, 7, "invalid duration"},
    {"@every 30s", K2E_CRON_UNSUPPORTED, 7, "not a whole number of minutes"},
    {"@every 0s", K2E_CRON_UNSUPPORTED, 7, "not a whole number of minutes"},
    {"@every -5m", K2E_CRON_UNSUPPORTED, 7, "not a whole number of minutes"},
};

START_TEST(parse_errors)
{
    const bad_case *b = &bad_cases[_i];
    k2e_cron_result r;
    k2e_cron_status st = k2e_cron_translate(b->schedule, NULL, NULL, &r);
    ck_assert_msg(st == b->status, "[%s]: status %d, want %d (%s)", b->schedule, st, b->status,
                  r.error ? r.error : "");
    ck_assert_ptr_nonnull(r.error);
    ck_assert_msg(strstr(r.error, b->message) != NULL, "[%s]: message '%s' lacks '%s'",
                  b->schedule, r.error, b->message);
    ck_assert_msg(r.error_offset == b->offset, "[%s]: offset %zu, want %zu (%s)", b->schedule,
                  r.error_offset, b->offset, r.error);
    ck_assert_uint_eq(r.count, 0);
    ck_assert_ptr_null(r.expressions);
    k2e_cron_result_free(&r);
}
END_TEST

typedef struct {
    const char *schedule, *expr;
} odd_case;

/* Accepted by robfig/Kubernetes although many cron manuals say otherwise. */
static const odd_case odd_cases[] = {
    {"1,,15 0 * * *", "cron(1,15 0 * * ? *)"},
    {"*-5 0 * * *", "cron(* 0 * * ? *)"},
    {"00 +5 * * *", "cron(0 5 * * ? *)"},
    {"0 0 ? * ?", "cron(0 0 * * ? *)"},
    {"0 0 * JAN,Feb mOn", "cron(0 0 ? 1,2 2 *)"},
    {"0 0 * * FR\xC4\xB0", "cron(0 0 ? * 6 *)"}, /* Go's ToLower: U+0130 -> 'i' */
    {"0\t0 *\xC2\xA0* *", "cron(0 0 * * ? *)"}, /* NBSP separates fields (unicode.IsSpace) */
    {"0 0 * * 5/7", "cron(0 0 ? * 6 *)"},
    {"0 0 1/40 * *", "cron(0 0 1 * ? *)"},
    {"0 0 */2 * *", "cron(0 0 1/2 * ? *)"},
    {"0 0 */1 * *", "cron(0 0 * * ? *)"},
    {"@every 1h", "rate(1 hour)"},
    {"@every 24h", "rate(1 day)"},
    {"@every 48h", "rate(2 days)"},
    {"@every 90m", "rate(90 minutes)"},
    {"@every 1m", "rate(1 minute)"},
    {"@every 1.5h", "rate(90 minutes)"},
    {"@every 1m0.5s", "rate(1 minute)"},
    {"@every +2h0m0s", "rate(2 hours)"},
    {"@every 120s", "rate(2 minutes)"},
    {"@every 3600000ms", "rate(1 hour)"},
    {"@every 60000000\xC2\xB5s", "rate(1 minute)"},
};

START_TEST(accepted_oddities)
{
    const odd_case *c = &odd_cases[_i];
    k2e_cron_result r;
    ck_assert_msg(k2e_cron_translate(c->schedule, NULL, NULL, &r) == K2E_CRON_OK, "[%s]: %s",
                  c->schedule, r.error ? r.error : "");
    ck_assert_msg(r.count == 1 && strcmp(r.expressions[0], c->expr) == 0, "[%s]: got%s want %s",
                  c->schedule, describe(&r), c->expr);
    if (strncmp(c->expr, "rate(", 5) == 0) {
        ck_assert_ptr_null(ev_check_rate_syntax(c->expr));
        ck_assert(has_warning(&r, K2E_CRON_WARN_RATE_RELATIVE));
        ck_assert_int_eq(r.exact, 0);
    }
    k2e_cron_result_free(&r);
}
END_TEST

typedef struct {
    const char *zone;
    k2e_cron_status status;
    size_t offset;
    const char *message;
} zone_case;

static const zone_case zone_cases[] = {
    {"", K2E_CRON_UNKNOWN_ZONE, 0, "timeZone must be nil or non-empty string"},
    {"Local", K2E_CRON_UNKNOWN_ZONE, 0, "explicit time zone"},
    {"lOcAl", K2E_CRON_UNKNOWN_ZONE, 0, "explicit time zone"},
    {"../../etc/passwd", K2E_CRON_UNKNOWN_ZONE, 0, "unknown time zone"},
    {"America/../Asia/Tokyo", K2E_CRON_UNKNOWN_ZONE, 8, "unknown time zone"},
    {"America/New York", K2E_CRON_UNKNOWN_ZONE, 8, "unknown time zone"},
    {"Asia//Tokyo", K2E_CRON_UNKNOWN_ZONE, 5, "unknown time zone"},
    {"/UTC", K2E_CRON_UNKNOWN_ZONE, 0, "unknown time zone"},
    {"Asia/Tokyo/", K2E_CRON_UNKNOWN_ZONE, 11, "unknown time zone"},
    {"-UTC", K2E_CRON_UNKNOWN_ZONE, 0, "unknown time zone"},
    {"America/Abcdefghijklmno", K2E_CRON_UNKNOWN_ZONE, 8, "unknown time zone"},
    {"Mars/Base", K2E_CRON_UNKNOWN_ZONE, 0, "unknown time zone Mars/Base"},
    {"utc", K2E_CRON_UNKNOWN_ZONE, 0, "unknown time zone"},
    {"America", K2E_CRON_UNKNOWN_ZONE, 0, "America"},
    {"zone.tab", K2E_CRON_UNKNOWN_ZONE, 0, "malformed"},
    {"UTC", K2E_CRON_OK, 0, NULL},
    {"Etc/UTC", K2E_CRON_OK, 0, NULL},
    {"America/Argentina/ComodRivadavia", K2E_CRON_OK, 0, NULL},
    {"Etc/GMT+5", K2E_CRON_OK, 0, NULL},
};

START_TEST(zone_names)
{
    const zone_case *c = &zone_cases[_i];
    k2e_cron_result r;
    k2e_cron_status st = k2e_cron_translate("0 0 * * *", c->zone, NULL, &r);
    ck_assert_msg(st == c->status, "[%s]: status %d (%s)", c->zone, st, r.error ? r.error : "");
    if (c->message) {
        ck_assert_msg(r.error && strstr(r.error, c->message), "[%s]: %s", c->zone,
                      r.error ? r.error : "(null)");
        ck_assert_uint_eq(r.error_offset, c->offset);
    }
    k2e_cron_result_free(&r);
}
END_TEST

START_TEST(every_validates_zone)
{
    k2e_cron_result r;
    ck_assert_int_eq(k2e_cron_translate("@every 1h", "Nowhere/Land", NULL, &r), K2E_CRON_UNKNOWN_ZONE);
    k2e_cron_result_free(&r);
    ck_assert_int_eq(k2e_cron_translate("@every 1h", "America/New_York", NULL, &r), K2E_CRON_OK);
    ck_assert_str_eq(r.expressions[0], "rate(1 hour)");
    k2e_cron_result_free(&r);
    k2e_cron_result_free(&r); /* freeing twice is harmless: the result was zeroed */
}
END_TEST

/* ---- TZif footer path: synthetic "slim" zones ------------------------------------------- */

static void put32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                          (unsigned char)v};
    fwrite(b, 1, 4, f);
}

/* A version-2 TZif with no transitions, one type, and a footer. */
static void write_slim(const char *path, int32_t utoff, const char *abbr, const char *footer)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    for (int block = 0; block < 2; block++) {
        fwrite("TZif2", 1, 5, f);
        for (int i = 0; i < 15; i++)
            fputc(0, f);
        uint32_t counts[6] = {0, 0, 0, 0, 1, (uint32_t)strlen(abbr) + 1};
        for (int i = 0; i < 6; i++)
            put32(f, counts[i]);
        put32(f, (uint32_t)utoff);
        fputc(0, f);
        fputc(0, f);
        fwrite(abbr, 1, strlen(abbr) + 1, f);
    }
    fprintf(f, "\n%s\n", footer);
    fclose(f);
}

START_TEST(slim_footer_zones)
{
    char dir[] = "/tmp/k2e_cron_tzXXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[256], ny[256], ad[256], perm[256];
    snprintf(sub, sizeof sub, "%s/Test", dir);
    mkdir(sub, 0700);
    snprintf(ny, sizeof ny, "%s/Test/NewYork", dir);
    snprintf(ad, sizeof ad, "%s/Test/Adelaide", dir);
    snprintf(perm, sizeof perm, "%s/Test/AllYearDST", dir);
    write_slim(ny, -18000, "EST", "EST5EDT,M3.2.0,M11.1.0");
    write_slim(ad, 34200, "ACST", "ACST-9:30ACDT,M10.1.0,M4.1.0/3");
    write_slim(perm, -10800, "-03", "<-03>3<-02>,0/0,J365/25");
    const struct {
        const char *synthetic, *real;
    } pairs[] = {{"Test/NewYork", "America/New_York"}, {"Test/Adelaide", "Australia/Adelaide"}};
    const char *const some[] = {"0 9 * * *", "30 1,2 * * *", "0 * * * *", "*/15 * * * *",
                                "0 0 1 * *", "0 23 * * 0", "0 0 1-7 * 1"};
    for (size_t p = 0; p < 2; p++)
        for (size_t i = 0; i < sizeof some / sizeof some[0]; i++) {
            k2e_cron_options o = {dir, K2E_CRON_DST_STANDARD, 0, 0};
            k2e_cron_result a, b;
            ck_assert_int_eq(k2e_cron_translate_ex(some[i], pairs[p].synthetic, &o, &a), K2E_CRON_OK);
            ck_assert_int_eq(k2e_cron_translate(some[i], pairs[p].real, NULL, &b), K2E_CRON_OK);
            ck_assert_uint_eq(a.count, b.count);
            for (size_t k = 0; k < a.count; k++)
                ck_assert_str_eq(a.expressions[k], b.expressions[k]);
            ck_assert_uint_eq(a.drift_count, b.drift_count);
            for (size_t k = 0; k < a.drift_count; k++) {
                ck_assert_int_eq(a.drifts[k].utc_start, b.drifts[k].utc_start);
                ck_assert_int_eq(a.drifts[k].utc_end, b.drifts[k].utc_end);
                ck_assert_int_eq(a.drifts[k].actual_offset_minutes, b.drifts[k].actual_offset_minutes);
            }
            ck_assert_int_eq(a.exact, b.exact);
            k2e_cron_result_free(&a);
            k2e_cron_result_free(&b);
        }
    /* permanent DST encoded as a rule: no offset changes, fixed at -02 */
    k2e_cron_options o = {dir, K2E_CRON_DST_STANDARD, 0, 0};
    k2e_cron_result r;
    ck_assert_int_eq(k2e_cron_translate_ex("0 9 * * *", "Test/AllYearDST", &o, &r), K2E_CRON_OK);
    ck_assert_str_eq(r.expressions[0], "cron(0 11 * * ? *)");
    ck_assert_int_eq(r.exact, 1);
    k2e_cron_result_free(&r);
    unlink(ny);
    unlink(ad);
    unlink(perm);
    rmdir(sub);
    rmdir(dir);
}
END_TEST

/* ---- the oracle checks itself on known expressions ---------------------------------------- */

START_TEST(oracle_self_check)
{
    static const char *const bad[] = {
        "cron(0 0 ? * 1/2 *)", "cron(0 0 ? * 3#1,6#3 *)", "cron(0 0 * * * *)",
        "cron(0 0 ? * ? *)",   "cron(*/5 * * * ? *)",    "cron(0 0 L-2 * ? *)",
        "cron(0 0 ? * 6-2 *)", "cron(0 0 * * ? 2200)",   "cron(0  0 * * ? *)",
        "cron(60 0 * * ? *)",  "cron(0 0 * * ?)",        "cron( 0 0 * * ? *)",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(ev_check_eb_syntax(bad[i]) != NULL, "%s accepted", bad[i]);
    static const char *const good[] = {"cron(0/15 * * * ? *)", "cron(0 0 L * ? *)",
                                       "cron(0 0 ? * 2#3 *)",  "cron(0 0 ? * 6L *)",
                                       "cron(0 0 LW * ? *)",   "cron(0 0 15W * ? *)",
                                       "cron(0 0 1 3 ? 1970/4,1971/2,2100)"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        ck_assert_msg(ev_check_eb_syntax(good[i]) == NULL, "%s rejected", good[i]);
    ck_assert_ptr_nonnull(ev_check_rate_syntax("rate(1 hours)"));
    ck_assert_ptr_nonnull(ev_check_rate_syntax("rate(5 hour)"));
    ck_assert_ptr_null(ev_check_rate_syntax("rate(5 hours)"));
    /* semantics of the special forms on known dates */
    ev_rule r;
    ck_assert_int_eq(ev_parse_eb("cron(0 0 ? * 2#2 *)", &r), 0);
    ck_assert(ev_eb_day_match(&r, 2027, 3, 8, 1));  /* 2027-03-08 is the 2nd Monday */
    ck_assert(!ev_eb_day_match(&r, 2027, 3, 1, 1)); /* the 1st Monday */
    ck_assert_int_eq(ev_parse_eb("cron(0 0 1W * ? *)", &r), 0);
    ck_assert(ev_eb_day_match(&r, 2028, 1, 3, 1)); /* Jan 1 2028 is a Saturday -> Monday 3rd */
    ck_assert_int_eq(ev_parse_eb("cron(0 0 L 2 ? *)", &r), 0);
    ck_assert(ev_eb_day_match(&r, 2028, 2, 29, 2));
    ck_assert(!ev_eb_day_match(&r, 2028, 2, 28, 1));
    ev_sched s;
    ck_assert_int_eq(ev_parse_k8s("0 0 1-7 * 1", &s), 0);
    ck_assert(ev_day_match(&s, 3, 20, 1) && ev_day_match(&s, 3, 2, 2) && !ev_day_match(&s, 3, 9, 2));
    ck_assert_int_eq(ev_parse_k8s("0 0 */1 * 1", &s), 0);
    ck_assert(!ev_day_match(&s, 3, 2, 2));
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *s = suite_create("cron");
    TCase *tc = tcase_create("table");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, table_fixed_zone, 0, (int)NFIXED);
    tcase_add_loop_test(tc, table_dst_zone, 0, (int)(2 * NDST));
    tcase_add_test(tc, random_schedules);
    suite_add_tcase(s, tc);

    tc = tcase_create("outputs");
    tcase_set_timeout(tc, 30);
    tcase_add_loop_test(tc, golden_outputs, 0, (int)(sizeof goldens / sizeof goldens[0]));
    tcase_add_test(tc, dst_warning_text);
    tcase_add_loop_test(tc, accepted_oddities, 0, (int)(sizeof odd_cases / sizeof odd_cases[0]));
    tcase_add_test(tc, slim_footer_zones);
    suite_add_tcase(s, tc);

    tc = tcase_create("errors");
    tcase_add_loop_test(tc, parse_errors, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    tcase_add_loop_test(tc, zone_names, 0, (int)(sizeof zone_cases / sizeof zone_cases[0]));
    tcase_add_test(tc, every_validates_zone);
    tcase_add_test(tc, api_edges);
    suite_add_tcase(s, tc);

    tc = tcase_create("oracle");
    tcase_add_test(tc, oracle_self_check);
    suite_add_tcase(s, tc);
    return s;
}
