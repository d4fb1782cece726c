// statsd / DogStatsD lines: every type, rates, tags, timestamps, gauge deltas, number forms, the
// exact error for each kind of malformed line, and several lines at once.
#include "lantern/observe/statsd.h"

#include <gtest/gtest.h>

#include <string>

namespace lantern::observe {
namespace {

MetricPoint parse_ok(std::string_view line, uint64_t time = 0) {
  auto r = parse_statsd(line, time);
  EXPECT_TRUE(r) << line << ": " << (r ? "" : r.error().message);
  return r ? *r : MetricPoint{};
}

std::string error_of(std::string_view line) {
  auto r = parse_statsd(line, 0);
  EXPECT_FALSE(r) << line << " parsed";
  return r ? "" : r.error().message;
}

TEST(Statsd, Counter) {
  MetricPoint c = parse_ok("jobs.done:3|c", 42);
  EXPECT_EQ(c.name, "jobs.done");
  EXPECT_EQ(c.kind, MetricKind::Counter);
  EXPECT_EQ(c.value, 3);
  EXPECT_EQ(c.sample_rate, 1.0);
  EXPECT_EQ(c.unit, "");
  EXPECT_EQ(c.time_unix_ns, 42u);
  EXPECT_TRUE(c.attributes.empty());
  EXPECT_FALSE(c.trace_id.valid()) << "the collector fills in the trace";
  EXPECT_EQ(parse_ok("n:-1|c").value, -1) << "a negative counter increment is allowed";
  EXPECT_TRUE(parse_ok("n:-1|c").attributes.empty()) << "only gauges have deltas";
}

TEST(Statsd, EveryType) {
  MetricPoint g = parse_ok("depth:7|g");
  EXPECT_EQ(g.kind, MetricKind::Gauge);
  EXPECT_TRUE(g.attributes.empty());
  MetricPoint t = parse_ok("step:12.5|ms");
  EXPECT_EQ(t.kind, MetricKind::Timer);
  EXPECT_EQ(t.unit, "ms");
  EXPECT_EQ(t.value, 12.5);
  MetricPoint h = parse_ok("size:5|h");
  EXPECT_EQ(h.kind, MetricKind::Histogram);
  EXPECT_EQ(h.unit, "");
  EXPECT_EQ(parse_ok("size:5|d").kind, MetricKind::Histogram);
}

TEST(Statsd, SignedGaugeIsADelta) {
  MetricPoint down = parse_ok("depth:-2|g");
  EXPECT_EQ(down.kind, MetricKind::Gauge);
  EXPECT_EQ(down.value, -2);
  EXPECT_EQ(down.attributes, (Attributes{{"statsd.delta", true}}));
  MetricPoint up = parse_ok("depth:+3|g|#q:a");
  EXPECT_EQ(up.value, 3);
  EXPECT_EQ(up.attributes, (Attributes{{"statsd.delta", true}, {"q", std::string("a")}}));
}

TEST(Statsd, NumberForms) {
  EXPECT_EQ(parse_ok("a:0|c").value, 0);
  EXPECT_EQ(parse_ok("a:.5|h").value, 0.5);
  EXPECT_EQ(parse_ok("a:5.|h").value, 5);
  EXPECT_EQ(parse_ok("a:1e3|ms").value, 1000);
  EXPECT_EQ(parse_ok("a:2.5E-1|h").value, 0.25);
  EXPECT_EQ(parse_ok("a:+4|c").value, 4);
  EXPECT_EQ(parse_ok("a:123456789012|c").value, 123456789012.0);
  for (const char* bad : {"a:abc|c", "a:inf|c", "a:nan|g", "a:-inf|g", "a:0x10|c", "a: 1|c",
                          "a:1 |c", "a:1e400|c", "a:--2|g", "a:+|c", "a:1,5|c", "a:.|c"}) {
    EXPECT_NE(error_of(bad).find("is not a number"), std::string::npos) << bad;
  }
}

TEST(Statsd, SampleRate) {
  EXPECT_EQ(parse_ok("a:1|c|@0.5").sample_rate, 0.5);
  EXPECT_EQ(parse_ok("a:1|c|@1").sample_rate, 1.0);
  EXPECT_EQ(parse_ok("a:1|ms|@0.001").sample_rate, 0.001);
  for (const char* bad : {"a:1|c|@0", "a:1|c|@1.5", "a:1|c|@-0.5", "a:1|c|@1.0000001"}) {
    EXPECT_NE(error_of(bad).find("sample rate must be in (0, 1]"), std::string::npos) << bad;
  }
  EXPECT_NE(error_of("a:1|c|@x").find("sample rate 'x' is not a number"), std::string::npos);
  EXPECT_NE(error_of("a:1|c|@").find("sample rate '' is not a number"), std::string::npos);
  EXPECT_NE(error_of("a:1|c|@0.5|@0.5").find("sample rate given twice"), std::string::npos);
}

TEST(Statsd, Tags) {
  MetricPoint p = parse_ok("jobs:1|c|#queue:main,urgent,url:http://x:80/a");
  EXPECT_EQ(p.attributes, (Attributes{{"queue", std::string("main")},
                                      {"urgent", std::string()},
                                      {"url", std::string("http://x:80/a")}}));
  EXPECT_EQ(parse_ok("a:1|c|#").attributes, Attributes{});
  EXPECT_EQ(parse_ok("a:1|c|#x,,y,").attributes,
            (Attributes{{"x", std::string()}, {"y", std::string()}}));
  EXPECT_EQ(parse_ok("a:1|c|#k:").attributes, (Attributes{{"k", std::string()}}));
  EXPECT_NE(error_of("a:1|c|#:v").find("tag ':v' has an empty name"), std::string::npos);
  EXPECT_NE(error_of("a:1|c|#a|#b").find("tags given twice"), std::string::npos);
}

TEST(Statsd, FieldsInAnyOrder) {
  MetricPoint p = parse_ok("jobs.done:3|c|#queue:main|@0.25");
  EXPECT_EQ(p.sample_rate, 0.25);
  EXPECT_EQ(p.attributes, (Attributes{{"queue", std::string("main")}}));
  MetricPoint q = parse_ok("jobs.done:3|c|@0.25|#queue:main");
  EXPECT_EQ(q.sample_rate, p.sample_rate);
  EXPECT_EQ(q.attributes, p.attributes);
  EXPECT_EQ(parse_ok("a:1|c|").name, "a") << "empty fields are ignored";
  EXPECT_EQ(parse_ok("a:1|c||@0.5").sample_rate, 0.5);
}

TEST(Statsd, DogStatsdTimestamp) {
  EXPECT_EQ(parse_ok("a:1|g|T1700000000", 5).time_unix_ns, 1700000000'000000000ull);
  EXPECT_EQ(parse_ok("a:1|g|#x:y|T0", 5).time_unix_ns, 0u);
  for (const char* bad :
       {"a:1|g|T", "a:1|g|Tabc", "a:1|g|T-1", "a:1|g|T1.5", "a:1|g|T99999999999999999999"}) {
    EXPECT_NE(error_of(bad).find("is not a whole number of seconds"), std::string::npos) << bad;
  }
  EXPECT_NE(error_of("a:1|g|T1|T2").find("timestamp given twice"), std::string::npos);
}

TEST(Statsd, NamesAreChecked) {
  EXPECT_EQ(parse_ok("a.b-c_d/e:1|c").name, "a.b-c_d/e");
  EXPECT_EQ(parse_ok("größe:1|g").name, "größe");
  EXPECT_NE(error_of(":1|c").find("empty metric name"), std::string::npos);
  EXPECT_NE(error_of("a@b:1|c").find("metric name 'a@b' contains '@'"), std::string::npos);
  EXPECT_NE(error_of("a#b:1|c").find("metric name 'a#b' contains '#'"), std::string::npos);
  // A second ':' cannot belong to the name, and packed values (a:1:2|h) are not supported.
  EXPECT_NE(error_of("a:b:1|c").find("value 'b:1' holds a ':'"), std::string::npos);
  EXPECT_NE(error_of("a:1:2:3|h").find("packed values are not supported"), std::string::npos);
}

TEST(Statsd, ErrorsSayWhatIsWrong) {
  EXPECT_EQ(error_of("x"), "metric line 'x': missing '|type'");
  EXPECT_EQ(error_of("x:1"), "metric line 'x:1': missing '|type'");
  EXPECT_EQ(error_of("x:1|"), "metric line 'x:1|': missing '|type'");
  EXPECT_EQ(error_of("x|c"), "metric line 'x|c': missing ':value' after the name");
  EXPECT_EQ(error_of("x:|c"), "metric line 'x:|c': missing value after ':'");
  EXPECT_EQ(error_of("a:1|q"),
            "metric line 'a:1|q': unknown metric type 'q' (expected c, g, ms, h or d)");
  EXPECT_NE(error_of("a:1|C").find("unknown metric type 'C'"), std::string::npos);
  EXPECT_NE(error_of("a:1|s").find("set metrics ('s') are not supported"), std::string::npos);
  EXPECT_EQ(error_of("a:abc|c"), "metric line 'a:abc|c': value 'abc' is not a number");
  EXPECT_NE(error_of("a:1|c|junk").find("unknown field 'junk'"), std::string::npos);
  EXPECT_NE(error_of("a:1|c|c:container").find("unknown field 'c:container'"), std::string::npos);
  EXPECT_EQ(error_of(""), "metric line '': missing '|type'");
  // The error is a value of the execution phase; long lines are cut in the message.
  auto r = parse_statsd("a:x|c", 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().phase, Phase::Execute);
  std::string long_line = std::string(500, 'n') + ":1|q";
  std::string message = error_of(long_line);
  EXPECT_LT(message.size(), 250u);
  EXPECT_NE(message.find("...': unknown metric type 'q'"), std::string::npos) << message;
}

TEST(Statsd, SeveralLines) {
  auto points = parse_statsd_lines("a:1|c\n\nb:2|g\r\nbad\nc:3|ms", 9);
  ASSERT_EQ(points.size(), 4u);
  ASSERT_TRUE(points[0]);
  EXPECT_EQ(points[0]->name, "a");
  EXPECT_EQ(points[0]->time_unix_ns, 9u);
  ASSERT_TRUE(points[1]) << "the '\\r' of a CRLF line end is dropped";
  EXPECT_EQ(points[1]->name, "b");
  EXPECT_EQ(points[1]->kind, MetricKind::Gauge);
  ASSERT_FALSE(points[2]);
  EXPECT_NE(points[2].error().message.find("'bad'"), std::string::npos);
  ASSERT_TRUE(points[3]);
  EXPECT_EQ(points[3]->kind, MetricKind::Timer);
  EXPECT_TRUE(parse_statsd_lines("", 0).empty());
  EXPECT_TRUE(parse_statsd_lines("\n\r\n\n", 0).empty());
  EXPECT_EQ(parse_statsd_lines("a:1|c\n", 0).size(), 1u);
}

}  // namespace
}  // namespace lantern::observe
