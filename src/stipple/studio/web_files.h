// stipple/studio/web_files.h: the browser UI's built files (web/dist), served by `stipple serve`.
//
// The whole folder is read into memory once, at start-up, so a request never
// touches the file system: a URL path can only name a file that was there, and
// ".." or a symbolic link cannot lead outside it. The UI is a single-page
// application (React Router): a GET of any other path outside /api/ answers
// index.html, and the UI's router shows the page, so a bookmarked or reloaded
// /clients/ID works. A path that looks like a file (its last segment has a dot,
// as /assets/index-3f2a.js) is never answered with index.html: a missing asset
// is a 404, not a page parsed as a script.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "stipple/core/error.h"

namespace stipple::studio {

struct WebFile {
  std::string content;
  std::string content_type;   // from the extension (text/html; charset=utf-8, text/javascript, ...)
  std::string cache_control;  // hashed assets: a year, immutable; everything else: no-cache
};

class WebFiles {
 public:
  // Bounds of what is read: a UI build is well under a megabyte.
  static constexpr std::size_t kMaxFiles = 2000;
  static constexpr std::size_t kMaxTotalBytes = std::size_t{64} << 20;

  // Reads every regular file under `dir` (symbolic links are not followed).
  // Errors name --web: a missing folder, one without index.html, or one over
  // the bounds above.
  static Result<WebFiles> load(const std::string& dir);

  // The file a GET of `path` answers (decoded, starting with "/"), or null for
  // a 404. "/" is index.html; so is any path whose last segment has no dot.
  const WebFile* find(std::string_view path) const;

  std::size_t size() const { return files_.size(); }

 private:
  std::map<std::string, WebFile, std::less<>> files_;  // "/index.html", "/assets/x.js"
};

// The Content-Type of a file name by its extension; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view name);

}  // namespace stipple::studio
