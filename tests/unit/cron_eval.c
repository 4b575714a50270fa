/* Test oracle for the cron module; see cron_eval.h.  Deliberately shares no
 * code with the files of converter/schedules/cron/: different parsing strategy, libc for zones,
 * loop-based calendar arithmetic. */
#include "cron_eval.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* ---- calendar --------------------------------------------------------------- */

static bool ev_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ev_month_len(int y, int m)
{
    static const int len[] = {0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && ev_leap(y) ? 29 : len[m];
}

/* Loop-based: slow but obviously right; callers cache. */
int64_t ev_days_from_civil(int y, int m, int d)
{
    int64_t days = 0;
    for (int yy = 1970; yy < y; yy++)
        days += ev_leap(yy) ? 366 : 365;
    for (int yy = y; yy < 1970; yy++)
        days -= ev_leap(yy) ? 366 : 365;
    for (int mm = 1; mm < m; mm++)
        days += ev_month_len(y, mm);
    return days + d - 1;
}

void ev_civil_from_days(int64_t z, int *y, int *m, int *d)
{
    int yy = 1970;
    while (z < 0)
        z += ev_leap(--yy) ? 366 : 365;
    while (z >= (ev_leap(yy) ? 366 : 365))
        z -= ev_leap(yy++) ? 366 : 365;
    int mm = 1;
    while (z >= ev_month_len(yy, mm))
        z -= ev_month_len(yy, mm++);
    *y = yy, *m = mm, *d = (int)z + 1;
}

typedef struct {
    int y, m, d, wday;
} ev_date;

/* Dates of consecutive days [first, first + n), walked forward from one
 * conversion; weekday from libc's gmtime for the first day. */
static ev_date *ev_dates(int64_t first, size_t n)
{
    ev_date *v = malloc(n * sizeof *v);
    if (!v)
        abort();
    time_t t = (time_t)(first * 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    ev_date cur = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday};
    for (size_t i = 0; i < n; i++) {
        v[i] = cur;
        cur.wday = (cur.wday + 1) % 7;
        if (++cur.d > ev_month_len(cur.y, cur.m)) {
            cur.d = 1;
            if (++cur.m > 12)
                cur.m = 1, cur.y++;
        }
    }
    return v;
}

/* ---- Kubernetes schedules ------------------------------------------------------- */

static const char *const ev_months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                        "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const ev_days[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

static int ev_value(const char *s, int field)
{
    if (field == 3)
        for (int i = 0; i < 12; i++)
            if (strcasecmp(s, ev_months[i]) == 0)
                return i + 1;
    if (field == 4)
        for (int i = 0; i < 7; i++)
            if (strcasecmp(s, ev_days[i]) == 0)
                return i;
    char *end;
    long v = strtol(s, &end, 10);
    return (*s && *end == '\0') ? (int)v : -1;
}

/* One field: items separated by ',', each "*"/"?"/a/a-b with optional /k. */
static int ev_field(char *text, int field, uint64_t *bits, bool *star)
{
    static const int lo[] = {0, 0, 1, 1, 0}, hi[] = {59, 23, 31, 12, 6};
    *bits = 0, *star = false;
    char *save = NULL;
    for (char *item = strtok_r(text, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *slash = strchr(item, '/');
        int step = 1;
        if (slash) {
            *slash = '\0';
            step = ev_value(slash + 1, 0);
            if (step <= 0)
                return -1;
        }
        int a, b;
        if (item[0] == '*' || item[0] == '?') {
            a = lo[field], b = hi[field];
            if (step == 1)
                *star = true;
        } else {
            char *dash = strchr(item, '-');
            if (dash)
                *dash = '\0';
            a = ev_value(item, field);
            b = dash ? ev_value(dash + 1, field) : (slash ? hi[field] : a);
        }
        if (a < lo[field] || b > hi[field] || a > b)
            return -1;
        for (int v = a; v <= b; v += step)
            *bits |= UINT64_C(1) << v;
    }
    return 0;
}

int ev_parse_k8s(const char *text, ev_sched *out)
{
    static const struct {
        const char *name, *spec;
    } macros[] = {{"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"},
                  {"@weekly", "0 0 * * 0"}, {"@daily", "0 0 * * *"},    {"@midnight", "0 0 * * *"},
                  {"@hourly", "0 * * * *"}};
    for (size_t i = 0; i < sizeof macros / sizeof macros[0]; i++)
        if (strcmp(text, macros[i].name) == 0)
            text = macros[i].spec;
    if (text[0] == '@')
        return -1;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    char *f[6], *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(buf, " \t", &save); tok && n < 6; tok = strtok_r(NULL, " \t", &save))
        f[n++] = tok;
    if (n != 5)
        return -1;
    uint64_t bits[5];
    bool star[5];
    for (int i = 0; i < 5; i++)
        if (ev_field(f[i], i, &bits[i], &star[i]) != 0)
            return -1;
    *out = (ev_sched){bits[0], (uint32_t)bits[1], (uint32_t)bits[2], (uint32_t)bits[3],
                      (uint32_t)bits[4], star[2], star[4]};
    return 0;
}

bool ev_day_match(const ev_sched *s, int mon, int mday, int wday)
{
    if (!((s->mon >> mon) & 1))
        return false;
    bool a = (s->dom >> mday) & 1, b = (s->dow >> wday) & 1;
    if (s->dom_star || s->dow_star)
        return a && b;
    return a || b;
}

/* ---- zones ----------------------------------------------------------------------------- */

static int ev_libc_offset(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    localtime_r(&tt, &tm);
    return (int)(tm.tm_gmtoff / 60);
}

void ev_zone_load(const char *name, int64_t from, int64_t to, ev_zone *z)
{
    setenv("TZ", name, 1);
    tzset();
    z->n = 0;
    int cur = ev_libc_offset(from);
    z->start[z->n] = from, z->off_min[z->n++] = cur;
    for (int64_t t = from; t < to; t += 3600) {
        int next = ev_libc_offset(t + 3600 < to ? t + 3600 : to - 1);
        if (next == cur)
            continue;
        int64_t lo = t, hi = t + 3600; /* offset(lo) == cur != offset(hi) */
        while (hi - lo > 1) {
            int64_t mid = lo + (hi - lo) / 2;
            if (ev_libc_offset(mid) == cur)
                lo = mid;
            else
                hi = mid;
        }
        if (z->n < EV_MAX_INTERVALS)
            z->start[z->n] = hi, z->off_min[z->n++] = next;
        cur = next;
    }
    unsetenv("TZ");
    tzset();
}

int ev_zone_offset(const ev_zone *z, int64_t t)
{
    int off = z->off_min[0];
    for (size_t i = 0; i < z->n && z->start[i] <= t; i++)
        off = z->off_min[i];
    return off;
}

/* ---- bitmaps ----------------------------------------------------------------------------- */

void ev_bitmap_init(ev_bitmap *b, int64_t from, int64_t to)
{
    b->from = from;
    b->minutes = (size_t)((to - from) / 60);
    b->bits = calloc(b->minutes / 64 + 1, sizeof *b->bits);
    if (!b->bits)
        abort();
}

void ev_bitmap_free(ev_bitmap *b)
{
    free(b->bits);
    b->bits = NULL;
}

bool ev_bitmap_get(const ev_bitmap *b, size_t i)
{
    return (b->bits[i / 64] >> (i % 64)) & 1;
}

static bool ev_bitmap_set(ev_bitmap *b, size_t i)
{
    bool was = ev_bitmap_get(b, i);
    b->bits[i / 64] |= UINT64_C(1) << (i % 64);
    return was;
}

size_t ev_bitmap_count(const ev_bitmap *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->minutes / 64 + 1; i++)
        n += (size_t)__builtin_popcountll(b->bits[i]);
    return n;
}

