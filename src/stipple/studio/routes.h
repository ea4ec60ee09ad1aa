// stipple/studio/routes.h: every endpoint and who may call it, in one table.
//
// The table is the studio's access rule: for each method and path pattern, the
// roles allowed (none named: no sign-in needed), and whether the endpoint
// touches a client's health data (then every successful call is written to the
// audit log). The server enforces exactly this table before any handler runs,
// the OpenAPI document is generated from it, and the tests walk it role by role.
//
//   route                          sign-in  owner practitioner front_desk  audited
//   GET    /healthz                 no
//   GET    /api/v1/openapi.json     no
//   POST   /api/v1/session          no
//   DELETE /api/v1/session          yes      yes     yes         yes
//   GET    /api/v1/me               yes      yes     yes         yes
//   GET    /api/v1/clients          yes      yes     yes         yes
//   POST   /api/v1/clients          yes      yes     yes         yes         yes
//   GET    /api/v1/clients/{id}     yes      yes     yes         yes         yes
//   PATCH  /api/v1/clients/{id}     yes      yes     yes         yes         yes
//   GET    /api/v1/audit            yes      yes
//   GET    /api/v1/clinic           yes      yes     yes         yes
//   PUT    /api/v1/clinic           yes      yes
//   GET    /api/v1/clinic/versions  yes      yes
//   GET    /api/v1/clinic/versions/{version}  yes  yes
//   POST   /api/v1/clients/{id}/intakes              yes  yes  yes               yes
//   GET    /api/v1/clients/{id}/intakes              yes  yes  yes               yes
//   GET    /api/v1/intakes/{id}                      yes  yes  yes               yes
//   POST   /api/v1/clients/{id}/consultations        yes  yes  yes               yes
//   GET    /api/v1/clients/{id}/consultations        yes  yes  yes  yes (no clinical parts)  yes
//   GET    /api/v1/consultations/{id}                yes  yes  yes               yes
//   GET    /api/v1/consultations/{id}/status         yes  yes  yes
//   GET    /api/v1/consultations/{id}/report.pdf     yes  yes  yes               yes
//   GET    /api/v1/consultations/{id}/calendar.ics   yes  yes  yes  yes          yes
//   GET    /api/v1/consultations/{id}/quote          yes  yes  yes  yes          yes
//   GET    /api/v1/consultations/{id}/documents/{name} yes yes yes               yes
//   POST   /api/v1/clients/{id}/photos               yes  yes  yes               yes   (a 32 MiB body)
//   GET    /api/v1/clients/{id}/photos               yes  yes  yes               yes
//   GET    /api/v1/clients/{id}/export               yes  yes  yes               yes
//   GET    /api/v1/photos/{id}                       yes  yes  yes               yes
//   GET    /api/v1/photos/{id}/thumbnail             yes  yes  yes               yes
//   POST   /api/v1/clients/{id}/patch-tests          yes  yes  yes               yes
//   GET    /api/v1/clients/{id}/patch-tests          yes  yes  yes               yes
//   GET    /api/v1/patch-tests/{id}                  yes  yes  yes               yes
//   PATCH  /api/v1/patch-tests/{id}                  yes  yes  yes               yes
//   GET    /api/v1/chairs                            yes  yes  yes  yes
//   POST   /api/v1/chairs                            yes  yes
//   GET    /api/v1/practitioners                     yes  yes  yes  yes
//   GET    /api/v1/appointments                      yes  yes  yes  yes
//   POST   /api/v1/appointments                      yes  yes  yes  yes
//   GET    /api/v1/appointments/{id}                 yes  yes  yes  yes
//   PATCH  /api/v1/appointments/{id}                 yes  yes  yes  yes
//   GET    /api/v1/credentials                       yes  yes  yes  yes
//   POST   /api/v1/credentials                       yes  yes
//   PATCH  /api/v1/credentials/{id}                  yes  yes
//   GET    /api/v1/consent-templates                 yes  yes  yes  yes
//   POST   /api/v1/consent-templates                 yes  yes
//   GET    /api/v1/consent-templates/{id}            yes  yes  yes  yes
//   POST   /api/v1/clients/{id}/consents             yes  yes  yes  yes          yes
//   GET    /api/v1/clients/{id}/consents             yes  yes  yes  yes          yes
//   GET    /api/v1/consents/{id}                     yes  yes  yes  yes          yes
//   GET    /api/v1/consents/{id}/signature.png       yes  yes  yes  yes          yes
//   PATCH  /api/v1/consents/{id}                     yes  yes  yes  yes          yes
//   GET    /api/v1/marketing-photos                  yes  yes
//   GET    /api/v1/lots                              yes  yes  yes  yes
//   POST   /api/v1/lots                              yes  yes  yes
//   GET    /api/v1/lots/{id}                         yes  yes  yes  yes
//   GET    /api/v1/lots/{id}/recipients              yes  yes  yes  yes
//   POST   /api/v1/clients/{id}/charts               yes  yes  yes               yes
//   GET    /api/v1/clients/{id}/charts               yes  yes  yes               yes
//   GET    /api/v1/charts/{id}                       yes  yes  yes               yes
//   PATCH  /api/v1/charts/{id}                       yes  yes  yes               yes
//   POST   /api/v1/charts/{id}/signature             yes  yes  yes               yes
//   POST   /api/v1/charts/{id}/amendments            yes  yes  yes               yes
//   GET    /api/v1/reports/recalls                   yes  yes  yes  yes
//   GET    /api/v1/reports/sessions                  yes  yes  yes
//
// Within a route the one finer rule is sees_clinical_data(): front_desk gets a
// client's contact details but not the clinical notes, and may not write them.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "stipple/store/users.h"
#include "stipple/studio/http.h"

