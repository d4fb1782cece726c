// Exit codes: `exit_codes HOW CODE` leaves with CODE by returning from main, by exit() from a
// nested call (stdio buffers and atexit handlers run first), or by _Exit (neither runs).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void goodbye(void) { printf("atexit handler ran\n"); }

// noinline: the exit must come from a real nested frame, not one folded into main.
__attribute__((noinline)) static void leave(int depth, int code) {
  if (depth > 0) {
    leave(depth - 1, code);
    printf("not reached\n");
  }
  exit(code);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: exit_codes return|exit|_Exit CODE\n");
    return 2;
  }
  int code = atoi(argv[2]);
  atexit(goodbye);
  printf("leaving by %s with %d", argv[1], code);  // no newline: only a flush shows it
  fprintf(stderr, "stderr before leaving\n");
  if (strcmp(argv[1], "exit") == 0) leave(5, code);
  if (strcmp(argv[1], "_Exit") == 0) {
    fflush(stdout);
    printf("lost in the buffer");  // no newline: buffered even when stdout is line-buffered
    _Exit(code);
  }
  printf("\n");
  return code;
}
