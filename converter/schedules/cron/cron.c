/* Kubernetes CronJob schedule + timeZone -> EventBridge expressions.
 *
 * Design.  This file only orchestrates; the pieces live in
 *   cron_parse.c  robfig/cron v3 ParseStandard as Kubernetes validates it,
 *   cron_tz.c     timeZone validation and a TZif/POSIX-TZ reader,
 *   cron_synth.c  fixed-offset schedule -> exact EventBridge rules.
 *
 * The zone is examined over a fixed reference window of whole UTC years
 * (2027-2028 by default, so the output does not depend on today's date).
 * One offset in the window: the zone is fixed and the translation is exact.
 * Several offsets: the CronJob controller follows the local clock, i.e. it
 * starts the job at every UTC instant u whose local time u + offset(u)
 * matches (wall times skipped by a spring-forward gap never run, wall times
 * repeated by a fall-back overlap run twice), while an EventBridge rule can
 * only assume an offset a(u).  The policy picks a(u): the standard offset all
 * year, or per UTC month the offset in effect most of that month.  The rules
 * for each assumed offset are synthesized and restricted to its months.
 *
 * Exactness is then decided by comparison, not by reasoning about the
 * schedule: the window is cut at offset changes (and month starts), and for
 * every piece where a(u) != offset(u) the UTC fire minutes under both offsets
 * are compared day by day.  Pieces that differ become drift periods (data in
 * the result and a warning that states the periods, the size and direction of
 * the shift with an example run, and what happens at the gap and the overlap).
 * Schedules that fire at the same instants under every offset -- "*\/15" in
 * New York, "0 * * * *" in Adelaide (+09:30/+10:30, always :30 UTC) -- are
 * thereby exact without a special case.
 *
 * Trade-offs.  robfig's own DST quirks around midnight transitions (cron.md:
 * Cairo, Lord Howe) are not modelled; the reference is the local-clock
 * semantics above.  The window is a parameter, not "now", so the same
 * manifest always converts to the same rules.
 */
#include "schedules/cron/cron.h"

#include "schedules/cron/cron_internal.h"
#include "base/util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CHANGES 64
#define MAX_SEGMENTS 160

typedef struct {
    int64_t from, to;
    k2e_cron_change ch[MAX_CHANGES];
    size_t nch;
} window;

/* A piece of the window with constant actual and assumed offsets (minutes),
 * within one UTC month. */
typedef struct {
    int64_t a, b;
    int actual, assumed;
    bool dst;
    int month;
    bool differs;
    int64_t example; /* first rule fire in the piece, or -1 */
} segment;

/* ---- small string helpers ---------------------------------------------------- */

