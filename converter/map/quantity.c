/* Kubernetes resource.Quantity -> exact integers.
 *
 * Design.  A quantity is kept as sign + magnitude, the magnitude as whole
 * units plus nanos (10^-9), because that is exactly the precision Kubernetes
 * keeps: ParseQuantity rounds anything finer than 1n away from zero.  Every
 * conversion is then an exact ceiling computed in unsigned 128-bit integers;
 * no value ever passes through floating point, where "2.007" cores would be
 * ceil(2.007 * 1000) = 2008 millicores (the product is 2007.0000000000002).
 *
 * Parsing reads the text once into a view (sign, integer digits, fraction
 * digits, decimal exponent, binary exponent) without copying, then turns the
 * view into nanos:
 *
 *     nanos = ceil(D * 10^shift * 2^exp2)
 *
 * where D is the run of significant digits (leading and trailing zeros
 * stripped, so D's last digit is non-zero).  The integer part of D * 10^shift
 * is a prefix of D's digits (or D followed by zeros), built with overflow
 * checks.  The fraction part F needs care only for binary suffixes: with
 * exp2 = 0 a non-empty fraction is simply "round up by one".  For exp2 > 0,
 * floor(F * 2^exp2) is computed by doubling F's digits exp2 times; a digit's
 * carry into its left neighbour depends on that digit alone (2d + 1 >= 10 iff
 * d >= 5), so after exp2 doublings the integer part depends only on F's first
 * exp2 digits, at most 60 of them: a fixed buffer, no big numbers, however
 * long the input.  Any digit beyond those (D ends in a non-zero digit) makes
 * the product inexact, which is again "round up by one".
 *
 * The accepted language follows Kubernetes' scanner (quantity.go
 * parseQuantityString and suffix.go interpret), cross-checked against its
 * tests (quantity_test.go TestQuantityParse: "1.", "1.G", ".001", "0.9n" ->
 * 1n, "9Ei" -> 2^63-1, invalid "1.1.M", "0.1mi", "1i", " 1", "1 ").  The few
 * places where we are deliberately stricter are listed in quantity.h.
 */
#include "map/quantity.h"

#include <stddef.h>
#include <string.h>

#if !defined(__SIZEOF_INT128__)
#error "quantity.c needs unsigned __int128 (GCC or Clang on a 64-bit target)"
#endif
/* __extension__ keeps -Wpedantic quiet: 128-bit integers are a GNU C
 * extension, and the only portable alternative is hand-written double-word
 * arithmetic, which is far easier to get wrong. */
__extension__ typedef unsigned __int128 u128;

#define U128_MAX (~(u128)0)
#define NANOS 1000000000u
#define MAX_BINARY_EXP 60u

/* Largest decimal magnitude we accept, in nanos: whole units fit uint64_t. */
#define DECIMAL_LIMIT ((u128)UINT64_MAX * NANOS + (NANOS - 1))
/* Kubernetes' silent cap for binary-suffixed values: 2^63-1 whole units. */
#define BINARY_CAP ((u128)INT64_MAX * NANOS)

static const char WHY_EMPTY[] = "empty quantity";
static const char WHY_SPACE[] = "whitespace inside a quantity";
static const char WHY_NO_DIGITS[] =
    "no digits: a quantity starts with a number, e.g. 500m, 0.5 or 512Mi";
static const char WHY_DOT[] = "misplaced '.': a quantity has at most one, before any suffix";
static const char WHY_SUFFIX[] =
    "unknown suffix: use n u m k M G T P E, Ki Mi Gi Ti Pi Ei or e<integer> "
    "(case matters, and an exponent cannot be combined with another suffix)";
static const char WHY_EXPONENT[] = "malformed exponent: e or E must be followed by an integer only";
static const char WHY_EXPONENT_RANGE[] = "exponent out of range (beyond +/-2147483647)";
static const char WHY_TOO_LARGE[] = "value too large (2^64 units or more)";

