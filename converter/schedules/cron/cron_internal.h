/* Internal interface between the files of the cron module (cron_parse.c,
 * cron_tz.c, cron_synth.c, cron.c).  Not public API: the public contract is
 * include/kube2ecs/cron.h.  Names carry the k2e_cron_ prefix only because
 * they cross file boundaries inside the library.
 *
 * Vocabulary used throughout:
 *   spec         a parsed 5-field schedule as bit sets (robfig's SpecSchedule)
 *   offset       seconds (or minutes where named so) EAST of UTC, local = UTC + offset
 *   day number   days since 1970-01-01 (proleptic Gregorian), may be negative
 *   year class   one of 14 calendars: weekday of January 1st x leap year.
 *                Every year between 1970 and 2199 has the same dates on the
 *                same weekdays as every other year of its class, which is
 *                what lets a rule's year field be a set of classes.
 */
#ifndef K2E_CRON_INTERNAL_H
#define K2E_CRON_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- calendar arithmetic (shared, header-only) ------------------------- */

static inline bool k2e_cron_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static inline int k2e_cron_month_len(int64_t y, int m)
{
    static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && k2e_cron_is_leap(y) ? 29 : len[m - 1];
}

/* Day number of a civil date (H. Hinnant's days_from_civil). */
static inline int64_t k2e_cron_days(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* Civil date of a day number (inverse of k2e_cron_days). */
static inline void k2e_cron_civil(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* 0 = Sunday .. 6 = Saturday (1970-01-01 was a Thursday). */
static inline int k2e_cron_weekday(int64_t day)
{
    int64_t w = (day + 4) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

static inline int64_t k2e_cron_floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

/* ---- parsed schedules (cron_parse.c) ----------------------------------- */

#define K2E_CRON_ALL_MINUTES ((UINT64_C(1) << 60) - 1)
#define K2E_CRON_ALL_HOURS ((UINT32_C(1) << 24) - 1)
#define K2E_CRON_ALL_DOM (((UINT32_C(1) << 31) - 1) << 1) /* bits 1..31 */
#define K2E_CRON_ALL_MONTHS ((uint16_t)(((1u << 12) - 1) << 1)) /* bits 1..12 */
#define K2E_CRON_ALL_DOW ((uint8_t)0x7f)                   /* bits 0..6 */

typedef struct {
    uint64_t minute; /* bit m: minute m (0-59) */
    uint32_t hour;   /* bit h: hour h (0-23) */
    uint32_t dom;    /* bit d: day of month d (1-31) */
    uint16_t month;  /* bit m: month m (1-12) */
    uint8_t dow;     /* bit d: weekday d (0-6, 0 = Sunday) */
    bool dom_star;   /* robfig's star bit: '*' or '?' with step <= 1 */
    bool dow_star;
} k2e_cron_spec;

typedef struct {
    bool is_every;          /* "@every <duration>" */
    int64_t every_seconds;  /* robfig's effective period: whole seconds, >= 1 */
    bool every_truncated;   /* a sub-second part was dropped (as robfig does) */
    k2e_cron_spec spec;     /* unless is_every */
} k2e_cron_parsed;

/* An error message with a byte offset into the string it is about. */
typedef struct {
    char msg[400];
    size_t offset;
} k2e_cron_err;

/* Records a located error in *err; returns false, for `return fail(...)`. */
bool k2e_cron_fail(k2e_cron_err *err, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

bool k2e_cron_parse(const char *schedule, k2e_cron_parsed *out, k2e_cron_err *err);

/* robfig's dayMatches: dom AND dow when either field has the star bit,
 * dom OR dow when both are restricted. */
bool k2e_cron_day_matches(const k2e_cron_spec *s, int mday, int wday);

/* ---- time zones (cron_tz.c) -------------------------------------------- */

typedef struct k2e_cron_zone k2e_cron_zone;

typedef struct {
    int64_t at;     /* Unix seconds of the first instant with the new offset */
    int32_t before; /* offsets, seconds east of UTC */
    int32_t after;
} k2e_cron_change;

/* Validates `name` exactly like Kubernetes' validateTimeZone and loads it
 * from `dir` (TZif, any version).  "UTC" is built in, as in Go. */
bool k2e_cron_zone_load(const char *name, const char *dir, k2e_cron_zone **out,
                        k2e_cron_err *err);
void k2e_cron_zone_free(k2e_cron_zone *z);
int32_t k2e_cron_zone_offset(const k2e_cron_zone *z, int64_t t, bool *is_dst);
/* Offset changes in [from, to), in time order.  Returns how many there are
 * (only the first cap are stored; more than cap means "too many for you"),
 * SIZE_MAX when out of memory. */
size_t k2e_cron_zone_changes(const k2e_cron_zone *z, int64_t from, int64_t to,
                             k2e_cron_change *out, size_t cap);
/* When the zone's footer TZ rule produces exactly its offset changes in
 * [from, to), writes e.g. "from the 2nd Sunday of March at 02:00 to the 1st
 * Sunday of November at 02:00 local time". */
bool k2e_cron_zone_rule_text(const k2e_cron_zone *z, int64_t from, int64_t to, char *buf,
                             size_t len);

/* ---- rules (cron_synth.c) ---------------------------------------------- */

#define K2E_CRON_CLASSES 14
#define K2E_CRON_ALL_CLASSES ((uint16_t)((1u << K2E_CRON_CLASSES) - 1))
#define K2E_CRON_FIRST_YEAR 1970 /* EventBridge's year range */
#define K2E_CRON_LAST_YEAR 2199
#define K2E_CRON_MAX_EXPRESSION 256 /* PutRule ScheduleExpression max length */

typedef enum { K2E_CRON_DAY_DOM, K2E_CRON_DAY_LAST, K2E_CRON_DAY_DOW } k2e_cron_day_kind;

/* One EventBridge rule as sets.  Fires at minute x hour x day x month x year. */
typedef struct {
    uint64_t minute;
    uint32_t hour;
    k2e_cron_day_kind day_kind;
    uint32_t dom;   /* DAY_DOM: bits 1-31 */
    uint8_t dow;    /* DAY_DOW: bits 0-6, 0 = Sunday (printed 1-7) */
    uint16_t month; /* bits 1-12 */
    uint16_t years; /* year classes; K2E_CRON_ALL_CLASSES prints '*' */
} k2e_cron_rule;

typedef struct {
    k2e_cron_rule *v;
    size_t n, cap;
    bool oom;
} k2e_cron_rules;

void k2e_cron_rules_free(k2e_cron_rules *r);
bool k2e_cron_rules_push(k2e_cron_rules *r, const k2e_cron_rule *rule);

/* Appends rules that fire exactly at the UTC instants of `spec` read in a
 * zone with the fixed offset `offset_min` (minutes east, |offset| < 24h). */
void k2e_cron_synthesize(const k2e_cron_spec *spec, int offset_min, k2e_cron_rules *out);
/* Merges rules that differ in one field only, until none do. */
void k2e_cron_rules_merge(k2e_cron_rules *r);
/* Formats every rule as "cron(...)", splitting rules whose text would exceed
 * K2E_CRON_MAX_EXPRESSION.  Returns a malloc'ed array of malloc'ed strings. */
char **k2e_cron_rules_format(const k2e_cron_rules *r, size_t *count);
/* Year class of a year: weekday of January 1st + 7 if leap. */
int k2e_cron_year_class(int64_t year);

/* The schedule's UTC fire minutes on one UTC day when read with a fixed
 * offset: out[h] bit m set = fires at h:m UTC of day `day`. */
typedef struct {
    uint64_t tod[3][24]; /* by day shift UTC - local = -1, 0, +1 */
} k2e_cron_tod;
void k2e_cron_tod_make(const k2e_cron_spec *spec, int offset_min, k2e_cron_tod *out);
void k2e_cron_day_fires(const k2e_cron_spec *spec, const k2e_cron_tod *tod, int64_t day,
                        uint64_t out[24]);

#endif
