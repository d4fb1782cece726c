#include <fmt/format.h>

#include "lantern/util/expected.h"

namespace lantern {

const char* phase_name(Phase phase) {
  switch (phase) {
    case Phase::Decode: return "decode";
    case Phase::Validate: return "validation";
    case Phase::Link: return "link";
    case Phase::Instantiate: return "instantiation";
    case Phase::Execute: return "execution";
    case Phase::Io: return "i/o";
    case Phase::Config: return "configuration";
  }
  return "unknown";
}

std::string Error::to_string() const {
  std::string where;
  auto add = [&](const std::string& part) { where += where.empty() ? part : ", " + part; };
  if (!section.empty()) add("section " + section);
  if (func_index != kNoIndex) add(fmt::format("function {}", func_index));
  if (offset != kNoOffset) add(fmt::format("offset {:#x}", offset));
  if (where.empty()) return fmt::format("{} error: {}", phase_name(phase), message);
  return fmt::format("{} error: {}: {}", phase_name(phase), where, message);
}

}  // namespace lantern
