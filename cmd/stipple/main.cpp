#include <unistd.h>

#include <iostream>

#include "stipple/cli.h"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  return stipple::cli::run(std::vector<std::string>(argv + 1, argv + argc), {std::cin, std::cout, std::cerr, {}, isatty(STDERR_FILENO) == 1});
}
