/* Kubernetes resource quantities ("500m", "1.5Gi", "129e6") as exact values.
 *
 * k2e_quantity_parse() accepts what k8s.io/apimachinery's ParseQuantity
 * accepts and stores the value Kubernetes stores: the written number rounded
 * away from zero to a whole nano (10^-9), and a binary-suffixed (Ki..Ei)
 * magnitude capped at 2^63-1.  No floating point is involved anywhere, so
 * "0.1" is exactly one tenth and every conversion below is an exact ceiling.
 *
 * Grammar (as Kubernetes' scanner implements it, quantity.go and suffix.go):
 *   quantity ::= [+-] number suffix
 *   number   ::= digits | digits "." digits | digits "." | "." digits
 *   suffix   ::= "" | n | u | m | k | M | G | T | P | E        (10^-9 .. 10^18)
 *              | Ki | Mi | Gi | Ti | Pi | Ei                    (2^10 .. 2^60)
 *              | (e | E) [+-] digits                            (10^exponent)
 * Suffixes are case-sensitive ("1gi", "1K" and "1GB" are errors), an exponent
 * cannot be combined with another suffix ("1e3Mi" is an error), and nothing
 * else may appear: no whitespace, no second '.'.
 *
 * Where we are stricter than Kubernetes' implementation (never looser):
 *   - a number needs at least one digit.  Kubernetes' scanner reads ".", "+",
 *     "-", "Mi", "m" or "e3" as 0; these are typos, and converting them to a
 *     zero-sized container would hide the mistake, so they are errors here.
 *   - an exponent must lie in [-2147483647, 2147483647].  Kubernetes parses
 *     it as int64 and then truncates it to int32, so older releases read
 *     "1e4294967297" as 10; the newest apimachinery source we read rejects
 *     it, as we do.
 *   - a decimal value must stay below 2^64 (whole units).  Kubernetes keeps
 *     larger decimals as big numbers, but nothing in ECS can use them.
 * Within a few digits of exponent -2^31 Kubernetes' 32-bit scale arithmetic
 * wraps around ("1.5e-2147483647" becomes enormous); we keep the exact value.
 * Kubernetes' JSON/YAML decoder trims leading and trailing whitespace before
 * parsing (UnmarshalJSON, marked "TODO: remove"); this parser does not, so a
 * caller reading manifests should trim first if it wants that leniency.
 */
#ifndef KUBE2ECS_QUANTITY_H
#define KUBE2ECS_QUANTITY_H

#include <stdbool.h>
#include <stdint.h>

/* A parsed quantity: sign and magnitude, magnitude = whole + nano / 10^9.
 * A plain value: copy it freely, nothing to release. */
typedef struct {
    uint64_t whole;  /* integer part of the magnitude */
    uint32_t nano;   /* fractional part in units of 10^-9: 0 .. 999999999 */
    bool negative;   /* never set for zero ("-0" is zero) */
    bool rounded_up; /* the written value is not a whole number of nanos;
                        Kubernetes (and we) rounded the magnitude up to the
                        next nano: "0.1n" -> 1n, "0.0000000001Ki" -> 103n */
    bool capped;     /* a binary-suffixed magnitude above 2^63-1 that Kubernetes
                        silently caps at 2^63-1: "8Ei" -> 9223372036854775807 */
} k2e_quantity;

/* Parses `text` (NUL-terminated, the whole string is the quantity).
 * On success fills *out and returns true.  On failure returns false, leaves
 * *out unspecified and, when `why` is non-NULL, points *why at a static
 * English sentence fragment saying what is wrong (never NULL on failure). */
bool k2e_quantity_parse(const char *text, k2e_quantity *out, const char **why);

bool k2e_quantity_is_negative(const k2e_quantity *q);
bool k2e_quantity_is_zero(const k2e_quantity *q);

/* -1, 0 or 1 as a is less than, equal to or greater than b (by value). */
int k2e_quantity_compare(const k2e_quantity *a, const k2e_quantity *b);

/* *out = ceil(q * numerator / denominator), exactly, for any 64-bit
 * numerator and denominator.  False (and *out untouched) when q is negative,
 * denominator is 0, or the result does not fit in uint64_t. */
bool k2e_quantity_ceil_scaled(const k2e_quantity *q, uint64_t numerator,
                              uint64_t denominator, uint64_t *out);

/* ECS cpu units, ceil(cores * 1024): "100m" -> 103, "250m" -> 256,
 * "0.5" -> 512, "1" -> 1024.  Same failure rules as ceil_scaled. */
bool k2e_quantity_cpu_units(const k2e_quantity *q, uint64_t *units);

/* Whole MiB, ceil(bytes / 2^20): "512Mi" -> 512, "1G" -> 954,
 * "129e6" -> 124, "128974848" -> 123, "1.5Gi" -> 1536. */
bool k2e_quantity_mib(const k2e_quantity *q, uint64_t *mib);

/* Whole GiB, ceil(bytes / 2^30): "1Gi" -> 1, "1G" -> 1, "21Gi" -> 21. */
bool k2e_quantity_gib(const k2e_quantity *q, uint64_t *gib);

/* *out = ceil(q / divisor): the number the kubelet puts into an env var or
 * file for a resourceFieldRef with this divisor.  A zero divisor means
 * "unset" and counts as 1 (ExtractContainerResourceValue).
 *
 * The kubelet computes ceil(MilliValue(q) / MilliValue(divisor)) for cpu and
 * ceil(Value(q) / Value(divisor)) otherwise (pkg/api/v1/resource/helpers.go),
 * rounding both operands up (MilliValue = ceil(x * 1000), Value = ceil(x))
 * before dividing, in float64.  For every divisor Kubernetes admits (cpu: 1m
 * or 1; memory, ephemeral-storage: 1, 1k .. 1E, 1Ki .. 1Ei) that is exactly
 * ceil(q / divisor), because ceil(ceil(x) / n) = ceil(x / n) for a whole n;
 * for divisors it rejects (e.g. "0.5m") the results would differ, and above
 * 2^53 its float64 division can be off by one where ours is exact.
 * False when q or the divisor is negative or the result exceeds uint64_t. */
bool k2e_quantity_ceil_div(const k2e_quantity *q, const k2e_quantity *divisor, uint64_t *out);

#endif
