/* Kubernetes schedules at a fixed UTC offset -> EventBridge cron rules.
 *
 * Design.  A schedule read at offset o fires at the UTC minutes
 * (local wall time - o).  Shifting a local (hour, minute) by o lands on a
 * UTC (hour, minute) and moves the date by s = -1, 0 or +1 days, so the UTC
 * fire set is a union over s of  TOD_s x (local dates + s),  where TOD_s is
 * the set of UTC times of day whose local time fell on the day before, the
 * same day or the day after.  The two factors are solved separately:
 *
 *  - times of day: TOD_s is a 24x60 bit matrix.  A rule's minute x hour
 *    fields are one rectangle, so the matrix is partitioned into rectangles,
 *    either one per distinct row (hour) pattern or one per distinct column
 *    (minute) pattern, whichever is fewer.  After a :30/:45 shift there are at
 *    most two column patterns, so Kolkata "*\/20 9 * * *" needs two rules.
 *
 *  - dates: the UTC dates are described per (month, year class) as a bit set
 *    of days of the month ("rows").  A year class is the weekday of January 1st
 *    plus leap-ness; all years of a class have identical calendars, and the
 *    dates that a day shift pulls in from a neighbouring year (Dec 31 / Jan 1)
 *    are determined by the class too.  So 12 x 14 rows describe the date set
 *    exactly for every year, and a rule's year field is a set of classes
 *    printed as a year list (1970-2199, EventBridge's range).  Rows are then
 *    covered by day rules:
 *      1. weekday rules: when the schedule restricts only the weekday, each
 *         month whose rows contain all its (shifted) weekdays in every year is
 *         peeled off into one "? MONTHS DOW" rule;
 *      2. day-of-month rules: the remaining rows are grouped greedily into
 *         rows that can share one day list (days past a month's end are
 *         "don't care": April can share "1-31" with May), optionally after
 *         moving the last day of some rows into an "L" rule (Tokyo
 *         "0 5 1-3 * *" -> "L" + "1,2").  Plain numbers and "L" for every
 *         combination of month lengths (February, 30, 31 days) are all
 *         built; the fewest rules win, then the shortest text, then plain
 *         numbers.  Months (and years) on which a day list cannot fire are
 *         added back when that prints shorter ("31 *" rather than
 *         "31 1,3,5,7,8,10,12").
 *    A day shift across a Feb 28/29 or month boundary thus comes out as exact
 *    rules, with year lists only where the calendar really differs by year
 *    (Sao Paulo "0 21 28 2 *" -> "29 2" + "1 3" in non-leap years).
 *
 *  Shifts whose date sets are equal share their times of day; finally rules
 *  that differ in a single field are merged.  Every step keeps rules
 *  disjoint, so no instant fires twice (except across the two sides of a
 *  day-of-month OR day-of-week schedule, which the caller handles).
 *
 * Output canon.  Fields print as "*" when full, else as a list of values and
 * ranges (three or more consecutive values), or as "a/k" when that is exactly
 * the set (a, a+k, ... up to the field maximum) and shorter: "0/15" rather
 * than "*\/15" (the documented form).  Day-of-week prints 1-7 = SUN-SAT, never
 * with "/", never as a wrap-around range.  Year lists are progressions with
 * the calendar's steps (1, 2, 4, 28) and may use "a-b/k", the only way to
 * say "leap years except 2100" ("1972-2096/4,2104/4").  An expression longer
 * than PutRule's 256 characters (botocore's events model) is split in two
 * along its longest field until it fits.
 *
 * Trade-offs.  Minimality is greedy, not proven: grouping rows is first-fit
 * and the rectangle partition picks the better of two strategies.  Schedules
 * restricting both months and weekdays whose day shifts across a month
 * boundary are exact but verbose (one rule per calendar pattern of that
 * month, with year lists); the caller warns about them.
 */
#include "schedules/cron/cron_internal.h"
#include "base/util.h"
#include "base/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Bounds, not limits: a date set yields at most 1 weekday rule, 12 "L"
 * rules and one rule per (month, year-class set) row group (168), and a
 * time-of-day matrix at most min(24 rows, 60 columns) rectangles. */
#define MAX_DAYRULES 320
#define MAX_RECTS 64

typedef struct {
    uint32_t m[13][K2E_CRON_CLASSES]; /* m[month][class]: bit d = day d fires */
} target;

