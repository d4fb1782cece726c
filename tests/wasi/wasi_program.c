/* A WASI command used by c_program_test.cpp: exercises what wasi-libc's start-up and stdio
   need from the host. Compiled with clang-19 --target=wasm32-wasi at test time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char** argv) {
  for (int i = 0; i < argc; ++i) printf("arg[%d]=%s\n", i, argv[i]);
  const char* value = getenv("LANTERN_TEST");
  printf("env=%s\n", value ? value : "(unset)");
  fprintf(stderr, "to stderr\n");

  char buffer[64];
  size_t n = fread(buffer, 1, sizeof buffer - 1, stdin);
  buffer[n] = '\0';
  printf("stdin=%s\n", buffer);

  FILE* file = fopen("/etc/passwd", "r");
  printf("fopen=%s\n", file ? "opened" : "failed");

  struct timespec ts;
  printf("clock=%s\n", clock_gettime(CLOCK_MONOTONIC, &ts) == 0 ? "ok" : "failed");
  return argc == 3 ? 42 : 0;
}
