/* Unit tests for quantity.c: Kubernetes resource.Quantity parsing and the
 * exact conversions built on it.
 *
 * The expected values of the big table were computed with exact rational
 * arithmetic (Python fractions) from Kubernetes' rules, not from this code,
 * and the rows marked "Kubernetes' own" repeat the expectations of
 * apimachinery's quantity_test.go (TestQuantityParse, TestQuantityParseEmit):
 * "3.001n" -> 4n, "0.00000012345" -> 124n, "9Ei" -> 2^63-1 (capped),
 * "100.035Ki" -> 102435.84, "0.000000000001Ki" -> 2n, "1.G" -> 10^9.  The
 * invalid rows include that file's own invalid list.
 */
#include "k2e_test.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "map/quantity.h"

/* A conversion that must fail. */
#define NO UINT64_MAX
#define ROUNDED 1u
#define CAPPED 2u
/* Keeps the big table readable. */
#define U(x) UINT64_C(x)

typedef struct {
    const char *text;
    uint64_t whole;
    uint32_t nano;
    bool negative;
    unsigned flags;
    uint64_t cpu; /* ceil(cores * 1024) */
    uint64_t mib; /* ceil(bytes / 2^20) */
    uint64_t gib; /* ceil(bytes / 2^30) */
} valid_case;

