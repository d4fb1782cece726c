#include "lantern/util/sha256.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace lantern::testing {
namespace {

std::string hash(std::string_view s) {
  return sha256_hex({reinterpret_cast<const uint8_t*>(s.data()), s.size()});
}

TEST(Sha256, StandardVectors) {
  EXPECT_EQ(hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Every length around the block and padding boundaries, against coreutils' sha256sum.
TEST(Sha256, MatchesSha256sumAtEveryBoundary) {
  std::string path = temp_dir() + "/sha_input";
  for (size_t len : {1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 1000, 100000}) {
    std::string data;
    for (size_t i = 0; i < len; ++i) data += static_cast<char>((i * 131 + 7) & 0xFF);
    std::ofstream(path, std::ios::binary) << data;
    std::string output;
    ASSERT_EQ(run_command("sha256sum " + path, output), 0);
    EXPECT_EQ(hash(data), output.substr(0, 64)) << "length " << len;
  }
}

}  // namespace
}  // namespace lantern::testing
