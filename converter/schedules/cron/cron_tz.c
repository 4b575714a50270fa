/* Kubernetes CronJob timeZone: name validation and a TZif reader.
 *
 * Design.  The converter must know, for a fixed window of years, which UTC
 * offsets a zone uses and exactly when they change.  It reads the system's
 * compiled tzdata (RFC 8536 TZif files, /usr/share/zoneinfo) itself instead
 * of going through setenv("TZ")/tzset/localtime: that would be global,
 * thread-unsafe state, and libc only answers "what is the offset at t", not
 * "what are the rules".  A zone is kept as its transition table (the 64-bit
 * version-2+ block when present, else the version-1 block) plus the footer's
 * POSIX TZ string, which RFC 8536 says governs every instant after the last
 * transition: "slim" files (the tzdata default since 2020) list no future
 * transitions at all, "fat" files list them up to 2037.
 *
 * Lookups follow Go's time package, since that is what the CronJob
 * controller runs on: before the first transition the first standard-time
 * type applies, from the last transition on the footer rule applies.  Offset
 * changes in a window are found by collecting candidate instants (table
 * entries and footer-rule transitions of the surrounding years) and keeping
 * those where the offset really differs on either side, so rules that only
 * rename a zone or flip is-DST without moving the clock are ignored, and the
 * "all-year DST" footer trick (e.g. "...,0/0,J365/25") yields no changes.
 *
 * Name validation copies Kubernetes' validateTimeZone: each '/'-separated
 * part matches [A-Za-z.\-_0-9+]{1,14}, is not "." or "..", does not start
 * with '-', and the whole name is not "Local" in any case.  "UTC" is built in
 * (Go's LoadLocation does not read a file for it).
 *
 * Trade-offs.  Leap-second records are skipped ("right/" zones would be off
 * by the leap seconds, as in Go).  Files are capped at 1 MiB.
 */
#include "schedules/cron/cron_internal.h"
#include "base/util.h"
#include "base/util.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct {
    char kind;    /* 'J' (1-365, no Feb 29), 'N' (0-365), 'M' (month.week.day) */
    int day, week, mon;
    int32_t time; /* seconds after local midnight, may be negative or > 24h */
} tz_date;

typedef struct {
    int32_t std_off, dst_off; /* seconds east */
    bool has_dst;
    tz_date start, end;
} tz_rule;

struct k2e_cron_zone {
    size_t ntrans;
    int64_t *trans;
    uint8_t *trans_type;
    size_t ntypes;
    int32_t *utoff;
    uint8_t *isdst;
    bool has_rule; /* footer present and parsed */
    tz_rule rule;
};


/* ---- name validation (Kubernetes validateTimeZone) ----------------------- */

static bool part_char_ok(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '-' || c == '_' || c == '+';
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a + 32) : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

static bool validate_name(const char *name, k2e_cron_err *err)
{
    if (name[0] == '\0')
        return k2e_cron_fail(err, 0, "timeZone must be nil or non-empty string");
    const char *p = name;
    for (;;) {
        size_t n = strcspn(p, "/");
        bool ok = n >= 1 && n <= 14 && p[0] != '-' && !(n == 1 && p[0] == '.') &&
                  !(n == 2 && p[0] == '.' && p[1] == '.');
        for (size_t i = 0; ok && i < n; i++)
            ok = part_char_ok(p[i]);
        if (!ok)
            return k2e_cron_fail(err, (size_t)(p - name), "unknown time zone %.200s", name);
        if (p[n] == '\0')
            break;
        p += n + 1;
    }
    if (ieq(name, "Local")) /* EqualFold; ASCII suffices after the check above */
        return k2e_cron_fail(err, 0, "timeZone must be an explicit time zone as defined in "
                             "https://www.iana.org/time-zones");
    return true;
}

/* ---- POSIX TZ strings (RFC 8536 section 3.3) ------------------------------ */

static bool tz_name(const char **sp)
{
    const char *s = *sp;
    if (*s == '<') {
        const char *e = strchr(s, '>');
        if (!e || e == s + 1)
            return false;
        *sp = e + 1;
        return true;
    }
    const char *b = s;
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z'))
        s++;
    if (s - b < 3)
        return false;
    *sp = s;
    return true;
}

