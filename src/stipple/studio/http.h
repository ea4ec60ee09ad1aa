// stipple/studio/http.h: what a handler sees of a request and what it answers.
//
// Handlers are plain functions from a Request to a Reply, with no HTTP library
// in sight: the server (server.h) matches the route, checks the session and
// the role, calls the handler, writes the audit entry and the response. Errors
// are RFC 9457 problem details (application/problem+json):
//   {"type": URI, "title": ..., "status": N, "detail": ..., "errors": [{"field", "message"}]}
// with field paths written as the CLI writes them ("date_of_birth", "line 1, column 9").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "stipple/io/json_document.h"
#include "stipple/store/database.h"
#include "stipple/store/sessions.h"

namespace stipple::studio {

struct ServeConfig;

struct Request {
  std::string method;                               // GET, POST, ...
  std::string path;                                 // without the query
  std::map<std::string, std::string> path_params;   // {id} of the route's pattern
  std::multimap<std::string, std::string> query;    // decoded
  std::string body;
  std::string content_type;
  std::string ip;                                   // the peer's address
  std::string user_agent;                           // the User-Agent header, at most 300 bytes (a signed consent's device)
  std::string session_token;                        // the session cookie's value, "" when none was sent
  std::optional<store::SessionInfo> session;        // set when the token names a live session
};

// One entry of a problem's errors[]: the field path and what was wrong with it.
struct FieldError {
  std::string field;
  std::string message;
};

// What a handler touched of a client's health data, for the audit log.
struct AuditNote {
  std::string action;     // read | create | update | override | export
  std::string resource;   // client | intake | consultation | document | photo | photos | photo thumbnail
  std::string client_id;
  std::string detail = {};  // "" or, e.g., an override's reason
};

struct Reply {
  int status = 200;
  io::Json body;                 // the JSON body; null for none (204)
  std::string json_text;         // when not empty: the body, already serialised JSON (sent instead of `body`)
  bool is_problem = false;       // body is a problem (application/problem+json)
  std::string raw;               // with raw_type: the body as bytes (a PDF, a PNG, a calendar)
  std::string raw_type;          // the media type of `raw`; "" when the body is JSON
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<AuditNote> audit;  // required of a 2xx reply on an audited route
};

// The problem types this server answers with, besides about:blank (a plain status).
namespace problem_type {
inline constexpr std::string_view invalid_request = "urn:stipple:problem:invalid-request";    // 400
inline constexpr std::string_view not_signed_in = "urn:stipple:problem:not-signed-in";        // 401
inline constexpr std::string_view forbidden = "urn:stipple:problem:forbidden";                // 403, role
inline constexpr std::string_view missing_header = "urn:stipple:problem:missing-x-requested-with";  // 403, CSRF
inline constexpr std::string_view stale_version = "urn:stipple:problem:stale-version";        // 409
inline constexpr std::string_view conflict = "urn:stipple:problem:conflict";                  // 409
inline constexpr std::string_view too_large = "urn:stipple:problem:too-large";                // 413
inline constexpr std::string_view unprocessable = "urn:stipple:problem:unprocessable";        // 422, e.g. a photo that is not one
inline constexpr std::string_view too_many_attempts = "urn:stipple:problem:too-many-attempts";  // 429
}  // namespace problem_type

// The reason phrase of an HTTP status ("Not Found"), "Error" for one we never send.
std::string_view status_title(int status);

// A problem reply: type about:blank when `type` is empty (the title is then the status's).
Reply problem(int status, std::string_view type, std::string detail, std::vector<FieldError> errors = {});

// A JSON reply.
Reply json_reply(int status, io::Json body);

// A 200 reply of `bytes` as `media_type`.
Reply bytes_reply(std::string bytes, std::string media_type);

// A StoreError as a problem: not_found 404, conflict/stale 409, unavailable 503, internal 500.
Reply store_problem(const store::StoreError& e);

// Milliseconds since the epoch as RFC 3339 UTC with milliseconds: "2027-03-01T09:30:00.000Z".
std::string rfc3339(store::TimeMs ms);

}  // namespace stipple::studio
