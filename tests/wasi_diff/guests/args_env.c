// Arguments and environment through wasi-libc: argc/argv (argv[0] is the module as written),
// environ in the order given, getenv of present, empty and missing names.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern char** environ;

// Shows every byte, so that empty strings, spaces and non-ASCII survive the comparison.
static void print_quoted(const char* s) {
  putchar('[');
  for (const unsigned char* p = (const unsigned char*)s; *p; ++p) {
    if (*p < 0x20 || *p >= 0x7f) printf("\\x%02x", *p);
    else putchar(*p);
  }
  putchar(']');
}

int main(int argc, char** argv) {
  printf("argc=%d\n", argc);
  for (int i = 0; i < argc; ++i) {
    printf("argv[%d]=", i);
    print_quoted(argv[i]);
    printf("\n");
  }
  printf("argv[argc] is %s\n", argv[argc] == NULL ? "NULL" : "not NULL");
  int count = 0;
  for (char** e = environ; *e; ++e, ++count) {
    printf("environ[%d]=", count);
    print_quoted(*e);
    printf("\n");
  }
  printf("environ count=%d\n", count);
  const char* names[] = {"GREETING", "EMPTY", "WITH_EQUALS", "MISSING", "PATH"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; ++i) {
    const char* value = getenv(names[i]);
    printf("getenv(%s)=", names[i]);
    if (value) print_quoted(value);
    else printf("(null)");
    printf("\n");
  }
  fprintf(stderr, "args and environment printed\n");
  return 0;
}
