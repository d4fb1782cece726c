#include "lantern/exporters/console_sink.h"

#include <fmt/format.h>
#include <algorithm>
#include <map>

namespace lantern::exporters {
namespace {

std::string value_text(const observe::AttributeValue& value) {
  if (auto* s = std::get_if<std::string>(&value)) return *s;
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  return std::get<bool>(value) ? "true" : "false";
}

std::string attributes_text(const observe::Attributes& attributes) {
  std::string out;
  for (const observe::Attribute& a : attributes) out += " " + a.key + "=" + value_text(a.value);
  return out;
}

const char* kind_text(observe::MetricKind kind) {
  switch (kind) {
    case observe::MetricKind::Counter: return "counter";
    case observe::MetricKind::Gauge: return "gauge";
    case observe::MetricKind::Timer: return "timer";
    case observe::MetricKind::Histogram: return "histogram";
  }
  return "?";
}

}  // namespace

std::string format_duration(uint64_t ns) {
  if (ns < 1'000) return fmt::format("{} ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.1f} µs", ns / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.2f} ms", ns / 1e6);
  return fmt::format("{:.2f} s", ns / 1e9);
}

void ConsoleTreeSink::export_spans(const observe::Resource&, std::span<const observe::Span> s) {
  spans_.insert(spans_.end(), s.begin(), s.end());
}
void ConsoleTreeSink::export_logs(const observe::Resource&, std::span<const observe::LogRecord> l) {
  logs_.insert(logs_.end(), l.begin(), l.end());
}
void ConsoleTreeSink::export_metrics(const observe::Resource&,
                                     std::span<const observe::MetricPoint> m) {
  metrics_.insert(metrics_.end(), m.begin(), m.end());
}

std::string ConsoleTreeSink::render() const {
  // Children by parent span id, ordered by start time; spans whose parent was not seen are
  // printed as roots (the parent is another process's span, or was dropped).
  std::map<std::string, std::vector<const observe::Span*>> children;
  std::map<std::string, const observe::Span*> by_id;
  for (const observe::Span& s : spans_) by_id[s.span_id.hex()] = &s;
  std::vector<const observe::Span*> roots;
  for (const observe::Span& s : spans_) {
    std::string parent = s.parent_span_id.valid() ? s.parent_span_id.hex() : "";
    if (!parent.empty() && by_id.count(parent)) {
      children[parent].push_back(&s);
    } else {
      roots.push_back(&s);
    }
  }
  auto by_start = [](const observe::Span* a, const observe::Span* b) {
    return a->start_unix_ns < b->start_unix_ns;
  };
  std::sort(roots.begin(), roots.end(), by_start);
  for (auto& [id, list] : children) std::sort(list.begin(), list.end(), by_start);
  std::map<std::string, std::vector<const observe::LogRecord*>> logs_by_span;
  for (const observe::LogRecord& l : logs_) {
    logs_by_span[l.span_id.valid() ? l.span_id.hex() : ""].push_back(&l);
  }

  std::string out;
  auto print = [&](auto& self, const observe::Span& s, const std::string& indent) -> void {
    uint64_t ns = s.end_unix_ns > s.start_unix_ns ? s.end_unix_ns - s.start_unix_ns : 0;
    out += fmt::format("{}{}  {}{}", indent, s.name, format_duration(ns),
                       attributes_text(s.attributes));
    if (s.status == observe::StatusCode::Error) out += "  ✗ ERROR: " + s.status_message;
    out += "\n";
    for (const observe::SpanEvent& e : s.events) {
      if (e.name == "log") continue;  // the log itself is printed below
      out += fmt::format("{}  • {}{}\n", indent, e.name, attributes_text(e.attributes));
    }
    auto logs = logs_by_span.find(s.span_id.hex());
    if (logs != logs_by_span.end()) {
      for (const observe::LogRecord* l : logs->second) {
        out += fmt::format("{}  [{}] {}\n", indent, observe::severity_text(l->severity), l->body);
      }
    }
    auto kids = children.find(s.span_id.hex());
    if (kids == children.end()) return;
    for (const observe::Span* child : kids->second) self(self, *child, indent + "  ");
  };
  for (const observe::Span* root : roots) {
    out += "trace " + root->trace_id.hex() + "\n";
    print(print, *root, "  ");
  }
  auto orphans = logs_by_span.find("");
  if (orphans != logs_by_span.end()) {
    for (const observe::LogRecord* l : orphans->second) {
      out += fmt::format("[{}] {}\n", observe::severity_text(l->severity), l->body);
    }
  }
  if (!metrics_.empty()) {
    struct Summary {
      observe::MetricKind kind;
      size_t count = 0;
      double sum = 0, last = 0;
      std::string unit;
    };
    std::map<std::string, Summary> summary;
    for (const observe::MetricPoint& m : metrics_) {
      Summary& s = summary.try_emplace(m.name, Summary{m.kind}).first->second;
      ++s.count;
      s.sum += m.value;
      s.last = m.value;
      s.unit = m.unit;
    }
    out += "metrics\n";
    for (const auto& [name, s] : summary) {
      out += fmt::format("  {} {} count={} sum={} last={}{}\n", name, kind_text(s.kind), s.count,
                         s.sum, s.last, s.unit.empty() ? "" : " unit=" + s.unit);
    }
  }
  return out;
}

void ConsoleTreeSink::flush() {
  std::string text = render();
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
  spans_.clear();
  logs_.clear();
  metrics_.clear();
}

}  // namespace lantern::exporters