/* Walks the UTC hours of the window; an hour with one offset maps onto at
 * most two local hours, each checked once, so only matching local hours
 * cost per-minute work.  Hours containing an offset change go minute by
 * minute. */
void ev_fire_k8s(const ev_sched *s, ev_offset_fn offset_of, const void *ctx, ev_bitmap *out)
{
    int64_t day0 = out->from / 86400 - 2;
    size_t ndays = out->minutes / 1440 + 5;
    ev_date *dates = ev_dates(day0, ndays);
    for (size_t u = 0; u < out->minutes; u += 60) {
        int64_t t = out->from + (int64_t)u * 60;
        int off0 = offset_of(ctx, t), off1 = offset_of(ctx, t + 59 * 60);
        for (size_t i = 0; i < 60 && u + i < out->minutes;) {
            int off = off0 == off1 ? off0 : offset_of(ctx, t + (int64_t)i * 60);
            int64_t wall = (t / 60) + (int64_t)i + off; /* local minutes since epoch */
            int64_t day = wall / 1440;
            int mod = (int)(wall - day * 1440), hour = mod / 60;
            /* minutes of this UTC hour that stay in this local hour */
            size_t run = off0 == off1 ? (size_t)(60 - mod % 60) : 1;
            if (run > 60 - i)
                run = 60 - i;
            const ev_date *d = &dates[day - day0];
            if (((s->hour >> hour) & 1) && ev_day_match(s, d->m, d->d, d->wday))
                for (size_t k = 0; k < run && u + i + k < out->minutes; k++)
                    if ((s->min >> (mod % 60 + (int)k)) & 1)
                        ev_bitmap_set(out, u + i + k);
            i += run;
        }
    }
    free(dates);
}

