#include "lantern/exporters/console_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <variant>

namespace lantern::exporters {
namespace {

using observe::LogRecord;
using observe::Span;
using observe::SpanEvent;

// Guest text goes to a terminal: an escape sequence in a span name or log must not reach it.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      out += fmt::format("\\x{:02x}", byte);
    } else {
      out += c;
    }
  }
  return out;
}

std::string value_text(const observe::AttributeValue& value) {
  if (auto* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (auto* d = std::get_if<double>(&value)) return fmt::format("{}", *d);
  if (auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  const std::string& s = std::get<std::string>(value);
  // Quoted when it would otherwise not read as one value.
  if (s.empty() || s.find_first_of(" \"") != std::string::npos) {
    std::string quoted = "\"";
    for (char c : printable(s)) quoted += c == '"' ? std::string("\\\"") : std::string(1, c);
    return quoted + "\"";
  }
  return printable(s);
}

std::string attributes_text(const observe::Attributes& attributes) {
  std::string out;
  for (const observe::Attribute& a : attributes) {
    if (!out.empty()) out += ' ';
    out += printable(a.key) + "=" + value_text(a.value);
  }
  return out;
}

const std::string* string_attribute(const observe::Attributes& attributes, std::string_view key) {
  for (const observe::Attribute& a : attributes) {
    if (a.key == key) return std::get_if<std::string>(&a.value);
  }
  return nullptr;
}

// A span's identity across traces: span ids are only unique within their trace.
std::string key_of(const observe::TraceId& trace, const observe::SpanId& span) {
  return trace.hex() + span.hex();
}

// What is printed under a span, in time order.
struct Item {
  uint64_t time;
  std::variant<const SpanEvent*, const LogRecord*, const Span*> what;
};

class TreePrinter {
 public:
  TreePrinter(const std::vector<Span>& spans, const std::vector<LogRecord>& logs) {
    for (const Span& s : spans) by_key_.try_emplace(key_of(s.trace_id, s.span_id), &s);
    for (const Span& s : spans) {
      std::string parent = key_of(s.trace_id, s.parent_span_id);
      if (s.parent_span_id.valid() && by_key_.count(parent)) {
        items_[parent].push_back({s.start_unix_ns, &s});
      } else {
        roots_.push_back(&s);
      }
    }
    for (const LogRecord& l : logs) {
      std::string owner = key_of(l.trace_id, l.span_id);
      if (l.span_id.valid() && by_key_.count(owner)) {
        items_[owner].push_back({l.time_unix_ns, &l});
        // The collector also records each log as a "log" event of its span; print it once.
        logged_.emplace(owner, l.time_unix_ns, l.body);
      } else {
        loose_logs_.push_back(&l);
      }
    }
  }

  std::string print() {
    auto by_start = [](const Span* a, const Span* b) {
      return a->start_unix_ns < b->start_unix_ns;
    };
    std::stable_sort(roots_.begin(), roots_.end(), by_start);
    // Traces in the order of their first root; roots of one trace together.
    std::vector<std::string> traces;
    for (const Span* root : roots_) {
      std::string id = root->trace_id.hex();
      if (std::find(traces.begin(), traces.end(), id) == traces.end()) traces.push_back(id);
    }
    for (const std::string& trace : traces) {
      out_ += "trace " + trace + "\n";
      for (const Span* root : roots_) {
        if (root->trace_id.hex() == trace) print_tree(*root);
      }
    }
    if (!loose_logs_.empty()) {
      out_ += "logs without a span\n";
      for (const LogRecord* l : loose_logs_) print_log(l->severity, l->body, 1);
    }
    return std::move(out_);
  }

 private:
  // Depth-first with an explicit stack: traced recursion can nest spans 100,000 deep
  // (CollectorOptions::max_depth), too deep for the call stack.
  void print_tree(const Span& root) {
    struct Entry {
      Item item;
      size_t depth;
      const Span* owner;  // the span an event belongs to
    };
    std::vector<Entry> stack = {{{root.start_unix_ns, &root}, 1, nullptr}};
    while (!stack.empty()) {
      Entry entry = stack.back();
      stack.pop_back();
      if (auto* e = std::get_if<const SpanEvent*>(&entry.item.what)) {
        print_event(*entry.owner, **e, entry.depth);
        continue;
      }
      if (auto* l = std::get_if<const LogRecord*>(&entry.item.what)) {
        print_log((*l)->severity, (*l)->body, entry.depth);
        continue;
      }
      const Span& s = *std::get<const Span*>(entry.item.what);
      // Each span once, even if repeated span ids would make it its own descendant.
      if (!printed_.insert(&s).second) continue;
      print_span_line(s, entry.depth, &s == &root);
      std::vector<Item> items;
      for (const SpanEvent& e : s.events) items.push_back({e.time_unix_ns, &e});
      if (auto it = items_.find(key_of(s.trace_id, s.span_id)); it != items_.end()) {
        items.insert(items.end(), it->second.begin(), it->second.end());
      }
      // Stable: at equal times events come before logs, logs before children.
      std::stable_sort(items.begin(), items.end(),
                       [](const Item& a, const Item& b) { return a.time < b.time; });
      for (auto it = items.rbegin(); it != items.rend(); ++it) {
        stack.push_back({*it, entry.depth + 1, &s});
      }
    }
  }

  // Two spaces a level, up to kMaxIndent levels; deeper lines say their depth instead, so
  // deep recursion cannot make the output quadratic in size.
  void indent(size_t depth) {
    constexpr size_t kMaxIndent = 40;
    out_.append(2 * std::min(depth, kMaxIndent), ' ');
    if (depth > kMaxIndent) out_ += fmt::format("[{}] ", depth);
  }

  void print_span_line(const Span& s, size_t depth, bool top) {
    uint64_t ns = s.end_unix_ns > s.start_unix_ns ? s.end_unix_ns - s.start_unix_ns : 0;
    indent(depth);
    out_ += printable(s.name) + "  " + format_duration(ns);
    if (!s.attributes.empty()) out_ += "  " + attributes_text(s.attributes);
    if (s.status == observe::StatusCode::Error) {
      out_ += "  ✗ ERROR";
      if (!s.status_message.empty()) out_ += ": " + printable(s.status_message);
    }
    if (top && s.parent_span_id.valid()) out_ += "  (parent " + s.parent_span_id.hex() + ")";
    out_ += "\n";
  }

  void print_event(const Span& owner, const SpanEvent& e, size_t depth) {
    if (e.name == "log") {
      const std::string* message = string_attribute(e.attributes, "log.message");
      const std::string* level = string_attribute(e.attributes, "log.severity");
      std::string owner_key = key_of(owner.trace_id, owner.span_id);
      if (message && logged_.count({owner_key, e.time_unix_ns, *message})) return;
      if (message && level) {
        indent(depth);
        out_ += "[" + printable(*level) + "] " + printable(*message) + "\n";
        return;
      }
    }
    indent(depth);
    out_ += "• " + printable(e.name);
    if (!e.attributes.empty()) out_ += " " + attributes_text(e.attributes);
    out_ += "\n";
  }

  void print_log(observe::Severity severity, const std::string& body, size_t depth) {
    indent(depth);
    out_ += std::string("[") + observe::severity_text(severity) + "] " + printable(body) + "\n";
  }

  std::map<std::string, const Span*> by_key_;
  std::map<std::string, std::vector<Item>> items_;  // children and logs, by owner span
  std::set<std::tuple<std::string, uint64_t, std::string>> logged_;
  std::vector<const Span*> roots_;
  std::vector<const LogRecord*> loose_logs_;
  std::set<const Span*> printed_;
  std::string out_;
};

const char* kind_text(observe::MetricKind kind) {
  switch (kind) {
    case observe::MetricKind::Counter: return "counter";
    case observe::MetricKind::Gauge: return "gauge";
    case observe::MetricKind::Timer: return "timer";
    case observe::MetricKind::Histogram: return "histogram";
  }
  return "?";
}

// One line per metric name: counters their total (sample rates applied), gauges their last
// value (statsd deltas applied), timers and histograms count, sum, min and max.
std::string metrics_summary(const std::vector<observe::MetricPoint>& points) {
  struct Summary {
    observe::MetricKind kind;
    std::string unit;
    uint64_t count = 0;
    double sum = 0, last = 0, min = 0, max = 0;
  };
  std::map<std::string, Summary> summary;
  for (const observe::MetricPoint& m : points) {
    Summary& s = summary.try_emplace(m.name, Summary{m.kind, m.unit}).first->second;
    double scale = m.sample_rate > 0 && m.sample_rate <= 1 ? 1.0 / m.sample_rate : 1.0;
    uint64_t stands_for = std::max<uint64_t>(1, static_cast<uint64_t>(std::llround(scale)));
    bool delta = false;
    for (const observe::Attribute& a : m.attributes) {
      if (a.key == "statsd.delta") delta = a.value == observe::AttributeValue(true);
    }
    s.min = s.count == 0 ? m.value : std::min(s.min, m.value);
    s.max = s.count == 0 ? m.value : std::max(s.max, m.value);
    s.last = delta ? s.last + m.value : m.value;
    switch (m.kind) {
      case observe::MetricKind::Counter:
        s.sum += m.value * scale;
        ++s.count;
        break;
      case observe::MetricKind::Gauge: ++s.count; break;
      case observe::MetricKind::Timer:
      case observe::MetricKind::Histogram:
        s.sum += m.value * static_cast<double>(stands_for);
        s.count += stands_for;
        break;
    }
  }
  size_t width = 0;
  for (const auto& [name, s] : summary) width = std::max(width, printable(name).size());
  std::string out = "metrics\n";
  for (const auto& [name, s] : summary) {
    std::string unit = s.unit.empty() ? "" : " " + printable(s.unit);
    out += fmt::format("  {:<{}}  {:<9}  count={}", printable(name), width, kind_text(s.kind),
                       s.count);
    switch (s.kind) {
      case observe::MetricKind::Counter: out += fmt::format("  sum={}{}", s.sum, unit); break;
      case observe::MetricKind::Gauge: out += fmt::format("  last={}{}", s.last, unit); break;
      case observe::MetricKind::Timer:
      case observe::MetricKind::Histogram:
        out += fmt::format("  sum={0}{3}  min={1}{3}  max={2}{3}", s.sum, s.min, s.max, unit);
        break;
    }
    out += "\n";
  }
  return out;
}

}  // namespace

std::string format_duration(uint64_t ns) {
  if (ns < 1'000) return fmt::format("{} ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.3f} µs", static_cast<double>(ns) / 1e3);
  // Below 999.9995 ms, so that rounding never prints "1000.000 ms".
  if (ns < 999'999'500) return fmt::format("{:.3f} ms", static_cast<double>(ns) / 1e6);
  return fmt::format("{:.3f} s", static_cast<double>(ns) / 1e9);
}

void ConsoleTreeSink::export_spans(const observe::Resource&, std::span<const Span> spans) {
  spans_.insert(spans_.end(), spans.begin(), spans.end());
}

void ConsoleTreeSink::export_logs(const observe::Resource&, std::span<const LogRecord> logs) {
  logs_.insert(logs_.end(), logs.begin(), logs.end());
}

void ConsoleTreeSink::export_metrics(const observe::Resource&,
                                     std::span<const observe::MetricPoint> points) {
  metrics_.insert(metrics_.end(), points.begin(), points.end());
}

std::string ConsoleTreeSink::render() const {
  std::string out = TreePrinter(spans_, logs_).print();
  if (!metrics_.empty()) out += metrics_summary(metrics_);
  return out;
}

void ConsoleTreeSink::flush() {
  std::string text = render();
  if (out_ && !text.empty()) {
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
  }
  spans_.clear();
  logs_.clear();
  metrics_.clear();
}

}  // namespace lantern::exporters