/* [+-]hh[:mm[:ss]] with hh <= max_h; returns seconds. */
static bool tz_hms(const char **sp, int max_h, int32_t *out)
{
    const char *s = *sp;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int part[3] = {0, 0, 0};
    for (int i = 0; i < 3; i++) {
        if (i > 0 && *s != ':')
            break;
        if (i > 0)
            s++;
        if (*s < '0' || *s > '9')
            return false;
        int v = 0;
        while (*s >= '0' && *s <= '9' && v < 1000)
            v = v * 10 + (*s++ - '0');
        part[i] = v;
    }
    if (part[0] > max_h || part[1] > 59 || part[2] > 59)
        return false;
    *out = sign * (part[0] * 3600 + part[1] * 60 + part[2]);
    *sp = s;
    return true;
}

static bool tz_num(const char **sp, int lo, int hi, int *out)
{
    const char *s = *sp;
    if (*s < '0' || *s > '9')
        return false;
    int v = 0;
    while (*s >= '0' && *s <= '9' && v <= hi)
        v = v * 10 + (*s++ - '0');
    if (v < lo || v > hi)
        return false;
    *out = v;
    *sp = s;
    return true;
}

static bool tz_date_parse(const char **sp, tz_date *d)
{
    const char *s = *sp;
    d->time = 2 * 3600;
    if (*s == 'J') {
        s++;
        d->kind = 'J';
        if (!tz_num(&s, 1, 365, &d->day))
            return false;
    } else if (*s == 'M') {
        s++;
        d->kind = 'M';
        if (!tz_num(&s, 1, 12, &d->mon) || *s++ != '.' || !tz_num(&s, 1, 5, &d->week) ||
            *s++ != '.' || !tz_num(&s, 0, 6, &d->day))
            return false;
    } else {
        d->kind = 'N';
        if (!tz_num(&s, 0, 365, &d->day))
            return false;
    }
    if (*s == '/') {
        s++;
        if (!tz_hms(&s, 167, &d->time))
            return false;
    }
    *sp = s;
    return true;
}

static bool tz_rule_parse(const char *s, tz_rule *r)
{
    memset(r, 0, sizeof *r);
    int32_t off;
    if (!tz_name(&s) || !tz_hms(&s, 24, &off))
        return false;
    r->std_off = -off; /* POSIX counts hours WEST of UTC */
    if (*s == '\0')
        return true;
    if (!tz_name(&s))
        return false;
    r->has_dst = true;
    r->dst_off = r->std_off + 3600;
    if (*s != ',' && *s != '\0') {
        if (!tz_hms(&s, 24, &off))
            return false;
        r->dst_off = -off;
    }
    if (*s == '\0') { /* no rule: Go (and tzcode) default to US rules */
        r->start = (tz_date){'M', 0, 2, 3, 7200};
        r->end = (tz_date){'M', 0, 1, 11, 7200};
        return true;
    }
    if (*s++ != ',' || !tz_date_parse(&s, &r->start) || *s++ != ',' || !tz_date_parse(&s, &r->end))
        return false;
    return *s == '\0';
}

/* Day of the year (0-based) a rule date falls on in `year`. */
static int tz_yday(const tz_date *d, int64_t year)
{
    bool leap = k2e_cron_is_leap(year);
    if (d->kind == 'J')
        return d->day - 1 + (leap && d->day >= 60);
    if (d->kind == 'N')
        return d->day;
    int64_t first = k2e_cron_days(year, d->mon, 1);
    int md = (d->day - k2e_cron_weekday(first) + 7) % 7; /* 0-based day of month */
    for (int i = 1; i < d->week && md + 7 < k2e_cron_month_len(year, d->mon); i++)
        md += 7;
    return (int)(first - k2e_cron_days(year, 1, 1)) + md;
}

/* UTC instant of a rule date in `year`, the time read with offset `off`. */
static int64_t tz_instant(const tz_date *d, int64_t year, int32_t off)
{
    return (k2e_cron_days(year, 1, 1) + tz_yday(d, year)) * 86400 + d->time - off;
}

