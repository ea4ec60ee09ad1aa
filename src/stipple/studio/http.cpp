#include "stipple/studio/http.h"

#include <ctime>

#include <fmt/format.h>

namespace stipple::studio {

std::string_view status_title(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 409: return "Conflict";
    case 413: return "Content Too Large";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Error";
  }
}

Reply problem(int status, std::string_view type, std::string detail, std::vector<FieldError> errors) {
  Reply r;
  r.status = status;
  r.is_problem = true;
  r.body = io::Json::object();
  r.body["type"] = type.empty() ? std::string("about:blank") : std::string(type);
  r.body["title"] = std::string(status_title(status));
  r.body["status"] = status;
  r.body["detail"] = std::move(detail);
  io::Json list = io::Json::array();
  for (FieldError& e : errors) list.push_back({{"field", std::move(e.field)}, {"message", std::move(e.message)}});
  r.body["errors"] = std::move(list);
  return r;
}

Reply json_reply(int status, io::Json body) {
  Reply r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

Reply bytes_reply(std::string bytes, std::string media_type) {
  Reply r;
  r.raw = std::move(bytes);
  r.raw_type = std::move(media_type);
  return r;
}

Reply store_problem(const store::StoreError& e) {
  using Code = store::StoreError::Code;
  switch (e.code) {
    case Code::not_found: return problem(404, "", "no such resource");
    case Code::conflict: return problem(409, problem_type::conflict, "the request conflicts with what is stored");
    case Code::stale: return problem(409, problem_type::stale_version, e.message);
    case Code::unavailable: return problem(503, "", "the database is unavailable; try again");
    case Code::invalid: return problem(400, problem_type::invalid_request, e.message);
    case Code::internal: break;
  }
  return problem(500, "", "the server failed; the error is logged");
}

std::string rfc3339(store::TimeMs ms) {
  const std::time_t s = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&s, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
}

}  // namespace stipple::studio