static const valid_case valid[] = {
    /* the everyday cases */
    {"0", 0, 0, false, 0, 0, 0, 0},
    {"100m", 0, 100000000, false, 0, 103, 1, 1},
    {"0.5", 0, 500000000, false, 0, 512, 1, 1},
    {"1", 1, 0, false, 0, 1024, 1, 1},
    {"250m", 0, 250000000, false, 0, 256, 1, 1},
    {"512Mi", 536870912, 0, false, 0, U(549755813888), 512, 1},
    {"1Gi", 1073741824, 0, false, 0, U(1099511627776), 1024, 1},
    {"1G", 1000000000, 0, false, 0, U(1024000000000), 954, 1},
    {"129e6", 129000000, 0, false, 0, U(132096000000), 124, 1},
    {"128974848", 128974848, 0, false, 0, U(132070244352), 123, 1},
    {"1.5Gi", 1610612736, 0, false, 0, U(1649267441664), 1536, 2},
    {"1e3", 1000, 0, false, 0, 1024000, 1, 1},
    {"1E-3", 0, 1000000, false, 0, 2, 1, 1},
    {".5", 0, 500000000, false, 0, 512, 1, 1},
    {"5.", 5, 0, false, 0, 5120, 1, 1},
    {"1Ei", U(1152921504606846976), 0, false, 0, NO, U(1099511627776), 1073741824},
    {"1n", 0, 1, false, 0, 1, 1, 1},
    {"1u", 0, 1000, false, 0, 1, 1, 1},
    {"+1", 1, 0, false, 0, 1024, 1, 1},
    {"-1", 1, 0, true, 0, NO, NO, NO},
    {"-0", 0, 0, false, 0, 0, 0, 0},
    {"+0", 0, 0, false, 0, 0, 0, 0},
    {"0.0", 0, 0, false, 0, 0, 0, 0},
    {"-0.0Mi", 0, 0, false, 0, 0, 0, 0},
    /* cpu */
    {"2", 2, 0, false, 0, 2048, 1, 1},
    {"1.5", 1, 500000000, false, 0, 1536, 1, 1},
    {"0.25", 0, 250000000, false, 0, 256, 1, 1},
    {"333m", 0, 333000000, false, 0, 341, 1, 1},
    {"1m", 0, 1000000, false, 0, 2, 1, 1},
    {"1001m", 1, 1000000, false, 0, 1026, 1, 1},
    {"4096m", 4, 96000000, false, 0, 4195, 1, 1}, /* 4.096 vCPU, not 4096 units */
    {"16", 16, 0, false, 0, 16384, 1, 1},
    {"0.1m", 0, 100000, false, 0, 1, 1, 1},
    {"2.007", 2, 7000000, false, 0, 2056, 1, 1}, /* float64 would say 2008m */
    /* every suffix */
    {"7n", 0, 7, false, 0, 1, 1, 1},
    {"7u", 0, 7000, false, 0, 1, 1, 1},
    {"7m", 0, 7000000, false, 0, 8, 1, 1},
    {"7k", 7000, 0, false, 0, 7168000, 1, 1},
    {"7M", 7000000, 0, false, 0, U(7168000000), 7, 1},
    {"7G", U(7000000000), 0, false, 0, U(7168000000000), 6676, 7},
    {"7T", U(7000000000000), 0, false, 0, U(7168000000000000), 6675721, 6520},
    {"7P", U(7000000000000000), 0, false, 0, U(7168000000000000000), U(6675720215), 6519259},
    {"7E", U(7000000000000000000), 0, false, 0, NO, U(6675720214844), U(6519258023)},
    {"7Ki", 7168, 0, false, 0, 7340032, 1, 1},
    {"7Mi", 7340032, 0, false, 0, U(7516192768), 7, 1},
    {"7Gi", U(7516192768), 0, false, 0, U(7696581394432), 7168, 7},
    {"7Ti", U(7696581394432), 0, false, 0, U(7881299347898368), 7340032, 7168},
    {"7Pi", U(7881299347898368), 0, false, 0, U(8070450532247928832), U(7516192768), 7340032},
    {"7Ei", U(8070450532247928832), 0, false, 0, NO, U(7696581394432), U(7516192768)},
    /* Kubernetes' own TestQuantityParse table (quantity_test.go) */
    {"8k", 8000, 0, false, 0, 8192000, 1, 1},
    {"50k", 50000, 0, false, 0, 51200000, 1, 1},
    {"40T", U(40000000000000), 0, false, 0, U(40960000000000000), 38146973, 37253},
    {"300T", U(300000000000000), 0, false, 0, U(307200000000000000), 286102295, 279397},
    {"2P", U(2000000000000000), 0, false, 0, U(2048000000000000000), 1907348633, 1862646},
    {"1E", U(1000000000000000000), 0, false, 0, NO, U(953674316407), 931322575},
    {"1e9", 1000000000, 0, false, 0, U(1024000000000), 954, 1},
    {"1E12", U(1000000000000), 0, false, 0, U(1024000000000000), 953675, 932},
    {"1e15", U(1000000000000000), 0, false, 0, U(1024000000000000000), 953674317, 931323},
    {"1E18", U(1000000000000000000), 0, false, 0, NO, U(953674316407), 931322575},
    {"100.035k", 100035, 0, false, 0, 102435840, 1, 1},
    {"0.001", 0, 1000000, false, 0, 2, 1, 1},
    {"0.0005k", 0, 500000000, false, 0, 512, 1, 1},
    {"0.00050k", 0, 500000000, false, 0, 512, 1, 1},
    {"0.5e0", 0, 500000000, false, 0, 512, 1, 1},
    {"0.5e-1", 0, 50000000, false, 0, 52, 1, 1},
    {"0.5e-2", 0, 5000000, false, 0, 6, 1, 1},
    {"10.035M", 10035000, 0, false, 0, U(10275840000), 10, 1},
    {"1.2e3", 1200, 0, false, 0, 1228800, 1, 1},
    {"1.3E+6", 1300000, 0, false, 0, 1331200000, 2, 1},
    {"1.40e9", 1400000000, 0, false, 0, U(1433600000000), 1336, 2},
    {"1.53E12", U(1530000000000), 0, false, 0, U(1566720000000000), 1459122, 1425},
    {"1.6e15", U(1600000000000000), 0, false, 0, U(1638400000000000000), 1525878907, 1490117},
    {"1.7E18", U(1700000000000000000), 0, false, 0, NO, U(1621246337891), 1583248377},
    {"9.01", 9, 10000000, false, 0, 9227, 1, 1},
    {"8.1k", 8100, 0, false, 0, 8294400, 1, 1},
    {"7.123456M", 7123456, 0, false, 0, U(7294418944), 7, 1},
    {"6.987654321G", U(6987654321), 0, false, 0, U(7155358024704), 6664, 7},
    {"5.444T", U(5444000000000), 0, false, 0, U(5574656000000000), 5191803, 5071},
    {"40.1T", U(40100000000000), 0, false, 0, U(41062400000000000), 38242341, 37347},
    {"300.2T", U(300200000000000), 0, false, 0, U(307404800000000000), 286293030, 279584},
    {"2.5P", U(2500000000000000), 0, false, 0, U(2560000000000000000), 2384185792, 2328307},
    {"1.01E", U(1010000000000000000), 0, false, 0, NO, U(963211059571), 940635801},
    {"3.001n", 0, 4, false, ROUNDED, 1, 1, 1},
    {"1.1E-9", 0, 2, false, ROUNDED, 1, 1, 1},
    {"0.0000000001", 0, 1, false, ROUNDED, 1, 1, 1},
    {"0.0000000005", 0, 1, false, ROUNDED, 1, 1, 1},
    {"0.00000000050", 0, 1, false, ROUNDED, 1, 1, 1},
    {"0.5e-9", 0, 1, false, ROUNDED, 1, 1, 1},
    {"0.9n", 0, 1, false, ROUNDED, 1, 1, 1},
    {"0.00000012345", 0, 124, false, ROUNDED, 1, 1, 1},
    {"0.00000012354", 0, 124, false, ROUNDED, 1, 1, 1},
    {"9Ei", U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"9223372036854775807Ki",
     U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"12E", U(12000000000000000000), 0, false, 0, NO, U(11444091796875), U(11175870896)},
    {"100.035Ki", 102435, 840000000, false, 0, 104894301, 1, 1},
    {"0.5Mi", 524288, 0, false, 0, 536870912, 1, 1},
    {"0.05Gi", 53687091, 200000000, false, 0, U(54975581389), 52, 1},
    {"0.025Ti", U(27487790694), 400000000, false, 0, U(28147497671066), 26215, 26},
    {"0.000000000001Ki", 0, 2, false, ROUNDED, 1, 1, 1},
    {".001", 0, 1000000, false, 0, 2, 1, 1},
    {".0001k", 0, 100000000, false, 0, 103, 1, 1},
    {"1.", 1, 0, false, 0, 1024, 1, 1},
    {"1.G", 1000000000, 0, false, 0, U(1024000000000), 954, 1},
    /* TestQuantityParseEmit */
    {".001Ki", 1, 24000000, false, 0, 1049, 1, 1},
    {".000001Ki", 0, 1024000, false, 0, 2, 1, 1},
    {".000000001Ki", 0, 1024, false, 0, 1, 1, 1},
    {".000000000001Ki", 0, 2, false, ROUNDED, 1, 1, 1},
    /* exponents */
    {"1e+3", 1000, 0, false, 0, 1024000, 1, 1},
    {"1E+3", 1000, 0, false, 0, 1024000, 1, 1},
    {"1e03", 1000, 0, false, 0, 1024000, 1, 1},
    {"1e-0", 1, 0, false, 0, 1024, 1, 1},
    {"1e+0", 1, 0, false, 0, 1024, 1, 1},
    {"-1.5e3", 1500, 0, true, 0, NO, NO, NO},
    {"0e2147483647", 0, 0, false, 0, 0, 0, 0},
    {"0e-2147483647", 0, 0, false, 0, 0, 0, 0},
    {"1e-2147483647", 0, 1, false, ROUNDED, 1, 1, 1},
    {"1e-100", 0, 1, false, ROUNDED, 1, 1, 1},
    {"100000000000000000000e-20", 1, 0, false, 0, 1024, 1, 1},
    {"1000000000000000000000000000000000000000e-30",
     1000000000, 0, false, 0, U(1024000000000), 954, 1},
    /* binary fractions and exactness */
    {"0.3Ki", 307, 200000000, false, 0, 314573, 1, 1},
    {"0.1Ki", 102, 400000000, false, 0, 104858, 1, 1},
    {"0.0001Ki", 0, 102400000, false, 0, 105, 1, 1},
    {"0.0000000001Ki", 0, 103, false, ROUNDED, 1, 1, 1},
    {"0.00000000001Mi", 0, 10486, false, ROUNDED, 1, 1, 1},
    {"1.0000000001Ki", 1024, 103, false, ROUNDED, 1048577, 1, 1},
    {"0.0009765625Ki", 1, 0, false, 0, 1024, 1, 1},
    /* exactly 1n; then 1n plus digits past the first ten (2^10) fraction digits */
    {"0.0000000000009765625Ki", 0, 1, false, 0, 1, 1, 1},
    {"0.00000000000097656251Ki", 0, 2, false, ROUNDED, 1, 1, 1},
    {"0.00000000000097656250000000000000000000000000000000000000000000000000000001Ki",
     0, 2, false, ROUNDED, 1, 1, 1},
    {"0.0009765624Ki", 0, 999999898, false, ROUNDED, 1024, 1, 1},
    {"0.0009765626Ki", 1, 103, false, ROUNDED, 1025, 1, 1},
    {"0.000000000931322574615478515625Gi", 1, 0, false, 0, 1024, 1, 1},
    {"0.0000000009313225746154785156251Gi", 1, 1, false, ROUNDED, 1025, 1, 1},
    {"0.000000000000000000867361737988403547205962240695953369140625Ei",
     1, 0, false, 0, 1024, 1, 1},
    {"0.0000000000000000008673617379884035472059622406959533691406251Ei",
     1, 1, false, ROUNDED, 1025, 1, 1},
    {"0.000000000000000000867361737988403547205962240695953369140624Ei",
     1, 0, false, ROUNDED, 1024, 1, 1},
    {"7.99999Ei", U(9223360507639729739), 530240000, false, 0, NO, U(8796082027092), U(8589923855)},
    {"7.999999999999999999Ei",
     U(9223372036854775806), 847078496, false, ROUNDED, NO, U(8796093022208), U(8589934592)},
    {"8Ei", U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"-8Ei", U(9223372036854775807), 0, true, CAPPED, NO, NO, NO},
    {"8.000000000000000001Ei",
     U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"1023Ei", U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"99999999999999999999999999999999999999999999999Ki",
     U(9223372036854775807), 0, false, CAPPED, NO, U(8796093022208), U(8589934592)},
    {"8191.99999999999999Pi",
     U(9223372036854775796), 741000932, false, ROUNDED, NO, U(8796093022208), U(8589934592)},
    /* long inputs, leading and trailing zeros */
    {"000000000000000000000000000000000000000000001", 1, 0, false, 0, 1024, 1, 1},
    {"1.0000000000000000000000000000000000000000001", 1, 1, false, ROUNDED, 1025, 1, 1},
    {"0.0000000000000000000000000000000000000000000", 0, 0, false, 0, 0, 0, 0},
    {"007", 7, 0, false, 0, 7168, 1, 1},
    {"100000000000000000000000000000000000000000000000000000000000e-40",
     U(10000000000000000000), 0, false, 0, NO, U(9536743164063), U(9313225747)},
    {"-007.50m", 0, 7500000, true, 0, NO, NO, NO},
    {"1.000000000", 1, 0, false, 0, 1024, 1, 1},
    /* the decimal limit: 2^64 - 1 whole units */
    {"18446744073709551615",
     U(18446744073709551615), 0, false, 0, NO, U(17592186044416), U(17179869184)},
    {"18446744073709551615.999999999",
     U(18446744073709551615), 999999999, false, 0, NO, U(17592186044416), U(17179869184)},
    {"18446744073709551615.9999999989",
     U(18446744073709551615), 999999999, false, ROUNDED, NO, U(17592186044416), U(17179869184)},
    {"18E", U(18000000000000000000), 0, false, 0, NO, U(17166137695313), U(16763806344)},
    {"18.446744073709551615E",
     U(18446744073709551615), 0, false, 0, NO, U(17592186044416), U(17179869184)},
    /* memory */
    {"64Mi", 67108864, 0, false, 0, U(68719476736), 64, 1},
    {"100M", 100000000, 0, false, 0, U(102400000000), 96, 1},
    {"1000Mi", 1048576000, 0, false, 0, U(1073741824000), 1000, 1},
    {"1048577", 1048577, 0, false, 0, 1073742848, 2, 1},
    {"1048576", 1048576, 0, false, 0, 1073741824, 1, 1},
    {"1073741825", 1073741825, 0, false, 0, U(1099511628800), 1025, 2},
    {"21Gi", U(22548578304), 0, false, 0, U(23089744183296), 21504, 21},
    {"20.5Gi", U(22011707392), 0, false, 0, U(22539988369408), 20992, 21},
};