/* The footer rule's state at t: the latest of the surrounding years'
 * transitions at or before t decides; at equal instants the DST start wins
 * (the "all-year DST" encoding ends one year exactly when the next starts). */
static int32_t tz_rule_offset(const tz_rule *r, int64_t t, bool *is_dst)
{
    *is_dst = false;
    if (!r->has_dst)
        return r->std_off;
    int64_t year, best = INT64_MIN;
    int m, d;
    bool dst = false;
    k2e_cron_civil(k2e_cron_floor_div(t, 86400), &year, &m, &d);
    for (int64_t y = year - 1; y <= year + 1; y++) {
        int64_t s = tz_instant(&r->start, y, r->std_off), e = tz_instant(&r->end, y, r->dst_off);
        if (e <= t && e > best)
            best = e, dst = false;
        if (s <= t && s >= best)
            best = s, dst = true;
    }
    *is_dst = dst;
    return dst ? r->dst_off : r->std_off;
}

/* ---- TZif ------------------------------------------------------------------ */

typedef struct {
    const unsigned char *p;
    size_t n, pos;
} reader;

static bool rd_need(reader *r, size_t k)
{
    return r->n - r->pos >= k;
}

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

typedef struct {
    uint32_t isut, isstd, leap, time, type, chars;
} tzif_counts;

static bool read_header(reader *r, char *version, tzif_counts *c)
{
    if (!rd_need(r, 44) || memcmp(r->p + r->pos, "TZif", 4) != 0)
        return false;
    *version = (char)r->p[r->pos + 4];
    const unsigned char *q = r->p + r->pos + 20;
    *c = (tzif_counts){be32(q), be32(q + 4), be32(q + 8), be32(q + 12), be32(q + 16), be32(q + 20)};
    r->pos += 44;
    return c->type >= 1 && c->type <= 256 && c->time <= 100000 && c->leap <= 100000 &&
           c->chars <= 100000;
}

static size_t block_size(const tzif_counts *c, size_t tsize)
{
    return c->time * tsize + c->time + c->type * 6 + c->chars + c->leap * (tsize + 4) + c->isstd +
           c->isut;
}

static bool read_block(reader *r, const tzif_counts *c, size_t tsize, k2e_cron_zone *z)
{
    if (!rd_need(r, block_size(c, tsize)))
        return false;
    const unsigned char *p = r->p + r->pos;
    z->ntrans = c->time;
    z->ntypes = c->type;
    z->trans = k2e_calloc(c->time + 1, sizeof *z->trans);
    z->trans_type = k2e_calloc(c->time + 1, 1);
    z->utoff = k2e_calloc(c->type, sizeof *z->utoff);
    z->isdst = k2e_calloc(c->type, 1);
    if (!z->trans || !z->trans_type || !z->utoff || !z->isdst)
        return false;
    for (size_t i = 0; i < c->time; i++) {
        z->trans[i] = tsize == 8 ? be64(p + i * 8) : (int64_t)(int32_t)be32(p + i * 4);
        if (i > 0 && z->trans[i] <= z->trans[i - 1])
            return false;
    }
    p += c->time * tsize;
    for (size_t i = 0; i < c->time; i++)
        if ((z->trans_type[i] = p[i]) >= c->type)
            return false;
    p += c->time;
    for (size_t i = 0; i < c->type; i++, p += 6) {
        z->utoff[i] = (int32_t)be32(p);
        z->isdst[i] = p[4];
        if (z->utoff[i] <= -89999 || z->utoff[i] >= 93600) /* RFC 8536 bounds */
            return false;
    }
    r->pos += block_size(c, tsize);
    return true;
}

