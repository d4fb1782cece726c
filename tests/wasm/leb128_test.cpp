// LEB128: values at the edges of each width, the spec's "too long" / "too large" rules and
// write/read round trips.
#include "lantern/wasm/leb128.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace lantern::wasm {
namespace {

struct UCase {
  std::vector<uint8_t> bytes;
  unsigned bits;
  LebError error;
  uint64_t value;
};

TEST(Leb128, ReadsUnsigned) {
  const std::vector<UCase> cases = {
      {{0x00}, 32, LebError::None, 0},
      {{0x7F}, 32, LebError::None, 127},
      {{0x80, 0x01}, 32, LebError::None, 128},
      {{0xE5, 0x8E, 0x26}, 32, LebError::None, 624485},
      {{0x80, 0x80, 0x80, 0x80, 0x00}, 32, LebError::None, 0},  // padded zero is fine
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 32, LebError::None, 0xFFFFFFFFu},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, 32, LebError::TooLarge, 0},
      {{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, LebError::TooLong, 0},
      {{0x80, 0x80}, 32, LebError::UnexpectedEnd, 0},
      {{}, 32, LebError::UnexpectedEnd, 0},
      {{0x01}, 1, LebError::None, 1},
      {{0x02}, 1, LebError::TooLarge, 0},
      {{0x81, 0x00}, 1, LebError::TooLong, 0},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}, 64, LebError::None,
       std::numeric_limits<uint64_t>::max()},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}, 64, LebError::TooLarge, 0},
  };
  for (const auto& c : cases) {
    size_t pos = 0;
    uint64_t value = 12345;
    EXPECT_EQ(read_uleb(c.bytes, pos, c.bits, value), c.error) << testing::PrintToString(c.bytes);
    if (c.error == LebError::None) {
      EXPECT_EQ(value, c.value);
      EXPECT_EQ(pos, c.bytes.size());
    }
  }
}

struct SCase {
  std::vector<uint8_t> bytes;
  unsigned bits;
  LebError error;
  int64_t value;
};

TEST(Leb128, ReadsSigned) {
  const std::vector<SCase> cases = {
      {{0x00}, 32, LebError::None, 0},
      {{0x7F}, 32, LebError::None, -1},
      {{0x3F}, 32, LebError::None, 63},
      {{0x40}, 32, LebError::None, -64},
      {{0xC0, 0x00}, 32, LebError::None, 64},
      {{0xBF, 0x7F}, 32, LebError::None, -65},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x07}, 32, LebError::None, std::numeric_limits<int32_t>::max()},
      {{0x80, 0x80, 0x80, 0x80, 0x78}, 32, LebError::None, std::numeric_limits<int32_t>::min()},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 32, LebError::None, -1},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 32, LebError::TooLarge, 0},  // sign bits disagree
      {{0x80, 0x80, 0x80, 0x80, 0x70}, 32, LebError::TooLarge, 0},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, 32, LebError::TooLong, 0},
      {{0xFF}, 32, LebError::UnexpectedEnd, 0},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0x0F}, 33, LebError::None, 0xFFFFFFFFll},
      {{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00}, 64, LebError::None,
       std::numeric_limits<int64_t>::max()},
      {{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7F}, 64, LebError::None,
       std::numeric_limits<int64_t>::min()},
      {{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, 64, LebError::TooLarge, 0},
  };
  for (const auto& c : cases) {
    size_t pos = 0;
    int64_t value = 12345;
    EXPECT_EQ(read_sleb(c.bytes, pos, c.bits, value), c.error) << testing::PrintToString(c.bytes);
    if (c.error == LebError::None) {
      EXPECT_EQ(value, c.value) << testing::PrintToString(c.bytes);
      EXPECT_EQ(pos, c.bytes.size());
    }
  }
}

TEST(Leb128, WritesMinimalEncodings) {
  std::vector<uint8_t> out;
  write_uleb(out, 624485);
  EXPECT_EQ(out, (std::vector<uint8_t>{0xE5, 0x8E, 0x26}));
  out.clear();
  write_sleb(out, -123456);
  EXPECT_EQ(out, (std::vector<uint8_t>{0xC0, 0xBB, 0x78}));
  out.clear();
  write_sleb(out, 64);
  EXPECT_EQ(out, (std::vector<uint8_t>{0xC0, 0x00}));
  out.clear();
  write_uleb(out, 0);
  EXPECT_EQ(out, (std::vector<uint8_t>{0x00}));
}

TEST(Leb128, RoundTripsEdgeValues) {
  const int64_t signed_values[] = {0, 1, -1, 63, 64, -64, -65, 8191, -8193,
                                   std::numeric_limits<int32_t>::min(),
                                   std::numeric_limits<int32_t>::max(),
                                   std::numeric_limits<int64_t>::min(),
                                   std::numeric_limits<int64_t>::max()};
  for (int64_t v : signed_values) {
    std::vector<uint8_t> out;
    write_sleb(out, v);
    size_t pos = 0;
    int64_t back = 0;
    ASSERT_EQ(read_sleb(out, pos, 64, back), LebError::None);
    EXPECT_EQ(back, v);
  }
  for (uint64_t v = 1; v != 0; v <<= 1) {
    for (uint64_t x : {v - 1, v, v + 1}) {
      std::vector<uint8_t> out;
      write_uleb(out, x);
      size_t pos = 0;
      uint64_t back = 0;
      ASSERT_EQ(read_uleb(out, pos, 64, back), LebError::None);
      EXPECT_EQ(back, x);
    }
  }
}

}  // namespace
}  // namespace lantern::wasm
