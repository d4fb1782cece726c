// Binary decoder: bytes -> Module. Checks everything the spec calls "malformed".
#pragma once

#include <cstdint>
#include <span>

#include "lantern/util/expected.h"
#include "lantern/wasm/module.h"

namespace lantern::wasm {

struct DecodeOptions {
  // Upper bounds that keep a hostile module from asking for unbounded allocation.
  uint32_t max_locals_per_function = 50000;
  // False: custom sections are checked and skipped, not copied into Module::customs (the `name`
  // section is still decoded into Module::names). For an engine that never writes the module
  // back: debug sections are often most of a module's bytes (110 of the 140 KB of a clang-built
  // hello world), and copying them cost 16 page faults, about 0.1 ms, of its `lantern run`.
  bool keep_custom_sections = true;
};

// Errors carry phase Decode, the section name, the byte offset and (in the code section) the
// function index. Messages begin with the spec's wording where the spec tests name one
// (e.g. "unexpected end", "integer too large", "malformed section id").
Expected<Module> decode_module(std::span<const uint8_t> bytes, const DecodeOptions& options = {});

}  // namespace lantern::wasm