static bool parse_tzif(const unsigned char *data, size_t n, k2e_cron_zone *z)
{
    reader r = {data, n, 0};
    char version;
    tzif_counts c;
    if (!read_header(&r, &version, &c))
        return false;
    if (version == 0) /* version 1: 32-bit data, no footer */
        return read_block(&r, &c, 4, z);
    if (!rd_need(&r, block_size(&c, 4)))
        return false;
    r.pos += block_size(&c, 4);
    if (!read_header(&r, &version, &c) || !read_block(&r, &c, 8, z))
        return false;
    if (!rd_need(&r, 1) || data[r.pos] != '\n')
        return true; /* footer missing: the table is all there is */
    const char *foot = (const char *)data + r.pos + 1;
    const char *nl = memchr(foot, '\n', n - r.pos - 1);
    if (!nl)
        return false;
    char buf[128];
    size_t len = (size_t)(nl - foot);
    if (len == 0 || len >= sizeof buf)
        return len == 0; /* empty footer: no rule */
    memcpy(buf, foot, len);
    buf[len] = '\0';
    z->has_rule = tz_rule_parse(buf, &z->rule);
    return true;
}

static unsigned char *read_file(const char *path, size_t *len, int *error)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        *error = errno;
        k2e_note_errno(errno);
        return NULL;
    }
    size_t cap = 1 << 20, n = 0;
    unsigned char *buf = k2e_malloc(cap);
    if (buf)
        n = fread(buf, 1, cap, f);
    *error = (!buf || ferror(f)) ? (buf ? EIO : ENOMEM) : (n == cap ? EFBIG : 0);
    fclose(f);
    if (*error) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

bool k2e_cron_zone_load(const char *name, const char *dir, k2e_cron_zone **out,
                        k2e_cron_err *err)
{
    *out = NULL;
    if (!validate_name(name, err))
        return false;
    k2e_cron_zone *z = k2e_calloc(1, sizeof *z);
    if (!z)
        return k2e_cron_fail(err, 0, "out of memory");
    if (strcmp(name, "UTC") == 0) {
        z->ntypes = 1;
        z->utoff = k2e_calloc(1, sizeof *z->utoff);
        z->isdst = k2e_calloc(1, 1);
        if (!z->utoff || !z->isdst) {
            k2e_cron_zone_free(z);
            return k2e_cron_fail(err, 0, "out of memory");
        }
        *out = z;
        return true;
    }
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir ? dir : "/usr/share/zoneinfo", name);
    size_t len = 0;
    int error = 0;
    unsigned char *data = read_file(path, &len, &error);
    bool ok = data && parse_tzif(data, len, z);
    free(data);
    if (!ok) {
        k2e_cron_zone_free(z);
        const char *base = dir ? dir : "/usr/share/zoneinfo";
        struct stat st;
        if ((error == ENOENT || error == ENOTDIR) && stat(base, &st) != 0)
            return k2e_cron_fail(err, 0, "no time zone database at %.200s to look up %.200s: "
                                 "install tzdata (Debian: apt-get install tzdata) or set TZDIR",
                                 base, name);
        if (error == ENOENT || error == ENOTDIR)
            return k2e_cron_fail(err, 0, "unknown time zone %.200s", name);
        return k2e_cron_fail(err, 0, "cannot load time zone %.200s from %.200s: %s", name, path,
                     error ? strerror(error) : "malformed time zone information");
    }
    *out = z;
    return true;
}

void k2e_cron_zone_free(k2e_cron_zone *z)
{
    if (!z)
        return;
    free(z->trans);
    free(z->trans_type);
    free(z->utoff);
    free(z->isdst);
    free(z);
}

static size_t first_std_type(const k2e_cron_zone *z)
{
    for (size_t i = 0; i < z->ntypes; i++)
        if (!z->isdst[i])
            return i;
    return 0;
}

