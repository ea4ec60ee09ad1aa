#include "stipple/studio/web_files.h"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include <fmt/format.h>

namespace stipple::studio {

namespace fs = std::filesystem;

std::string_view content_type_for(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> kTypes{{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".webp", "image/webp"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".txt", "text/plain; charset=utf-8"},
      {".webmanifest", "application/manifest+json"},
  }};
  const auto dot = name.rfind('.');
  if (dot != std::string_view::npos)
    for (const auto& [ext, type] : kTypes)
      if (name.substr(dot) == ext) return type;
  return "application/octet-stream";
}

Result<WebFiles> WebFiles::load(const std::string& dir) {
  const auto refuse = [&](std::string expected, std::string found) {
    return input_error("--web", "", std::move(expected), fmt::format("'{}'{}", dir, found));
  };
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return refuse("the folder of the built UI (make web writes web/dist)", " (not a folder)");
  WebFiles web;
  std::size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, fs::directory_options::none, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
    if (web.files_.size() >= kMaxFiles) return refuse(fmt::format("at most {} files", kMaxFiles), " (more)");
    std::ifstream in(it->path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return refuse("readable files", fmt::format(" ({} could not be read)", it->path().string()));
    total += content.size();
    if (total > kMaxTotalBytes) return refuse(fmt::format("at most {} MiB of files", kMaxTotalBytes >> 20), " (more)");
    std::string url(1, '/');
    url += fs::relative(it->path(), dir, ec).generic_string();
    WebFile f;
    f.content_type = std::string(content_type_for(url));
    // Vite names what it builds under assets/ by a hash of the content: such a
    // file never changes, so a browser keeps it; index.html is asked again each time.
    f.cache_control = url.starts_with("/assets/") ? "public, max-age=31536000, immutable" : "no-cache";
    f.content = std::move(content);
    web.files_.emplace(url, std::move(f));
  }
  if (ec) return refuse("a readable folder", fmt::format(" ({})", ec.message()));
  if (!web.files_.contains("/index.html")) return refuse("the folder of the built UI, with index.html", " (no index.html)");
  return web;
}

const WebFile* WebFiles::find(std::string_view path) const {
  if (path.empty() || path.front() != '/') return nullptr;
  if (auto it = files_.find(path); it != files_.end()) return &it->second;
  const std::string_view last = path.substr(path.rfind('/') + 1);
  if (last.find('.') != std::string_view::npos) return nullptr;
  return &files_.find(std::string_view("/index.html"))->second;
}

}  // namespace stipple::studio
