// Expands the PATH arguments of `lantern spectest` into a list of .json files.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "lantern/spectest/runner.h"

namespace lantern::spectest {

Expected<std::vector<std::string>> collect_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& path : paths) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      std::vector<std::string> found;
      for (const auto& entry : fs::directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".json") {
          found.push_back(entry.path().string());
        }
      }
      if (ec) return make_error(Phase::Io, "cannot list " + path + ": " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(path, ec)) {
      files.push_back(path);
    } else {
      return make_error(Phase::Io, "no such file or directory: " + path);
    }
  }
  return files;
}

}  // namespace lantern::spectest
