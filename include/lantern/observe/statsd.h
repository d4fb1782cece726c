// statsd / DogStatsD metric lines, as guests send them through the Observe API's `metric`:
//   name:value|type[|@rate][|#tag:value,tag2]
// type: c (counter), g (gauge; "+3"/"-2" are deltas), ms (timer), h (histogram), d (distribution,
// a histogram). Tags become string attributes (a tag without ':' has value "").
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

Expected<MetricPoint> parse_statsd(std::string_view line, uint64_t time_unix_ns);
// One result per non-empty line of `text`.
std::vector<Expected<MetricPoint>> parse_statsd_lines(std::string_view text, uint64_t time_unix_ns);

}  // namespace lantern::observe
