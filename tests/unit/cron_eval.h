/* Test-only oracle for the cron module: an evaluator written independently of
 * the files of converter/schedules/cron/.  It parses Kubernetes schedules itself, gets UTC offsets
 * from libc (setenv("TZ") + localtime_r, acceptable in a test), parses and
 * evaluates EventBridge expressions with its own grammar (L, W, LW, #, nL, ?,
 * steps, year lists), and renders both as bitmaps of UTC minutes so sets can
 * be compared exactly.  Included by test_cron.c (not a separate executable).
 */
#ifndef K2E_CRON_EVAL_H
#define K2E_CRON_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Kubernetes side ---------------------------------------------------- */

typedef struct {
    uint64_t min;
    uint32_t hour, dom;
    uint32_t mon; /* bits 1-12 */
    uint32_t dow; /* bits 0-6 */
    bool dom_star, dow_star;
} ev_sched;

/* 0 on success; -1 for "@every" or anything this oracle does not accept. */
int ev_parse_k8s(const char *text, ev_sched *out);
bool ev_day_match(const ev_sched *s, int mon, int mday, int wday);

/* ---- zones via libc --------------------------------------------------------- */

#define EV_MAX_INTERVALS 64
typedef struct {
    int64_t start[EV_MAX_INTERVALS]; /* interval i = [start[i], start[i+1]) */
    int off_min[EV_MAX_INTERVALS];   /* minutes east */
    size_t n;
} ev_zone;

/* Offsets over [from, to) as constant intervals (libc's view of the zone). */
void ev_zone_load(const char *name, int64_t from, int64_t to, ev_zone *z);
int ev_zone_offset(const ev_zone *z, int64_t t);

/* ---- bitmaps of UTC minutes over a window ------------------------------------- */

typedef struct {
    int64_t from;    /* Unix seconds, midnight UTC */
    size_t minutes;  /* window length */
    uint64_t *bits;
} ev_bitmap;

void ev_bitmap_init(ev_bitmap *b, int64_t from, int64_t to);
void ev_bitmap_free(ev_bitmap *b);
bool ev_bitmap_get(const ev_bitmap *b, size_t i);
size_t ev_bitmap_count(const ev_bitmap *b);

/* Minutes u where u + offset(u) (local wall time) matches the schedule.
 * offset_of(u) gives minutes east: the zone (truth) or an assumption. */
typedef int (*ev_offset_fn)(const void *ctx, int64_t t);
void ev_fire_k8s(const ev_sched *s, ev_offset_fn offset_of, const void *ctx, ev_bitmap *out);

/* ---- EventBridge side ---------------------------------------------------------- */

typedef struct {
    uint64_t min;
    uint32_t hour;
    uint32_t mon;
    bool year[230]; /* 1970-2199 */
    bool dom_any;   /* dom "?" (day-of-week decides) */
    uint32_t dom;   /* explicit days */
    bool dom_last, dom_last_weekday;
    int dom_nearest; /* nW: n, else 0 */
    bool dow_any;    /* dow "?" */
    uint32_t dow;    /* bits 0-6 (Sunday = 0) */
    int dow_nth_day, dow_nth; /* d#k */
    int dow_last_day;         /* dL: weekday + 1, else 0 */
} ev_rule;

/* Parses "cron(...)" leniently (what EventBridge evaluates); 0 on success. */
int ev_parse_eb(const char *expr, ev_rule *r);
/* Strict syntax check after ecschedule.md section 6 and the EventBridge
 * documentation; returns NULL when valid, else a reason. */
const char *ev_check_eb_syntax(const char *expr);
const char *ev_check_rate_syntax(const char *expr);
bool ev_eb_day_match(const ev_rule *r, int year, int mon, int mday, int wday);
/* Adds the rule's fire minutes to out; counts minutes already set (overlaps). */
size_t ev_fire_eb(const ev_rule *r, ev_bitmap *out);

/* ---- calendar helpers (libc-free, independent of the module) ------------------- */
int64_t ev_days_from_civil(int y, int m, int d);
void ev_civil_from_days(int64_t z, int *y, int *m, int *d);
int ev_month_len(int y, int m);

#endif
