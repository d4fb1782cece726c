#include "lantern/observe/trace_context.h"

#include <gtest/gtest.h>

#include <set>

namespace lantern::observe {
namespace {

TEST(TraceContext, ParsesAndFormatsTraceparent) {
  const char* text = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  auto c = parse_traceparent(text);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->trace_id.hex(), "0af7651916cd43dd8448eb211c80319c");
  EXPECT_EQ(c->span_id.hex(), "b7ad6b7169203331");
  EXPECT_TRUE(c->sampled);
  EXPECT_EQ(format_traceparent(*c), text);
  auto unsampled = parse_traceparent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00");
  ASSERT_TRUE(unsampled);
  EXPECT_FALSE(unsampled->sampled);
  // A later version may carry more fields.
  EXPECT_TRUE(parse_traceparent("01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-xyz"));
}

TEST(TraceContext, RejectsMalformedTraceparents) {
  for (const char* bad : {
           "",
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331",
           "00-0AF7651916CD43DD8448EB211C80319C-b7ad6b7169203331-01",
           "00-00000000000000000000000000000000-b7ad6b7169203331-01",
           "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
           "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
           "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra",
           "00_0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331_01",
       }) {
    EXPECT_FALSE(parse_traceparent(bad)) << bad;
  }
}

TEST(TraceContext, Tracestate) {
  EXPECT_TRUE(valid_tracestate("rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"));
  EXPECT_TRUE(valid_tracestate("vendor@tenant=x"));
  EXPECT_FALSE(valid_tracestate(""));
  EXPECT_FALSE(valid_tracestate("Upper=x"));
  EXPECT_FALSE(valid_tracestate("novalue"));
  EXPECT_FALSE(valid_tracestate("k=v=w"));
  std::string many;
  for (int i = 0; i < 33; ++i) many += "k" + std::to_string(i) + "=v,";
  EXPECT_FALSE(valid_tracestate(many)) << "more than 32 members";
}

TEST(IdGenerator, IdsAreNonZeroAndDistinct) {
  IdGenerator ids;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    SpanId s = ids.new_span_id();
    EXPECT_TRUE(s.valid());
    seen.insert(s.hex());
  }
  EXPECT_EQ(seen.size(), 10000u);
  EXPECT_NE(ids.new_trace_id(), ids.new_trace_id());
  IdGenerator other;
  EXPECT_NE(ids.new_trace_id(), other.new_trace_id()) << "each generator is seeded on its own";
}

}  // namespace
}  // namespace lantern::observe
