// Two arithmetic instructions in a row, outer(inner(x, y), z), in every operand arrangement the
// lowering may fuse: inner result on the left or right, inner with an immediate, the other outer
// operand a constant, both operands pending, and a local overwritten between the two. Expected
// values come from the spec's definitions of each operator, written out below.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/engine_fixture.h"

namespace lantern::engine {
namespace {

using V = Value;

// Spec semantics of the i32 operators used here (shift and rotate counts are taken mod 32).
uint32_t i32_op(const std::string& op, uint32_t a, uint32_t b) {
  uint32_t k = b & 31;
  if (op == "add") return a + b;
  if (op == "sub") return a - b;
  if (op == "mul") return a * b;
  if (op == "xor") return a ^ b;
  if (op == "and") return a & b;
  if (op == "or") return a | b;
  if (op == "shl") return a << k;
  if (op == "shr_u") return a >> k;
  if (op == "shr_s") return static_cast<uint32_t>(static_cast<int32_t>(a) >> k);
  if (op == "rotl") return std::rotl(a, static_cast<int>(k));
  if (op == "rotr") return std::rotr(a, static_cast<int>(k));
  ADD_FAILURE() << "unknown op " << op;
  return 0;
}

std::string i32c(uint32_t v) { return "(i32.const " + std::to_string(static_cast<int32_t>(v)) + ")"; }

TEST_F(EngineTest, I32PairsInEveryArrangement) {
  const std::vector<std::string> inner = {"add", "sub", "mul", "xor", "and", "or",
                                          "shl", "shr_u", "shr_s", "rotl", "rotr"};
  const std::vector<std::string> outer = {"add", "sub", "mul", "xor", "and", "or"};
  const std::vector<uint32_t> imms = {5, 31, 0xffffffff};
  const uint32_t k2 = 0x7f00ff01;
  struct Triple { uint32_t x, y, z; };
  const std::vector<Triple> inputs = {
      {0x12345678, 0x9abcdef0, 77}, {0xffffffff, 31, 0x80000000}, {5, 33, 0xfffffffd}};

  std::string wat = "(module\n";
  auto fn = [&](const std::string& name, const std::string& body) {
    wat += "(func (export \"" + name + "\") (param i32 i32 i32) (result i32) " + body + ")\n";
  };
  for (const auto& in : inner) {
    for (const auto& out : outer) {
      std::string p = in + "_" + out + "_";
      std::string inner_xy = "(i32." + in + " (local.get 0) (local.get 1))";
      fn(p + "L", "(i32." + out + " " + inner_xy + " (local.get 2))");
      fn(p + "R", "(i32." + out + " (local.get 2) " + inner_xy + ")");
      fn(p + "Lc", "(i32." + out + " " + inner_xy + " " + i32c(k2) + ")");
      fn(p + "Rc", "(i32." + out + " " + i32c(k2) + " " + inner_xy + ")");
      fn(p + "both", "(i32." + out + " " + inner_xy + " (i32." + in + " (local.get 2) (i32.const 3)))");
      fn(p + "set_between", inner_xy + " (local.set 0 (local.get 2)) (local.set 1 (i32.const 0))" +
                                " (i32." + out + " (local.get 0))");
      for (size_t j = 0; j < imms.size(); ++j) {
        std::string inner_xk = "(i32." + in + " (local.get 0) " + i32c(imms[j]) + ")";
        std::string q = p + std::to_string(j);
        fn(q + "Li", "(i32." + out + " " + inner_xk + " (local.get 2))");
        fn(q + "Ri", "(i32." + out + " (local.get 2) " + inner_xk + ")");
        fn(q + "Lic", "(i32." + out + " " + inner_xk + " " + i32c(k2) + ")");
        fn(q + "Ric", "(i32." + out + " " + i32c(k2) + " " + inner_xk + ")");
      }
    }
  }
  auto* m = load(wat + ")");
  ASSERT_NE(m, nullptr);
  for (const auto& in : inner) {
    for (const auto& out : outer) {
      std::string p = in + "_" + out + "_";
      for (const Triple& t : inputs) {
        SCOPED_TRACE(p + " x=" + std::to_string(t.x) + " y=" + std::to_string(t.y) +
                     " z=" + std::to_string(t.z));
        auto run = [&](const std::string& name, uint32_t want) {
          auto r = call(m, name, {V::i32(static_cast<int32_t>(t.x)), V::i32(static_cast<int32_t>(t.y)),
                                  V::i32(static_cast<int32_t>(t.z))});
          ASSERT_TRUE(r) << name;
          EXPECT_EQ(static_cast<uint32_t>((*r)[0].as_i32()), want) << name;
        };
        uint32_t xy = i32_op(in, t.x, t.y);
        run(p + "L", i32_op(out, xy, t.z));
        run(p + "R", i32_op(out, t.z, xy));
        run(p + "Lc", i32_op(out, xy, k2));
        run(p + "Rc", i32_op(out, k2, xy));
        run(p + "both", i32_op(out, xy, i32_op(in, t.z, 3)));
        run(p + "set_between", i32_op(out, xy, t.z));
        for (size_t j = 0; j < imms.size(); ++j) {
          uint32_t xk = i32_op(in, t.x, imms[j]);
          std::string q = p + std::to_string(j);
          run(q + "Li", i32_op(out, xk, t.z));
          run(q + "Ri", i32_op(out, t.z, xk));
          run(q + "Lic", i32_op(out, xk, k2));
          run(q + "Ric", i32_op(out, k2, xk));
        }
      }
    }
  }
}

// Spec semantics of the f64 operators used here. Each result is rounded on its own, so
// (a * b) + c is never a fused multiply-add.
double f64_op(const std::string& op, double a, double b) {
  volatile double r = 0;
  if (op == "add") r = a + b;
  else if (op == "sub") r = a - b;
  else if (op == "mul") r = a * b;
  else if (op == "div") r = a / b;
  else if (std::isnan(a) || std::isnan(b)) r = std::numeric_limits<double>::quiet_NaN();
  else if (a == 0 && b == 0)  // -0 is below +0 for min and max
    r = op == "min" ? (std::signbit(a) || std::signbit(b) ? -0.0 : 0.0)
                    : (std::signbit(a) && std::signbit(b) ? -0.0 : 0.0);
  else if (op == "min") r = a < b ? a : b;
  else r = a > b ? a : b;
  return r;
}

TEST_F(EngineTest, F64PairsRoundEachStep) {
  const std::vector<std::string> ops = {"add", "sub", "mul", "div", "min", "max"};
  struct Triple { double x, y, z; };
  const std::vector<Triple> inputs = {
      {1.0 + 0x1p-30, 1.0 - 0x1p-30, -1.0},  // x*y rounds to 1; an FMA would give -2^-60
      {0.1, 0.2, 0.3},
      {-0.0, 0.0, -0.0},
      {1e308, 10.0, -1e308},
      {std::numeric_limits<double>::infinity(), 0.0, 1.0},
      {std::numeric_limits<double>::quiet_NaN(), 1.0, 2.0},
  };
  const double k = -2.5;
  std::string wat = "(module\n";
  auto fn = [&](const std::string& name, const std::string& body) {
    wat += "(func (export \"" + name + "\") (param f64 f64 f64) (result f64) " + body + ")\n";
  };
  for (const auto& in : ops) {
    for (const auto& out : ops) {
      std::string p = in + "_" + out + "_";
      std::string xy = "(f64." + in + " (local.get 0) (local.get 1))";
      fn(p + "L", "(f64." + out + " " + xy + " (local.get 2))");
      fn(p + "R", "(f64." + out + " (local.get 2) " + xy + ")");
      fn(p + "Lc", "(f64." + out + " " + xy + " (f64.const -2.5))");
      fn(p + "Rc", "(f64." + out + " (f64.const -2.5) " + xy + ")");
    }
  }
  auto* m = load(wat + ")");
  ASSERT_NE(m, nullptr);
  for (const auto& in : ops) {
    for (const auto& out : ops) {
      for (const Triple& t : inputs) {
        std::string p = in + "_" + out + "_";
        SCOPED_TRACE(p + " " + std::to_string(t.x) + " " + std::to_string(t.y) + " " +
                     std::to_string(t.z));
        auto run = [&](const std::string& name, double want) {
          auto r = call(m, name, {V::f64(t.x), V::f64(t.y), V::f64(t.z)});
          ASSERT_TRUE(r) << name;
          double got = (*r)[0].as_f64();
          if (std::isnan(want)) {
            EXPECT_TRUE(std::isnan(got)) << name << " got " << got;
          } else {
            EXPECT_EQ(std::bit_cast<uint64_t>(got), std::bit_cast<uint64_t>(want))
                << name << " got " << got << " want " << want;
          }
        };
        double xy = f64_op(in, t.x, t.y);
        run(p + "L", f64_op(out, xy, t.z));
        run(p + "R", f64_op(out, t.z, xy));
        run(p + "Lc", f64_op(out, xy, k));
        run(p + "Rc", f64_op(out, k, xy));
      }
    }
  }
}

}  // namespace
}  // namespace lantern::engine
