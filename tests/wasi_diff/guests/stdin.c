// Standard input: reads fd 0 to the end in uneven chunks and prints the byte count, the line
// count and an FNV-1a checksum, then checks that a further read still says end of file.
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "errno_name.h"

int main(void) {
  static unsigned char buf[1000];  // not a power of two: reads end mid-line
  uint64_t hash = 1469598103934665603ull, bytes = 0, lines = 0;
  ssize_t n;
  while ((n = read(0, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; ++i) {
      hash = (hash ^ buf[i]) * 1099511628211ull;
      lines += buf[i] == '\n';
    }
    bytes += (uint64_t)n;
  }
  if (n < 0) printf("read failed: %s\n", errno_name(errno));
  printf("bytes=%llu lines=%llu fnv1a=%016llx\n", (unsigned long long)bytes,
         (unsigned long long)lines, (unsigned long long)hash);
  printf("read after eof -> %zd\n", read(0, buf, sizeof buf));
  return 0;
}