typedef struct {
    k2e_cron_day_kind kind;
    uint32_t dom;
    uint8_t dow;
    uint16_t month;
    uint16_t years;
} dayrule;

typedef struct {
    dayrule v[MAX_DAYRULES];
    size_t n;
    bool failed; /* out of memory (or, impossibly, out of room): result unusable */
} dayrules;

typedef struct {
    uint64_t minute;
    uint32_t hour;
} rect;

/* The day part of a schedule that one rule family can express: the AND of a
 * day-of-month set, a weekday set and a month set. */
typedef struct {
    uint32_t dom;
    uint8_t dow;
    uint16_t month;
} side;

static int popcount64(uint64_t x)
{
    return __builtin_popcountll(x);
}

/* ---- year classes ---------------------------------------------------------- */

int k2e_cron_year_class(int64_t year)
{
    return k2e_cron_weekday(k2e_cron_days(year, 1, 1)) + 7 * k2e_cron_is_leap(year);
}

/* The first year >= 1970 of each class: the calendar the rows are built from. */
static void class_years(int64_t rep[K2E_CRON_CLASSES])
{
    int found = 0;
    for (int c = 0; c < K2E_CRON_CLASSES; c++)
        rep[c] = 0;
    for (int64_t y = K2E_CRON_FIRST_YEAR; found < K2E_CRON_CLASSES; y++) {
        int c = k2e_cron_year_class(y);
        if (rep[c] == 0)
            rep[c] = y, found++;
    }
}

/* Days of the month d > len (the "don't care" days of a row). */
static uint32_t beyond(int len)
{
    return K2E_CRON_ALL_DOM & ~((UINT32_C(2) << len) - 1);
}

/* ---- printing sets ------------------------------------------------------------ */

typedef struct {
    char *p;
    size_t cap, len;
} sbuf;

static void put_str(sbuf *b, const char *s)
{
    for (; *s && b->len + 1 < b->cap; s++)
        b->p[b->len++] = *s;
    b->p[b->len] = '\0';
}

static void put_num(sbuf *b, long long v)
{
    char tmp[24];
    snprintf(tmp, sizeof tmp, "%lld", v);
    put_str(b, tmp);
}

/* Values and ranges: "1,2,5-9". */
static void put_list(sbuf *b, uint64_t bits, int lo, int hi, int add)
{
    bool first = true;
    for (int v = lo; v <= hi; v++) {
        if (!((bits >> v) & 1))
            continue;
        int e = v;
        while (e + 1 <= hi && ((bits >> (e + 1)) & 1))
            e++;
        if (!first)
            put_str(b, ",");
        first = false;
        put_num(b, v + add);
        if (e - v >= 2) {
            put_str(b, "-");
            put_num(b, e + add);
            v = e;
        }
    }
}

/* "a/k" when bits is exactly a, a+k, ... (through the last value <= hi). */
static bool as_step(uint64_t bits, int lo, int hi, int *a, int *k)
{
    if (popcount64(bits) < 3)
        return false;
    int first = __builtin_ctzll(bits);
    uint64_t rest = bits & (bits - 1);
    int step = __builtin_ctzll(rest) - first;
    if (first < lo || step < 2)
        return false;
    uint64_t want = 0;
    for (int v = first; v <= hi; v += step)
        want |= UINT64_C(1) << v;
    *a = first, *k = step;
    return want == bits;
}

/* "*" when full, else the shorter of the list and the "a/k" form (the list
 * on a tie: "0,30" reads better than "0/30"). */
static void put_field(sbuf *b, uint64_t bits, int lo, int hi, int add, bool steps)
{
    uint64_t full = ((UINT64_C(2) << hi) - 1) & ~((UINT64_C(1) << lo) - 1);
    if (bits == full) {
        put_str(b, "*");
        return;
    }
    char list[256], step[32];
    sbuf l = {list, sizeof list, 0};
    list[0] = '\0';
    put_list(&l, bits, lo, hi, add);
    int a, k;
    if (steps && as_step(bits, lo, hi, &a, &k)) {
        snprintf(step, sizeof step, "%d/%d", a + add, k);
        if (strlen(step) < l.len) {
            put_str(b, step);
            return;
        }
    }
    put_str(b, list);
}