static void fmt_offset(char *buf, size_t len, int minutes)
{
    int a = minutes < 0 ? -minutes : minutes;
    snprintf(buf, len, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
}

static void fmt_amount(char *buf, size_t len, int minutes)
{
    int h = minutes / 60, m = minutes % 60;
    if (h && m)
        snprintf(buf, len, "%d hour%s %d minute%s", h, h == 1 ? "" : "s", m, m == 1 ? "" : "s");
    else if (h)
        snprintf(buf, len, "%d hour%s", h, h == 1 ? "" : "s");
    else
        snprintf(buf, len, "%d minute%s", m, m == 1 ? "" : "s");
}

/* "2027-03-14 07:00" for a Unix time (seconds). */
static void fmt_instant(char *buf, size_t len, int64_t t)
{
    int64_t y;
    int m, d;
    int64_t day = k2e_cron_floor_div(t, 86400), sec = t - day * 86400;
    k2e_cron_civil(day, &y, &m, &d);
    snprintf(buf, len, "%04lld-%02d-%02d %02d:%02d", (long long)y, m, d, (int)(sec / 3600),
             (int)(sec % 3600 / 60));
}

static void fmt_hhmm(char *buf, size_t len, int64_t t)
{
    int64_t sec = t - k2e_cron_floor_div(t, 86400) * 86400;
    snprintf(buf, len, "%02d:%02d", (int)(sec / 3600), (int)(sec % 3600 / 60));
}

/* ---- result building ----------------------------------------------------------- */

static k2e_cron_status set_error(k2e_cron_result *out, k2e_cron_status st, const k2e_cron_err *e)
{
    out->error = k2e_strdup(e->msg);
    out->error_offset = e->offset;
    return out->error ? st : K2E_CRON_NO_MEMORY;
}

static bool add_warning(k2e_cron_result *out, k2e_cron_warning_kind kind, char *msg)
{
    if (!msg)
        return false;
    size_t n = out->warning_count + 1;
    char **w = k2e_realloc(out->warnings, n * sizeof *w);
    if (w)
        out->warnings = w;
    k2e_cron_warning_kind *k = k2e_realloc(out->warning_kinds, n * sizeof *k);
    if (k)
        out->warning_kinds = k;
    if (!w || !k) {
        free(msg);
        return false;
    }
    out->warnings[out->warning_count] = msg;
    out->warning_kinds[out->warning_count++] = kind;
    return true;
}

/* ---- @every ------------------------------------------------------------------------ */

static k2e_cron_status translate_every(const k2e_cron_parsed *p, k2e_cron_result *out)
{
    if (p->every_seconds % 60 != 0) {
        k2e_cron_err e = {"", 7};
        snprintf(e.msg, sizeof e.msg,
                 "@every %lld seconds is not a whole number of minutes; EventBridge rate() "
                 "expressions count whole minutes, hours or days",
                 (long long)p->every_seconds);
        return set_error(out, K2E_CRON_UNSUPPORTED, &e);
    }
    long long v = p->every_seconds / 60;
    const char *unit = "minute";
    if (v % 1440 == 0)
        v /= 1440, unit = "day";
    else if (v % 60 == 0)
        v /= 60, unit = "hour";
    char expr[64];
    snprintf(expr, sizeof expr, "rate(%lld %s%s)", v, unit, v == 1 ? "" : "s");
    out->expressions = k2e_calloc(1, sizeof *out->expressions);
    if (!out->expressions || !(out->expressions[0] = k2e_strdup(expr)))
        return K2E_CRON_NO_MEMORY;
    out->count = 1;
    k2e_buf t = {0};
    k2e_buf_printf(&t, "Kubernetes runs @every schedules relative to the CronJob's creation and its last "
             "scheduled run, while %s fires relative to when the EventBridge rule is created, so "
             "the interval is kept but the time of the runs is not.",
         expr);
    if (p->every_truncated)
        k2e_buf_printf(&t, " The fraction of a second in the duration is dropped, as Kubernetes does.");
    return add_warning(out, K2E_CRON_WARN_RATE_RELATIVE, k2e_buf_detach(&t)) ? K2E_CRON_OK : K2E_CRON_NO_MEMORY;
}

/* ---- the window ---------------------------------------------------------------------- */

static int utc_month(int64_t t)
{
    int64_t y;
    int m, d;
    k2e_cron_civil(k2e_cron_floor_div(t, 86400), &y, &m, &d);
    return m;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Cuts the window at offset changes and UTC month starts. */
static size_t make_segments(const k2e_cron_zone *z, const window *w, segment *seg)
{
    int64_t cut[MAX_SEGMENTS];
    size_t nc = 0;
    cut[nc++] = w->from;
    for (size_t i = 0; i < w->nch; i++)
        cut[nc++] = w->ch[i].at;
    for (int64_t t = w->from; nc < MAX_SEGMENTS;) {
        int64_t y;
        int m, d;
        k2e_cron_civil(t / 86400, &y, &m, &d);
        t = k2e_cron_days(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) * 86400;
        if (t >= w->to)
            break;
        cut[nc++] = t;
    }
    qsort(cut, nc, sizeof *cut, cmp_i64);
    size_t n = 0;
    for (size_t i = 0; i < nc; i++) {
        if (i + 1 < nc && cut[i + 1] == cut[i])
            continue;
        bool dst;
        int off = k2e_cron_zone_offset(z, cut[i], &dst) / 60;
        seg[n++] = (segment){cut[i], i + 1 < nc ? cut[i + 1] : w->to, off, off, dst,
                             utc_month(cut[i]), false, -1};
    }
    return n;
}

/* The offset the rules assume per UTC month: the standard offset in effect
 * longest (STANDARD), or the offset in effect longest in that month. */
static void assume_offsets(segment *seg, size_t n, k2e_cron_dst_policy policy, int assumed[12])
{
    int offs[MAX_SEGMENTS];
    int64_t total_std[MAX_SEGMENTS] = {0}, total[MAX_SEGMENTS] = {0};
    int64_t month_sec[12][MAX_CHANGES + 2];
    memset(month_sec, 0, sizeof month_sec);
    size_t noff = 0;
    for (size_t s = 0; s < n; s++) {
        size_t i = 0;
        while (i < noff && offs[i] != seg[s].actual)
            i++;
        if (i == noff)
            offs[noff++] = seg[s].actual;
        int64_t len = seg[s].b - seg[s].a;
        total[i] += len;
        total_std[i] += seg[s].dst ? 0 : len;
        if (i < MAX_CHANGES + 2)
            month_sec[seg[s].month - 1][i] += len;
    }
    size_t best = 0;
    for (size_t i = 1; i < noff; i++)
        if (total_std[i] > total_std[best] ||
            (total_std[i] == total_std[best] && total[i] > total[best]))
            best = i;
    for (int m = 0; m < 12; m++) {
        size_t pick = best;
        if (policy == K2E_CRON_DST_SEASONAL)
            for (size_t i = 0; i < noff && i < MAX_CHANGES + 2; i++)
                if (month_sec[m][i] > month_sec[m][pick])
                    pick = i;
        assumed[m] = offs[pick];
    }
    for (size_t s = 0; s < n; s++)
        seg[s].assumed = assumed[seg[s].month - 1];
}

/* Compares the UTC fire minutes under the assumed and the actual offset. */
static void compare_segment(const k2e_cron_spec *spec, segment *s)
{
    k2e_cron_tod ta, tb;
    k2e_cron_tod_make(spec, s->assumed, &ta);
    k2e_cron_tod_make(spec, s->actual, &tb);
    int64_t d0 = k2e_cron_floor_div(s->a, 86400), d1 = k2e_cron_floor_div(s->b - 1, 86400);
    for (int64_t day = d0; day <= d1; day++) {
        uint64_t fa[24], fb[24];
        k2e_cron_day_fires(spec, &ta, day, fa);
        k2e_cron_day_fires(spec, &tb, day, fb);
        for (int h = 0; h < 24; h++) {
            uint64_t diff = fa[h] ^ fb[h], rule = fa[h];
            for (uint64_t bits = diff | rule; bits; bits &= bits - 1) {
                int m = __builtin_ctzll(bits);
                int64_t u = day * 86400 + h * 3600 + m * 60;
                if (u < s->a || u >= s->b)
                    continue;
                if ((diff >> m) & 1)
                    s->differs = true;
                if (((rule >> m) & 1) && s->example < 0)
                    s->example = u;
            }
        }
    }
}

/* ---- DST warning ----------------------------------------------------------------------- */

static bool wall_matches(const k2e_cron_spec *spec, int64_t wall)
{
    int64_t day = k2e_cron_floor_div(wall, 86400), sec = wall - day * 86400, y;
    int m, d;
    k2e_cron_civil(day, &y, &m, &d);
    int h = (int)(sec / 3600), mi = (int)(sec % 3600 / 60);
    return ((spec->hour >> h) & 1) && ((spec->minute >> mi) & 1) && ((spec->month >> m) & 1) &&
           k2e_cron_day_matches(spec, d, k2e_cron_weekday(day));
}

/* How many times the rules start the run for local wall time `wall`. */
static int rule_starts(const int assumed[12], int64_t wall)
{
    int n = 0, seen[12];
    for (int m = 0; m < 12; m++) {
        bool dup = false;
        for (int k = 0; k < m; k++)
            dup = dup || seen[k] == assumed[m];
        seen[m] = assumed[m];
        int64_t u = wall - (int64_t)assumed[m] * 60;
        if (!dup && assumed[utc_month(u) - 1] == assumed[m])
            n++;
    }
    return n;
}

static void describe_assumption(k2e_buf *t, const int assumed[12], k2e_cron_dst_policy policy)
{
    static const char *const mon[] = {"January", "February", "March",     "April",
                                      "May",     "June",     "July",      "August",
                                      "September", "October", "November", "December"};
    char o[16];
    if (policy == K2E_CRON_DST_STANDARD) {
        fmt_offset(o, sizeof o, assumed[0]);
        k2e_buf_printf(t, "these rules assume its standard time, %s, all year.", o);
        return;
    }
    k2e_buf_printf(t, "these rules assume");
    bool done[12] = {false};
    int groups = 0;
    for (int m = 0; m < 12; m++) {
        if (done[m])
            continue;
        fmt_offset(o, sizeof o, assumed[m]);
        k2e_buf_printf(t, "%s %s in", groups++ ? " and" : "", o);
        int k = 0;
        for (int m2 = m; m2 < 12; m2++)
            if (assumed[m2] == assumed[m]) {
                done[m2] = true;
                k2e_buf_printf(t, "%s %s", k++ ? "," : "", mon[m2]);
            }
    }
    k2e_buf_printf(t, " (UTC months).");
}

static void describe_drifts(k2e_buf *t, const segment *seg, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!seg[i].differs)
            continue;
        bool first = true;
        for (size_t j = 0; j < i; j++)
            first = first && !(seg[j].differs && seg[j].actual - seg[j].assumed ==
                                                     seg[i].actual - seg[i].assumed);
        if (!first)
            continue;
        int delta = seg[i].actual - seg[i].assumed;
        char amount[48], o[16];
        fmt_amount(amount, sizeof amount, delta < 0 ? -delta : delta);
        fmt_offset(o, sizeof o, seg[i].actual);
        k2e_buf_printf(t, " While the zone is on %s,", o);
        for (size_t j = i, k = 0; j < n; j++) {
            if (!seg[j].differs || seg[j].actual - seg[j].assumed != delta)
                continue;
            size_t e = j; /* extend over adjacent pieces with the same shift */
            while (e + 1 < n && seg[e + 1].differs && seg[e + 1].a == seg[e].b &&
                   seg[e + 1].actual - seg[e + 1].assumed == delta)
                e++;
            char a[40], b[40];
            fmt_instant(a, sizeof a, seg[j].a);
            fmt_instant(b, sizeof b, seg[e].b);
            k2e_buf_printf(t, "%s from %s to %s", k++ ? " and" : "", a, b);
            j = e;
        }
        k2e_buf_printf(t, " UTC, each run starts %s %s by the local clock than Kubernetes would start it",
             amount, delta > 0 ? "later" : "earlier");
        if (seg[i].example >= 0) {
            char want[8], got[8];
            fmt_hhmm(want, sizeof want, seg[i].example + (int64_t)seg[i].assumed * 60);
            fmt_hhmm(got, sizeof got, seg[i].example + (int64_t)seg[i].actual * 60);
            k2e_buf_printf(t, " (the %s run starts at %s local time)", want, got);
        }
        k2e_buf_printf(t, ".");
    }
}

