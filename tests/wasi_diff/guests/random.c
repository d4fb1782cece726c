// random_get and getentropy: lengths, not all zero, and two draws differ. Prints only facts
// that hold for any good source of randomness.
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <wasi/api.h>

#include "errno_name.h"

static int all_zero(const unsigned char* p, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    if (p[i]) return 0;
  }
  return 1;
}

int main(void) {
  static unsigned char a[65536], b[65536];
  const size_t lengths[] = {0, 1, 17, 256, 4096, 65536};
  for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; ++i) {
    size_t n = lengths[i];
    memset(a, 0, sizeof a);
    memset(b, 0, sizeof b);
    __wasi_errno_t e1 = __wasi_random_get(a, n);
    __wasi_errno_t e2 = __wasi_random_get(b, n);
    printf("random_get %zu: %s %s", n, errno_name(e1), errno_name(e2));
    // 17 bytes or more are all zero or equal by chance with probability 2^-136: never.
    if (n >= 17) {
      printf(", not all zero: %s, draws differ: %s", all_zero(a, n) ? "NO" : "yes",
             memcmp(a, b, n) != 0 ? "yes" : "NO");
    }
    // The call must write exactly n bytes: the byte after stays as it was.
    if (n < sizeof a) printf(", byte after untouched: %s", a[n] == 0 ? "yes" : "NO");
    printf("\n");
  }
  memset(a, 0, sizeof a);
  printf("getentropy 256: rc=%d", getentropy(a, 256));
  printf(", not all zero: %s\n", all_zero(a, 256) ? "NO" : "yes");
  printf("getentropy 257: rc=%d\n", getentropy(a, 257));
  return 0;
}