/* An arithmetic progression of years: start, step, number of terms. */
typedef struct {
    int a, k, n;
} year_ap;

static int cmp_ap(const void *x, const void *y)
{
    const year_ap *p = x, *q = y;
    return (p->a > q->a) - (p->a < q->a);
}

/* Greedy cover of a year set by progressions, each chosen to cover the most
 * years not yet covered (ties: fewer terms, then smaller step, then earlier
 * start).  Steps are limited to those of the calendar: 1 (ranges), 2 and 4
 * (leap years) and 28 (the Gregorian calendar repeats every 28 years
 * between 1901 and 2099, and again from 2101), because other steps only
 * find coincidences ("1978/45") that are shorter to print but meaningless. */
static size_t year_aps(const bool in[], year_ap *out, size_t cap)
{
    enum { N = K2E_CRON_LAST_YEAR - K2E_CRON_FIRST_YEAR + 1 };
    static const int steps[] = {1, 2, 4, 28};
    bool cov[N];
    memset(cov, 0, sizeof cov);
    size_t n = 0;
    for (;;) {
        year_ap best = {0, 0, 0};
        int best_new = 0;
        for (int a = 0; a < N; a++) {
            if (!in[a])
                continue;
            for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
                int k = steps[i], terms = 0, fresh = 0;
                for (int t = a; t < N && in[t]; t += k)
                    terms++, fresh += !cov[t];
                if (fresh > best_new || (fresh == best_new && fresh > 0 && terms < best.n))
                    best = (year_ap){a, k, terms}, best_new = fresh;
            }
        }
        if (best_new == 0 || n == cap)
            break;
        for (int i = 0; i < best.n; i++)
            cov[best.a + i * best.k] = true;
        out[n++] = best;
    }
    qsort(out, n, sizeof *out, cmp_ap);
    return n;
}

static void put_years(sbuf *b, uint16_t classes)
{
    enum { N = K2E_CRON_LAST_YEAR - K2E_CRON_FIRST_YEAR + 1 };
    if (classes == K2E_CRON_ALL_CLASSES) {
        put_str(b, "*");
        return;
    }
    bool in[N];
    for (int i = 0; i < N; i++)
        in[i] = (classes >> k2e_cron_year_class(K2E_CRON_FIRST_YEAR + i)) & 1;
    year_ap ap[N];
    size_t n = year_aps(in, ap, N);
    for (size_t i = 0; i < n; i++) {
        int a = ap[i].a + K2E_CRON_FIRST_YEAR, k = ap[i].k, last = a + (ap[i].n - 1) * k;
        if (i > 0)
            put_str(b, ",");
        put_num(b, a);
        if (ap[i].n == 1)
            continue;
        if (ap[i].n == 2 && k > 1) {
            put_str(b, ",");
            put_num(b, last);
        } else if (k > 1 && last + k > K2E_CRON_LAST_YEAR) {
            put_str(b, "/");
            put_num(b, k);
        } else {
            put_str(b, "-");
            put_num(b, last);
            if (k > 1) {
                put_str(b, "/");
                put_num(b, k);
            }
        }
    }
}

static size_t field_len(uint64_t bits, int lo, int hi, bool steps)
{
    char tmp[256];
    sbuf b = {tmp, sizeof tmp, 0};
    put_field(&b, bits, lo, hi, 0, steps);
    return b.len;
}

static size_t years_len(uint16_t classes)
{
    char tmp[1024];
    sbuf b = {tmp, sizeof tmp, 0};
    put_years(&b, classes);
    return b.len;
}

/* ---- dates --------------------------------------------------------------------- */

static void make_target(const side *sd, int shift, const int64_t rep[], target *t)
{
    memset(t, 0, sizeof *t);
    for (int c = 0; c < K2E_CRON_CLASSES; c++)
        for (int mo = 1; mo <= 12; mo++) {
            int len = k2e_cron_month_len(rep[c], mo);
            int64_t first = k2e_cron_days(rep[c], mo, 1);
            for (int d = 1; d <= len; d++) {
                int64_t local = first + d - 1 - shift, ly;
                int lm, ld;
                k2e_cron_civil(local, &ly, &lm, &ld);
                if (((sd->month >> lm) & 1) && ((sd->dom >> ld) & 1) &&
                    ((sd->dow >> k2e_cron_weekday(local)) & 1))
                    t->m[mo][c] |= UINT32_C(1) << d;
            }
        }
}