static void describe_transitions(k2e_buf *t, const k2e_cron_spec *spec, const window *w,
                                 const int assumed[12])
{
    bool gap_done = false, overlap_done = false;
    for (size_t i = 0; i < w->nch; i++) {
        const k2e_cron_change *c = &w->ch[i];
        bool gap = c->after > c->before;
        if (gap ? gap_done : overlap_done)
            continue;
        int64_t lo = c->at + (gap ? c->before : c->after), hi = c->at + (gap ? c->after : c->before);
        for (int64_t wall = lo - lo % 60; wall < hi; wall += 60) {
            if (wall < lo || !wall_matches(spec, wall))
                continue;
            char when[40];
            fmt_instant(when, sizeof when, wall);
            int n = rule_starts(assumed, wall);
            const char *times = n == 0 ? "do not start it" : n == 1 ? "start it once" : "start it twice";
            if (gap)
                k2e_buf_printf(t, " On %.10s the clocks go forward and Kubernetes skips the %s run because "
                        "that local time does not exist; these rules %s.",
                     when, when + 11, n == 0 ? "skip it too" : "still start it");
            else
                k2e_buf_printf(t, " On %.10s the clocks go back and Kubernetes starts the %s run twice "
                        "because that local time occurs twice; these rules %s.",
                     when, when + 11, times);
            if (gap)
                gap_done = true;
            else
                overlap_done = true;
            break;
        }
    }
}

