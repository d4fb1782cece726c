#include <gtest/gtest.h>

#include "lantern/observe/demangle.h"
#include "lantern/observe/glob.h"
#include "lantern/observe/sampler.h"
#include "lantern/observe/trace_context.h"

namespace lantern::observe {
namespace {

TraceId trace_with_low(uint64_t low) {
  TraceId id;
  id.bytes[0] = 1;
  for (int i = 0; i < 8; ++i) id.bytes[15 - i] = static_cast<uint8_t>(low >> (8 * i));
  return id;
}

TEST(Sampler, FromEnvironment) {
  SpanContext sampled_parent{trace_with_low(1), SpanId{{1}}, true, ""};
  SpanContext unsampled_parent{trace_with_low(1), SpanId{{1}}, false, ""};
  auto dflt = sampler_from_env("", "");
  ASSERT_TRUE(dflt);
  EXPECT_TRUE(dflt->should_sample(std::nullopt, trace_with_low(5)));
  EXPECT_FALSE(dflt->should_sample(unsampled_parent, trace_with_low(5))) << "parent decides";
  EXPECT_TRUE(sampler_from_env("always_on", "")->should_sample(unsampled_parent, {}));
  EXPECT_FALSE(sampler_from_env("always_off", "")->should_sample(sampled_parent, {}));
  EXPECT_TRUE(sampler_from_env("parentbased_always_off", "")->should_sample(sampled_parent, {}));
  auto ratio = sampler_from_env("traceidratio", "0.25");
  ASSERT_TRUE(ratio);
  EXPECT_TRUE(ratio->should_sample(std::nullopt, trace_with_low(0)));
  EXPECT_TRUE(ratio->should_sample(std::nullopt, trace_with_low(0x3FFFFFFFFFFFFFFFull)));
  EXPECT_FALSE(ratio->should_sample(std::nullopt, trace_with_low(0x4000000000000001ull)));
  // About a quarter of random traces.
  IdGenerator ids;
  int kept = 0;
  for (int i = 0; i < 4000; ++i) kept += ratio->should_sample(std::nullopt, ids.new_trace_id());
  EXPECT_GT(kept, 800);
  EXPECT_LT(kept, 1200);
  auto bad = sampler_from_env("traceidratio", "2");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("OTEL_TRACES_SAMPLER_ARG"), std::string::npos);
  auto unknown = sampler_from_env("sometimes", "");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("OTEL_TRACES_SAMPLER 'sometimes'"), std::string::npos);
}

TEST(Demangle, CppAndRustLegacy) {
  EXPECT_EQ(demangle("_ZN3foo3barE"), "foo::bar");
  EXPECT_EQ(demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"),
            "std::vector<int, std::allocator<int> >::push_back(int const&)");
  EXPECT_EQ(demangle("_ZN4core3fmt9Formatter3pad17h1234567890abcdefE"), "core::fmt::Formatter::pad");
  EXPECT_EQ(demangle("_ZN70_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop..Drop$GT$"
                     "4drop17h0123456789abcdefE"),
            "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
  EXPECT_EQ(demangle("main"), "main");
  EXPECT_EQ(demangle("_Zgarbage"), "_Zgarbage");
  EXPECT_EQ(demangle(""), "");
}

TEST(Glob, Patterns) {
  EXPECT_TRUE(glob_match("*", "anything::at<all>"));
  EXPECT_TRUE(glob_match("app::*", "app::run"));
  EXPECT_FALSE(glob_match("app::*", "lib::app::run"));
  EXPECT_TRUE(glob_match("f?b", "fib"));
  EXPECT_TRUE(glob_match("[a-c]x", "bx"));
  EXPECT_FALSE(glob_match("[!a-c]x", "bx"));
  EXPECT_TRUE(glob_match("\\*", "*"));
  EXPECT_TRUE(matches_any({"main", "leaf*"}, "leaf2"));
  EXPECT_FALSE(matches_any({}, "x"));
  std::string many(200, 'a');
  EXPECT_FALSE(glob_match("a*a*a*a*a*a*b", many)) << "must not take exponential time";
}

}  // namespace
}  // namespace lantern::observe