namespace stipple::studio {

struct ServeConfig;
class JobQueue;

// What a handler works with; one per request.
struct Context {
  store::Database& db;
  const ServeConfig& config;
  store::TimeMs now;
  JobQueue* jobs = nullptr;  // where a new consultation is queued
};

using Handler = Reply (*)(Context&, const Request&);

inline constexpr unsigned kOwner = 1u << 0;
inline constexpr unsigned kPractitioner = 1u << 1;
inline constexpr unsigned kFrontDesk = 1u << 2;
inline constexpr unsigned kEveryRole = kOwner | kPractitioner | kFrontDesk;
inline constexpr unsigned kClinical = kOwner | kPractitioner;  // clinical records: not front_desk

// A query parameter, for validation and the OpenAPI document.
struct QueryParam {
  std::string_view name;
  std::string_view type;  // "string" | "integer"
  bool required;
  std::string_view description;
};

// What the OpenAPI document says of a route beyond the access rule.
struct RouteDoc {
  std::string_view operation_id;
  std::string_view summary;
  int success_status;                 // 200, 201, 204
  std::string_view request_schema;    // a components/schemas name, "" for no body
  std::string_view response_schema;   // a components/schemas name, "" for no body; with a '/': a media type (bytes)
  std::vector<QueryParam> query;
  std::vector<int> statuses;          // the route's own error statuses (409, 429, ...)
};

struct Route {
  std::string_view method;   // GET, POST, PATCH, DELETE
  std::string_view pattern;  // "/api/v1/clients/{id}": {name} matches one non-empty segment
  bool sign_in;              // false: anyone, signed in or not
  unsigned roles;            // with sign_in: the roles allowed (kOwner | ...)
  bool health_data;          // touches a client's health data: audited
  Handler handler;
  RouteDoc doc;
  std::size_t max_body_bytes = 0;  // the largest body it takes; 0: ServeConfig::max_body_bytes (JSON documents)
};

// The table, in the order of the comment above.
const std::vector<Route>& routes();

// True when `role` may call `route` (always, for a route without sign-in).
bool role_allowed(const Route& route, store::Role role);

// Owners and practitioners see and write clinical data; front_desk does not.
bool sees_clinical_data(store::Role role);

struct RouteMatch {
  const Route* route = nullptr;                     // null: no route for this method
  std::map<std::string, std::string> params;
  std::vector<std::string_view> methods_for_path;   // every method the path has (for 405's Allow)
};

// The route for `method` and `path` (a path with no route at all: route null
// and methods_for_path empty, 404; a path with other methods only: 405).
RouteMatch match_route(std::string_view method, std::string_view path);

}  // namespace stipple::studio
