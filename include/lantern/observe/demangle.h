// Readable function names for spans: Itanium C++ symbols (via the C++ runtime's demangler) and
// Rust's legacy mangling (the same scheme plus a `::h<hash>` suffix and `$..$` escapes).
// Anything else, including Rust v0 (`_R...`) symbols, is returned unchanged.
#pragma once

#include <string>
#include <string_view>

namespace lantern::observe {

std::string demangle(std::string_view symbol);

}  // namespace lantern::observe