static bool target_empty(const target *t)
{
    for (int mo = 1; mo <= 12; mo++)
        for (int c = 0; c < K2E_CRON_CLASSES; c++)
            if (t->m[mo][c])
                return false;
    return true;
}

static uint32_t weekday_days(uint8_t w, int mo, int64_t year)
{
    uint32_t bits = 0;
    int64_t first = k2e_cron_days(year, mo, 1);
    for (int d = 1; d <= k2e_cron_month_len(year, mo); d++)
        if ((w >> k2e_cron_weekday(first + d - 1)) & 1)
            bits |= UINT32_C(1) << d;
    return bits;
}

static void push_day(dayrules *out, dayrule r)
{
    if (out->n < MAX_DAYRULES)
        out->v[out->n++] = r;
    else
        out->failed = true;
}

/* Step 1: months that contain every (shifted) weekday of w in every year. */
static void peel_weekdays(target *t, uint8_t w, const int64_t rep[], dayrules *out)
{
    uint16_t months = 0;
    for (int mo = 1; mo <= 12; mo++) {
        bool all = true;
        for (int c = 0; all && c < K2E_CRON_CLASSES; c++) {
            uint32_t dd = weekday_days(w, mo, rep[c]);
            all = (t->m[mo][c] & dd) == dd;
        }
        if (!all)
            continue;
        months |= (uint16_t)(1u << mo);
        for (int c = 0; c < K2E_CRON_CLASSES; c++)
            t->m[mo][c] &= ~weekday_days(w, mo, rep[c]);
    }
    if (months)
        push_day(out, (dayrule){K2E_CRON_DAY_DOW, 0, w, months, K2E_CRON_ALL_CLASSES});
}

typedef struct {
    uint32_t need, allow; /* union of rows' days; intersection of what rows allow */
    uint16_t rows[13];
} group;

/* Classes of month mo on which day list c never fires. */
static uint16_t silent_classes(uint32_t c, int mo, const int64_t rep[])
{
    uint16_t k = 0;
    for (int cl = 0; cl < K2E_CRON_CLASSES; cl++)
        if ((c & ~beyond(k2e_cron_month_len(rep[cl], mo))) == 0)
            k |= (uint16_t)(1u << cl);
    return k;
}

/* Picks the shortest-printing month set between `core` and core plus any
 * months where the rule is silent for all of `years`. */
static uint16_t compact_months(uint16_t core, uint16_t optional)
{
    uint16_t lo = (uint16_t)(core & -core), hi = 0;
    for (int mo = 12; mo >= 1 && !hi; mo--)
        if ((core >> mo) & 1)
            hi = (uint16_t)(1u << mo);
    uint16_t between = (uint16_t)(optional & (uint16_t)((hi << 1) - lo));
    uint16_t cand[3] = {core, (uint16_t)(core | optional), (uint16_t)(core | between)};
    uint16_t best = core;
    size_t best_len = field_len(core, 1, 12, true);
    for (int i = 1; i < 3; i++) {
        size_t l = field_len(cand[i], 1, 12, true);
        if (l < best_len)
            best = cand[i], best_len = l;
    }
    return best;
}

/* Chooses the printed day list of a group among the lists that fit all its rows. */
static uint32_t choose_days(const group *g)
{
    uint32_t top = g->need ? (UINT32_C(1) << (31 - __builtin_clz(g->need))) : 0;
    uint32_t above = g->allow & ~((top << 1) - 1);
    uint32_t cand[3] = {g->need, g->allow, g->need | above};
    uint32_t best = g->need;
    size_t best_len = field_len(best, 1, 31, true);
    for (int i = 1; i < 3; i++) {
        size_t l = field_len(cand[i], 1, 31, true);
        if (l < best_len)
            best = cand[i], best_len = l;
    }
    return best;
}

