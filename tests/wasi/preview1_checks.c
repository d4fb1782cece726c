// Raw preview1 calls (no libc path mapping in between) against two preopens: fd 3 "/rw"
// (read-write) and fd 4 "/ro" (read-only). Prints one "check: result" line per call; the test
// compares the lines. Covers what a libc hides or Node does differently: dirent layout and
// cookies, "." and "..", EROFS, ENOTCAPABLE, rights, renumber, poll_oneoff and prestat.
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

static void show(const char* what, __wasi_errno_t e) { printf("%s: %d\n", what, (int)e); }

static const __wasi_rights_t kAll = 0x3FFFFFFF;
enum { RW = 3, RO = 4 };

static __wasi_fd_t open_at(__wasi_fd_t dir, const char* path, __wasi_oflags_t oflags,
                           __wasi_rights_t rights, const char* label) {
  __wasi_fd_t fd = (__wasi_fd_t)-1;
  show(label, __wasi_path_open(dir, __WASI_LOOKUPFLAGS_SYMLINK_FOLLOW, path, oflags, rights,
                               kAll, 0, &fd));
  return fd;
}

static void prestats(void) {
  __wasi_prestat_t p;
  char name[16] = {0};
  show("prestat 3", __wasi_fd_prestat_get(RW, &p));
  printf("prestat 3 len: %u\n", (unsigned)p.u.dir.pr_name_len);
  show("prestat name 3", __wasi_fd_prestat_dir_name(RW, (uint8_t*)name, 3));
  printf("prestat name: %s\n", name);
  show("prestat name short", __wasi_fd_prestat_dir_name(RW, (uint8_t*)name, 2));
  show("prestat 1", __wasi_fd_prestat_get(1, &p));
  show("prestat 9", __wasi_fd_prestat_get(9, &p));
}

static void escapes(void) {
  open_at(RW, "../x", 0, kAll, "open ../x");
  open_at(RW, "/etc/passwd", 0, kAll, "open /etc/passwd");
  open_at(RW, "sub/../../x", 0, kAll, "open sub/../../x");
  show("symlink absolute", __wasi_path_symlink("/etc/passwd", RW, "abs"));
  show("symlink up", __wasi_path_symlink("../outside", RW, "up"));
  show("symlink inside", __wasi_path_symlink("sub/../file", RW, "in"));
  show("rename out", __wasi_path_rename(RW, "file", RW, "../stolen"));
  show("link out", __wasi_path_link(RW, 0, "file", RW, "../linked"));
  show("mkdir out", __wasi_path_create_directory(RW, "../made"));
}

static void read_only(void) {
  open_at(RO, "data", 0, __WASI_RIGHTS_FD_READ, "ro open read");
  open_at(RO, "data", 0, __WASI_RIGHTS_FD_WRITE, "ro open write");
  open_at(RO, "new", __WASI_OFLAGS_CREAT, __WASI_RIGHTS_FD_READ, "ro create");
  open_at(RO, "data", __WASI_OFLAGS_TRUNC, __WASI_RIGHTS_FD_READ, "ro truncate");
  show("ro mkdir", __wasi_path_create_directory(RO, "d"));
  show("ro unlink", __wasi_path_unlink_file(RO, "data"));
  show("ro rmdir", __wasi_path_remove_directory(RO, "sub"));
  show("ro rename", __wasi_path_rename(RO, "data", RO, "moved"));
  show("ro rename to rw", __wasi_path_rename(RO, "data", RW, "moved"));
  show("ro symlink", __wasi_path_symlink("data", RO, "l"));
  show("ro link", __wasi_path_link(RO, 0, "data", RO, "l"));
  show("ro times", __wasi_path_filestat_set_times(RO, 0, "data", 0, 0,
                                                  __WASI_FSTFLAGS_MTIM_NOW));
}

static void dirents(void) {
  __wasi_fd_t dir = open_at(RW, "listing", __WASI_OFLAGS_DIRECTORY, kAll, "open listing");
  uint8_t buf[256];
  __wasi_size_t used = 0;
  show("readdir", __wasi_fd_readdir(dir, buf, sizeof buf, 0, &used));
  // Walk the dirents: ".", "..", "a", "bb" in that order, each 24 bytes + name.
  for (__wasi_size_t at = 0; at + sizeof(__wasi_dirent_t) <= used;) {
    __wasi_dirent_t d;
    memcpy(&d, buf + at, sizeof d);
    printf("dirent %.*s next=%llu type=%u\n", (int)d.d_namlen, (char*)buf + at + sizeof d,
           (unsigned long long)d.d_next, (unsigned)d.d_type);
    at += sizeof d + d.d_namlen;
  }
  show("readdir small", __wasi_fd_readdir(dir, buf, 30, 2, &used));
  printf("small used: %u\n", (unsigned)used);  // "a" (25 bytes) + 5 bytes of the next header
  show("readdir past end", __wasi_fd_readdir(dir, buf, sizeof buf, 99, &used));
  printf("past end used: %u\n", (unsigned)used);
  show("readdir on file", __wasi_fd_readdir(1, buf, sizeof buf, 0, &used));
}

