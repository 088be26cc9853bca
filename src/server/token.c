/* API tokens: made from 32 random bytes, kept as SHA-256 (libsodium). A token is random and
 * long, so a fast hash suffices: there is nothing to guess that a slow hash would protect. */
#include <assert.h>
#include <sodium.h>
#include <string.h>

#include "fangkong/error.h"
#include "server/server.h"

int fk__token_hash(const char *token, size_t n, char hash[FK_TOKEN_HASH_BUFSZ])
{
  unsigned char h[crypto_hash_sha256_BYTES];
  assert(token && hash);
  if (sodium_init() < 0) return FK_EIO;
  crypto_hash_sha256(h, (const unsigned char *)token, n);
  sodium_bin2hex(hash, FK_TOKEN_HASH_BUFSZ, h, sizeof h);
  return 0;
}

int fk__token_new(char token[FK__TOKEN_BUFSZ], char hash[FK_TOKEN_HASH_BUFSZ])
{
  unsigned char raw[32];
  assert(token && hash);
  if (sodium_init() < 0) return FK_EIO;
  randombytes_buf(raw, sizeof raw);
  memcpy(token, "fk_", 3);
  sodium_bin2hex(token + 3, FK__TOKEN_BUFSZ - 3, raw, sizeof raw);
  sodium_memzero(raw, sizeof raw);
  return fk__token_hash(token, strlen(token), hash);
}