static void emit_group(const group *g, const int64_t rep[], dayrules *out)
{
    uint32_t days = choose_days(g);
    uint16_t classes[13] = {0}, silent[13];
    for (int mo = 1; mo <= 12; mo++) {
        silent[mo] = silent_classes(days, mo, rep);
        if (g->rows[mo])
            classes[mo] = g->rows[mo] | silent[mo];
    }
    uint16_t done = 0;
    for (int mo = 1; mo <= 12; mo++) {
        if (!classes[mo] || ((done >> mo) & 1))
            continue;
        uint16_t k = classes[mo], core = 0, optional = 0;
        for (int m2 = 1; m2 <= 12; m2++) {
            if (classes[m2] == k)
                core |= (uint16_t)(1u << m2);
            else if (!classes[m2] && (k & ~silent[m2]) == 0)
                optional |= (uint16_t)(1u << m2);
        }
        done |= core;
        push_day(out, (dayrule){K2E_CRON_DAY_DOM, days, 0, compact_months(core, optional), k});
    }
}

/* Step 2: first-fit grouping of rows that can share one day list. */
static void group_rows(const target *t, const int64_t rep[], dayrules *out)
{
    group *g = k2e_calloc(12 * K2E_CRON_CLASSES, sizeof *g);
    size_t ng = 0;
    if (!g) {
        out->failed = true;
        return;
    }
    for (int mo = 1; mo <= 12; mo++)
        for (int c = 0; c < K2E_CRON_CLASSES; c++) {
            uint32_t need = t->m[mo][c];
            if (!need)
                continue;
            uint32_t allow = need | beyond(k2e_cron_month_len(rep[c], mo));
            size_t i = 0;
            while (i < ng && ((g[i].need | need) & ~(g[i].allow & allow)) != 0)
                i++;
            if (i == ng)
                g[ng++] = (group){0, K2E_CRON_ALL_DOM, {0}};
            g[i].need |= need;
            g[i].allow &= allow;
            g[i].rows[mo] |= (uint16_t)(1u << c);
        }
    for (size_t i = 0; i < ng; i++)
        emit_group(&g[i], rep, out);
    free(g);
}

/* Variant: the last day of rows of the chosen month lengths (bit 0: February,
 * bit 1: 30-day months, bit 2: 31-day months) goes to "L" rules first. */
static void group_rows_with_last(const target *t, unsigned lengths, const int64_t rep[],
                                 dayrules *out)
{
    target rest = *t;
    uint16_t last[13] = {0};
    for (int mo = 1; mo <= 12; mo++)
        for (int c = 0; c < K2E_CRON_CLASSES; c++) {
            int len = k2e_cron_month_len(rep[c], mo);
            unsigned kind = len < 30 ? 1u : len == 30 ? 2u : 4u;
            uint32_t bit = UINT32_C(1) << len;
            if ((lengths & kind) && (rest.m[mo][c] & bit)) {
                rest.m[mo][c] &= ~bit;
                last[mo] |= (uint16_t)(1u << c);
            }
        }
    uint16_t done = 0;
    for (int mo = 1; mo <= 12; mo++) {
        if (!last[mo] || ((done >> mo) & 1))
            continue;
        uint16_t months = 0;
        for (int m2 = 1; m2 <= 12; m2++)
            if (last[m2] == last[mo])
                months |= (uint16_t)(1u << m2);
        done |= months;
        push_day(out, (dayrule){K2E_CRON_DAY_LAST, 0, 0, months, last[mo]});
    }
    group_rows(&rest, rep, out);
}

/* Printed length of the day, month and year fields; "L" counts like a
 * two-digit day so that "31 12" and "L 12" tie (and plain numbers win). */
static size_t dayrules_cost(const dayrules *d)
{
    size_t cost = 0;
    for (size_t i = 0; i < d->n; i++) {
        const dayrule *r = &d->v[i];
        cost += r->kind == K2E_CRON_DAY_DOM ? field_len(r->dom, 1, 31, true) : 2;
        cost += field_len(r->month, 1, 12, true) + years_len(r->years);
    }
    return cost;
}

