// Files through wasi-libc: create, write, read, append, seek/tell, truncate, pread/pwrite,
// fstat/stat, utimes, rename, unlink, mkdir/rmdir, readdir, symlink/readlink, hard links.
// argv[1] is the guest path of a writable preopen holding the fixture; everything this program
// creates goes under <root>/out so the test can compare the trees both runtimes leave behind.
// Prints values, not just "ok", so that a difference shows where the runtimes disagree.
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <wasi/api.h>

#include "errno_name.h"
#include "fixture_path.h"


// Reports a failed call and goes on: later steps still show what they can.
static int check(const char* what, long rc) {
  if (rc < 0) printf("  %s failed: %s\n", what, errno_name(errno));
  return rc >= 0;
}

static void print_file(const char* rel) {
  char buf[512];
  int fd = open(at(rel), O_RDONLY);
  if (!check("open for print", fd)) return;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (!check("read for print", n)) return;
  buf[n] = 0;
  printf("  %s (%zd bytes): ", rel, n);
  for (ssize_t i = 0; i < n; ++i) {
    if (buf[i] == '\n') printf("\\n");
    else if (buf[i] == 0) printf("\\0");
    else putchar(buf[i]);
  }
  printf("\n");
}

static void write_file(const char* rel, const char* text) {
  int fd = open(at(rel), O_CREAT | O_WRONLY | O_TRUNC, 0644);
  if (!check("create", fd)) return;
  check("write", write(fd, text, strlen(text)));
  close(fd);
}

static const char* type_of(mode_t mode) {
  if (S_ISREG(mode)) return "file";
  if (S_ISDIR(mode)) return "dir";
  if (S_ISLNK(mode)) return "symlink";
  return "other";
}

static void print_stat(const char* rel, int follow) {
  struct stat st;
  int rc = follow ? stat(at(rel), &st) : lstat(at(rel), &st);
  if (rc != 0) {
    printf("  %s %s: %s\n", follow ? "stat" : "lstat", rel, errno_name(errno));
    return;
  }
  printf("  %s %s: %s", follow ? "stat" : "lstat", rel, type_of(st.st_mode));
  if (!S_ISDIR(st.st_mode)) printf(" size=%lld nlink=%llu", (long long)st.st_size,
                                   (unsigned long long)st.st_nlink);
  printf("\n");
}

static void read_fixture(void) {
  printf("read fixture:\n");
  print_file("input.txt");
  print_stat("input.txt", 1);
  print_stat("data", 1);
}

static void create_and_append(void) {
  printf("create and append:\n");
  check("mkdir out", mkdir(at("out"), 0755));
  write_file("out/created.txt", "line one\n");
  int fd = open(at("out/created.txt"), O_WRONLY | O_APPEND);
  if (!check("open append", fd)) return;
  check("write", write(fd, "line two\n", 9));
  // With O_APPEND every write goes to the end, whatever the offset says.
  check("lseek", lseek(fd, 0, SEEK_SET));
  check("write", write(fd, "appended\n", 9));
  close(fd);
  print_file("out/created.txt");
}

static void seek_and_tell(void) {
  printf("seek and tell:\n");
  write_file("out/seek.txt", "0123456789abcdef");
  int fd = open(at("out/seek.txt"), O_RDWR);
  if (!check("open", fd)) return;
  char buf[8] = {0};
  printf("  seek set 5 -> %lld\n", (long long)lseek(fd, 5, SEEK_SET));
  check("read", read(fd, buf, 3));
  printf("  read 3 -> %s, tell -> %lld\n", buf, (long long)lseek(fd, 0, SEEK_CUR));
  printf("  seek cur -2 -> %lld\n", (long long)lseek(fd, -2, SEEK_CUR));
  printf("  seek end -4 -> %lld\n", (long long)lseek(fd, -4, SEEK_END));
  memset(buf, 0, sizeof buf);
  check("read", read(fd, buf, 8));
  printf("  read to end -> %s\n", buf);
  printf("  read at eof -> %zd\n", read(fd, buf, 8));
  // A write past the end leaves a hole of zero bytes.
  printf("  seek set 20 -> %lld\n", (long long)lseek(fd, 20, SEEK_SET));
  check("write", write(fd, "Z", 1));
  close(fd);
  print_file("out/seek.txt");
}