#define VALID_COUNT ((int)(sizeof valid / sizeof valid[0]))

static k2e_quantity parse_ok(const char *text)
{
    k2e_quantity q;
    const char *why = NULL;
    bool ok = k2e_quantity_parse(text, &q, &why);
    REQUIRE(ok, "\"%s\" should parse, got: %s", text, why ? why : "(no reason)");
    return q;
}

static void assert_conversion(const char *text, const char *what, bool ok, uint64_t got,
                              uint64_t expected)
{
    if (expected == NO) {
        ck_assert_msg(!ok, "%s(\"%s\") should fail, got %" PRIu64, what, text, got);
        return;
    }
    ck_assert_msg(ok, "%s(\"%s\") failed, expected %" PRIu64, what, text, expected);
    ck_assert_msg(got == expected, "%s(\"%s\") = %" PRIu64 ", expected %" PRIu64, what, text,
                  got, expected);
}

static void check_valid(const valid_case *c, const char *text, bool negate)
{
    k2e_quantity q = parse_ok(text);
    bool negative = negate ? (c->whole != 0 || c->nano != 0) : c->negative;
    ck_assert_msg(q.whole == c->whole, "\"%s\": whole %" PRIu64 ", expected %" PRIu64, text,
                  q.whole, c->whole);
    ck_assert_msg(q.nano == c->nano, "\"%s\": nano %" PRIu32 ", expected %" PRIu32, text, q.nano,
                  c->nano);
    ck_assert_msg(q.negative == negative, "\"%s\": negative %d", text, q.negative);
    ck_assert_msg(q.rounded_up == ((c->flags & ROUNDED) != 0), "\"%s\": rounded_up %d", text,
                  q.rounded_up);
    ck_assert_msg(q.capped == ((c->flags & CAPPED) != 0), "\"%s\": capped %d", text, q.capped);
    ck_assert(k2e_quantity_is_negative(&q) == negative);
    ck_assert(k2e_quantity_is_zero(&q) == (c->whole == 0 && c->nano == 0));

    uint64_t v = 0;
    bool ok = k2e_quantity_cpu_units(&q, &v);
    assert_conversion(text, "cpu_units", ok, v, negative ? NO : c->cpu);
    v = 0;
    ok = k2e_quantity_mib(&q, &v);
    assert_conversion(text, "mib", ok, v, negative ? NO : c->mib);
    v = 0;
    ok = k2e_quantity_gib(&q, &v);
    assert_conversion(text, "gib", ok, v, negative ? NO : c->gib);
}