/* The text of a quantity, split but not copied. */
typedef struct {
    bool negative;
    const char *whole; /* digits before the '.' */
    size_t whole_len;
    const char *frac;  /* digits after the '.' */
    size_t frac_len;
    int64_t exp10;     /* from a decimal suffix or an exponent */
    unsigned exp2;     /* from a binary suffix: 0, 10, ..., 60 */
} scanned;

typedef struct {
    const char *name;
    int exp10;
    unsigned exp2;
} suffix_def;

/* suffix.go's tables.  "E" is exa (10^18) here; only "E" followed by an
 * integer is an exponent, which is also the order Kubernetes checks in. */
static const suffix_def suffixes[] = {
    {"", 0, 0},    {"n", -9, 0},  {"u", -6, 0},  {"m", -3, 0},  {"k", 3, 0},
    {"M", 6, 0},   {"G", 9, 0},   {"T", 12, 0},  {"P", 15, 0},  {"E", 18, 0},
    {"Ki", 0, 10}, {"Mi", 0, 20}, {"Gi", 0, 30}, {"Ti", 0, 40}, {"Pi", 0, 50},
    {"Ei", 0, 60},
};

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static size_t digit_run(const char *s)
{
    size_t n = 0;
    while (is_digit(s[n]))
        n++;
    return n;
}

/* "e" or "E", optional sign, at least one digit, nothing after: what
 * strconv.ParseInt(suffix[1:], 10, 64) accepts after suffix.go's check. */
static bool parse_exponent(const char *suffix, int64_t *exp10, const char **why)
{
    const char *p = suffix + 1;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    size_t n = digit_run(p);
    if (n == 0 || p[n] != '\0') {
        *why = WHY_EXPONENT;
        return false;
    }
    int64_t value = 0;
    for (size_t i = 0; i < n; i++) {
        value = value * 10 + (p[i] - '0');
        /* Kubernetes keeps the exponent in an int32 scale that it negates,
         * so +/-INT32_MAX is the widest range that means what it says. */
        if (value > INT32_MAX) {
            *why = WHY_EXPONENT_RANGE;
            return false;
        }
    }
    *exp10 = negative ? -value : value;
    return true;
}

static bool parse_suffix(const char *suffix, scanned *s, const char **why)
{
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        if (strcmp(suffix, suffixes[i].name) == 0) {
            s->exp10 = suffixes[i].exp10;
            s->exp2 = suffixes[i].exp2;
            return true;
        }
    }
    if ((suffix[0] == 'e' || suffix[0] == 'E') &&
        (suffix[1] == '\0' || suffix[1] == '+' || suffix[1] == '-' || is_digit(suffix[1])))
        return parse_exponent(suffix, &s->exp10, why);
    *why = strchr(suffix, '.') != NULL ? WHY_DOT : WHY_SUFFIX;
    return false;
}

static bool scan(const char *text, scanned *s, const char **why)
{
    memset(s, 0, sizeof *s);
    if (text == NULL || text[0] == '\0') {
        *why = WHY_EMPTY;
        return false;
    }
    for (const char *c = text; *c != '\0'; c++) {
        if (is_space(*c)) {
            *why = WHY_SPACE;
            return false;
        }
    }
    const char *p = text;
    s->negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    s->whole = p;
    s->whole_len = digit_run(p);
    p += s->whole_len;
    if (*p == '.') {
        s->frac = ++p;
        s->frac_len = digit_run(p);
        p += s->frac_len;
    }
    /* Kubernetes reads a number without digits (".", "-", "Mi") as zero;
     * see quantity.h for why that is an error here. */
    if (s->whole_len + s->frac_len == 0) {
        *why = WHY_NO_DIGITS;
        return false;
    }
    return parse_suffix(p, s, why);
}

/* Digit i of the integer digits followed by the fraction digits. */
static unsigned digit_at(const scanned *s, size_t i)
{
    char c = i < s->whole_len ? s->whole[i] : s->frac[i - s->whole_len];
    return (unsigned)(c - '0');
}

/* The significant digits D of the number and where the decimal point sits:
 * the number is D * 10^exp10 (before the suffix's 2^exp2). */
