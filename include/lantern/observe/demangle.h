// Readable function names for spans, from the symbol names of a module's `name` section:
//
//   _Z...                 Itanium C++, by the C++ runtime's abi::__cxa_demangle
//                         (_ZNSt6vectorIiSaIiEE9push_backERKi ->
//                          std::vector<int, std::allocator<int> >::push_back(int const&))
//   _ZN...17h<16 hex>E    Rust legacy: the path without its hash, `$LT$`-style and `..` escapes
//                         decoded (_ZN4core3fmt9Formatter3pad17h1234567890abcdefE ->
//                          core::fmt::Formatter::pad)
//   _R...                 Rust v0 (RFC 2603): paths, impls, generic arguments, closures and
//                         shims, types (references, pointers, arrays, slices, tuples, fn
//                         pointers, dyn traits, lifetimes), const generics of integer, bool and
//                         char type, punycode identifiers; printed like rustc-demangle's
//                         alternate form (no crate hashes): _RNvCs15kBYyAo9fc_7mycrate7example ->
//                         mycrate::example
//
// A ".llvm.<hash>" suffix that LLVM's ThinLTO appends to Rust symbols is dropped; other '.'
// suffixes are kept. Anything else, any construct not supported and any malformed symbol comes
// back unchanged; arbitrary input never crashes, and the output of a symbol is capped in size
// and in work (v0 back-references can otherwise expand exponentially).
#pragma once

#include <string>
#include <string_view>

namespace lantern::observe {

std::string demangle(std::string_view symbol);

}  // namespace lantern::observe