START_TEST(test_valid_table)
{
    check_valid(&valid[_i], valid[_i].text, false);
}
END_TEST

/* Kubernetes' test does the same: every row again with "+" and with "-". */
START_TEST(test_valid_table_signed)
{
    const valid_case *c = &valid[_i];
    if (c->text[0] == '+' || c->text[0] == '-')
        return;
    char text[256];
    ck_assert_int_lt((int)strlen(c->text) + 2, (int)sizeof text);
    snprintf(text, sizeof text, "+%s", c->text);
    check_valid(c, text, false);
    snprintf(text, sizeof text, "-%s", c->text);
    check_valid(c, text, true);
}
END_TEST

typedef struct {
    const char *text;
    const char *reason; /* a word the reason must contain */
} invalid_case;

static const invalid_case invalid[] = {
    /* empty and whitespace (Kubernetes: "trailing whitespace is forbidden") */
    {"", "empty"},
    {" 1", "whitespace"},
    {"1 ", "whitespace"},
    {"1 Gi", "whitespace"},
    {"\t1", "whitespace"},
    {"1Gi\n", "whitespace"},
    {"1e 3", "whitespace"},
    /* suffixes are case-sensitive and a closed set */
    {"1gi", "unknown suffix"},
    {"1GB", "unknown suffix"},
    {"1GiB", "unknown suffix"},
    {"1MiB", "unknown suffix"},
    {"1K", "unknown suffix"},
    {"1KI", "unknown suffix"},
    {"1ki", "unknown suffix"},
    {"1mi", "unknown suffix"},
    {"1i", "unknown suffix"},
    {"0.1mi", "unknown suffix"},
    {"0.1am", "unknown suffix"},
    {".5i", "unknown suffix"},
    {"-3.01i", "unknown suffix"},
    {"1Mi3", "unknown suffix"},
    {"1mm", "unknown suffix"},
    {"1Mm", "unknown suffix"},
    {"1ee3", "unknown suffix"},
    {"1-", "unknown suffix"},
    {"1+", "unknown suffix"},
    {"0x10", "unknown suffix"},
    {"1_000", "unknown suffix"},
    {"1,5", "unknown suffix"},
    {"1%", "unknown suffix"},
    {"1\xc2\xb5", "unknown suffix"}, /* "1µ": only the ASCII u means micro */
    {"1cpu", "unknown suffix"},
    /* at most one '.' */
    {"1.5.5", "'.'"},
    {"1..5", "'.'"},
    {"1.1.M", "'.'"},
    {"1+1.0M", "'.'"},
    /* a number needs a digit (Kubernetes would read these as 0) */
    {"Mi", "no digits"},
    {"Ki", "no digits"},
    {"m", "no digits"},
    {"E", "no digits"},
    {".", "no digits"},
    {"+", "no digits"},
    {"-", "no digits"},
    {"+.", "no digits"},
    {"-.", "no digits"},
    {".Mi", "no digits"},
    {"e3", "no digits"},
    {"aoeu", "no digits"},
    {"--1", "no digits"},
    {"+-1", "no digits"},
    {"\xc2\xbd", "no digits"}, /* "½" */
    /* exponents: an integer and nothing else, no other suffix */
    {"1e", "exponent"},
    {"1E+", "exponent"},
    {"1e+", "exponent"},
    {"1e-", "exponent"},
    {"-3.01e-", "exponent"},
    {"1e3Mi", "exponent"},
    {"1e3m", "exponent"},
    {"1e3.5", "exponent"},
    {"1e+-3", "exponent"},
    {"1e--3", "exponent"},
    {"1e0x1", "exponent"},
    /* exponents beyond +/-(2^31-1): Kubernetes truncated them to 32 bits */
    {"1e4294967297", "out of range"},
    {"1e2147483648", "out of range"},
    {"1e-2147483648", "out of range"},
    {"0e2147483648", "out of range"},
    {"1e9223372036854775808", "out of range"},
    {"1e99999999999999999999999", "out of range"},
    /* decimal values of 2^64 units or more */
    {"18446744073709551616", "too large"},
    {"18446744073709551615.9999999991", "too large"},
    {"-18446744073709551616", "too large"},
    {"19E", "too large"},
    {"1e20", "too large"},
    {"1e39", "too large"},
    {"1e2147483647", "too large"},
    {"99999999999999999999999999999999999999999999999", "too large"},
    {"100000000000000000000000000000000000000000000000000000000000e-39", "too large"},
};