typedef struct {
    size_t first;   /* index of D's first digit in digit_at() order */
    int64_t length; /* number of digits in D; 0 means the value is zero */
    int64_t exp10;
} significand;

static significand significant_digits(const scanned *s)
{
    size_t total = s->whole_len + s->frac_len;
    size_t first = 0;
    size_t end = total;
    while (first < total && digit_at(s, first) == 0)
        first++;
    while (end > first && digit_at(s, end - 1) == 0)
        end--;
    /* Casts are safe: a string in memory is far shorter than 2^62 bytes and
     * the exponent is within +/-2^31. */
    significand d = {
        .first = first,
        .length = (int64_t)(end - first),
        .exp10 = s->exp10 - (int64_t)s->frac_len + (int64_t)(total - end),
    };
    return d;
}

/* floor(F * 2^exp2) and whether that product is inexact, where F is the
 * fraction whose j-th digit (j = 0, 1, ...) is digit int_digits + j of D, or
 * 0 while that index is negative.  F has `count` digits, ending with D's
 * last (non-zero) digit.  See the design note at the top. */
static uint64_t fraction_times_pow2(const scanned *s, const significand *d,
                                    int64_t int_digits, int64_t count,
                                    unsigned exp2, bool *inexact)
{
    unsigned char buf[MAX_BINARY_EXP];
    int64_t used = count < (int64_t)exp2 ? count : (int64_t)exp2;
    for (int64_t j = 0; j < used; j++) {
        int64_t index = int_digits + j;
        buf[j] = index < 0 ? 0 : (unsigned char)digit_at(s, d->first + (size_t)index);
    }
    uint64_t floor_part = 0;
    for (unsigned step = 0; step < exp2; step++) {
        unsigned carry = 0;
        for (int64_t j = used - 1; j >= 0; j--) {
            unsigned v = 2u * buf[j] + carry;
            buf[j] = (unsigned char)(v % 10);
            carry = v / 10;
        }
        floor_part = floor_part * 2 + carry;
    }
    bool rest = count > used;
    for (int64_t j = 0; j < used && !rest; j++)
        rest = buf[j] != 0;
    *inexact = rest;
    return floor_part;
}

/* The magnitude in nanos, rounded up to a whole nano.  False when it would
 * exceed `limit`; *rounded tells whether rounding happened. */
