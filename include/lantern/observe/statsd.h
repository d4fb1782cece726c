// statsd / DogStatsD metric lines, as guests send them through the Observe API's `metric`:
//
//   name:value|type[|@rate][|#tag:value,tag2][|T<unix seconds>]
//
// type: c (Counter), g (Gauge), ms (Timer, unit "ms"), h (Histogram), d (distribution, recorded
// as a Histogram). A gauge value written with a sign ("+3", "-2") is a delta in statsd: it is
// recorded as a Gauge with that value and the attribute statsd.delta=true. @rate is the sample
// rate, in (0, 1]. Tags become string attributes, split at their first ':' (a tag without ':'
// gets the value ""). T is DogStatsD's own timestamp (protocol 1.3) and replaces
// `time_unix_ns`. The optional fields may come in any order, each at most once; empty fields
// ("a:1|c|") are ignored.
//
// Names are non-empty and hold none of ':' '|' '@' '#'. Values are finite decimal numbers.
// Errors name the problem and quote the line: "metric line 'x': missing '|type'".
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "lantern/observe/telemetry.h"
#include "lantern/util/expected.h"

namespace lantern::observe {

// One line (no '\n'). `time_unix_ns` becomes the point's time unless the line has |T.
Expected<MetricPoint> parse_statsd(std::string_view line, uint64_t time_unix_ns);

// Lines separated by '\n' (a '\r' before it is dropped); one result per non-empty line, in order.
std::vector<Expected<MetricPoint>> parse_statsd_lines(std::string_view text, uint64_t time_unix_ns);

}  // namespace lantern::observe
