#include "stipple/io/files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include <sys/stat.h>
#include <unistd.h>

namespace stipple::io {
namespace {

namespace fs = std::filesystem;

// A folder of this test's own: CTest runs the tests of this file in parallel
// processes, so the name carries the test's name and the process id.
fs::path temp_dir() {
  const auto* test = ::testing::UnitTest::GetInstance()->current_test_info();
  const fs::path dir = fs::temp_directory_path() /
                       ("stipple-files-test-" + std::string(test->name()) + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

TEST(Files, WritesAtomicallyAndLeavesNothingBehindOnFailure) {
  const fs::path dir = temp_dir();
  std::ostringstream out;
  const std::string target = (dir / "out.json").string();
  ASSERT_TRUE(write_output(target, "hello\n", out));
  std::ifstream in(target);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "hello");
  // A missing directory fails, and leaves no temporary file anywhere.
  const std::string bad = (dir / "missing" / "out.json").string();
  auto r = write_output(bad, "x", out);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().file, bad);
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir)) files += e.is_regular_file();
  EXPECT_EQ(files, 1u);
  fs::remove_all(dir);
}

// A pipe (like /dev/null, a device) is written in place, never replaced by a
// file: renaming over /dev/null as root would break every program after.
TEST(Files, APipeOrDeviceIsWrittenInPlaceNotReplaced) {
  const fs::path dir = temp_dir();
  const fs::path fifo = dir / "pipe";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string got;
  std::thread reader([&] {
    std::ifstream in(fifo, std::ios::binary);
    got.assign(std::istreambuf_iterator<char>(in), {});
  });
  std::ostringstream out;
  const auto r = write_output(fifo.string(), "through the pipe", out);
  reader.join();
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(got, "through the pipe");
  EXPECT_TRUE(fs::is_fifo(fifo));
  std::size_t entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir)) ++entries;
  EXPECT_EQ(entries, 1u);  // no temporary file left beside it
  fs::remove_all(dir);
}

TEST(Files, DashIsStandardOutputAndInput) {
  std::ostringstream out;
  ASSERT_TRUE(write_output("-", "abc", out));
  EXPECT_EQ(out.str(), "abc");
  std::istringstream in("xyz");
  auto text = read_input("-", 100, in);
  ASSERT_TRUE(text);
  EXPECT_EQ(*text, "xyz");
}

TEST(Files, MissingDirectoriesAndOversizedInputsAreNamed) {
  std::istringstream none;
  auto missing = read_input("/nonexistent/intake.json", 100, none);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().file, "/nonexistent/intake.json");
  auto dir = read_input(fs::temp_directory_path().string(), 100, none);
  ASSERT_FALSE(dir);
  EXPECT_EQ(dir.error().found, "a directory");
  std::istringstream big(std::string(1000, 'x'));
  auto too_big = read_input("-", 100, big);
  ASSERT_FALSE(too_big);
  EXPECT_NE(too_big.error().expected.find("at most 100 bytes"), std::string::npos);
}

}  // namespace
}  // namespace stipple::io
