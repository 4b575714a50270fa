/* Kubernetes CronJob schedules -> Amazon EventBridge schedule expressions.
 *
 * A CronJob's spec.schedule (robfig/cron v3 "standard" syntax, as Kubernetes
 * validates it) and optional spec.timeZone (an IANA name) become the fewest
 * EventBridge rule expressions -- "cron(...)" in UTC, or "rate(...)" for
 * "@every" -- that start the job at the same UTC instants as the CronJob
 * controller would.
 *
 * What is exact.  Every fixed-offset zone (UTC, Asia/Tokyo, Asia/Kolkata
 * +05:30, Asia/Kathmandu +05:45, Etc/GMT+5, America/Sao_Paulo since 2019 ...):
 * minutes, hours and days shift, day-of-month 1 becomes "L" of the previous
 * month, Jan 1 becomes Dec 31, leap years get year lists where the calendar
 * really differs, and the result is split into several rules where one rule
 * cannot express the set.  Zones with daylight saving time are exact when
 * the schedule fires at the same UTC instants under every offset the zone
 * uses (e.g. "*\/15 * * * *" in America/New_York).
 *
 * What is approximate (reported, never silent).
 *  - Other schedules in DST zones: the rules assume one offset (policy
 *    below); a K2E_CRON_WARN_DST_DRIFT warning says which periods run early
 *    or late and by how much, and `drifts` lists them as data.
 *  - Both day-of-month and day-of-week restricted ("0 0 1-7 * 1"): Kubernetes
 *    ORs them, EventBridge cannot, so each side gets its own rules and a day
 *    matching both starts the job twice (K2E_CRON_WARN_DOUBLE_FIRE).
 *  - "@every D" becomes rate(...), which counts from the rule's creation
 *    (K2E_CRON_WARN_RATE_RELATIVE).
 * Exact but costly: schedules restricting both months and weekdays whose
 * runs cross midnight UTC can need dozens of rules (K2E_CRON_WARN_MANY_RULES).
 *
 * Reference window.  Offsets, transitions, exactness and drift are evaluated
 * over whole UTC years, by default 2027-01-01 to 2029-01-01, using the
 * system's tzdata; rules are valid for all years EventBridge accepts
 * (1970-2199) as long as the zone keeps the rules it has in that window.
 *
 * Ownership.  k2e_cron_translate* fill a caller-provided result and always
 * leave it in a state k2e_cron_result_free() accepts, also on failure.  All
 * strings and arrays in the result belong to it.  No global state is used;
 * the functions are thread-safe.
 */
#ifndef KUBE2ECS_CRON_H
#define KUBE2ECS_CRON_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    K2E_CRON_OK = 0,
    K2E_CRON_INVALID,      /* Kubernetes would reject the schedule; error_offset
                              is a byte offset into `schedule` */
    K2E_CRON_UNKNOWN_ZONE, /* timeZone invalid or not in tzdata; error_offset
                              is a byte offset into `time_zone` */
    K2E_CRON_UNSUPPORTED,  /* valid for Kubernetes, not expressible: "@every"
                              not a whole number of minutes, a zone offset
                              with seconds in the reference window (or a bad
                              reference window in the options) */
    K2E_CRON_NO_MEMORY
} k2e_cron_status;

typedef enum {
    K2E_CRON_WARN_DOUBLE_FIRE,   /* day-of-month OR day-of-week split in two */
    K2E_CRON_WARN_DST_DRIFT,     /* runs early/late in part of the year */
    K2E_CRON_WARN_RATE_RELATIVE, /* rate() phase is relative to rule creation */
    K2E_CRON_WARN_NEVER_FIRES,   /* e.g. "0 0 30 2 *": no expressions at all */
    K2E_CRON_WARN_MANY_RULES     /* exact, but more than K2E_CRON_MANY_RULES rules */
} k2e_cron_warning_kind;

/* Above this many expressions a MANY_RULES warning is given: month- and
 * weekday-restricted schedules whose runs cross a UTC day boundary need one
 * rule per calendar pattern of each boundary month (EventBridge allows 300
 * rules per event bus by default). */
#define K2E_CRON_MANY_RULES 10

typedef enum {
    /* One rule set for the zone's standard offset; runs drift while DST is
     * in effect (in New York: 1 hour late from March to November). */
    K2E_CRON_DST_STANDARD = 0,
    /* Rule sets per UTC month, each for the offset in effect during most of
     * that month; only the part of a month before/after a transition drifts,
     * at the price of about twice as many rules. */
    K2E_CRON_DST_SEASONAL
} k2e_cron_dst_policy;

typedef struct {
    const char *zoneinfo_dir;       /* NULL: /usr/share/zoneinfo */
    k2e_cron_dst_policy dst_policy; /* default K2E_CRON_DST_STANDARD */
    int window_first_year;          /* 0: 2027 */
    int window_years;               /* 0: 2; at most 6 (else K2E_CRON_UNSUPPORTED) */
} k2e_cron_options;

/* A period in which the rules fire at other wall-clock times than
 * Kubernetes: a run meant for local time T starts at T + (actual - assumed). */
typedef struct {
    int64_t utc_start, utc_end; /* [start, end), Unix seconds, within the window */
    int assumed_offset_minutes; /* the offset the rules were computed for */
    int actual_offset_minutes;  /* the zone's offset in this period */
} k2e_cron_drift;

typedef struct {
    char **expressions; /* "cron(...)" / "rate(...)", count entries */
    size_t count;
    char **warnings;                    /* whole English sentences */
    k2e_cron_warning_kind *warning_kinds; /* parallel to warnings */
    size_t warning_count;
    k2e_cron_drift *drifts; /* non-empty iff a DST_DRIFT warning is present */
    size_t drift_count;
    int assumed_offset_minutes[12]; /* offset the rules assume, by UTC month */
    int exact;          /* 1: the expressions start the job exactly when Kubernetes
                           would, each instant once, over the whole window */
    char *error;        /* set unless K2E_CRON_OK */
    size_t error_offset;
} k2e_cron_result;

/* schedule: spec.schedule.  time_zone: spec.timeZone or NULL (the controller's
 * zone, assumed UTC).  zoneinfo_dir: NULL for /usr/share/zoneinfo. */
k2e_cron_status k2e_cron_translate(const char *schedule, const char *time_zone,
                                   const char *zoneinfo_dir, k2e_cron_result *out);

/* Same with options (NULL = defaults). */
k2e_cron_status k2e_cron_translate_ex(const char *schedule, const char *time_zone,
                                      const k2e_cron_options *options, k2e_cron_result *out);

/* Frees everything in *r and zeroes it; safe on a zeroed or failed result. */
void k2e_cron_result_free(k2e_cron_result *r);

#endif
