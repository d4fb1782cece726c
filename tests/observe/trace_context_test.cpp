// W3C Trace Context: traceparent parsing and formatting (the cases of the W3C test harness:
// versions, lengths, characters, zero ids, white space), tracestate validation (grammar, limits,
// duplicates) and the id generator.
#include "lantern/observe/trace_context.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace lantern::observe {
namespace {

constexpr const char* kTrace = "0af7651916cd43dd8448eb211c80319c";
constexpr const char* kParent = "b7ad6b7169203331";

std::string traceparent(std::string version, std::string flags, std::string tail = "") {
  return version + "-" + kTrace + "-" + kParent + "-" + flags + tail;
}

std::string error_of(std::string_view text) {
  auto r = parse_traceparent(text);
  EXPECT_FALSE(r) << "'" << text << "' parsed";
  return r ? "" : r.error().message;
}

TEST(Traceparent, ParsesAndFormats) {
  std::string text = traceparent("00", "01");
  auto c = parse_traceparent(text);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->trace_id.hex(), kTrace);
  EXPECT_EQ(c->span_id.hex(), kParent);
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(c->trace_state, "");
  EXPECT_TRUE(c->valid());
  EXPECT_EQ(format_traceparent(*c), text);
  EXPECT_EQ(text.size(), kTraceparentSize);

  auto unsampled = parse_traceparent(traceparent("00", "00"));
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->sampled);
  EXPECT_EQ(format_traceparent(*unsampled), traceparent("00", "00"));
}

TEST(Traceparent, FlagsBitZeroIsSampled) {
  // Other bits (random = 02 in Level 2, unknown ones) are ignored; they are not passed on.
  EXPECT_FALSE(parse_traceparent(traceparent("00", "02"))->sampled);
  EXPECT_TRUE(parse_traceparent(traceparent("00", "03"))->sampled);
  EXPECT_TRUE(parse_traceparent(traceparent("00", "ff"))->sampled);
  EXPECT_FALSE(parse_traceparent(traceparent("00", "fe"))->sampled);
  EXPECT_EQ(format_traceparent(*parse_traceparent(traceparent("00", "ff"))),
            traceparent("00", "01"));
}

TEST(Traceparent, LaterVersionsMayAddFields) {
  for (const std::string& text :
       {traceparent("01", "01"), traceparent("cc", "01"),
        traceparent("cc", "01", "-what-the-future-will-be-like"), traceparent("fe", "00", "-")}) {
    auto c = parse_traceparent(text);
    ASSERT_TRUE(c) << text << ": " << c.error().message;
    EXPECT_EQ(c->trace_id.hex(), kTrace);
    EXPECT_EQ(c->span_id.hex(), kParent);
  }
  EXPECT_NE(error_of(traceparent("cc", "01", ".what-the-future-will-be-like"))
                .find("may only add fields after a '-'"),
            std::string::npos);
  // Version 00 has nothing after the flags.
  EXPECT_NE(error_of(traceparent("00", "01", "-what-the-future-will-be-like"))
                .find("exactly 55 characters"),
            std::string::npos);
  EXPECT_NE(error_of(traceparent("00", "01", ".")).find("exactly 55 characters, this one 56"),
            std::string::npos);
}

TEST(Traceparent, RejectsBadVersions) {
  EXPECT_EQ(error_of(traceparent("ff", "01")), "traceparent version ff is invalid");
  for (const char* v : {".0", "0.", "0A", "FF", "g0"}) {
    EXPECT_NE(error_of(traceparent(v, "01")).find("version is not 2 lowercase hex digits"),
              std::string::npos)
        << v;
  }
  EXPECT_NE(error_of(traceparent("000", "01")).find("separated by '-'"), std::string::npos);
  EXPECT_NE(error_of(traceparent("0000", "01")).find("separated by '-'"), std::string::npos);
  EXPECT_NE(error_of(traceparent("0", "01")).find("needs 55"), std::string::npos);
}

