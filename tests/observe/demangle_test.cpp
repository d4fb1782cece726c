// Demangling: Itanium C++, Rust legacy (hash, escapes, suffixes), Rust v0 (the examples of the
// v0 RFC and rustc-demangle's test vectors, plus hand-built symbols for each type and path
// form), unsupported and malformed symbols, and a bounded fuzz loop over random and mutated
// symbols that must never crash.
#include "lantern/observe/demangle.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <string>
#include <vector>

namespace lantern::observe {
namespace {

TEST(Demangle, NotMangledIsUnchanged) {
  for (const char* name : {"", "main", "_start", "__original_main", "func[3]", "_", "_Q3foo",
                           "R3foo", "Z3foo", "$LT$", "café"}) {
    EXPECT_EQ(demangle(name), name);
  }
}

TEST(Demangle, ItaniumCpp) {
  EXPECT_EQ(demangle("_ZN3foo3barE"), "foo::bar");
  EXPECT_EQ(demangle("_ZNSt6vectorIiSaIiEE9push_backERKi"),
            "std::vector<int, std::allocator<int> >::push_back(int const&)");
  EXPECT_EQ(demangle("_Z3addii"), "add(int, int)");
  EXPECT_EQ(demangle("_ZNK3Foo3getEv"), "Foo::get() const");
  EXPECT_EQ(demangle("_ZN3FooC2Ev"), "Foo::Foo()");
  EXPECT_EQ(demangle("_ZZ4mainE1x"), "main::x");
  EXPECT_EQ(demangle("_Z3foov.llvm.123"), "foo() [clone .llvm.123]");
  // Not Rust: the last identifier is no hash (a 'g' is not hex), so Itanium rules apply.
  EXPECT_EQ(demangle("_ZN3foo17h123456789abcdefgE"), "foo::h123456789abcdefg");
  EXPECT_EQ(demangle("_Zgarbage"), "_Zgarbage");
  EXPECT_EQ(demangle("_Z"), "_Z");
}

// A legacy Rust symbol from its path components plus a hash.
std::string rust_legacy(const std::vector<std::string>& parts) {
  std::string symbol = "_ZN";
  for (const std::string& part : parts) symbol += std::to_string(part.size()) + part;
  return symbol + "17h0123456789abcdefE";
}

TEST(Demangle, RustLegacy) {
  EXPECT_EQ(demangle("_ZN4core3fmt9Formatter3pad17h1234567890abcdefE"),
            "core::fmt::Formatter::pad");
  EXPECT_EQ(demangle(rust_legacy({"_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..drop.."
                                  "Drop$GT$",
                                  "drop"})),
            "<alloc::vec::Vec<T,A> as core::ops::drop::Drop>::drop");
  EXPECT_EQ(demangle(rust_legacy({"core", "ptr",
                                  "drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$"
                                  "closure$u7d$$u7d$$GT$"})),
            "core::ptr::drop_in_place<std::rt::lang_start<()>::{{closure}}>");
  EXPECT_EQ(demangle(rust_legacy({"_$LT$$RF$$BP$str$u20$as$u20$x$GT$", "f"})), "<&*str as x>::f");
  EXPECT_EQ(demangle(rust_legacy({"a$SP$b$u7e$c$u27$d$u5b$$u5d$$u3b$$u2b$$u22$", "x"})),
            "a@b~c'd[];+\"::x");
  EXPECT_EQ(demangle(rust_legacy({"caf$u e9$", "x"})), "caf$u e9$::x") << "a bad escape stays";
  EXPECT_EQ(demangle(rust_legacy({"$u20ac$euro", "x"})),
            "\xe2\x82\xac"
            "euro::x");
  EXPECT_EQ(demangle(rust_legacy({"a$XY$b", "x"})), "a$XY$b::x");
  EXPECT_EQ(demangle(rust_legacy({"a$u0$b", "x"})), "a$u0$b::x") << "no control characters";
  EXPECT_EQ(demangle(rust_legacy({"one.dot", "x"})), "one.dot::x");
  EXPECT_EQ(demangle(rust_legacy({"main"})), "main");
}

TEST(Demangle, RustLegacySuffixes) {
  std::string symbol = rust_legacy({"app", "run"});
  EXPECT_EQ(demangle(symbol + ".llvm.1234ABCD"), "app::run");
  EXPECT_EQ(demangle(symbol + ".llvm.9D1C9369@@16"), "app::run");
  EXPECT_EQ(demangle(symbol + ".cold"), "app::run.cold");
}

TEST(Demangle, RustV0Examples) {
  const std::pair<const char*, const char*> cases[] = {
      {"_RNvCs15kBYyAo9fc_7mycrate7example", "mycrate::example"},
      {"_RNvC6_123foo3bar", "123foo::bar"},
      {"_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
       "utf8_idents::საჭმელად_გემრიელი_სადილი"},
      {"_RNCNCNgCs6DXkGYLi8lr_2cc5spawn00B5_", "cc::spawn::{closure#0}::{closure#0}"},
      {"_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpo"
       "sitionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
       "<core::slice::Iter<u8> as core::iter::iterator::Iterator>::rposition::<core::slice::"
       "memchr::memrchr::{closure#1}>::{closure#0}"},
      {"_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbu"
       "Biw2_3std",
       "alloc::alloc::box_free::<dyn alloc::boxed::FnBox<(), Output = ()>>"},
      {"_RMC0INtC8arrayvec8ArrayVechKj7b_E", "<arrayvec::ArrayVec<u8, 123>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_8UnsignedKhb_E", "<const_generic::Unsigned<11>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_6SignedKs98_E", "<const_generic::Signed<152>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_6SignedKanb_E", "<const_generic::Signed<-11>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_4BoolKb0_E", "<const_generic::Bool<false>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_4BoolKb1_E", "<const_generic::Bool<true>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKc76_E", "<const_generic::Char<'v'>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKca_E", "<const_generic::Char<'\\n'>>"},
      {"_RMCs4fqI2P2rA04_13const_genericINtB0_4CharKc2202_E", "<const_generic::Char<'∂'>>"},
      {"_RNvNvMCs4fqI2P2rA04_13const_genericINtB4_3FooKpE3foo3FOO",
       "<const_generic::Foo<_>>::foo::FOO"},
      {"_RC3foo.llvm.9D1C9369", "foo"},
      {"_RC3foo.llvm.9D1C9369@@16", "foo"},
      {"_RNvC9backtrace3foo.llvm.A5310EB9", "backtrace::foo"},
      {"_RNvNtNtNtNtCs92dm3009vxr_4rand4rngs7adapter9reseeding4fork23FORK_HANDLER_REGISTERED.0.0",
       "rand::rngs::adapter::reseeding::fork::FORK_HANDLER_REGISTERED.0.0"},
  };
  for (const auto& [symbol, name] : cases) EXPECT_EQ(demangle(symbol), name) << symbol;
}

TEST(Demangle, RustV0BackReferencesExpand) {
  // Six nested back-references double the type six times: 64 placeholders.
  std::string pair = "(_, _)";
  for (int i = 0; i < 5; ++i) pair = "(" + pair + ", " + pair + ")";
  EXPECT_EQ(demangle("_RMC0TTTTTTpB8_EB7_EB6_EB5_EB4_EB3_E"), "<" + pair + ">");
}

TEST(Demangle, RustV0Paths) {
  const std::pair<const char*, const char*> cases[] = {
      {"_RC3foo", "foo"},
      {"_RNvNtC3foo3bar3baz", "foo::bar::baz"},
      {"_RNvMC3fooNtC3foo3Bar3new", "<foo::Bar>::new"},
      {"_RNvXC3fooNtC3foo3BarNtC4core5Clone5clone", "<foo::Bar as core::Clone>::clone"},
      {"_RNvXs_C3fooNtC3foo3BarNtC4core5Clone5clone", "<foo::Bar as core::Clone>::clone"},
      {"_RNvYNtC3foo3BarNtC4core5Clone5clone", "<foo::Bar as core::Clone>::clone"},
      {"_RNSNvC3foo3bar6vtable", "foo::bar::{shim:vtable#0}"},
      {"_RNCNvC3foo4mains_0", "foo::main::{closure#1}"},
      {"_RNCNvC3foo4mains0_0", "foo::main::{closure#2}"},
      {"_RNCNvC3foo4main4name", "foo::main::{closure:name#0}"},
      {"_RNXNvC3foo4main0", "foo::main::{X#0}"},
      {"_RINvC3foo3barhE", "foo::bar::<u8>"},
      {"_RINvC3foo3barhtE", "foo::bar::<u8, u16>"},
      {"_RINvC3foo3barL_E", "foo::bar::<'_>"},
      {"_RINvC3foo3barpE", "foo::bar::<_>"},
      {"_RINvC3foo3barKxn5_E", "foo::bar::<-5>"},
      {"_RINvC3foo3barKj0_E", "foo::bar::<0>"},
      {"_RINvC3foo3barKo123456789abcdef0123_E", "foo::bar::<0x123456789abcdef0123>"},
      {"_RINvC3foo3barKyffffffffffffffff_E", "foo::bar::<18446744073709551615>"},
      {"_RINvC3foo3barKc27_Kc5c_Kc0_Kc7f_E", "foo::bar::<'\\'', '\\\\', '\\0', '\\u{7f}'>"},
      {"_RINvC3foo3barKpE", "foo::bar::<_>"},
      {"_RNvC3foo3barB1_", "foo::bar"},  // a back-reference as the instantiating crate
      {"_RNvC3foo3barC3std", "foo::bar"},
  };
  for (const auto& [symbol, name] : cases) EXPECT_EQ(demangle(symbol), name) << symbol;
}

TEST(Demangle, RustV0Types) {
  // "_RMC0" <type>: an inherent impl on the type, printed as <type>.
  const std::pair<const char*, const char*> cases[] = {
      {"a", "i8"},
      {"b", "bool"},
      {"c", "char"},
      {"d", "f64"},
      {"e", "str"},
      {"f", "f32"},
      {"h", "u8"},
      {"i", "isize"},
      {"j", "usize"},
      {"l", "i32"},
      {"m", "u32"},
      {"n", "i128"},
      {"o", "u128"},
      {"s", "i16"},
      {"t", "u16"},
      {"u", "()"},
      {"v", "..."},
      {"x", "i64"},
      {"y", "u64"},
      {"z", "!"},
      {"p", "_"},
      {"Rh", "&u8"},
      {"RL_h", "&u8"},
      {"Qh", "&mut u8"},
      {"Ph", "*const u8"},
      {"Oh", "*mut u8"},
      {"Se", "[str]"},
      {"Ahj10_", "[u8; 16]"},
      {"TE", "()"},
      {"ThE", "(u8,)"},
      {"ThtE", "(u8, u16)"},
      {"RSh", "&[u8]"},
      {"QRe", "&mut &str"},
      {"FEu", "fn()"},
      {"FhtEm", "fn(u8, u16) -> u32"},
      {"FUKCEu", "unsafe extern \"C\" fn()"},
      {"FK8C_unwindEu", "extern \"C-unwind\" fn()"},
      {"FG_RL0_hEu", "for<'a> fn(&'a u8)"},
      {"FG0_RL1_hRL0_tEu", "for<'a, 'b> fn(&'a u8, &'b u16)"},
      {"FG_QL0_hEQL0_h", "for<'a> fn(&'a mut u8) -> &'a mut u8"},
      {"DNtC4core3AnyEL_", "dyn core::Any"},
      {"DNtC4core3AnyNtC4core4SendEL_", "dyn core::Any + core::Send"},
      {"FG_DNtC4core3AnyEL0_Eu", "for<'a> fn(dyn core::Any + 'a)"},
      {"DG_INtC4core2FnTRL0_hEEp6OutputuEL_", "dyn for<'a> core::Fn<(&'a u8,), Output = ()>"},
      {"INtC3std3VechE", "std::Vec<u8>"},
      {"INtC3std3VecINtC3std3VechEE", "std::Vec<std::Vec<u8>>"},
      {"NtC3std6String", "std::String"},
      {"ThB3_E", "(u8, u8)"},
  };
  for (const auto& [type, name] : cases) {
    EXPECT_EQ(demangle(std::string("_RMC0") + type), "<" + std::string(name) + ">") << type;
  }
}

TEST(Demangle, RustV0UnsupportedOrMalformedIsUnchanged) {
  for (const char* symbol : {
           "_R",
           "_RZ",
           "_R1NvC3foo3bar",          // encoding version 1
           "_RINvC3foo3barKe_E",      // a str constant (not supported)
           "_RINvC3foo3barKb2_E",     // a bool is 0 or 1
           "_RINvC3foo3barKcd800_E",  // a surrogate is no char
           "_RNvC3foo",               // truncated
           "_RNvC3foo3barX",          // junk after the path
           "_RNvB9_3foo",             // a forward back-reference
           "_RB_",                    // a back-reference to itself
           "_RNvC3foo3bar$x",         // a suffix must start with '.'
           "_RNvC3foo3b\xc3\xa9r",    // not ASCII
           "_RC03foo",                // "0" is a whole decimal number
           "_RC9foo",                 // length beyond the end
           "_RMC0RL1_h",              // lifetime 1 outside any binder
           "_RMC0FG_RL2_hEu",         // lifetime 2 with one bound
           "_RMC0DNtC4core3AnyE",     // dyn without its lifetime
           "_RNvCu2a_3foo",           // punycode without deltas
           "_RNvCu3a_B3foo",          // punycode digits are lowercase
           "_RNvCu5a_b!c3foo",
           "_RNvC3foo3barC",
           "_RMC0T",
           "_RMC0Ahj10",
           "_RINvC3foo3barKy10000000000000000_",
       }) {
    EXPECT_EQ(demangle(symbol), symbol) << symbol;
  }
}

TEST(Demangle, LimitsAreEnforced) {
  auto start = std::chrono::steady_clock::now();
  // 40 nested back-references would print 2^40 placeholders: the output cap stops it.
  auto base62 = [](int value) {  // value >= 1, single digit
    int n = value - 1;
    char digit = n < 10   ? static_cast<char>('0' + n)
                 : n < 36 ? static_cast<char>('a' + n - 10)
                          : static_cast<char>('A' + n - 36);
    return std::string(1, digit) + "_";
  };
  std::string bomb = "_RMC0" + std::string(40, 'T') + "p";
  for (int position = 3 + 40; position >= 4; --position) bomb += "B" + base62(position) + "E";
  bomb += "E";
  EXPECT_EQ(demangle(bomb), bomb);
  // Deep nesting: the depth limit stops it.
  std::string deep = "_R" + std::string(50000, 'N');
  EXPECT_EQ(demangle(deep), deep);
  std::string deep_types = "_RMC0" + std::string(50000, 'R') + "h";
  EXPECT_EQ(demangle(deep_types), deep_types);
  // Very long symbols are left alone.
  std::string huge = "_ZN" + std::string(70000, 'x');
  EXPECT_EQ(demangle(huge), huge);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(Demangle, FuzzNeverCrashes) {
  std::mt19937 random(20261123);
  const std::string alphabet = "_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ$.@";
  const char* prefixes[] = {"_R", "_RN", "_RM", "_RI", "_ZN", "_Z", ""};
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(random); };
  // Random strings after each prefix.
  for (int i = 0; i < 30000; ++i) {
    std::string symbol = prefixes[pick(std::size(prefixes))];
    size_t length = pick(48);
    for (size_t j = 0; j < length; ++j) symbol += alphabet[pick(alphabet.size())];
    std::string name = demangle(symbol);
    EXPECT_LE(name.size(), 65536u + symbol.size());
  }
  // Every truncation and many single-character mutations of real symbols.
  const std::string seeds[] = {
      "_RNCINkXs25_NgCsbmNqQUJIY6D_4core5sliceINyB9_4IterhENuNgNoBb_4iter8iterator8Iterator9rpo"
      "sitionNCNgNpB9_6memchr7memrchrs_0E0Bb_",
      "_RINbNbCskIICzLVDPPb_5alloc5alloc8box_freeDINbNiB4_5boxed5FnBoxuEp6OutputuEL_ECs1iopQbu"
      "Biw2_3std",
      "_RNqCs4fqI2P2rA04_11utf8_identsu30____7hkackfecea1cbdathfdh9hlq6y",
      "_RMC0FG0_RL1_hRL0_tEu",
      "_RMC0TTTTTTpB8_EB7_EB6_EB5_EB4_EB3_E",
      "_ZN4core3ptr85drop_in_place$LT$std..rt..lang_start$LT$$LP$$RP$$GT$..$u7b$$u7b$closure$u7d"
      "$u7d$$GT$17h0123456789abcdefE",
      "_ZNSt6vectorIiSaIiEE9push_backERKi",
  };
  for (const std::string& seed : seeds) {
    for (size_t cut = 0; cut <= seed.size(); ++cut) (void)demangle(seed.substr(0, cut));
    for (int i = 0; i < 3000; ++i) {
      std::string mutated = seed;
      mutated[pick(mutated.size())] = alphabet[pick(alphabet.size())];
      if (pick(4) == 0) mutated.insert(pick(mutated.size()), 1, alphabet[pick(alphabet.size())]);
      (void)demangle(mutated);
    }
  }
}

}  // namespace
}  // namespace lantern::observe
