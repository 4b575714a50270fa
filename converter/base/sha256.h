/* SHA-256 (FIPS 180-4), for report.json's digest of the mapping file: a CI
 * artifact says which table produced it.  Small enough to carry instead of
 * a crypto library. */
#ifndef K2E_SHA256_H
#define K2E_SHA256_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t state[8];
    uint64_t length;       /* bytes hashed so far */
    unsigned char block[64];
    size_t used;           /* bytes waiting in block */
} k2e_sha256;

void k2e_sha256_init(k2e_sha256 *ctx);
void k2e_sha256_update(k2e_sha256 *ctx, const void *data, size_t size);
/* The digest as 64 lowercase hex digits and a NUL. */
void k2e_sha256_hex(k2e_sha256 *ctx, char out[65]);
/* The digest of a file's bytes; false when it cannot be read (errno set). */
bool k2e_sha256_file(const char *path, char out[65]);

#endif