static void synth_dates(const target *t, uint8_t weekday_hint, const int64_t rep[], dayrules *out)
{
    target rest = *t;
    out->n = 0;
    out->failed = false;
    if (weekday_hint && weekday_hint != K2E_CRON_ALL_DOW)
        peel_weekdays(&rest, weekday_hint, rep, out);
    /* "L" only where it saves rules or characters ("31 12" reads as well as
     * "L 12" and wins the tie by coming first); which
     * month lengths give their last day to "L" is tried exhaustively:
     * Tokyo "0 0 *\/5 * *" needs "L" for February alone. */
    dayrules *best = k2e_malloc(sizeof *best), *cand = k2e_malloc(sizeof *cand);
    out->failed = !best || !cand;
    if (best && cand) {
        best->n = 0;
        best->failed = false;
        group_rows(&rest, rep, best);
        size_t best_cost = dayrules_cost(best);
        for (unsigned lengths = 1; lengths < 8; lengths++) {
            cand->n = 0;
            cand->failed = false;
            group_rows_with_last(&rest, lengths, rep, cand);
            if (cand->failed) {
                best->failed = true;
                break;
            }
            size_t cost = dayrules_cost(cand);
            if (cand->n < best->n || (cand->n == best->n && cost < best_cost)) {
                best_cost = cost;
                dayrules *tmp = best;
                best = cand, cand = tmp;
            }
        }
        for (size_t i = 0; i < best->n; i++)
            push_day(out, best->v[i]);
        out->failed = out->failed || best->failed;
    }
    free(best);
    free(cand);
}

/* ---- times of day ---------------------------------------------------------------- */

void k2e_cron_tod_make(const k2e_cron_spec *spec, int offset_min, k2e_cron_tod *out)
{
    memset(out, 0, sizeof *out);
    for (int h = 0; h < 24; h++) {
        if (!((spec->hour >> h) & 1))
            continue;
        for (int m = 0; m < 60; m++) {
            if (!((spec->minute >> m) & 1))
                continue;
            int64_t t = h * 60 + m - offset_min;
            int64_t s = k2e_cron_floor_div(t, 1440), u = t - s * 1440;
            out->tod[s + 1][u / 60] |= UINT64_C(1) << (u % 60);
        }
    }
}

void k2e_cron_day_fires(const k2e_cron_spec *spec, const k2e_cron_tod *tod, int64_t day,
                        uint64_t out[24])
{
    memset(out, 0, 24 * sizeof *out);
    for (int s = -1; s <= 1; s++) {
        int64_t local = day - s, y;
        int m, d;
        k2e_cron_civil(local, &y, &m, &d);
        if (!((spec->month >> m) & 1) || !k2e_cron_day_matches(spec, d, k2e_cron_weekday(local)))
            continue;
        for (int h = 0; h < 24; h++)
            out[h] |= tod->tod[s + 1][h];
    }
}

/* Partition of a 24x60 matrix into rectangles: by distinct rows or by
 * distinct columns, whichever needs fewer. */
static size_t tod_rects(const uint64_t tod[24], rect *out)
{
    rect rows[24], cols[60];
    size_t nr = 0, nc = 0;
    for (int h = 0; h < 24; h++) {
        if (!tod[h])
            continue;
        size_t i = 0;
        while (i < nr && rows[i].minute != tod[h])
            i++;
        if (i == nr)
            rows[nr++] = (rect){tod[h], 0};
        rows[i].hour |= UINT32_C(1) << h;
    }
    for (int m = 0; m < 60; m++) {
        uint32_t col = 0;
        for (int h = 0; h < 24; h++)
            col |= (uint32_t)((tod[h] >> m) & 1) << h;
        if (!col)
            continue;
        size_t i = 0;
        while (i < nc && cols[i].hour != col)
            i++;
        if (i == nc)
            cols[nc++] = (rect){0, col};
        cols[i].minute |= UINT64_C(1) << m;
    }
    const rect *src = nc < nr ? cols : rows;
    size_t n = nc < nr ? nc : nr;
    memcpy(out, src, n * sizeof *out);
    return n;
}

/* ---- rules ---------------------------------------------------------------------------- */

void k2e_cron_rules_free(k2e_cron_rules *r)
{
    free(r->v);
    r->v = NULL;
    r->n = r->cap = 0;
}

bool k2e_cron_rules_push(k2e_cron_rules *r, const k2e_cron_rule *rule)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        k2e_cron_rule *v = k2e_realloc(r->v, cap * sizeof *v);
        if (!v) {
            r->oom = true;
            return false;
        }
        r->v = v, r->cap = cap;
    }
    r->v[r->n++] = *rule;
    return true;
}

static uint8_t rotate_weekdays(uint8_t w, int shift)
{
    int s = ((shift % 7) + 7) % 7;
    return (uint8_t)(((w << s) | (w >> (7 - s))) & K2E_CRON_ALL_DOW);
}

