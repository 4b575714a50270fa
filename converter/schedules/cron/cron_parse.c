/* Kubernetes CronJob schedules: the parser.
 *
 * Design.  Kubernetes accepts a schedule when robfig/cron v3's
 * ParseStandard accepts it (plus its own "TZ" check), so this file is a
 * transcription of that parser's behaviour rather than of any cron manual:
 * the same split (Go's strings.Fields, i.e. Unicode white space, then
 * strings.FieldsFunc on ',' which drops empty items), the same item grammar
 * ("*" or "?" or N or N-M, optional "/step", "N/step" meaning N-max/step,
 * "*-anything" silently "*"), the same number parser (strconv.Atoi: optional
 * sign, decimal digits, int64 range), the same order of checks, hence the
 * same first error, and the same "star bit" that decides whether day-of-month
 * and day-of-week are ANDed or ORed.  Descriptors are exact, case-sensitive
 * strings; "@every" goes through a transcription of Go's time.ParseDuration
 * (including its float64 rounding of fractions) and robfig's Every(), which
 * raises anything below one second to one second and truncates to whole
 * seconds.
 *
 * Trade-offs.  Messages reuse robfig's wording (users see the same text in
 * kubectl) prefixed with the field name, and every error carries the byte
 * offset of the offending token, which robfig does not give.  The result is
 * a set of bit masks (k2e_cron_spec); nothing downstream looks at the text
 * again.  Case-folding of names copies Go's strings.ToLower, whose simple
 * case mapping turns U+0130 (capital I with dot) into 'i': "FRİ" is Friday.
 */
#include "schedules/cron/cron_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const month_names[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                          "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const dow_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

typedef struct {
    const char *field;           /* for messages */
    unsigned min, max;
    const char *const *names;    /* names[i] means min + i (month) or i (dow) */
    unsigned name_base;
    size_t name_count;
} bounds;

static const bounds field_bounds[5] = {
    {"minute", 0, 59, NULL, 0, 0},
    {"hour", 0, 23, NULL, 0, 0},
    {"day-of-month", 1, 31, NULL, 0, 0},
    {"month", 1, 12, month_names, 1, 12},
    {"day-of-week", 0, 6, dow_names, 0, 7},
};

bool k2e_cron_fail(k2e_cron_err *err, size_t offset, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->offset = offset;
    return false;
}


/* Quotes at most 80 bytes of user text into buf for a message. */
static const char *clip(const char *s, size_t n, char *buf, size_t cap)
{
    size_t keep = n < 80 ? n : 77;
    if (keep > cap - 4)
        keep = cap - 4;
    memcpy(buf, s, keep);
    strcpy(buf + keep, n > keep ? "..." : "");
    return buf;
}

/* Length of the Unicode white-space character at s (Go's unicode.IsSpace),
 * 0 if none.  Invalid UTF-8 is never space, as in Go. */