static bool dst_warning(k2e_cron_result *out, const char *zone_name, const k2e_cron_zone *z,
                        const k2e_cron_spec *spec, const window *w, const segment *seg,
                        size_t nseg, k2e_cron_dst_policy policy)
{
    k2e_buf t = {0};
    k2e_buf_printf(&t, "%s observes daylight saving time but EventBridge evaluates cron expressions in UTC, "
             "so ",
         zone_name);
    describe_assumption(&t, out->assumed_offset_minutes, policy);
    describe_drifts(&t, seg, nseg);
    char rule[200];
    if (k2e_cron_zone_rule_text(z, w->from, w->to, rule, sizeof rule))
        k2e_buf_printf(&t, " (Daylight saving time in %s runs %s; the dates above are for the reference "
                 "years.)",
             zone_name, rule);
    describe_transitions(&t, spec, w, out->assumed_offset_minutes);
    return add_warning(out, K2E_CRON_WARN_DST_DRIFT, k2e_buf_detach(&t));
}

/* ---- OR of the two day fields ---------------------------------------------------------- */

static bool double_fire_warning(k2e_cron_result *out, const k2e_cron_spec *s, const window *w)
{
    static const char *const wd[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                     "Thursday", "Friday", "Saturday"};
    if (s->dom_star || s->dow_star || s->dom == K2E_CRON_ALL_DOM || s->dow == K2E_CRON_ALL_DOW ||
        !s->dom || !s->dow)
        return true;
    bool meet = false; /* a (month, day) that exists: it falls on every weekday some year */
    for (int m = 1; m <= 12; m++)
        if ((s->month >> m) & 1)
            meet = meet || (s->dom & ((UINT32_C(2) << (m == 2 ? 29 : k2e_cron_month_len(2001, m))) - 1)) != 0;
    if (!meet)
        return true;
    for (int64_t day = w->from / 86400 - 1; day < w->to / 86400 + 400 * 366; day++) {
        int64_t y;
        int m, d, wday = k2e_cron_weekday(day);
        k2e_cron_civil(day, &y, &m, &d);
        if (!((s->month >> m) & 1) || !((s->dom >> d) & 1) || !((s->dow >> wday) & 1))
            continue;
        char *msg = NULL;
        k2e_buf t = {0};
        k2e_buf_printf(&t, "Kubernetes starts this job on days that match the day-of-month field or the "
                 "day-of-week field; an EventBridge rule can restrict only one of them, so each "
                 "field has its own rules and a day that matches both (such as %04lld-%02d-%02d, "
                 "a %s) starts the job twice.",
             (long long)y, m, d, wd[wday]);
        msg = k2e_buf_detach(&t);
        return add_warning(out, K2E_CRON_WARN_DOUBLE_FIRE, msg);
    }
    return true; /* the two sides never meet (e.g. day 31 in February only) */
}