static void synth_side(const side *sd, const k2e_cron_tod *tod, const int64_t rep[],
                       k2e_cron_rules *out)
{
    target *t = k2e_malloc(3 * sizeof *t);
    dayrules *dr = k2e_malloc(sizeof *dr);
    bool used[3] = {false, false, false};
    if (!t || !dr) {
        out->oom = true;
        goto done;
    }
    for (int s = 0; s < 3; s++) {
        bool any = false;
        for (int h = 0; h < 24; h++)
            any = any || tod->tod[s][h];
        if (any) {
            make_target(sd, s - 1, rep, &t[s]);
            used[s] = !target_empty(&t[s]);
        }
    }
    for (int s = 0; s < 3; s++) {
        if (!used[s])
            continue;
        uint64_t merged[24];
        memcpy(merged, tod->tod[s], sizeof merged);
        for (int s2 = s + 1; s2 < 3; s2++)
            if (used[s2] && memcmp(&t[s], &t[s2], sizeof t[s]) == 0) {
                for (int h = 0; h < 24; h++)
                    merged[h] |= tod->tod[s2][h];
                used[s2] = false;
            }
        uint8_t hint = sd->dom == K2E_CRON_ALL_DOM ? rotate_weekdays(sd->dow, s - 1) : 0;
        synth_dates(&t[s], hint, rep, dr);
        if (dr->failed) {
            out->oom = true;
            break;
        }
        rect rects[MAX_RECTS];
        size_t nr = tod_rects(merged, rects);
        for (size_t i = 0; i < nr; i++)
            for (size_t j = 0; j < dr->n; j++) {
                const dayrule *d = &dr->v[j];
                k2e_cron_rule r = {rects[i].minute, rects[i].hour, d->kind, d->dom, d->dow,
                                   d->month, d->years};
                k2e_cron_rules_push(out, &r);
            }
    }
done:
    free(t);
    free(dr);
}

void k2e_cron_synthesize(const k2e_cron_spec *spec, int offset_min, k2e_cron_rules *out)
{
    int64_t rep[K2E_CRON_CLASSES];
    class_years(rep);
    k2e_cron_tod tod;
    k2e_cron_tod_make(spec, offset_min, &tod);
    side sides[2];
    size_t n = 0;
    if (spec->dom_star || spec->dow_star)
        sides[n++] = (side){spec->dom, spec->dow, spec->month};
    else if (spec->dom == K2E_CRON_ALL_DOM || spec->dow == K2E_CRON_ALL_DOW)
        sides[n++] = (side){K2E_CRON_ALL_DOM, K2E_CRON_ALL_DOW, spec->month};
    else { /* dom OR dow: one rule family per side */
        if (spec->dom)
            sides[n++] = (side){spec->dom, K2E_CRON_ALL_DOW, spec->month};
        if (spec->dow)
            sides[n++] = (side){K2E_CRON_ALL_DOM, spec->dow, spec->month};
    }
    for (size_t i = 0; i < n; i++)
        synth_side(&sides[i], &tod, rep, out);
    k2e_cron_rules_merge(out);
}

/* ---- merging --------------------------------------------------------------------------- */

static bool same_day(const k2e_cron_rule *a, const k2e_cron_rule *b)
{
    return a->day_kind == b->day_kind && a->dom == b->dom && a->dow == b->dow;
}

/* Merges b into a when they differ in one field; false if they cannot. */
static bool merge_pair(k2e_cron_rule *a, const k2e_cron_rule *b)
{
    int diff = (a->minute != b->minute) + (a->hour != b->hour) + !same_day(a, b) +
               (a->month != b->month) + (a->years != b->years);
    if (diff > 1)
        return false;
    if (!same_day(a, b)) {
        if (a->day_kind != b->day_kind || a->day_kind == K2E_CRON_DAY_LAST)
            return false;
        a->dom |= b->dom;
        a->dow |= b->dow;
    }
    a->minute |= b->minute;
    a->hour |= b->hour;
    a->month |= b->month;
    a->years |= b->years;
    return true;
}

