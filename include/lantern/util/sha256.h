// SHA-256 (FIPS 180-4), for identifying modules in telemetry (the `wasm.module.sha256` attribute).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>

namespace lantern {

std::array<uint8_t, 32> sha256(std::span<const uint8_t> data);
std::string sha256_hex(std::span<const uint8_t> data);

}  // namespace lantern
