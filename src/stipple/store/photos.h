// stipple/store/photos.h: a client's photos.
//
// A photo is stored as the studio normalised it (studio/photos.cpp): turned
// upright, every byte of metadata gone (EXIF with its GPS position, XMP, ICC),
// re-encoded, with a small thumbnail beside it. Its bytes live in the studio's
// data folder at `path` and `thumbnail_path` (relative to it), written before
// the row, which keeps their size and SHA-256. Thread-safe.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::store {

// When a photo was taken, in the clinic's words (STUDIO.md: kind=...).
inline constexpr std::array<std::string_view, 5> kPhotoKinds = {"consultation", "before", "after", "session", "touch_up"};
// From which side (STUDIO.md: view=...).
inline constexpr std::array<std::string_view, 5> kPhotoViews = {"top", "front", "left", "right", "back"};

struct Photo {
  std::string id;
  std::string client_id;
  std::string kind;            // kPhotoKinds
  std::string view;            // kPhotoViews
  int session = 0;             // the session it follows or shows (kind after or session), 0 when none
  std::string taken_on;        // YYYY-MM-DD as the uploader said, "" when not said
  std::string content_type;    // image/jpeg or image/png
  int width = 0, height = 0;   // pixels, upright
  long long size = 0;          // bytes of the stored picture
  std::string sha256;          // hex, of the stored picture
  std::string path;            // relative to the data folder
  std::string thumbnail_path;  // relative to the data folder; a JPEG
  std::string source_type;     // what was uploaded: image/jpeg, image/png, image/webp, image/heic
  std::string created_by;      // a user id
  TimeMs created_at = 0;
};

// Stores the row of a photo whose files are written (id, client_id and
// created_at are the caller's). Errors: not_found when the client does not exist.
StoreResult<Photo> create_photo(Database& db, const Photo& photo);

// Errors: not_found.
StoreResult<Photo> find_photo(Database& db, std::string_view id);

// The client's photos, newest first, at most `limit` (clamped to 1..500).
StoreResult<std::vector<Photo>> photos_of_client(Database& db, std::string_view client_id, int limit);

}  // namespace stipple::store