#define INVALID_COUNT ((int)(sizeof invalid / sizeof invalid[0]))

START_TEST(test_invalid_table)
{
    const invalid_case *c = &invalid[_i];
    k2e_quantity q;
    const char *why = NULL;
    ck_assert_msg(!k2e_quantity_parse(c->text, &q, &why), "\"%s\" should not parse", c->text);
    ck_assert_msg(why != NULL, "\"%s\": no reason given", c->text);
    ck_assert_msg(strstr(why, c->reason) != NULL, "\"%s\": reason \"%s\" lacks \"%s\"", c->text,
                  why, c->reason);
    /* A NULL `why` is allowed. */
    ck_assert(!k2e_quantity_parse(c->text, &q, NULL));
}
END_TEST

START_TEST(test_null_text)
{
    k2e_quantity q;
    const char *why = NULL;
    ck_assert(!k2e_quantity_parse(NULL, &q, &why));
    ck_assert_ptr_nonnull(why);
}
END_TEST

/* Spelling the same value differently must not change it. */
START_TEST(test_equivalent_spellings)
{
    static const char *const groups[][6] = {
        {"1", "1000m", "1000000u", "1000000000n", "1e0", "0.001k"},
        {"1Ki", "1024", "1.024k", "1024000m", "1024e0", "0.0009765625Mi"},
        {"1Gi", "1024Mi", "1048576Ki", "1073741824", "0.0009765625Ti", "1.073741824G"},
        {"1G", "1000M", "1e9", "1000000k", "0.001T", "1000000000000m"},
        {"1.5Gi", "1536Mi", "1610612736", "1.610612736e9", "1572864Ki", "0.00146484375Ti"},
        {"100m", "0.1", ".1", "100000u", "1e-1", "0.0001k"},
        {"1E", "1e18", "1000P", "1000000T", "1000000000G", "1000000000000000000"},
        {"0", "0m", "0Ki", "-0", "0e5", "0.000"},
        {"1n", "0.1n", "1e-9", "0.5e-9", "1e-100", "0.0000000000001"},
    };
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        k2e_quantity first = parse_ok(groups[g][0]);
        for (size_t i = 1; i < 6; i++) {
            k2e_quantity q = parse_ok(groups[g][i]);
            ck_assert_msg(k2e_quantity_compare(&first, &q) == 0, "\"%s\" != \"%s\"",
                          groups[g][0], groups[g][i]);
            ck_assert(q.whole == first.whole && q.nano == first.nano);
        }
    }
}
END_TEST

START_TEST(test_compare)
{
    /* Strictly ascending. */
    static const char *const ascending[] = {
        "-8Ei", "-1Ei", "-1Gi", "-1G", "-2", "-1.5", "-1", "-999m", "-1m", "-1n",
        "0",    "1n",   "2n",   "1u",  "1m", "100m", "999m", "1",   "1001m", "1.5",
        "2",    "1Ki",  "1M",   "1Mi", "1G", "1Gi",  "1Ei", "8Ei", "9.3E",  "18446744073709551615",
    };
    size_t n = sizeof ascending / sizeof ascending[0];
    for (size_t i = 0; i < n; i++) {
        k2e_quantity a = parse_ok(ascending[i]);
        for (size_t j = 0; j < n; j++) {
            k2e_quantity b = parse_ok(ascending[j]);
            int expected = i < j ? -1 : i > j ? 1 : 0;
            ck_assert_msg(k2e_quantity_compare(&a, &b) == expected, "compare(%s, %s) != %d",
                          ascending[i], ascending[j], expected);
        }
    }
    /* Kubernetes' TestQuantityCmp rows. */
    k2e_quantity a = parse_ok("10000T");
    k2e_quantity b = parse_ok("100Gi");
    ck_assert_int_eq(k2e_quantity_compare(&a, &b), 1);
    a = parse_ok("100m");
    b = parse_ok("50m");
    ck_assert_int_eq(k2e_quantity_compare(&a, &b), 1);
    /* Both capped at 2^63-1: equal, as in Kubernetes. */
    a = parse_ok("8Ei");
    b = parse_ok("9223372036854775807Ki");
    ck_assert_int_eq(k2e_quantity_compare(&a, &b), 0);
    a = parse_ok("0");
    b = parse_ok("-0");
    ck_assert_int_eq(k2e_quantity_compare(&a, &b), 0);
}
END_TEST

