// Where finished telemetry goes. The collector hands each batch over as soon as it is complete
// (spans stream out while a long job runs); a sink must not keep references into the batch.
#pragma once

#include <span>

#include "lantern/observe/telemetry.h"

namespace lantern::observe {

class TelemetrySink {
 public:
  virtual ~TelemetrySink() = default;
  virtual void export_spans(const Resource& resource, std::span<const Span> spans) = 0;
  virtual void export_logs(const Resource& resource, std::span<const LogRecord> logs) = 0;
  virtual void export_metrics(const Resource& resource, std::span<const MetricPoint> points) = 0;
  // Called once when the execution is over (after its last batch): write out what is buffered.
  virtual void flush() {}
};

}  // namespace lantern::observe