static bool magnitude_nanos(const scanned *s, u128 limit, u128 *nanos, bool *rounded)
{
    significand d = significant_digits(s);
    *rounded = false;
    *nanos = 0;
    if (d.length == 0)
        return true;
    int64_t shift = d.exp10 + 9; /* nanos = D * 10^shift * 2^exp2 */
    int64_t int_digits = d.length + shift;
    if (int_digits > 39) /* 40 digits are >= 10^39 > 2^128: beyond any limit */
        return false;
    u128 value = 0;
    for (int64_t i = 0; i < int_digits; i++) {
        unsigned digit = i < d.length ? digit_at(s, d.first + (size_t)i) : 0;
        if (value > (U128_MAX - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    if (value > (U128_MAX >> s->exp2))
        return false;
    value <<= s->exp2;
    bool inexact = false;
    if (shift < 0) {
        uint64_t part = s->exp2 == 0 ? 0
                        : fraction_times_pow2(s, &d, int_digits, -shift, s->exp2, &inexact);
        /* Without a binary factor a fraction is always inexact: D ends in a
         * non-zero digit that lies past the (nano) point. */
        if (s->exp2 == 0)
            inexact = true;
        if (value > limit || part > limit - value)
            return false;
        value += part;
    }
    if (inexact) {
        if (value >= limit)
            return false;
        value += 1;
    }
    if (value > limit)
        return false;
    *nanos = value;
    *rounded = inexact;
    return true;
}

bool k2e_quantity_parse(const char *text, k2e_quantity *out, const char **why)
{
    const char *ignored;
    if (why == NULL)
        why = &ignored;
    scanned s;
    if (!scan(text, &s, why))
        return false;

    u128 nanos;
    bool rounded;
    bool capped = false;
    if (s.exp2 == 0) {
        if (!magnitude_nanos(&s, DECIMAL_LIMIT, &nanos, &rounded)) {
            *why = WHY_TOO_LARGE;
            return false;
        }
    } else if (!magnitude_nanos(&s, BINARY_CAP, &nanos, &rounded)) {
        /* quantity.go: "The max is just a simple cap." (BinarySI only). */
        nanos = BINARY_CAP;
        rounded = false;
        capped = true;
    }
    memset(out, 0, sizeof *out);
    out->whole = (uint64_t)(nanos / NANOS);
    out->nano = (uint32_t)(nanos % NANOS);
    out->negative = s.negative && nanos != 0;
    out->rounded_up = rounded;
    out->capped = capped;
    return true;
}

bool k2e_quantity_is_negative(const k2e_quantity *q)
{
    return q->negative;
}

bool k2e_quantity_is_zero(const k2e_quantity *q)
{
    return q->whole == 0 && q->nano == 0;
}

static int compare_magnitude(const k2e_quantity *a, const k2e_quantity *b)
{
    if (a->whole != b->whole)
        return a->whole < b->whole ? -1 : 1;
    if (a->nano != b->nano)
        return a->nano < b->nano ? -1 : 1;
    return 0;
}

static int sign_of(const k2e_quantity *q)
{
    if (k2e_quantity_is_zero(q))
        return 0;
    return q->negative ? -1 : 1;
}

int k2e_quantity_compare(const k2e_quantity *a, const k2e_quantity *b)
{
    int sa = sign_of(a);
    int sb = sign_of(b);
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int magnitude = compare_magnitude(a, b);
    return sa < 0 ? -magnitude : magnitude;
}

/* ceil((whole + nano/10^9) * num / den).  Splitting off the whole part keeps
 * every intermediate below 2^128:
 *   ceil(x / (10^9 * den)) = ceil(ceil(x / 10^9) / den)   (integer x)
 *   ceil((whole * 10^9 + nano) * num / 10^9) = whole * num + ceil(nano * num / 10^9)
 * and whole * num <= (2^64-1)^2, ceil(nano * num / 10^9) < 2^64. */
bool k2e_quantity_ceil_scaled(const k2e_quantity *q, uint64_t numerator,
                              uint64_t denominator, uint64_t *out)
{
    if (q->negative || denominator == 0)
        return false;
    u128 frac = (u128)q->nano * numerator;
    u128 scaled = (u128)q->whole * numerator + frac / NANOS + (frac % NANOS != 0);
    u128 result = scaled / denominator + (scaled % denominator != 0);
    if (result > UINT64_MAX)
        return false;
    *out = (uint64_t)result;
    return true;
}

bool k2e_quantity_cpu_units(const k2e_quantity *q, uint64_t *units)
{
    return k2e_quantity_ceil_scaled(q, 1024, 1, units);
}

bool k2e_quantity_mib(const k2e_quantity *q, uint64_t *mib)
{
    return k2e_quantity_ceil_scaled(q, 1, UINT64_C(1) << 20, mib);
}

bool k2e_quantity_gib(const k2e_quantity *q, uint64_t *gib)
{
    return k2e_quantity_ceil_scaled(q, 1, UINT64_C(1) << 30, gib);
}

static u128 total_nanos(const k2e_quantity *q)
{
    return (u128)q->whole * NANOS + q->nano;
}

/* Exact, rather than the kubelet's round-both-then-divide; quantity.h says
 * why the two agree for every divisor Kubernetes admits. */
bool k2e_quantity_ceil_div(const k2e_quantity *q, const k2e_quantity *divisor, uint64_t *out)
{
    if (q->negative || divisor->negative)
        return false;
    /* ExtractContainerResourceValue: a divisor equal to the zero Quantity is
     * "unset" and replaced by 1. */
    u128 by = k2e_quantity_is_zero(divisor) ? NANOS : total_nanos(divisor);
    u128 value = total_nanos(q);
    u128 result = value / by + (value % by != 0);
    if (result > UINT64_MAX)
        return false;
    *out = (uint64_t)result;
    return true;
}