static void truncate_and_positional(void) {
  printf("truncate, pread, pwrite:\n");
  write_file("out/trunc.txt", "abcdefghijklmnopqrstuvwxyz");
  int fd = open(at("out/trunc.txt"), O_RDWR);
  if (!check("open", fd)) return;
  check("ftruncate 10", ftruncate(fd, 10));
  print_stat("out/trunc.txt", 1);
  check("ftruncate 14", ftruncate(fd, 14));
  print_file("out/trunc.txt");
  check("lseek", lseek(fd, 3, SEEK_SET));
  check("pwrite", pwrite(fd, "PW", 2, 6));
  char buf[8] = {0};
  printf("  pread 4 at 5 -> %zd", pread(fd, buf, 4, 5));
  printf(" %.4s, offset still %lld\n", buf, (long long)lseek(fd, 0, SEEK_CUR));
  close(fd);
  check("truncate by path", truncate(at("out/trunc.txt"), 8));
  print_file("out/trunc.txt");
}

static void vectored(void) {
  printf("writev and readv:\n");
  int fd = open(at("out/vector.txt"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (!check("open", fd)) return;
  struct iovec out[3] = {{"alpha,", 6}, {"", 0}, {"beta\n", 5}};
  printf("  writev -> %zd\n", writev(fd, out, 3));
  char a[4] = {0}, b[16] = {0};
  struct iovec in[2] = {{a, 3}, {b, sizeof b - 1}};
  check("lseek", lseek(fd, 0, SEEK_SET));
  printf("  readv -> %zd: '%s' '%s'\n", readv(fd, in, 2), a, b);
  close(fd);
}

static void big_file(void) {
  printf("big file:\n");
  int fd = open(at("out/big.bin"), O_CREAT | O_RDWR | O_TRUNC, 0644);
  if (!check("open", fd)) return;
  unsigned char chunk[4096];
  for (int round = 0; round < 50; ++round) {
    for (int i = 0; i < 4096; ++i) chunk[i] = (unsigned char)(i * 7 + round);
    if (!check("write", write(fd, chunk, sizeof chunk))) break;
  }
  check("fsync", fsync(fd));
  check("fdatasync", fdatasync(fd));
  check("lseek", lseek(fd, 0, SEEK_SET));
  unsigned long long sum = 0, total = 0;
  ssize_t n;
  while ((n = read(fd, chunk, sizeof chunk)) > 0) {
    for (ssize_t i = 0; i < n; ++i) sum = sum * 31 + chunk[i];
    total += (unsigned long long)n;
  }
  printf("  read back %llu bytes, checksum %llx\n", total, sum);
  close(fd);
}

static void times(void) {
  printf("utimes:\n");
  write_file("out/times.txt", "t");
  struct timespec ts[2] = {{1600000000, 123456789}, {1700000000, 500000000}};
  check("utimensat", utimensat(AT_FDCWD, at("out/times.txt"), ts, 0));
  struct stat st;
  if (check("stat", stat(at("out/times.txt"), &st))) {
    printf("  atime %lld.%09ld mtime %lld.%09ld\n", (long long)st.st_atim.tv_sec,
           st.st_atim.tv_nsec, (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
  }
  // Only the modification time, set to "now" (the raw call: this wasi-libc's futimens rejects
  // UTIME_OMIT / UTIME_NOW with EINVAL before asking the runtime).
  int fd = open(at("out/times.txt"), O_RDWR);
  if (!check("open", fd)) return;
  errno = __wasi_fd_filestat_set_times(fd, 0, 0, __WASI_FSTFLAGS_MTIM_NOW);
  check("fd_filestat_set_times", errno ? -1 : 0);
  time_t now = time(NULL);
  if (check("fstat", fstat(fd, &st))) {
    printf("  atime kept: %s, mtime is now: %s\n",
           st.st_atim.tv_sec == 1600000000 ? "yes" : "no",
           st.st_mtim.tv_sec >= now - 60 && st.st_mtim.tv_sec <= now + 60 ? "yes" : "no");
  }
  close(fd);
  // Fixed times again so that the output trees can be compared by mtime too.
  check("utimensat", utimensat(AT_FDCWD, at("out/times.txt"), ts, 0));
}

static void rename_unlink_dirs(void) {
  printf("rename, unlink, mkdir, rmdir:\n");
  write_file("out/old.txt", "old");
  write_file("out/victim.txt", "victim");
  check("rename", rename(at("out/old.txt"), at("out/new.txt")));
  print_stat("out/old.txt", 1);
  print_file("out/new.txt");
  check("rename over a file", rename(at("out/new.txt"), at("out/victim.txt")));
  print_file("out/victim.txt");
  check("mkdir d1", mkdir(at("out/d1"), 0755));
  check("mkdir d1/d2", mkdir(at("out/d1/d2"), 0755));
  write_file("out/d1/d2/f.txt", "deep");
  check("rename dir", rename(at("out/d1"), at("out/moved")));
  print_file("out/moved/d2/f.txt");
  check("unlink", unlink(at("out/moved/d2/f.txt")));
  check("rmdir d2", rmdir(at("out/moved/d2")));
  print_stat("out/moved/d2", 1);
  check("mkdir empty", mkdir(at("out/empty"), 0755));
}

static int compare_names(const void* a, const void* b) {
  return strcmp(*(const char* const*)a, *(const char* const*)b);
}

// Lists a directory sorted by name, without "." and ".." (Node's fd_readdir leaves them out).
static void list_dir(const char* rel) {
  DIR* dir = opendir(at(rel));
  if (!dir) {
    printf("  opendir %s: %s\n", rel, errno_name(errno));
    return;
  }
  char* names[64];
  int count = 0;
  struct dirent* e;
  while ((e = readdir(dir)) && count < 64) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    const char* type = e->d_type == DT_DIR ? "/" : e->d_type == DT_LNK ? "@" : "";
    names[count] = malloc(strlen(e->d_name) + 2);
    sprintf(names[count++], "%s%s", e->d_name, type);
  }
  closedir(dir);
  qsort(names, (size_t)count, sizeof names[0], compare_names);
  printf("  %s:", rel);
  for (int i = 0; i < count; ++i) {
    printf(" %s", names[i]);
    free(names[i]);
  }
  printf("\n");
}

static void links(void) {
  printf("symlinks and hard links:\n");
  char target[256];
  ssize_t n = readlink(at("link-to-input"), target, sizeof target);
  if (check("readlink fixture", n)) printf("  link-to-input -> %.*s\n", (int)n, target);
  print_stat("link-to-input", 0);
  print_stat("link-to-input", 1);
  check("symlink", symlink("victim.txt", at("out/sym.txt")));
  n = readlink(at("out/sym.txt"), target, sizeof target);
  if (check("readlink", n)) printf("  out/sym.txt -> %.*s\n", (int)n, target);
  print_file("out/sym.txt");
  check("symlink to dir", symlink("moved", at("out/sym-dir")));
  list_dir("out/sym-dir");
  check("dangling symlink", symlink("nowhere", at("out/dangling")));
  print_stat("out/dangling", 0);
  print_stat("out/dangling", 1);
  check("link", link(at("out/victim.txt"), at("out/hard.txt")));
  print_stat("out/hard.txt", 1);
  int fd = open(at("out/hard.txt"), O_WRONLY | O_APPEND);
  if (check("open", fd)) {
    check("write", write(fd, "+hard", 5));
    close(fd);
  }
  print_file("out/victim.txt");
  check("unlink", unlink(at("out/hard.txt")));
  print_stat("out/victim.txt", 1);
}

static void listings(void) {
  printf("readdir:\n");
  list_dir("dir");
  list_dir("out");
  list_dir("");
}

int main(int argc, char** argv) {
  snprintf(root, sizeof root, "%s", argc > 1 ? argv[1] : "/sandbox");
  read_fixture();
  create_and_append();
  seek_and_tell();
  truncate_and_positional();
  vectored();
  big_file();
  times();
  rename_unlink_dirs();
  links();
  listings();
  return 0;
}
