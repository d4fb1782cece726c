// Samplers: the six OTEL_TRACES_SAMPLER values, parent-based decisions, the ratio sampler's
// threshold edges, monotonicity and rate, explicit randomness (ot=rv:), configuration errors
// and the lenient fallback.
#include "lantern/observe/sampler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "lantern/observe/trace_context.h"

namespace lantern::observe {
namespace {

// A trace id whose bytes 9..15 hold `low56` and whose other bytes hold `filler`.
TraceId trace_with_low56(uint64_t low56, uint8_t filler = 0x5a) {
  TraceId id;
  id.bytes.fill(filler);
  for (int i = 0; i < 7; ++i) id.bytes[15 - i] = static_cast<uint8_t>(low56 >> (8 * i));
  return id;
}

constexpr uint64_t kMax56 = (uint64_t{1} << 56) - 1;

SpanContext parent(bool sampled, std::string trace_state = "") {
  SpanContext context;
  context.trace_id = trace_with_low56(1);
  context.span_id.bytes[7] = 1;
  context.sampled = sampled;
  context.trace_state = std::move(trace_state);
  return context;
}

Sampler from_env(std::string_view name, std::string_view arg = "") {
  auto sampler = sampler_from_env(name, arg);
  EXPECT_TRUE(sampler) << name << " " << arg << ": " << sampler.error().message;
  return sampler ? *sampler : Sampler();
}

TEST(Sampler, DefaultIsParentBasedAlwaysOn) {
  for (const Sampler& s : {Sampler(), from_env(""), from_env("  ")}) {
    EXPECT_EQ(s.env_name(), "parentbased_always_on");
    EXPECT_TRUE(s.parent_based());
    EXPECT_EQ(s.root(), Sampler::Root::AlwaysOn);
    EXPECT_TRUE(s.should_sample(std::nullopt, trace_with_low56(0)));
    EXPECT_TRUE(s.should_sample(parent(true), {}));
    EXPECT_FALSE(s.should_sample(parent(false), {})) << "the parent decides";
  }
}

TEST(Sampler, EverySamplerName) {
  const SpanContext sampled = parent(true), unsampled = parent(false);
  Sampler on = from_env("always_on");
  EXPECT_TRUE(on.should_sample(std::nullopt, {}));
  EXPECT_TRUE(on.should_sample(unsampled, {})) << "always_on ignores the parent";
  Sampler off = from_env("always_off");
  EXPECT_FALSE(off.should_sample(std::nullopt, {}));
  EXPECT_FALSE(off.should_sample(sampled, {})) << "always_off ignores the parent";
  Sampler pb_off = from_env("parentbased_always_off");
  EXPECT_FALSE(pb_off.should_sample(std::nullopt, {}));
  EXPECT_TRUE(pb_off.should_sample(sampled, {}));
  EXPECT_FALSE(pb_off.should_sample(unsampled, {}));
  Sampler ratio = from_env("traceidratio", "0.5");
  EXPECT_TRUE(ratio.should_sample(unsampled, trace_with_low56(kMax56))) << "ignores the parent";
  EXPECT_FALSE(ratio.should_sample(sampled, trace_with_low56(0)));
  Sampler pb_ratio = from_env("parentbased_traceidratio", "0.5");
  EXPECT_TRUE(pb_ratio.should_sample(sampled, trace_with_low56(0)));
  EXPECT_FALSE(pb_ratio.should_sample(unsampled, trace_with_low56(kMax56)));
  EXPECT_TRUE(pb_ratio.should_sample(std::nullopt, trace_with_low56(kMax56)));
  EXPECT_FALSE(pb_ratio.should_sample(std::nullopt, trace_with_low56(0)));
}

TEST(Sampler, InvalidParentMeansRoot) {
  SpanContext zero;  // all-zero ids: not a parent
  zero.sampled = false;
  EXPECT_TRUE(Sampler().should_sample(zero, {}));
  EXPECT_FALSE(from_env("parentbased_always_off").should_sample(zero, {}));
}

TEST(Sampler, NamesAreCaseInsensitiveAndTrimmed) {
  EXPECT_EQ(from_env("ALWAYS_OFF").env_name(), "always_off");
  EXPECT_EQ(from_env(" ParentBased_TraceIdRatio\t", "0.1").env_name(), "parentbased_traceidratio");
  EXPECT_EQ(from_env("traceidratio", " 0.5 ").ratio(), 0.5);
}

TEST(Sampler, RatioThresholdEdges) {
  // ratio 0.25: T = 2^56 - 2^54 = 0xc0000000000000; kept when R >= T.
  Sampler quarter = from_env("traceidratio", "0.25");
  EXPECT_EQ(quarter.threshold(), 0xc0000000000000u);
  EXPECT_TRUE(quarter.should_sample(std::nullopt, trace_with_low56(0xc0000000000000)));
  EXPECT_FALSE(quarter.should_sample(std::nullopt, trace_with_low56(0xbfffffffffffff)));
  EXPECT_TRUE(quarter.should_sample(std::nullopt, trace_with_low56(kMax56)));
  // Only bytes 9..15 count: byte 8 and the high half do not.
  EXPECT_FALSE(quarter.should_sample(std::nullopt, trace_with_low56(0, 0xff)));
  EXPECT_TRUE(quarter.should_sample(std::nullopt, trace_with_low56(kMax56, 0x00)));

  Sampler all = from_env("traceidratio", "1");
  EXPECT_EQ(all.threshold(), 0u);
  EXPECT_TRUE(all.should_sample(std::nullopt, trace_with_low56(0)));
  Sampler none = from_env("traceidratio", "0");
  EXPECT_EQ(none.threshold(), uint64_t{1} << 56);
  EXPECT_FALSE(none.should_sample(std::nullopt, trace_with_low56(kMax56)));
  // The smallest meaningful ratio, 2^-56, keeps exactly the largest R.
  Sampler tiny(Sampler::Root::Ratio, std::ldexp(1.0, -56), false);
  EXPECT_EQ(tiny.threshold(), kMax56);
  EXPECT_TRUE(tiny.should_sample(std::nullopt, trace_with_low56(kMax56)));
  EXPECT_FALSE(tiny.should_sample(std::nullopt, trace_with_low56(kMax56 - 1)));
}

TEST(Sampler, RatioIsMonotonicAndKeepsItsShare) {
  IdGenerator ids(99);
  const double ratios[] = {0.0, 0.01, 0.1, 0.25, 0.5, 0.9, 1.0};
  int kept[7] = {};
  constexpr int kTraces = 20000;
  for (int i = 0; i < kTraces; ++i) {
    TraceId id = ids.new_trace_id();
    bool previous = false;
    for (int r = 0; r < 7; ++r) {
      bool now = Sampler(Sampler::Root::Ratio, ratios[r], false).should_sample(std::nullopt, id);
      EXPECT_TRUE(now || !previous) << "a higher ratio keeps all a lower one keeps";
      previous = now;
      kept[r] += now;
    }
  }
  for (int r = 0; r < 7; ++r) {
    EXPECT_NEAR(kept[r] / double{kTraces}, ratios[r], 0.015) << "ratio " << ratios[r];
  }
}

TEST(Sampler, ExplicitRandomnessFromTracestate) {
  Sampler quarter = from_env("traceidratio", "0.25");
  // The trace id alone would drop (R = 0) or keep (R = max); rv overrides it.
  EXPECT_TRUE(
      quarter.should_sample(parent(false, "ot=th:0;rv:ffffffffffffff"), trace_with_low56(0)));
  EXPECT_TRUE(quarter.should_sample(parent(false, "vendor=x, ot=rv:c0000000000000;p:1"),
                                    trace_with_low56(0)));
  EXPECT_FALSE(
      quarter.should_sample(parent(true, "ot=rv:00000000000000"), trace_with_low56(kMax56)));
  // Malformed rv values are ignored: the trace id decides.
  for (const char* state :
       {"ot=rv:xyz", "ot=rv:FFFFFFFFFFFFFF", "ot=rv:fffffffffffff", "ot=rv:fffffffffffffff",
        "ot2=rv:ffffffffffffff", "rv=ffffffffffffff"}) {
    EXPECT_FALSE(quarter.should_sample(parent(false, state), trace_with_low56(0))) << state;
  }
  // Without a parent there is no tracestate to read.
  EXPECT_FALSE(quarter.should_sample(std::nullopt, trace_with_low56(0)));
}

TEST(Sampler, ConstructorClampsTheRatio) {
  EXPECT_EQ(Sampler(Sampler::Root::Ratio, 1.5, false).ratio(), 1.0);
  EXPECT_EQ(Sampler(Sampler::Root::Ratio, -1, false).ratio(), 0.0);
  EXPECT_EQ(Sampler(Sampler::Root::Ratio, std::numeric_limits<double>::quiet_NaN(), false).ratio(),
            0.0);
  EXPECT_EQ(Sampler(Sampler::Root::AlwaysOn, 0.3, false).ratio(), 1.0);
  EXPECT_EQ(Sampler(Sampler::Root::AlwaysOff, 0.3, false).ratio(), 0.0);
}

TEST(Sampler, Descriptions) {
  EXPECT_EQ(from_env("always_on").description(), "AlwaysOnSampler");
  EXPECT_EQ(from_env("always_off").description(), "AlwaysOffSampler");
  EXPECT_EQ(from_env("traceidratio", "0.0001").description(), "TraceIdRatioBased{0.000100}");
  EXPECT_EQ(from_env("parentbased_always_off").description(), "ParentBased{root=AlwaysOffSampler}");
  EXPECT_EQ(from_env("parentbased_traceidratio", "0.5").description(),
            "ParentBased{root=TraceIdRatioBased{0.500000}}");
  EXPECT_EQ(Sampler().description(), "ParentBased{root=AlwaysOnSampler}");
}

TEST(Sampler, ArgumentParsing) {
  EXPECT_EQ(from_env("traceidratio").ratio(), 1.0) << "default 1.0";
  EXPECT_EQ(from_env("traceidratio", "0").ratio(), 0.0);
  EXPECT_EQ(from_env("traceidratio", "1").ratio(), 1.0);
  EXPECT_EQ(from_env("traceidratio", ".5").ratio(), 0.5);
  EXPECT_EQ(from_env("traceidratio", "1e-3").ratio(), 0.001);
  EXPECT_EQ(from_env("always_off", "garbage").env_name(), "always_off") << "arg ignored";
  for (const char* bad : {"abc", "2", "-0.1", "1.0000001", "nan", "inf", "0.5x", "0,5", "+0.5"}) {
    auto r = sampler_from_env("parentbased_traceidratio", bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().phase, Phase::Config);
    EXPECT_EQ(r.error().message, "OTEL_TRACES_SAMPLER_ARG '" + std::string(bad) +
                                     "' is not a ratio in [0, 1] for parentbased_traceidratio");
  }
}

TEST(Sampler, UnknownNames) {
  auto unknown = sampler_from_env("sometimes", "");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().phase, Phase::Config);
  EXPECT_NE(unknown.error().message.find("OTEL_TRACES_SAMPLER 'sometimes' is not a known sampler"),
            std::string::npos)
      << unknown.error().message;
  EXPECT_NE(unknown.error().message.find("parentbased_traceidratio"), std::string::npos)
      << "lists the valid names";
  auto xray = sampler_from_env("xray", "");
  ASSERT_FALSE(xray);
  EXPECT_NE(xray.error().message.find("'xray' is not supported by Lantern"), std::string::npos);
  EXPECT_FALSE(sampler_from_env("always-on", ""));
  EXPECT_FALSE(sampler_from_env("always_on_", ""));
}

TEST(Sampler, LenientFallbacks) {
  std::vector<Error> warnings;
  Sampler fine = sampler_from_env_or_default("traceidratio", "0.5", warnings);
  EXPECT_EQ(fine.ratio(), 0.5);
  EXPECT_TRUE(warnings.empty());

  Sampler unknown = sampler_from_env_or_default("sometimes", "0.5", warnings);
  EXPECT_EQ(unknown.env_name(), "parentbased_always_on");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].message.find("OTEL_TRACES_SAMPLER 'sometimes'"), std::string::npos);

  Sampler bad_arg = sampler_from_env_or_default("traceidratio", "lots", warnings);
  EXPECT_EQ(bad_arg.env_name(), "traceidratio") << "an invalid argument is treated as unset";
  EXPECT_EQ(bad_arg.ratio(), 1.0);
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_NE(warnings[1].message.find("OTEL_TRACES_SAMPLER_ARG 'lots'"), std::string::npos);
}

}  // namespace
}  // namespace lantern::observe