START_TEST(test_ceil_scaled_edges)
{
    uint64_t v = 7;
    k2e_quantity q = parse_ok("1");
    ck_assert(!k2e_quantity_ceil_scaled(&q, 1, 0, &v));
    ck_assert_uint_eq(v, 7); /* untouched on failure */
    ck_assert(k2e_quantity_ceil_scaled(&q, 0, 5, &v));
    ck_assert_uint_eq(v, 0);
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_MAX, 1, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(k2e_quantity_ceil_scaled(&q, 1, UINT64_MAX, &v));
    ck_assert_uint_eq(v, 1);

    q = parse_ok("18446744073709551615"); /* 2^64 - 1 */
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_MAX, UINT64_MAX, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(k2e_quantity_ceil_scaled(&q, 1, 1, &v));
    ck_assert_uint_eq(v, UINT64_MAX);
    ck_assert(!k2e_quantity_ceil_scaled(&q, 2, 1, &v));
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_C(1) << 63, UINT64_MAX, &v));
    ck_assert_uint_eq(v, UINT64_C(1) << 63);
    ck_assert(!k2e_quantity_ceil_scaled(&q, UINT64_MAX, UINT64_C(1) << 63, &v)); /* ~2^65 */

    q = parse_ok("18446744073709551615.999999999");
    ck_assert(!k2e_quantity_ceil_scaled(&q, 1, 1, &v)); /* ceil is 2^64 */
    ck_assert(k2e_quantity_ceil_scaled(&q, 1, 2, &v));
    ck_assert_uint_eq(v, UINT64_C(1) << 63);

    q = parse_ok("0.5");
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_MAX, 1, &v));
    ck_assert_uint_eq(v, UINT64_C(1) << 63); /* ceil((2^64-1)/2) */
    q = parse_ok("1n");
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_MAX, 1, &v));
    ck_assert_uint_eq(v, UINT64_C(18446744074)); /* ceil((2^64-1) / 10^9) */
    ck_assert(k2e_quantity_ceil_scaled(&q, 1000000000, 1, &v));
    ck_assert_uint_eq(v, 1);
    ck_assert(k2e_quantity_ceil_scaled(&q, 999999999, 1, &v));
    ck_assert_uint_eq(v, 1);
    ck_assert(k2e_quantity_ceil_scaled(&q, 1000000001, 1, &v));
    ck_assert_uint_eq(v, 2);

    q = parse_ok("-1n");
    ck_assert(!k2e_quantity_ceil_scaled(&q, 1, 1, &v));
    ck_assert(!k2e_quantity_ceil_scaled(&q, 0, 1, &v));
    q = parse_ok("0");
    ck_assert(k2e_quantity_ceil_scaled(&q, UINT64_MAX, 1, &v));
    ck_assert_uint_eq(v, 0);
}
END_TEST

typedef struct {
    const char *q;
    const char *divisor;
    uint64_t expected; /* NO: must fail */
} divide_case;

/* resourceFieldRef values: ceil(q / divisor), a zero divisor counting as 1
 * (helpers.go ExtractContainerResourceValue). */
static const divide_case divides[] = {
    {"250m", "1m", 250},
    {"250m", "1", 1},
    {"1.5", "1", 2},
    {"1.5", "1m", 1500},
    {"2.007", "1m", 2007}, /* float64: ceil(2007.0000000000002) = 2008 */
    {"2", "1", 2},
    {"0.1m", "1m", 1},
    {"1500u", "1m", 2},
    {"2", "0", 2}, /* zero divisor = unset = 1 */
    {"250m", "0", 1},
    {"250m", "0m", 1},
    {"64Mi", "0", 67108864},
    {"0", "1m", 0},
    {"-0", "1", 0},
    {"1Gi", "1Mi", 1024},
    {"1G", "1Mi", 954},
    {"129e6", "1Mi", 124},
    {"128974848", "1Mi", 123},
    {"1", "1Gi", 1},
    {"0", "1Gi", 0},
    {"100m", "1", 1},
    {"1500m", "1k", 1},
    {"8Ei", "1", UINT64_C(9223372036854775807)},
    {"8Ei", "1Ei", 8},
    {"1Ei", "1Ki", UINT64_C(1125899906842624)},
    {"5", "1n", UINT64_C(5000000000)},
    {"1n", "1E", 1},
    {"18446744073709551614", "1", UINT64_MAX - 1},
    {"18446744073709551615.5", "1", NO},
    {"18446744073709551615", "1m", NO},
    {"-1", "1", NO},
    {"1", "-1m", NO},
    /* Divisors Kubernetes rejects at admission: exact here, whereas the
     * kubelet's round-then-divide would give 1 and 1048576. */
    {"1m", "0.5m", 2},
    {"1Mi", "0.5", 2097152},
};

#define DIVIDE_COUNT ((int)(sizeof divides / sizeof divides[0]))

START_TEST(test_ceil_div_table)
{
    const divide_case *c = &divides[_i];
    k2e_quantity q = parse_ok(c->q);
    k2e_quantity d = parse_ok(c->divisor);
    uint64_t v = 0;
    bool ok = k2e_quantity_ceil_div(&q, &d, &v);
    char what[64];
    snprintf(what, sizeof what, "ceil_div(by %s)", c->divisor);
    assert_conversion(c->q, what, ok, v, c->expected);
}
END_TEST

/* xorshift64*: a deterministic generator local to each test. */
static uint64_t next_random(uint64_t *state)
{
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * UINT64_C(2685821657736338717);
}

static uint64_t ceil_div_u64(uint64_t a, uint64_t b)
{
    return a / b + (a % b != 0);
}

#define ROUNDS 20000

