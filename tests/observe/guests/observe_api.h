// The Observe guest API, declared straight from its ABI for the test guests (the bindings for
// job authors live in guest/; these tests must not depend on them).
#pragma once
#include <stdint.h>
#include <string.h>

#define OBSERVE_IMPORT(name) __attribute__((import_module("dylibso:observe/api"), import_name(name)))
OBSERVE_IMPORT("span-enter") void observe_span_enter(const char* name, uint32_t len);
OBSERVE_IMPORT("span-exit") void observe_span_exit(void);
OBSERVE_IMPORT("span-tags") void observe_span_tags(const char* tags, uint32_t len);
OBSERVE_IMPORT("log") void observe_log(int32_t level, const char* msg, uint32_t len);
OBSERVE_IMPORT("metric") void observe_metric(int32_t format, const char* line, uint32_t len);
__attribute__((import_module("dylibso:observe/instrument"), import_name("memory-grow"))) void
observe_memory_grow(uint32_t pages);

static inline void span_enter(const char* name) { observe_span_enter(name, strlen(name)); }
static inline void span_tags(const char* tags) { observe_span_tags(tags, strlen(tags)); }
static inline void log_at(int level, const char* msg) { observe_log(level, msg, strlen(msg)); }
static inline void metric(const char* line) { observe_metric(1, line, strlen(line)); }
static inline void span_exit(void) { observe_span_exit(); }