TEST(Traceparent, RejectsBadIds) {
  std::string zero_trace = "00-00000000000000000000000000000000-" + std::string(kParent) + "-01";
  EXPECT_EQ(error_of(zero_trace), "trace id is all zeros");
  std::string zero_parent = "00-" + std::string(kTrace) + "-0000000000000000-01";
  EXPECT_EQ(error_of(zero_parent), "parent id is all zeros");
  std::string upper = "00-0AF7651916CD43DD8448EB211C80319C-" + std::string(kParent) + "-01";
  EXPECT_EQ(error_of(upper), "trace id is not 32 lowercase hex digits");
  EXPECT_EQ(error_of("00-.2345678901234567890123456789012-1234567890123456-01"),
            "trace id is not 32 lowercase hex digits");
  EXPECT_EQ(error_of("00-1234567890123456789012345678901.-1234567890123456-01"),
            "trace id is not 32 lowercase hex digits");
  EXPECT_EQ(error_of("00-12345678901234567890123456789012-123456789012345.-01"),
            "parent id is not 16 lowercase hex digits");
  EXPECT_EQ(error_of("00-12345678901234567890123456789012-B7AD6B7169203331-01"),
            "parent id is not 16 lowercase hex digits");
  EXPECT_EQ(error_of("00-12345678901234567890123456789012-1234567890123456-.0"),
            "trace flags are not 2 lowercase hex digits");
  EXPECT_EQ(error_of("00-12345678901234567890123456789012-1234567890123456-0F"),
            "trace flags are not 2 lowercase hex digits");
}

TEST(Traceparent, RejectsBadLengthsAndSeparators) {
  for (const char* bad : {
           "",
           "00",
           "00-12345678901234567890123456789012-1234567890123456",      // no flags
           "00-123456789012345678901234567890123-1234567890123456-01",  // trace id 33
           "00-1234567890123456789012345678901-1234567890123456-01",    // trace id 31
           "00-12345678901234567890123456789012-12345678901234567-01",  // parent id 17
           "00-12345678901234567890123456789012-123456789012345-01",    // parent id 15
           "00-12345678901234567890123456789012-1234567890123456-001",  // flags 3
           "00-12345678901234567890123456789012-1234567890123456-1",    // flags 1
           "00_12345678901234567890123456789012_1234567890123456_01",
           "00-12345678901234567890123456789012-1234567890123456-01-",
       }) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
  auto r = parse_traceparent("");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase, Phase::Config);
  EXPECT_EQ(r.error().message,
            "traceparent has 0 characters; version-traceid-parentid-flags needs 55");
}

TEST(Traceparent, OptionalWhiteSpaceAround) {
  std::string text = traceparent("00", "01");
  for (const std::string& padded :
       {" " + text, "\t" + text, text + " ", text + "\t", "\t " + text + " \t"}) {
    auto c = parse_traceparent(padded);
    ASSERT_TRUE(c) << "'" << padded << "'";
    EXPECT_EQ(c->trace_id.hex(), kTrace);
  }
  EXPECT_FALSE(parse_traceparent(text + "\n")) << "only spaces and tabs are white space";
  EXPECT_FALSE(parse_traceparent("00- " + std::string(kTrace).substr(1) + "-" + kParent + "-01"));
}