START_TEST(test_random_integers)
{
    uint64_t state = UINT64_C(0x9E3779B97F4A7C15);
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t n = next_random(&state) >> (next_random(&state) % 64);
        char text[32];
        snprintf(text, sizeof text, "%" PRIu64, n);
        k2e_quantity q = parse_ok(text);
        REQUIRE(q.whole == n && q.nano == 0 && !q.negative && !q.rounded_up, "%s", text);
        uint64_t v;
        REQUIRE(k2e_quantity_mib(&q, &v), "%s", text);
        REQUIRE(v == ceil_div_u64(n, UINT64_C(1) << 20), "%s", text);
        REQUIRE(k2e_quantity_gib(&q, &v), "%s", text);
        REQUIRE(v == ceil_div_u64(n, UINT64_C(1) << 30), "%s", text);
        bool fits = n <= UINT64_MAX / 1024;
        REQUIRE(k2e_quantity_cpu_units(&q, &v) == fits, "%s", text);
        if (fits)
            REQUIRE(v == n * 1024, "%s", text);
    }
}
END_TEST

START_TEST(test_random_binary)
{
    static const char *const names[] = {"Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    uint64_t state = 12345;
    for (int i = 0; i < ROUNDS; i++) {
        unsigned s = (unsigned)(next_random(&state) % 6);
        unsigned shift = 10 * (s + 1);
        uint64_t n = next_random(&state) >> (next_random(&state) % 64);
        char text[40];
        snprintf(text, sizeof text, "%" PRIu64 "%s", n, names[s]);
        k2e_quantity q = parse_ok(text);
        bool capped = n > (uint64_t)INT64_MAX >> shift; /* n * 2^shift > 2^63 - 1 */
        uint64_t bytes = capped ? (uint64_t)INT64_MAX : n << shift;
        REQUIRE(q.whole == bytes && q.nano == 0 && q.capped == capped, "%s", text);
        uint64_t v;
        REQUIRE(k2e_quantity_mib(&q, &v), "%s", text);
        REQUIRE(v == ceil_div_u64(bytes, UINT64_C(1) << 20), "%s", text);
    }
}
END_TEST

START_TEST(test_random_millicores)
{
    uint64_t state = 777;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t m = next_random(&state) >> (24 + next_random(&state) % 40); /* < 2^40 */
        char text[32];
        snprintf(text, sizeof text, "%" PRIu64 "m", m);
        k2e_quantity q = parse_ok(text);
        REQUIRE(q.whole == m / 1000 && q.nano == (uint32_t)(m % 1000) * 1000000, "%s", text);
        uint64_t v;
        REQUIRE(k2e_quantity_cpu_units(&q, &v), "%s", text);
        REQUIRE(v == ceil_div_u64(m * 1024, 1000), "%s", text);
        /* The downward API in millicores gives the millicores back. */
        k2e_quantity one_milli = parse_ok("1m");
        REQUIRE(k2e_quantity_ceil_div(&q, &one_milli, &v), "%s", text);
        REQUIRE(v == m, "%s", text);
    }
}
END_TEST

/* "W.FFFFFFFFF" is exact; one more non-zero digit rounds up by one nano. */
START_TEST(test_random_decimals)
{
    uint64_t state = 4242;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t w = next_random(&state) >> (next_random(&state) % 64);
        uint32_t f = (uint32_t)(next_random(&state) % 1000000000);
        unsigned extra = (unsigned)(next_random(&state) % 9) + 1;
        char text[64];
        snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu32, w, f);
        k2e_quantity q = parse_ok(text);
        REQUIRE(q.whole == w && q.nano == f && !q.rounded_up, "%s", text);

        snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu32 "%u", w, f, extra);
        k2e_quantity r;
        bool ok = k2e_quantity_parse(text, &r, NULL);
        if (w == UINT64_MAX && f == 999999999) {
            REQUIRE(!ok, "%s", text);
            continue;
        }
        REQUIRE(ok && r.rounded_up, "%s", text);
        uint64_t whole = f == 999999999 ? w + 1 : w;
        uint32_t nano = f == 999999999 ? 0 : f + 1;
        REQUIRE(r.whole == whole && r.nano == nano, "%s", text);
    }
}
END_TEST

/* Every decimal suffix is the same as its exponent. */
START_TEST(test_random_suffix_vs_exponent)
{
    static const struct {
        const char *suffix;
        int exponent;
    } pairs[] = {{"n", -9}, {"u", -6}, {"m", -3}, {"", 0},  {"k", 3},
                 {"M", 6},  {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
    uint64_t state = 99;
    for (int i = 0; i < ROUNDS; i++) {
        size_t p = (size_t)(next_random(&state) % 10);
        uint64_t n = next_random(&state) >> (20 + next_random(&state) % 44);
        unsigned point = (unsigned)(next_random(&state) % 4); /* digits after '.' */
        char digits[32];
        snprintf(digits, sizeof digits, "%" PRIu64, n);
        char number[40];
        size_t len = strlen(digits);
        if (point == 0 || point >= len)
            snprintf(number, sizeof number, "%s", digits);
        else
            snprintf(number, sizeof number, "%.*s.%s", (int)(len - point), digits,
                     digits + len - point);
        char a[64];
        char b[64];
        snprintf(a, sizeof a, "%s%s", number, pairs[p].suffix);
        snprintf(b, sizeof b, "%se%d", number, pairs[p].exponent);
        k2e_quantity qa;
        k2e_quantity qb;
        bool ok_a = k2e_quantity_parse(a, &qa, NULL);
        bool ok_b = k2e_quantity_parse(b, &qb, NULL);
        REQUIRE(ok_a == ok_b, "%s vs %s", a, b);
        if (ok_a)
            REQUIRE(qa.whole == qb.whole && qa.nano == qb.nano && qa.negative == qb.negative &&
                        qa.rounded_up == qb.rounded_up,
                    "%s vs %s", a, b);
    }
}
END_TEST

/* ceil_scaled against a direct 128-bit computation, in a range where the
 * direct product cannot overflow. */
START_TEST(test_random_ceil_scaled)
{
    __extension__ typedef unsigned __int128 u128;
    uint64_t state = 31337;
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t w = next_random(&state) >> (32 + next_random(&state) % 32);
        uint32_t f = (uint32_t)(next_random(&state) % 1000000000);
        uint64_t num = next_random(&state) >> (32 + next_random(&state) % 32);
        uint64_t den = (next_random(&state) >> (next_random(&state) % 64)) | 1;
        char text[48];
        snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu32, w, f);
        k2e_quantity q = parse_ok(text);
        u128 x = ((u128)w * 1000000000u + f) * num;
        u128 d = (u128)den * 1000000000u;
        u128 expected = x / d + (x % d != 0);
        uint64_t v;
        REQUIRE(k2e_quantity_ceil_scaled(&q, num, den, &v), "%s", text);
        REQUIRE((u128)v == expected, "ceil(%s * %" PRIu64 " / %" PRIu64 ")", text, num, den);
    }
}
END_TEST