void k2e_cron_rules_merge(k2e_cron_rules *r)
{
    bool again = true;
    while (again) {
        again = false;
        for (size_t i = 0; i < r->n; i++)
            for (size_t j = i + 1; j < r->n; j++)
                if (merge_pair(&r->v[i], &r->v[j])) {
                    r->v[j] = r->v[--r->n];
                    again = true;
                    j = i;
                }
    }
    for (size_t i = 0; i < r->n; i++) /* every weekday: print "* ... ?" */
        if (r->v[i].day_kind == K2E_CRON_DAY_DOW && r->v[i].dow == K2E_CRON_ALL_DOW)
            r->v[i].day_kind = K2E_CRON_DAY_DOM, r->v[i].dom = K2E_CRON_ALL_DOM, r->v[i].dow = 0;
}

/* ---- formatting ------------------------------------------------------------------------- */

static size_t format_rule(const k2e_cron_rule *r, char *buf, size_t cap)
{
    sbuf b = {buf, cap, 0};
    buf[0] = '\0';
    put_str(&b, "cron(");
    put_field(&b, r->minute, 0, 59, 0, true);
    put_str(&b, " ");
    put_field(&b, r->hour, 0, 23, 0, true);
    put_str(&b, " ");
    if (r->day_kind == K2E_CRON_DAY_DOM)
        put_field(&b, r->dom, 1, 31, 0, true);
    else
        put_str(&b, r->day_kind == K2E_CRON_DAY_LAST ? "L" : "?");
    put_str(&b, " ");
    put_field(&b, r->month, 1, 12, 0, true);
    put_str(&b, " ");
    if (r->day_kind == K2E_CRON_DAY_DOW)
        put_field(&b, r->dow, 0, 6, 1, false);
    else
        put_str(&b, "?");
    put_str(&b, " ");
    put_years(&b, r->years);
    put_str(&b, ")");
    return b.len;
}

/* Lower half (by count) of the set bits. */
static uint64_t low_half(uint64_t bits)
{
    uint64_t out = 0;
    for (int k = popcount64(bits) / 2; k > 0; k--) {
        out |= bits & -bits;
        bits &= bits - 1;
    }
    return out;
}

static bool emit_rule(const k2e_cron_rule *r, char ***v, size_t *n, size_t *cap)
{
    char buf[4096];
    size_t len = format_rule(r, buf, sizeof buf);
    if (len > K2E_CRON_MAX_EXPRESSION) {
        /* split the longest splittable field in two and try again */
        size_t lens[4] = {field_len(r->minute, 0, 59, true), field_len(r->hour, 0, 23, true),
                          r->day_kind == K2E_CRON_DAY_DOM ? field_len(r->dom, 1, 31, true) : 0,
                          popcount64(r->years) > 1 ? years_len(r->years) : 0};
        int f = 0;
        for (int i = 1; i < 4; i++)
            if (lens[i] > lens[f])
                f = i;
        uint64_t set = f == 0 ? r->minute : f == 1 ? r->hour : f == 2 ? r->dom : r->years;
        if (popcount64(set) > 1) {
            k2e_cron_rule a = *r, b = *r;
            uint64_t lo = low_half(set), hi = set & ~lo;
            if (f == 0)
                a.minute = lo, b.minute = hi;
            else if (f == 1)
                a.hour = (uint32_t)lo, b.hour = (uint32_t)hi;
            else if (f == 2)
                a.dom = (uint32_t)lo, b.dom = (uint32_t)hi;
            else
                a.years = (uint16_t)lo, b.years = (uint16_t)hi;
            return emit_rule(&a, v, n, cap) && emit_rule(&b, v, n, cap);
        }
    }
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        char **nv = k2e_realloc(*v, nc * sizeof *nv);
        if (!nv)
            return false;
        *v = nv, *cap = nc;
    }
    char *s = k2e_malloc(len + 1);
    if (!s)
        return false;
    memcpy(s, buf, len + 1);
    (*v)[(*n)++] = s;
    return true;
}

char **k2e_cron_rules_format(const k2e_cron_rules *r, size_t *count)
{
    char **v = NULL;
    size_t n = 0, cap = 0;
    *count = 0;
    for (size_t i = 0; i < r->n; i++)
        if (!emit_rule(&r->v[i], &v, &n, &cap)) {
            for (size_t j = 0; j < n; j++)
                free(v[j]);
            free(v);
            return NULL;
        }
    if (!v) /* no rules: still a valid (empty) array */
        v = k2e_calloc(1, sizeof *v);
    *count = n;
    return v;
}