static size_t space_len(const unsigned char *s)
{
    if (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r'))
        return 1;
    if (s[0] == 0xC2 && (s[1] == 0x85 || s[1] == 0xA0))
        return 2; /* U+0085, U+00A0 */
    if (s[0] == 0xE1 && s[1] == 0x9A && s[2] == 0x80)
        return 3; /* U+1680 */
    if (s[0] == 0xE2 && s[1] == 0x80 &&
        ((s[2] >= 0x80 && s[2] <= 0x8A) || s[2] == 0xA8 || s[2] == 0xA9 || s[2] == 0xAF))
        return 3; /* U+2000-200A, U+2028, U+2029, U+202F */
    if (s[0] == 0xE2 && s[1] == 0x81 && s[2] == 0x9F)
        return 3; /* U+205F */
    if (s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return 3; /* U+3000 */
    return 0;
}

/* ---- numbers: strconv.Atoi, then robfig's mustParseInt ------------------ */

typedef enum { NUM_OK, NUM_SYNTAX, NUM_RANGE } num_status;

static num_status go_atoi(const char *s, size_t n, int64_t *out)
{
    bool neg = false;
    if (n > 0 && (s[0] == '+' || s[0] == '-')) {
        neg = s[0] == '-';
        s++, n--;
    }
    if (n == 0)
        return NUM_SYNTAX;
    uint64_t v = 0;
    bool overflow = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return NUM_SYNTAX;
        if (v > (UINT64_C(1) << 63) / 10)
            overflow = true;
        else
            v = v * 10 + (uint64_t)(s[i] - '0');
        if (v > (UINT64_C(1) << 63))
            overflow = true;
    }
    if (overflow || (!neg && v > (uint64_t)INT64_MAX))
        return NUM_RANGE;
    *out = neg ? (int64_t)(0 - v) : (int64_t)v;
    return NUM_OK;
}

static bool must_parse_int(const char *s, size_t n, size_t off, const bounds *b,
                           uint64_t *out, k2e_cron_err *err)
{
    char q[96];
    int64_t v;
    num_status st = go_atoi(s, n, &v);
    if (st != NUM_OK)
        return k2e_cron_fail(err, off, "%s field: failed to parse int from %s: strconv.Atoi: parsing \"%s\": %s",
                    b->field, clip(s, n, q, sizeof q), q,
                    st == NUM_RANGE ? "value out of range" : "invalid syntax");
    if (v < 0)
        return k2e_cron_fail(err, off, "%s field: negative number (%lld) not allowed: %s", b->field,
                    (long long)v, clip(s, n, q, sizeof q));
    *out = (uint64_t)v;
    return true;
}

/* strings.ToLower(s) == name, for ASCII names; U+0130 lowers to 'i'. */
static bool name_equal(const char *s, size_t n, const char *name)
{
    size_t i = 0;
    for (; *name; name++) {
        if (i < n && s[i] >= 'A' && s[i] <= 'Z' && s[i] + 32 == *name)
            i++;
        else if (i < n && s[i] == *name)
            i++;
        else if (*name == 'i' && i + 1 < n && (unsigned char)s[i] == 0xC4 &&
                 (unsigned char)s[i + 1] == 0xB0)
            i += 2;
        else
            return false;
    }
    return i == n;
}

static bool parse_int_or_name(const char *s, size_t n, size_t off, const bounds *b,
                              uint64_t *out, k2e_cron_err *err)
{
    for (size_t i = 0; i < b->name_count; i++)
        if (name_equal(s, n, b->names[i])) {
            *out = b->name_base + i;
            return true;
        }
    return must_parse_int(s, n, off, b, out, err);
}

/* ---- fields ------------------------------------------------------------ */

static size_t count_char(const char *s, size_t n, char c)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == c;
    return k;
}

static size_t span_to(const char *s, size_t n, char c)
{
    const char *p = memchr(s, c, n);
    return p ? (size_t)(p - s) : n;
}

static uint64_t get_bits(uint64_t lo, uint64_t hi, uint64_t step)
{
    uint64_t bits = 0;
    for (uint64_t i = lo; i <= hi; i += step)
        bits |= UINT64_C(1) << i;
    return bits;
}

/* robfig getRange: one list item. */
static bool parse_item(const char *it, size_t n, size_t off, const bounds *b, uint64_t *bits,
                       bool *star, k2e_cron_err *err)
{
    char q[96];
    size_t slashes = count_char(it, n, '/');
    size_t rlen = span_to(it, n, '/'); /* rangeAndStep[0] */
    size_t hyphens = count_char(it, rlen, '-');
    size_t llen = span_to(it, rlen, '-'); /* lowAndHigh[0] */
    uint64_t start, end, step = 1;
    bool is_star = llen == 1 && (it[0] == '*' || it[0] == '?');

    if (is_star) {
        start = b->min, end = b->max;
    } else {
        if (!parse_int_or_name(it, llen, off, b, &start, err))
            return false;
        if (hyphens == 0) {
            end = start;
        } else if (hyphens == 1) {
            const char *hi = it + llen + 1;
            if (!parse_int_or_name(hi, rlen - llen - 1, off + llen + 1, b, &end, err))
                return false;
        } else {
            return k2e_cron_fail(err, off, "%s field: too many hyphens: %s", b->field, clip(it, n, q, sizeof q));
        }
    }
    if (slashes == 1) {
        if (!must_parse_int(it + rlen + 1, n - rlen - 1, off + rlen + 1, b, &step, err))
            return false;
        if (hyphens == 0) /* "N/step" means "N-max/step" */
            end = b->max;
        if (step > 1)
            is_star = false;
    } else if (slashes > 1) {
        return k2e_cron_fail(err, off, "%s field: too many slashes: %s", b->field, clip(it, n, q, sizeof q));
    }
    if (start < b->min)
        return k2e_cron_fail(err, off, "%s field: beginning of range (%llu) below minimum (%u): %s", b->field,
                    (unsigned long long)start, b->min, clip(it, n, q, sizeof q));
    if (end > b->max)
        return k2e_cron_fail(err, off, "%s field: end of range (%llu) above maximum (%u): %s", b->field,
                    (unsigned long long)end, b->max, clip(it, n, q, sizeof q));
    if (start > end)
        return k2e_cron_fail(err, off, "%s field: beginning of range (%llu) beyond end of range (%llu): %s",
                    b->field, (unsigned long long)start, (unsigned long long)end,
                    clip(it, n, q, sizeof q));
    if (step == 0)
        return k2e_cron_fail(err, off, "%s field: step of range should be a positive number: %s", b->field,
                    clip(it, n, q, sizeof q));
    *bits |= get_bits(start, end, step);
    *star = *star || is_star;
    return true;
}