int32_t k2e_cron_zone_offset(const k2e_cron_zone *z, int64_t t, bool *is_dst)
{
    bool dummy;
    is_dst = is_dst ? is_dst : &dummy;
    if (z->ntrans == 0 && z->has_rule)
        return tz_rule_offset(&z->rule, t, is_dst);
    if (z->ntrans == 0 || t < z->trans[0]) {
        size_t ty = first_std_type(z);
        *is_dst = z->isdst[ty];
        return z->utoff[ty];
    }
    size_t lo = 0, hi = z->ntrans; /* last index with trans <= t */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    if (lo == z->ntrans - 1 && z->has_rule)
        return tz_rule_offset(&z->rule, t, is_dst);
    *is_dst = z->isdst[z->trans_type[lo]];
    return z->utoff[z->trans_type[lo]];
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

size_t k2e_cron_zone_changes(const k2e_cron_zone *z, int64_t from, int64_t to,
                             k2e_cron_change *out, size_t cap)
{
    int64_t y0, y1;
    int m, d;
    k2e_cron_civil(k2e_cron_floor_div(from, 86400), &y0, &m, &d);
    k2e_cron_civil(k2e_cron_floor_div(to, 86400), &y1, &m, &d);
    size_t ncand = 0, maxc = z->ntrans + (size_t)(y1 - y0 + 3) * 2;
    int64_t *cand = k2e_malloc(maxc * sizeof *cand);
    if (!cand)
        return SIZE_MAX;
    for (size_t i = 0; i < z->ntrans; i++)
        if (z->trans[i] >= from && z->trans[i] < to)
            cand[ncand++] = z->trans[i];
    if (z->has_rule && z->rule.has_dst)
        for (int64_t y = y0 - 1; y <= y1 + 1; y++) {
            int64_t s = tz_instant(&z->rule.start, y, z->rule.std_off);
            int64_t e = tz_instant(&z->rule.end, y, z->rule.dst_off);
            if (s >= from && s < to)
                cand[ncand++] = s;
            if (e >= from && e < to)
                cand[ncand++] = e;
        }
    qsort(cand, ncand, sizeof *cand, cmp_i64);
    size_t n = 0;
    for (size_t i = 0; i < ncand; i++) {
        if (i > 0 && cand[i] == cand[i - 1])
            continue;
        int32_t before = k2e_cron_zone_offset(z, cand[i] - 1, NULL);
        int32_t after = k2e_cron_zone_offset(z, cand[i], NULL);
        if (before != after && n++ < cap)
            out[n - 1] = (k2e_cron_change){cand[i], before, after};
    }
    free(cand);
    return n;
}

static const char *const month_long[] = {"January", "February", "March",     "April",
                                         "May",     "June",     "July",      "August",
                                         "September", "October", "November", "December"};
static const char *const day_long[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                       "Thursday", "Friday", "Saturday"};

static void date_text(const tz_date *d, char *buf, size_t len)
{
    static const char *const nth[] = {"", "1st", "2nd", "3rd", "4th", "last"};
    int h = d->time / 3600, mi = (d->time < 0 ? -d->time : d->time) % 3600 / 60;
    if (d->kind == 'M')
        snprintf(buf, len, "the %s %s of %s at %02d:%02d", nth[d->week], day_long[d->day],
                 month_long[d->mon - 1], h, mi);
    else
        snprintf(buf, len, "day %d of the year at %02d:%02d", d->day + (d->kind == 'N'), h, mi);
}

/* The footer rule describes [from, to) when its transitions there are
 * exactly the zone's offset changes (true for fat files, which list the
 * same transitions explicitly up to 2037, and for slim files). */
bool k2e_cron_zone_rule_text(const k2e_cron_zone *z, int64_t from, int64_t to, char *buf,
                             size_t len)
{
    if (!z->has_rule || !z->rule.has_dst)
        return false;
    k2e_cron_change ch[64];
    size_t n = k2e_cron_zone_changes(z, from, to, ch, 64), k = 0;
    if (n > 64)
        return false;
    int64_t y0, y1;
    int m, d;
    k2e_cron_civil(k2e_cron_floor_div(from, 86400), &y0, &m, &d);
    k2e_cron_civil(k2e_cron_floor_div(to - 1, 86400), &y1, &m, &d);
    for (int64_t y = y0; y <= y1; y++) {
        int64_t s = tz_instant(&z->rule.start, y, z->rule.std_off);
        int64_t e = tz_instant(&z->rule.end, y, z->rule.dst_off);
        int64_t first = s < e ? s : e, second = s < e ? e : s;
        if (first >= from && first < to && !(k < n && ch[k++].at == first))
            return false;
        if (second >= from && second < to && !(k < n && ch[k++].at == second))
            return false;
    }
    if (k != n)
        return false;
    char a[80], b[80];
    date_text(&z->rule.start, a, sizeof a);
    date_text(&z->rule.end, b, sizeof b);
    snprintf(buf, len, "from %s to %s local time", a, b);
    return true;
}
