// stipple/studio/client_fields.h: the fields of a client record over HTTP.
//
// One table, read by the request validator (clients.cpp) and by the OpenAPI
// document (openapi.cpp), so the two cannot disagree.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace stipple::studio {

struct ClientField {
  std::string_view name;
  std::string_view format;   // "" (plain text) | email | phone | date | sex | notes
  bool required;             // on create
  bool nullable;             // null (or "") clears it
  bool clinical;             // owners and practitioners only (routes.h sees_clinical_data)
  std::size_t max_bytes;
  std::string_view description;
};

std::span<const ClientField> client_fields();

// The words of `sex`, as in the intake.
inline constexpr std::string_view kSexWords[] = {"male", "female", "other"};

}  // namespace stipple::studio
