/* The bundled example: a WASI command that greets and echoes its arguments.
   Built by scripts/setup.sh: clang-19 --target=wasm32-wasi -O2 hello.c -o hello.wasm */
#include <stdio.h>

int main(int argc, char** argv) {
  printf("Hello from WebAssembly!\n");
  for (int i = 1; i < argc; ++i) printf("arg %d: %s\n", i, argv[i]);
  return 0;
}