static void descriptors(void) {
  __wasi_fd_t f = open_at(RW, "file", 0, __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK, "open");
  __wasi_fdstat_t st;
  show("fdstat", __wasi_fd_fdstat_get(f, &st));
  printf("filetype %u rights %llx\n", (unsigned)st.fs_filetype,
         (unsigned long long)st.fs_rights_base);
  char c;
  __wasi_ciovec_t out = {(const uint8_t*)"x", 1};
  __wasi_size_t n;
  show("write without right", __wasi_fd_write(f, &out, 1, &n));
  show("drop seek", __wasi_fd_fdstat_set_rights(f, __WASI_RIGHTS_FD_READ, 0));
  __wasi_filesize_t pos;
  show("seek without right", __wasi_fd_seek(f, 0, __WASI_WHENCE_SET, &pos));
  show("regain seek", __wasi_fd_fdstat_set_rights(f, kAll, 0));
  __wasi_fd_t g = open_at(RW, "sub", __WASI_OFLAGS_DIRECTORY, kAll, "open sub");
  show("renumber", __wasi_fd_renumber(f, g));  // the file takes the directory's number
  __wasi_iovec_t in = {(uint8_t*)&c, 1};
  show("read renumbered", __wasi_fd_read(g, &in, 1, &n));
  printf("read %u '%c'\n", (unsigned)n, c);
  show("old number closed", __wasi_fd_close(f));
  show("renumber bad", __wasi_fd_renumber(77, 1));
}

static void positioned(void) {
  __wasi_fd_t f = open_at(RW, "pos", __WASI_OFLAGS_CREAT | __WASI_OFLAGS_TRUNC, kAll, "create");
  __wasi_ciovec_t out = {(const uint8_t*)"0123456789", 10};
  __wasi_size_t n;
  show("pwrite", __wasi_fd_pwrite(f, &out, 1, 5, &n));
  __wasi_filesize_t pos = 99;
  show("tell", __wasi_fd_tell(f, &pos));
  printf("tell after pwrite: %llu\n", (unsigned long long)pos);
  char buf[8] = {0};
  __wasi_iovec_t in = {(uint8_t*)buf, 4};
  show("pread", __wasi_fd_pread(f, &in, 1, 7, &n));
  printf("pread %u %.4s\n", (unsigned)n, buf);
  show("allocate", __wasi_fd_allocate(f, 0, 100));
  __wasi_filestat_t fs;
  show("filestat", __wasi_fd_filestat_get(f, &fs));
  printf("size %llu type %u\n", (unsigned long long)fs.size, (unsigned)fs.filetype);
  show("set size", __wasi_fd_filestat_set_size(f, 3));
  show("set times", __wasi_fd_filestat_set_times(f, 0, 1000000000ull * 86400, __WASI_FSTFLAGS_MTIM));
  show("set times both", __wasi_fd_filestat_set_times(f, 1, 1, __WASI_FSTFLAGS_ATIM |
                                                               __WASI_FSTFLAGS_ATIM_NOW));
  show("path filestat", __wasi_path_filestat_get(RW, 0, "pos", &fs));
  printf("size %llu mtime %llu\n", (unsigned long long)fs.size, (unsigned long long)fs.mtim);
  show("advise", __wasi_fd_advise(f, 0, 0, __WASI_ADVICE_SEQUENTIAL));
  show("advise bad", __wasi_fd_advise(f, 0, 0, 9));
  show("pread stdin", __wasi_fd_pread(0, &in, 1, 0, &n));
  show("sync", __wasi_fd_sync(f));
  show("datasync", __wasi_fd_datasync(f));
}

static void polling(void) {
  __wasi_subscription_t subs[3];
  __wasi_event_t events[3];
  __wasi_size_t n = 0;
  memset(subs, 0, sizeof subs);
  subs[0].userdata = 11;
  subs[0].u.tag = __WASI_EVENTTYPE_CLOCK;
  subs[0].u.u.clock.id = __WASI_CLOCKID_MONOTONIC;
  subs[0].u.u.clock.timeout = 20 * 1000 * 1000;  // 20 ms
  __wasi_timestamp_t before = 0, after = 0;
  show("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &before));
  show("poll clock", __wasi_poll_oneoff(subs, events, 1, &n));
  show("clock", __wasi_clock_time_get(__WASI_CLOCKID_MONOTONIC, 1, &after));
  printf("events %u userdata %llu type %u slept enough %d\n", (unsigned)n,
         (unsigned long long)events[0].userdata, (unsigned)events[0].type,
         after - before >= 20 * 1000 * 1000);
  // stdin (in-memory data) is readable at once, so the 10 s clock never fires.
  subs[0].u.u.clock.timeout = 10ull * 1000 * 1000 * 1000;
  subs[1].userdata = 22;
  subs[1].u.tag = __WASI_EVENTTYPE_FD_READ;
  subs[1].u.u.fd_read.file_descriptor = 0;
  subs[2].userdata = 33;
  subs[2].u.tag = __WASI_EVENTTYPE_FD_WRITE;
  subs[2].u.u.fd_write.file_descriptor = 42;
  show("poll fds", __wasi_poll_oneoff(subs, events, 3, &n));
  for (__wasi_size_t i = 0; i < n; ++i) {
    printf("event %llu error %u type %u nbytes %llu\n", (unsigned long long)events[i].userdata,
           (unsigned)events[i].error, (unsigned)events[i].type,
           (unsigned long long)events[i].fd_readwrite.nbytes);
  }
  show("poll none", __wasi_poll_oneoff(subs, events, 0, &n));
}

int main(void) {
  prestats();
  escapes();
  read_only();
  dirents();
  descriptors();
  positioned();
  polling();
  fflush(stdout);
  return 0;
}