/* robfig getField: comma-separated items, empty items ignored. */
static bool parse_field(const char *f, size_t n, size_t off, const bounds *b, uint64_t *bits,
                        bool *star, k2e_cron_err *err)
{
    *bits = 0;
    *star = false;
    size_t i = 0;
    while (i < n) {
        size_t len = span_to(f + i, n - i, ',');
        if (len > 0 && !parse_item(f + i, len, off + i, b, bits, star, err))
            return false;
        i += len + 1;
    }
    return true;
}

/* ---- @every: time.ParseDuration --------------------------------------- */

static const struct {
    const char *name;
    uint64_t ns;
} units[] = {
    {"ns", 1}, {"us", 1000}, {"\xC2\xB5s", 1000}, {"\xCE\xBCs", 1000}, {"ms", 1000000},
    {"s", 1000000000}, {"m", UINT64_C(60000000000)}, {"h", UINT64_C(3600000000000)},
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Parses one "[0-9]*(.[0-9]*)?unit" component at *sp and adds it to *d.
 * Returns NULL on success, or a message fragment. */
static const char *duration_component(const char **sp, uint64_t *d, size_t *unit_off)
{
    const char *s = *sp;
    const uint64_t lim = UINT64_C(1) << 63;
    uint64_t v = 0, f = 0;
    double scale = 1;
    if (!(*s == '.' || is_digit(*s)))
        return "invalid duration";
    const char *p0 = s;
    for (; is_digit(*s); s++) {
        if (v > lim / 10)
            return "invalid duration";
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > lim)
            return "invalid duration";
    }
    bool pre = s != p0, post = false;
    if (*s == '.') {
        const char *f0 = ++s;
        bool overflow = false;
        for (; is_digit(*s); s++) {
            if (overflow)
                continue;
            if (f > (lim - 1) / 10) {
                overflow = true;
                continue;
            }
            uint64_t y = f * 10 + (uint64_t)(*s - '0');
            if (y > lim) {
                overflow = true;
                continue;
            }
            f = y;
            scale *= 10;
        }
        post = s != f0;
    }
    if (!pre && !post)
        return "invalid duration";
    const char *u = s;
    while (*s && *s != '.' && !is_digit(*s))
        s++;
    *unit_off = (size_t)(u - *sp);
    if (s == u)
        return "missing unit in duration";
    uint64_t unit = 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (strlen(units[i].name) == (size_t)(s - u) && memcmp(units[i].name, u, (size_t)(s - u)) == 0)
            unit = units[i].ns;
    if (unit == 0)
        return "unknown unit in duration";
    if (v > lim / unit)
        return "invalid duration";
    v *= unit;
    if (f > 0) {
        /* Go: float64 keeps fractions of hours nanosecond-accurate */
        v += (uint64_t)((double)f * ((double)unit / scale));
        if (v > lim)
            return "invalid duration";
    }
    *d += v;
    if (*d > lim)
        return "invalid duration";
    *sp = s;
    return NULL;
}

static bool parse_duration(const char *s, size_t off, int64_t *out, k2e_cron_err *err)
{
    const char *orig = s;
    uint64_t d = 0;
    bool neg = false;
    char q[96];
    if (*s == '-' || *s == '+')
        neg = *s++ == '-';
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return true;
    }
    if (*s == '\0')
        return k2e_cron_fail(err, off, "failed to parse duration @every %s: time: invalid duration \"%s\"",
                    clip(orig, strlen(orig), q, sizeof q), q);
    while (*s) {
        size_t unit_off = 0;
        const char *at = s;
        const char *why = duration_component(&s, &d, &unit_off);
        if (why)
            return k2e_cron_fail(err, off + (size_t)(at - orig) + (why[0] == 'i' ? 0 : unit_off),
                        "failed to parse duration @every %s: time: %s \"%s\"",
                        clip(orig, strlen(orig), q, sizeof q), why, q);
    }
    if (!neg && d > (uint64_t)INT64_MAX)
        return k2e_cron_fail(err, off, "failed to parse duration @every %s: time: invalid duration \"%s\"",
                    clip(orig, strlen(orig), q, sizeof q), q);
    *out = neg ? (int64_t)(0 - d) : (int64_t)d;
    return true;
}

