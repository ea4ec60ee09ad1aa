#include "stipple/io/files.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <ostream>
#include <iterator>
#include <random>

#include <unistd.h>
#include <fmt/format.h>

namespace stipple::io {

namespace fs = std::filesystem;

Result<std::string> read_input(const std::string& path, std::size_t max_bytes, std::istream& standard_input) {
  std::string data;
  const auto too_big = [&] {
    return input_error(path, "(file)", fmt::format("at most {} bytes", max_bytes),
                       "a larger file");
  };
  if (path == "-") {
    char buffer[65536];
    while (standard_input.read(buffer, sizeof buffer) || standard_input.gcount() > 0) {
      data.append(buffer, static_cast<std::size_t>(standard_input.gcount()));
      if (data.size() > max_bytes) return too_big();
    }
    return data;
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) return input_error(path, "(file)", "a file", "a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return input_error(path, "(file)", "a readable file", std::strerror(errno));
  char buffer[65536];
  while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
    data.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (data.size() > max_bytes) return too_big();
  }
  if (in.bad()) return input_error(path, "(file)", "a readable file", "a read error");
  return data;
}

Result<void> write_output(const std::string& path, std::string_view content, std::ostream& standard_output) {
  if (path == "-") {
    standard_output.write(content.data(), static_cast<std::streamsize>(content.size()));
    standard_output.flush();
    if (!standard_output) return input_error("-", "(output)", "a writable standard output", "a write error");
    return {};
  }
  const fs::path target(path);
  std::error_code ec;
  if (fs::is_directory(target, ec))
    return input_error(path, "(output)", "a file path", "a directory");
  // A unique sibling name, so the rename stays on one file system and is atomic.
  std::random_device rd;
  const fs::path temp = target.parent_path() /
                        fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), rd());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return input_error(path, "(output)", "a writable location", std::strerror(errno));
    out.write(content.data(), static_cast<std::streamsize>(content.size()));
    out.flush();
    if (!out) {
      out.close();
      fs::remove(temp, ec);
      return input_error(path, "(output)", "room to write the file", "a write error");
    }
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return input_error(path, "(output)", "a writable location", ec.message());
  }
  return {};
}

}  // namespace stipple::io