START_TEST(test_random_compare)
{
    uint64_t state = 2024;
    for (int i = 0; i < ROUNDS; i++) {
        int64_t a = (int64_t)(next_random(&state) % 2000001) - 1000000;
        int64_t b = (int64_t)(next_random(&state) % 2000001) - 1000000;
        if (i % 7 == 0)
            b = a;
        char ta[32];
        char tb[32];
        snprintf(ta, sizeof ta, "%" PRId64 "m", a);
        snprintf(tb, sizeof tb, "%" PRId64 "u", b * 1000);
        k2e_quantity qa = parse_ok(ta);
        k2e_quantity qb = parse_ok(tb);
        int expected = a < b ? -1 : a > b ? 1 : 0;
        REQUIRE(k2e_quantity_compare(&qa, &qb) == expected, "%s vs %s", ta, tb);
        REQUIRE(k2e_quantity_compare(&qb, &qa) == -expected, "%s vs %s", tb, ta);
    }
}
END_TEST

/* For every divisor Kubernetes admits, ceil_div equals the kubelet's own
 * formula: ceil(MilliValue(q) / MilliValue(d)) for cpu, ceil(Value(q) /
 * Value(d)) for the others, MilliValue and Value being ceilings. */
START_TEST(test_random_kubelet_formula)
{
    static const char *const cpu_divisors[] = {"1m", "1", "0"};
    static const char *const memory_divisors[] = {"1",  "1k", "1M", "1G", "1T", "1P", "1E",
                                                  "1Ki", "1Mi", "1Gi", "1Ti", "1Pi", "1Ei", "0"};
    uint64_t state = 5150;
    for (int i = 0; i < ROUNDS; i++) {
        bool cpu = i % 2 == 0;
        const char *divisor_text =
            cpu ? cpu_divisors[next_random(&state) % 3] : memory_divisors[next_random(&state) % 14];
        uint64_t w = next_random(&state) >> (20 + next_random(&state) % 44);
        uint32_t f = (uint32_t)(next_random(&state) % 1000000000);
        if (i % 3 != 0)
            f -= f % 1000000; /* whole millis, the common case */
        char text[48];
        snprintf(text, sizeof text, "%" PRIu64 ".%09" PRIu32, w, f);
        k2e_quantity q = parse_ok(text);
        k2e_quantity d = parse_ok(divisor_text);
        /* The kubelet replaces a zero (unset) divisor by 1. */
        k2e_quantity kubelet_d = k2e_quantity_is_zero(&d) ? parse_ok("1") : d;
        uint64_t per_unit = cpu ? 1000 : 1;
        uint64_t a;
        uint64_t b;
        REQUIRE(k2e_quantity_ceil_scaled(&q, per_unit, 1, &a), "%s", text);
        REQUIRE(k2e_quantity_ceil_scaled(&kubelet_d, per_unit, 1, &b), "%s", text);
        uint64_t got;
        REQUIRE(k2e_quantity_ceil_div(&q, &d, &got), "%s", text);
        REQUIRE(got == ceil_div_u64(a, b), "%s / %s (%s)", text, divisor_text,
                cpu ? "cpu" : "memory");
    }
}
END_TEST

Suite *k2e_test_suite(void)
{
    Suite *suite = suite_create("quantity");

    TCase *tables = tcase_create("tables");
    tcase_add_loop_test(tables, test_valid_table, 0, VALID_COUNT);
    tcase_add_loop_test(tables, test_valid_table_signed, 0, VALID_COUNT);
    tcase_add_loop_test(tables, test_invalid_table, 0, INVALID_COUNT);
    tcase_add_test(tables, test_null_text);
    tcase_add_test(tables, test_equivalent_spellings);
    tcase_add_test(tables, test_compare);
    tcase_add_test(tables, test_ceil_scaled_edges);
    tcase_add_loop_test(tables, test_ceil_div_table, 0, DIVIDE_COUNT);
    suite_add_tcase(suite, tables);

    TCase *random = tcase_create("random");
    tcase_set_timeout(random, 60);
    tcase_add_test(random, test_random_integers);
    tcase_add_test(random, test_random_binary);
    tcase_add_test(random, test_random_millicores);
    tcase_add_test(random, test_random_decimals);
    tcase_add_test(random, test_random_suffix_vs_exponent);
    tcase_add_test(random, test_random_ceil_scaled);
    tcase_add_test(random, test_random_compare);
    tcase_add_test(random, test_random_kubelet_formula);
    suite_add_tcase(suite, random);
    return suite;
}
