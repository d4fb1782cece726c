// Parsing of `lantern run`'s option values: directory mappings, byte sizes, durations and the
// numeric arguments of --invoke. Pure functions, so errors can name the offending text.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "lantern/engine/value.h"
#include "lantern/util/expected.h"

namespace lantern::cli {

struct DirMapping {
  std::string host;
  std::string guest;
  bool read_only = false;
};

// "HOST[::GUEST][:ro]"; GUEST defaults to HOST as written.
Expected<DirMapping> parse_dir_mapping(const std::string& text);

// "65536", "64KiB", "16MiB", "1GiB", "10MB", "1G"... (K/M/G = KiB/MiB/GiB, KB/MB/GB decimal).
Expected<uint64_t> parse_byte_size(const std::string& text);

// "1.5s", "250ms", "100us", "2m", "1h"; a bare number is seconds.
Expected<std::chrono::nanoseconds> parse_duration(const std::string& text);

// A command-line argument as a value of `type`; integers may be signed or unsigned.
bool parse_value(const std::string& text, engine::ValType type, engine::Value& out);
std::string format_value(const engine::Value& value);

}  // namespace lantern::cli