/* ---- descriptors --------------------------------------------------------- */

static void set_spec(k2e_cron_spec *s, uint32_t hour, uint32_t dom, uint16_t month, uint8_t dow)
{
    s->minute = 1; /* minute 0 */
    s->hour = hour;
    s->dom = dom;
    s->month = month;
    s->dow = dow;
    s->dom_star = dom == K2E_CRON_ALL_DOM;
    s->dow_star = dow == K2E_CRON_ALL_DOW;
}

static bool parse_descriptor(const char *s, k2e_cron_parsed *out, k2e_cron_err *err)
{
    k2e_cron_spec *sp = &out->spec;
    if (strcmp(s, "@yearly") == 0 || strcmp(s, "@annually") == 0)
        set_spec(sp, 1, 1u << 1, 1u << 1, K2E_CRON_ALL_DOW);
    else if (strcmp(s, "@monthly") == 0)
        set_spec(sp, 1, 1u << 1, K2E_CRON_ALL_MONTHS, K2E_CRON_ALL_DOW);
    else if (strcmp(s, "@weekly") == 0)
        set_spec(sp, 1, K2E_CRON_ALL_DOM, K2E_CRON_ALL_MONTHS, 1);
    else if (strcmp(s, "@daily") == 0 || strcmp(s, "@midnight") == 0)
        set_spec(sp, 1, K2E_CRON_ALL_DOM, K2E_CRON_ALL_MONTHS, K2E_CRON_ALL_DOW);
    else if (strcmp(s, "@hourly") == 0)
        set_spec(sp, K2E_CRON_ALL_HOURS, K2E_CRON_ALL_DOM, K2E_CRON_ALL_MONTHS, K2E_CRON_ALL_DOW);
    else if (strncmp(s, "@every ", 7) == 0) {
        int64_t ns = 0;
        if (!parse_duration(s + 7, 7, &ns, err))
            return false;
        const int64_t second = 1000000000;
        if (ns < second) /* robfig Every(): at least one second */
            ns = second;
        out->is_every = true;
        out->every_truncated = ns % second != 0;
        out->every_seconds = ns / second;
    } else {
        char q[96];
        return k2e_cron_fail(err, 0, "unrecognized descriptor: %s", clip(s, strlen(s), q, sizeof q));
    }
    return true;
}

/* ---- entry points -------------------------------------------------------- */

bool k2e_cron_parse(const char *schedule, k2e_cron_parsed *out, k2e_cron_err *err)
{
    memset(out, 0, sizeof *out);
    const char *tz = strstr(schedule, "TZ");
    if (tz) /* Kubernetes >= 1.27 (PR #116252) */
        return k2e_cron_fail(err, (size_t)(tz - schedule),
                    "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    if (schedule[0] == '\0')
        return k2e_cron_fail(err, 0, "schedule must not be empty");
    if (schedule[0] == '@')
        return parse_descriptor(schedule, out, err);

    size_t off[6], len[6], count = 0;
    const unsigned char *s = (const unsigned char *)schedule;
    size_t i = 0;
    while (s[i]) {
        size_t w = space_len(s + i);
        if (w) {
            i += w;
            continue;
        }
        size_t start = i;
        while (s[i] && !space_len(s + i))
            i++;
        if (count < 6)
            off[count] = start, len[count] = i - start;
        count++;
    }
    if (count != 5) {
        char q[96];
        return k2e_cron_fail(err, count > 5 ? off[5] : strlen(schedule),
                    "expected exactly 5 fields, found %zu: %s", count,
                    clip(schedule, strlen(schedule), q, sizeof q));
    }
    uint64_t bits[5];
    bool star[5];
    for (int f = 0; f < 5; f++)
        if (!parse_field(schedule + off[f], len[f], off[f], &field_bounds[f], &bits[f], &star[f], err))
            return false;
    k2e_cron_spec *sp = &out->spec;
    sp->minute = bits[0];
    sp->hour = (uint32_t)bits[1];
    sp->dom = (uint32_t)bits[2];
    sp->month = (uint16_t)bits[3];
    sp->dow = (uint8_t)bits[4];
    sp->dom_star = star[2];
    sp->dow_star = star[4];
    return true;
}

bool k2e_cron_day_matches(const k2e_cron_spec *s, int mday, int wday)
{
    bool dom = (s->dom >> mday) & 1, dow = (s->dow >> wday) & 1;
    return (s->dom_star || s->dow_star) ? dom && dow : dom || dow;
}
