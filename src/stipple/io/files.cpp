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

#include <fcntl.h>
#include <unistd.h>
#include <fmt/format.h>

namespace stipple::io {

namespace fs = std::filesystem;

namespace {
// Writes all of `content` to `fd`, resuming after partial writes and signals.
bool write_all_fd(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    content.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}
}  // namespace

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
  const fs::file_status st = fs::status(target, ec);
  if (fs::is_directory(st)) return input_error(path, "(output)", "a file path", "a directory");
  // A device, a pipe or a socket (/dev/null, /dev/stdout, a FIFO) is written
  // in place: renaming a file over it would replace the device itself.
  if (fs::exists(st) && !fs::is_regular_file(st)) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return input_error(path, "(output)", "a writable location", std::strerror(errno));
    const bool ok = write_all_fd(fd, content);
    const int saved = errno;
    ::close(fd);
    if (!ok) return input_error(path, "(output)", "room to write the file", std::strerror(saved));
    return {};
  }
  // A unique sibling name, so the rename stays on one file system and is
  // atomic; the data reaches the disk (fsync) before the rename, and the
  // rename before we return (the folder's fsync), so a crash leaves either
  // the old file or the whole new one.
  std::random_device rd;
  const fs::path temp = target.parent_path() /
                        fmt::format(".{}.tmp-{}-{}", target.filename().string(), ::getpid(), rd());
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return input_error(path, "(output)", "a writable location", std::strerror(errno));
  const bool written = write_all_fd(fd, content) && ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!written) {
    fs::remove(temp, ec);
    return input_error(path, "(output)", "room to write the file", std::strerror(saved));
  }
  fs::rename(temp, target, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temp, ignored);
    return input_error(path, "(output)", "a writable location", ec.message());
  }
  const fs::path folder = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  if (const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir >= 0) {
    ::fsync(dir);  // best effort: some file systems refuse fsync on a folder
    ::close(dir);
  }
  return {};
}

}  // namespace stipple::io