static bool many_rules_warning(k2e_cron_result *out)
{
    k2e_buf t = {0};
    k2e_buf_printf(&t, "This schedule needs %zu EventBridge rules to fire at exactly the same instants: it "
             "restricts months and weekdays, and converting its times to UTC moves some runs across "
             "midnight into a neighbouring month, whose calendar differs from year to year. "
             "Writing the schedule so that its runs stay on the same UTC day avoids this.",
         out->count);
    return add_warning(out, K2E_CRON_WARN_MANY_RULES, k2e_buf_detach(&t));
}

/* ---- main entry ----------------------------------------------------------------------------- */

static k2e_cron_status build_rules(const k2e_cron_spec *spec, const int assumed[12],
                                   k2e_cron_rules *rules)
{
    bool done[12] = {false};
    for (int m = 0; m < 12; m++) {
        if (done[m])
            continue;
        uint16_t months = 0;
        for (int m2 = m; m2 < 12; m2++)
            if (assumed[m2] == assumed[m])
                months |= (uint16_t)(1u << (m2 + 1)), done[m2] = true;
        k2e_cron_rules part = {0};
        k2e_cron_synthesize(spec, assumed[m], &part);
        for (size_t i = 0; i < part.n; i++) {
            k2e_cron_rule r = part.v[i];
            if (months != K2E_CRON_ALL_MONTHS)
                r.month &= months;
            if (r.month)
                k2e_cron_rules_push(rules, &r);
        }
        bool oom = part.oom;
        k2e_cron_rules_free(&part);
        if (oom)
            return K2E_CRON_NO_MEMORY;
    }
    k2e_cron_rules_merge(rules);
    return rules->oom ? K2E_CRON_NO_MEMORY : K2E_CRON_OK;
}