/* ---- EventBridge expressions ----------------------------------------------------------------- */

static const char *const ev_mon_up[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                        "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
static const char *const ev_dow_up[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

static int eb_number(const char *s, const char *const *names, int nnames, int name_base)
{
    for (int i = 0; names && i < nnames; i++)
        if (strcasecmp(s, names[i]) == 0)
            return i + name_base;
    if (!*s)
        return -1;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p))
            return -1;
    return atoi(s);
}

/* Generic numeric field: items *, n, a-b, with /k on *, n or a-b.  Bits are
 * value - base (years are 1970-based). */
static int eb_numeric(char *text, int lo, int hi, const char *const *names, int nnames,
                      int name_base, bool *set, bool strict)
{
    char *save = NULL;
    for (char *item = strtok_r(text, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *slash = strchr(item, '/');
        int step = 1;
        if (slash) {
            *slash = '\0';
            step = eb_number(slash + 1, NULL, 0, 0);
            if (step <= 0 || (strict && step > hi - lo))
                return -1;
        }
        int a, b;
        if (strcmp(item, "*") == 0) {
            a = lo, b = hi;
        } else {
            char *dash = strchr(item, '-');
            if (dash)
                *dash = '\0';
            a = eb_number(item, names, nnames, name_base);
            b = dash ? eb_number(dash + 1, names, nnames, name_base) : (slash ? hi : a);
        }
        if (a < lo || b > hi || a < 0 || b < 0 || a > b)
            return -1;
        for (int v = a; v <= b; v += step)
            set[v - lo] = true;
    }
    return 0;
}

static uint64_t eb_bits(const bool *set, int lo, int n)
{
    uint64_t bits = 0;
    for (int i = 0; i < n; i++)
        if (set[i])
            bits |= UINT64_C(1) << (i + lo);
    return bits;
}

static int eb_dom(char *text, ev_rule *r, bool strict)
{
    size_t n = strlen(text);
    if (strcmp(text, "?") == 0)
        return r->dom_any = true, 0;
    if (strcmp(text, "L") == 0)
        return r->dom_last = true, 0;
    if (strcmp(text, "LW") == 0)
        return r->dom_last_weekday = true, 0;
    if (n >= 2 && text[n - 1] == 'W') {
        text[n - 1] = '\0';
        int v = eb_number(text, NULL, 0, 0);
        if (v < 1 || v > 31)
            return -1;
        return r->dom_nearest = v, 0;
    }
    if (strchr(text, 'L') || strchr(text, 'W') || strchr(text, '?'))
        return -1;
    bool set[31] = {false};
    if (eb_numeric(text, 1, 31, NULL, 0, 0, set, strict) != 0)
        return -1;
    r->dom = (uint32_t)eb_bits(set, 1, 31);
    return 0;
}

static int eb_dow(char *text, ev_rule *r, bool strict)
{
    if (strcmp(text, "?") == 0)
        return r->dow_any = true, 0;
    char *hash = strchr(text, '#');
    if (hash) {
        *hash = '\0';
        int d = eb_number(text, ev_dow_up, 7, 1), k = eb_number(hash + 1, NULL, 0, 0);
        if (d < 1 || d > 7 || k < 1 || k > 5)
            return -1;
        return r->dow_nth_day = d, r->dow_nth = k, 0;
    }
    size_t n = strlen(text);
    if (strcmp(text, "L") == 0)
        return r->dow |= 1u << 6, 0; /* Quartz: "L" alone is Saturday */
    if (n >= 2 && text[n - 1] == 'L') {
        text[n - 1] = '\0';
        int d = eb_number(text, ev_dow_up, 7, 1);
        if (d < 1 || d > 7)
            return -1;
        return r->dow_last_day = d, 0;
    }
    if (strict && strchr(text, '/'))
        return -1;
    bool set[7] = {false};
    if (eb_numeric(text, 1, 7, ev_dow_up, 7, 1, set, strict) != 0)
        return -1;
    r->dow = (uint32_t)eb_bits(set, 0, 7);
    return 0;
}

static int eb_parse(const char *expr, ev_rule *r, bool strict)
{
    memset(r, 0, sizeof *r);
    size_t n = strlen(expr);
    if (n < 7 || strncmp(expr, "cron(", 5) != 0 || expr[n - 1] != ')' || n > 256)
        return -1;
    char buf[300];
    snprintf(buf, sizeof buf, "%.*s", (int)(n - 6), expr + 5);
    if (strict && (buf[0] == ' ' || buf[strlen(buf) - 1] == ' ' || strstr(buf, "  ")))
        return -1;
    char *f[7], *save = NULL;
    int nf = 0;
    for (char *tok = strtok_r(buf, " ", &save); tok && nf < 7; tok = strtok_r(NULL, " ", &save))
        f[nf++] = tok;
    if (nf != 6)
        return -1;
    bool mins[60] = {false}, hours[24] = {false}, mons[12] = {false};
    if (eb_numeric(f[0], 0, 59, NULL, 0, 0, mins, strict) || eb_numeric(f[1], 0, 23, NULL, 0, 0, hours, strict) ||
        eb_numeric(f[3], 1, 12, ev_mon_up, 12, 1, mons, strict))
        return -1;
    r->min = eb_bits(mins, 0, 60);
    r->hour = (uint32_t)eb_bits(hours, 0, 24);
    r->mon = (uint32_t)eb_bits(mons, 1, 12);
    if (eb_dom(f[2], r, strict) || eb_dow(f[4], r, strict))
        return -1;
    if (r->dom_any == r->dow_any) /* exactly one '?' */
        return -1;
    if (eb_numeric(f[5], 1970, 2199, NULL, 0, 0, r->year, strict))
        return -1;
    return 0;
}

int ev_parse_eb(const char *expr, ev_rule *r)
{
    return eb_parse(expr, r, false);
}

/* Token-level rules the lenient parser does not enforce. */
const char *ev_check_eb_syntax(const char *expr)
{
    ev_rule r;
    if (strlen(expr) > 256)
        return "longer than 256 characters (PutRule limit)";
    if (eb_parse(expr, &r, true) != 0)
        return "does not parse under the strict grammar";
    if (strstr(expr, "*/"))
        return "uses '*/n' instead of the documented 'n/step' form";
    if (strstr(expr, "L-"))
        return "uses undocumented 'L-n'";
    const char *p = expr + 5;
    for (int field = 0; field < 4; field++)
        p = strchr(p, ' ') + 1;
    const char *end = strchr(p, ' ');
    size_t dlen = (size_t)(end - p);
    char dow[64];
    snprintf(dow, sizeof dow, "%.*s", (int)dlen, p);
    if (strchr(dow, '/'))
        return "'/' in day-of-week";
    if (strchr(dow, '#') && (strchr(dow, ',') || strchr(dow, '-')))
        return "'#' must be the only day-of-week expression";
    /* no wrap-around ranges anywhere: "a-b" with a > b is rejected by eb_numeric */
    return NULL;
}

const char *ev_check_rate_syntax(const char *expr)
{
    long v;
    char unit[16];
    int consumed = 0;
    if (sscanf(expr, "rate(%ld %15[a-z])%n", &v, unit, &consumed) != 2 || consumed == 0 ||
        expr[consumed] != '\0')
        return "not rate(value unit)";
    if (v <= 0)
        return "value must be positive";
    bool plural = unit[strlen(unit) - 1] == 's';
    char base[16];
    snprintf(base, sizeof base, "%.*s", (int)(strlen(unit) - plural), unit);
    if (strcmp(base, "minute") && strcmp(base, "hour") && strcmp(base, "day"))
        return "unknown unit";
    if (plural != (v != 1))
        return "unit must be singular iff value is 1";
    return NULL;
}

static bool eb_weekday(int y, int m, int d)
{
    int64_t z = ev_days_from_civil(y, m, d);
    int w = (int)(((z % 7) + 7 + 4) % 7);
    return w != 0 && w != 6;
}

bool ev_eb_day_match(const ev_rule *r, int year, int mon, int mday, int wday)
{
    if (year < 1970 || year > 2199 || !r->year[year - 1970] || !((r->mon >> mon) & 1))
        return false;
    int len = ev_month_len(year, mon);
    if (!r->dom_any) {
        if (r->dom_last)
            return mday == len;
        if (r->dom_last_weekday) {
            int d = len;
            while (!eb_weekday(year, mon, d))
                d--;
            return mday == d;
        }
        if (r->dom_nearest) { /* Quartz nW: nearest weekday, never leaving the month */
            int n = r->dom_nearest, d = n;
            if (n > len)
                return false;
            int64_t z = ev_days_from_civil(year, mon, n);
            int w = (int)(((z % 7) + 7 + 4) % 7);
            if (w == 6)
                d = n > 1 ? n - 1 : n + 2;
            else if (w == 0)
                d = n < len ? n + 1 : n - 2;
            return mday == d;
        }
        return (r->dom >> mday) & 1;
    }
    if (r->dow_nth_day)
        return wday + 1 == r->dow_nth_day && (mday - 1) / 7 + 1 == r->dow_nth;
    if (r->dow_last_day)
        return wday + 1 == r->dow_last_day && mday + 7 > len;
    return (r->dow >> wday) & 1;
}

size_t ev_fire_eb(const ev_rule *r, ev_bitmap *out)
{
    size_t overlaps = 0, ndays = out->minutes / 1440;
    ev_date *dates = ev_dates(out->from / 86400, ndays);
    for (size_t day = 0; day < ndays; day++) {
        const ev_date *d = &dates[day];
        if (!ev_eb_day_match(r, d->y, d->m, d->d, d->wday))
            continue;
        for (int h = 0; h < 24; h++) {
            if (!((r->hour >> h) & 1))
                continue;
            for (int m = 0; m < 60; m++)
                if ((r->min >> m) & 1)
                    overlaps += ev_bitmap_set(out, day * 1440 + (size_t)(h * 60 + m));
        }
    }
    free(dates);
    return overlaps;
}
