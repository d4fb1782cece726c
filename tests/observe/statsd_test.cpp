#include "lantern/observe/statsd.h"

#include <gtest/gtest.h>

namespace lantern::observe {
namespace {

TEST(Statsd, EveryTypeRateAndTags) {
  auto c = parse_statsd("jobs.done:3|c|@0.5|#queue:main,urgent", 42);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->name, "jobs.done");
  EXPECT_EQ(c->kind, MetricKind::Counter);
  EXPECT_EQ(c->value, 3);
  EXPECT_EQ(c->sample_rate, 0.5);
  EXPECT_EQ(c->time_unix_ns, 42u);
  EXPECT_EQ(c->attributes, (Attributes{{"queue", std::string("main")}, {"urgent", std::string()}}));
  auto g = parse_statsd("depth:-2|g", 0);
  ASSERT_TRUE(g);
  EXPECT_EQ(g->kind, MetricKind::Gauge);
  EXPECT_EQ(g->value, -2);
  EXPECT_EQ(g->attributes, (Attributes{{"statsd.delta", true}}));
  auto t = parse_statsd("step:12.5|ms", 0);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, MetricKind::Timer);
  EXPECT_EQ(t->unit, "ms");
  EXPECT_EQ(parse_statsd("size:5|h", 0)->kind, MetricKind::Histogram);
  EXPECT_EQ(parse_statsd("size:5|d", 0)->kind, MetricKind::Histogram);
}

TEST(Statsd, ErrorsSayWhatIsWrong) {
  auto expect_error = [](std::string_view line, std::string_view words) {
    auto r = parse_statsd(line, 0);
    ASSERT_FALSE(r) << line;
    EXPECT_NE(r.error().message.find(words), std::string::npos) << r.error().message;
  };
  expect_error("no separators", "expected name:value|type");
  expect_error(":1|c", "empty metric name");
  expect_error("a:1|q", "unknown metric type 'q'");
  expect_error("a:abc|c", "value 'abc' is not a number");
  expect_error("a:1|c|@0", "sample rate must be in (0, 1]");
  expect_error("a:1|c|@1.5", "sample rate must be in (0, 1]");
  expect_error("a:1|c|junk", "unknown field 'junk'");
  expect_error("a:inf|c", "is not a number");
}

TEST(Statsd, SeveralLines) {
  auto points = parse_statsd_lines("a:1|c\n\nb:2|g\r\nbad\n", 0);
  ASSERT_EQ(points.size(), 3u);
  EXPECT_TRUE(points[0] && points[1]);
  EXPECT_EQ(points[1]->name, "b");
  EXPECT_FALSE(points[2]);
}

}  // namespace
}  // namespace lantern::observe