/* One drift per maximal run of adjacent differing pieces with the same offsets. */
static k2e_cron_status record_drifts(k2e_cron_result *out, const segment *seg, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!seg[i].differs)
            continue;
        k2e_cron_drift *last = out->drift_count ? &out->drifts[out->drift_count - 1] : NULL;
        if (last && last->utc_end == seg[i].a && last->assumed_offset_minutes == seg[i].assumed &&
            last->actual_offset_minutes == seg[i].actual) {
            last->utc_end = seg[i].b;
            continue;
        }
        k2e_cron_drift *d = k2e_realloc(out->drifts, (out->drift_count + 1) * sizeof *d);
        if (!d)
            return K2E_CRON_NO_MEMORY;
        out->drifts = d;
        d[out->drift_count++] = (k2e_cron_drift){seg[i].a, seg[i].b, seg[i].assumed, seg[i].actual};
    }
    return K2E_CRON_OK;
}

static k2e_cron_status translate_spec(const k2e_cron_spec *spec, const char *zone_name,
                                      const k2e_cron_zone *z, const window *w,
                                      k2e_cron_dst_policy policy, k2e_cron_result *out)
{
    segment seg[MAX_SEGMENTS];
    size_t nseg = make_segments(z, w, seg);
    assume_offsets(seg, nseg, policy, out->assumed_offset_minutes);
    k2e_cron_rules rules = {0};
    k2e_cron_status st = build_rules(spec, out->assumed_offset_minutes, &rules);
    bool drift = false;
    for (size_t i = 0; i < nseg; i++)
        if (seg[i].actual != seg[i].assumed) {
            compare_segment(spec, &seg[i]);
            drift = drift || seg[i].differs;
        }
    if (st == K2E_CRON_OK) {
        out->expressions = k2e_cron_rules_format(&rules, &out->count);
        st = out->expressions ? K2E_CRON_OK : K2E_CRON_NO_MEMORY;
    }
    k2e_cron_rules_free(&rules);
    if (st == K2E_CRON_OK && drift) {
        st = record_drifts(out, seg, nseg);
        if (st == K2E_CRON_OK && !dst_warning(out, zone_name, z, spec, w, seg, nseg, policy))
            st = K2E_CRON_NO_MEMORY;
    }
    size_t warnings_before = out->warning_count;
    if (st == K2E_CRON_OK && out->count == 0 &&
        !add_warning(out, K2E_CRON_WARN_NEVER_FIRES,
                     k2e_strdup("The schedule never fires (no date matches its day-of-month, month "
                             "and day-of-week fields), so no EventBridge rule is generated.")))
        st = K2E_CRON_NO_MEMORY;
    if (st == K2E_CRON_OK && out->count > 0 && !double_fire_warning(out, spec, w))
        st = K2E_CRON_NO_MEMORY;
    if (st == K2E_CRON_OK && out->count > K2E_CRON_MANY_RULES && !many_rules_warning(out))
        st = K2E_CRON_NO_MEMORY;
    bool doubled = false;
    for (size_t i = warnings_before; i < out->warning_count; i++)
        doubled = doubled || out->warning_kinds[i] == K2E_CRON_WARN_DOUBLE_FIRE;
    out->exact = st == K2E_CRON_OK && !drift && !doubled;
    return st;
}

