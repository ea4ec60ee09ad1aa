// tests/child_process.h: the `stipple` executable (STIPPLE_BINARY) run in a child
// process by the end-to-end tests, with its stdin from a string and its stdout
// and stderr in files of a scratch folder of this test process.
#pragma once

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace stipple::testing {

struct Outcome {
  int code = -1;  // the exit code, or 128 + the signal that ended it; -1 when it never started
  std::string out, err;
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// A folder of this process's own (tests run in parallel processes), made once.
inline std::filesystem::path scratch() {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("stipple-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  return dir;
}

// Starts stipple with `args`, stdin from `input`, stdout and stderr into
// scratch()/TAG.out and TAG.err. Returns the child's pid, -1 when it could not start.
inline pid_t spawn_stipple(const std::vector<std::string>& args, const std::string& input, const std::string& tag) {
  const auto in = scratch() / (tag + ".in"), out = scratch() / (tag + ".out"), err = scratch() / (tag + ".err");
  std::ofstream(in, std::ios::binary) << input;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, in.c_str(), O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> all = {STIPPLE_BINARY};
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, STIPPLE_BINARY, &actions, nullptr, argv.data(), environ) != 0) pid = -1;
  posix_spawn_file_actions_destroy(&actions);
  return pid;
}

// Waits for the child; its exit code, or 128 + the signal that ended it.
inline int wait_for(pid_t pid) {
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// Runs stipple with `args` to the end, feeding `input` on stdin.
inline Outcome run_stipple(const std::vector<std::string>& args, const std::string& input = "") {
  Outcome r;
  const pid_t pid = spawn_stipple(args, input, "run");
  if (pid < 0) return r;
  r.code = wait_for(pid);
  r.out = slurp(scratch() / "run.out");
  r.err = slurp(scratch() / "run.err");
  return r;
}

}  // namespace stipple::testing