TEST(Tracestate, ValidLists) {
  EXPECT_TRUE(valid_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  EXPECT_TRUE(valid_tracestate("foo=1"));
  EXPECT_TRUE(valid_tracestate("tenant@vendor=x"));
  EXPECT_TRUE(valid_tracestate("0tenant@vendor=x")) << "a tenant id may start with a digit";
  EXPECT_TRUE(valid_tracestate("a/b*c_d-e=x"));
  EXPECT_TRUE(valid_tracestate("foo=1 \t , \t bar=2, \t baz=3"));
  EXPECT_TRUE(valid_tracestate(" foo=1"));
  EXPECT_TRUE(valid_tracestate("foo=1\t"));
  EXPECT_TRUE(valid_tracestate("foo=1,,bar=2,")) << "empty members are allowed";
  EXPECT_TRUE(valid_tracestate("foo= leading space is part of the value"));
  // Every allowed character: a key of all key characters, a value of all value characters.
  std::string key = "abcdefghijklmnopqrstuvwxyz0123456789_-*/";
  std::string value;
  for (int c = 0x20; c <= 0x7e; ++c) {
    if (c != ',' && c != '=') value += static_cast<char>(c);
  }
  EXPECT_TRUE(valid_tracestate(key + "=" + value));
  EXPECT_TRUE(valid_tracestate(key + "@a-z0-9_-*/=" + value));
}

TEST(Tracestate, InvalidLists) {
  for (const char* bad : {
           "",
           " , ,",
           "novalue",
           "foo=",
           "foo=,bar=3",
           "=value",
           "Upper=x",
           "foo =1",
           "foo.bar=1",
           "1foo=1",  // a simple key starts with a letter
           "k=v=w",
           "foo@=1,bar=2",
           "@foo=1,bar=2",
           "foo@@bar=1,bar=2",
           "foo@bar@baz=1,bar=2",
           "t@1vendor=1",  // a system id starts with a letter
           "foo=1,foo=1",
           "foo=1,foo=2",
           "foo=caf\xc3\xa9",
           "foo=tab\there",
       }) {
    EXPECT_FALSE(valid_tracestate(bad)) << "'" << bad << "'";
  }
}

TEST(Tracestate, Limits) {
  std::string members;
  for (int i = 1; i <= 32; ++i) members += (i > 1 ? "," : "") + ("bar" + std::to_string(i)) + "=x";
  EXPECT_TRUE(valid_tracestate(members)) << "32 members";
  EXPECT_FALSE(valid_tracestate(members + ",bar33=x")) << "33 members";
  EXPECT_TRUE(valid_tracestate(members + ",,")) << "empty members do not count";

  EXPECT_TRUE(valid_tracestate(std::string(256, 'z') + "=1"));
  EXPECT_FALSE(valid_tracestate(std::string(257, 'z') + "=1"));
  EXPECT_TRUE(valid_tracestate(std::string(241, 't') + "@" + std::string(14, 'v') + "=1"));
  EXPECT_FALSE(valid_tracestate(std::string(242, 't') + "@v=1"));
  EXPECT_FALSE(valid_tracestate("t@" + std::string(15, 'v') + "=1"));
  EXPECT_TRUE(valid_tracestate("k=" + std::string(256, 'v')));
  EXPECT_FALSE(valid_tracestate("k=" + std::string(257, 'v')));
}

TEST(TraceContext, TraceparentWithTracestate) {
  std::string text = traceparent("00", "01");
  auto with_state = parse_trace_context(text, " rojo=1,congo=2 ");
  ASSERT_TRUE(with_state);
  EXPECT_EQ(with_state->trace_state, "rojo=1,congo=2");
  auto bad_state = parse_trace_context(text, "foo=1,foo=2");
  ASSERT_TRUE(bad_state) << "an invalid tracestate is dropped, the traceparent kept";
  EXPECT_EQ(bad_state->trace_state, "");
  EXPECT_EQ(parse_trace_context(text, "")->trace_state, "");
  auto bad_parent = parse_trace_context("00-xyz", "rojo=1");
  ASSERT_FALSE(bad_parent);
  EXPECT_NE(bad_parent.error().message.find("needs 55"), std::string::npos);
}

TEST(IdGenerator, IdsAreNonZeroAndDistinct) {
  IdGenerator ids;
  std::set<std::string> spans, traces;
  for (int i = 0; i < 10000; ++i) {
    SpanId s = ids.new_span_id();
    TraceId t = ids.new_trace_id();
    EXPECT_TRUE(s.valid());
    EXPECT_TRUE(t.valid());
    spans.insert(s.hex());
    traces.insert(t.hex());
  }
  EXPECT_EQ(spans.size(), 10000u);
  EXPECT_EQ(traces.size(), 10000u);
  IdGenerator other;
  EXPECT_NE(ids.new_trace_id(), other.new_trace_id()) << "each generator is seeded on its own";
}

TEST(IdGenerator, SeededGeneratorsRepeat) {
  IdGenerator a(7), b(7), c(8);
  for (int i = 0; i < 100; ++i) {
    TraceId ta = a.new_trace_id();
    EXPECT_EQ(ta, b.new_trace_id());
    EXPECT_NE(ta, c.new_trace_id());
    EXPECT_EQ(a.new_span_id(), b.new_span_id());
  }
  IdGenerator zero(0);  // a zero seed still gives a working generator
  EXPECT_TRUE(zero.new_span_id().valid());
  EXPECT_NE(zero.new_span_id(), zero.new_span_id());
}

TEST(IdGenerator, BitsAreBalanced) {
  // Every bit position of the trace id is set about half the time: in particular the low 56
  // bits the ratio sampler reads.
  IdGenerator ids(12345);
  constexpr int kDraws = 20000;
  std::array<int, 128> ones{};
  for (int i = 0; i < kDraws; ++i) {
    TraceId t = ids.new_trace_id();
    for (int bit = 0; bit < 128; ++bit) ones[bit] += (t.bytes[bit / 8] >> (bit % 8)) & 1;
  }
  for (int bit = 0; bit < 128; ++bit) {
    EXPECT_GT(ones[bit], kDraws * 45 / 100) << "bit " << bit;
    EXPECT_LT(ones[bit], kDraws * 55 / 100) << "bit " << bit;
  }
}

}  // namespace
}  // namespace lantern::observe