static k2e_cron_status load_window(const k2e_cron_zone *z, const k2e_cron_options *o, window *w,
                                   k2e_cron_err *err)
{
    int first = o->window_first_year ? o->window_first_year : 2027;
    int years = o->window_years > 0 ? o->window_years : 2;
    if (years > 6 || first < 1970 || first + years > 2200) {
        snprintf(err->msg, sizeof err->msg,
                 "reference window %d + %d years: years must be 1-6 within 1970-2199", first, years);
        err->offset = 0;
        return K2E_CRON_UNSUPPORTED;
    }
    w->from = k2e_cron_days(first, 1, 1) * 86400;
    w->to = k2e_cron_days((int64_t)first + years, 1, 1) * 86400;
    w->nch = k2e_cron_zone_changes(z, w->from, w->to, w->ch, MAX_CHANGES);
    if (w->nch == SIZE_MAX)
        return K2E_CRON_NO_MEMORY;
    if (w->nch > MAX_CHANGES) {
        snprintf(err->msg, sizeof err->msg,
                 "the time zone changes its UTC offset %zu times in the reference window", w->nch);
        err->offset = 0;
        return K2E_CRON_UNSUPPORTED;
    }
    int32_t off = k2e_cron_zone_offset(z, w->from, NULL);
    bool whole = off % 60 == 0;
    for (size_t i = 0; i < w->nch; i++)
        whole = whole && w->ch[i].after % 60 == 0;
    if (!whole) {
        snprintf(err->msg, sizeof err->msg,
                 "the time zone uses a UTC offset with seconds (%+d s) in the reference window, "
                 "which EventBridge cron expressions cannot express",
                 (int)off);
        err->offset = 0;
        return K2E_CRON_UNSUPPORTED;
    }
    return K2E_CRON_OK;
}

k2e_cron_status k2e_cron_translate_ex(const char *schedule, const char *time_zone,
                                      const k2e_cron_options *options, k2e_cron_result *out)
{
    static const k2e_cron_options defaults = {NULL, K2E_CRON_DST_STANDARD, 0, 0};
    const k2e_cron_options *o = options ? options : &defaults;
    memset(out, 0, sizeof *out);
    k2e_cron_parsed parsed;
    k2e_cron_err err;
    if (!k2e_cron_parse(schedule, &parsed, &err))
        return set_error(out, K2E_CRON_INVALID, &err);
    k2e_cron_zone *z = NULL;
    const char *zone_name = time_zone ? time_zone : "UTC";
    unsigned long failures = k2e_oom_count();
    if (!k2e_cron_zone_load(zone_name, o->zoneinfo_dir, &z, &err))
        return k2e_oom_count() != failures ? K2E_CRON_NO_MEMORY
                                           : set_error(out, K2E_CRON_UNKNOWN_ZONE, &err);
    k2e_cron_status st;
    window w;
    if (parsed.is_every)
        st = translate_every(&parsed, out);
    else if ((st = load_window(z, o, &w, &err)) == K2E_CRON_UNSUPPORTED)
        st = set_error(out, st, &err);
    else if (st == K2E_CRON_OK)
        st = translate_spec(&parsed.spec, zone_name, z, &w, o->dst_policy, out);
    k2e_cron_zone_free(z);
    if (st != K2E_CRON_OK && st != K2E_CRON_NO_MEMORY && !out->error)
        st = K2E_CRON_NO_MEMORY;
    if (st == K2E_CRON_NO_MEMORY) {
        k2e_cron_result_free(out);
    } else if (st != K2E_CRON_OK) { /* keep only the error */
        char *e = out->error;
        size_t off = out->error_offset;
        out->error = NULL;
        k2e_cron_result_free(out);
        out->error = e, out->error_offset = off;
    }
    return st;
}

k2e_cron_status k2e_cron_translate(const char *schedule, const char *time_zone,
                                   const char *zoneinfo_dir, k2e_cron_result *out)
{
    k2e_cron_options o = {zoneinfo_dir, K2E_CRON_DST_STANDARD, 0, 0};
    return k2e_cron_translate_ex(schedule, time_zone, &o, out);
}

void k2e_cron_result_free(k2e_cron_result *r)
{
    for (size_t i = 0; i < r->count; i++)
        free(r->expressions[i]);
    free(r->expressions);
    for (size_t i = 0; i < r->warning_count; i++)
        free(r->warnings[i]);
    free(r->warnings);
    free(r->warning_kinds);
    free(r->drifts);
    free(r->error);
    memset(r, 0, sizeof *r);
}
