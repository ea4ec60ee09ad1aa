#include "stipple/studio/documents.h"

#include <filesystem>
#include <sstream>

#include "stipple/io/files.h"
#include "stipple/store/crypto.h"

namespace stipple::studio {

std::string document_name_of_key(std::string_view key) {
  if (key == "ics") return "calendar.ics";
  return std::string(key);
}

std::string_view document_content_type(std::string_view name) {
  if (name.ends_with(".pdf")) return "application/pdf";
  if (name.ends_with(".ics")) return "text/calendar; charset=utf-8";
  if (name.ends_with(".png")) return "image/png";
  if (name.ends_with(".json")) return "application/json";
  if (name.ends_with(".csv")) return "text/csv; charset=utf-8";
  if (name.ends_with(".txt")) return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

std::string document_url(std::string_view consultation_id, std::string_view name) {
  const std::string base = "/api/v1/consultations/" + std::string(consultation_id);
  if (name == "report.pdf" || name == "calendar.ics") return base + "/" + std::string(name);
  if (name == "quote.json") return base + "/quote";
  return base + "/documents/" + std::string(name);
}

store::StoreResult<std::string> read_document(const std::string& data_dir, const store::Document& d) {
  std::istringstream none;
  auto bytes = io::read_input((std::filesystem::path(data_dir) / d.path).string(), std::size_t{1} << 31, none);
  if (!bytes) return store::store_error(store::StoreError::Code::unavailable, "document " + d.id + " cannot be read");
  if (static_cast<long long>(bytes->size()) != d.size || store::sha256_hex(*bytes) != d.sha256)
    return store::store_error(store::StoreError::Code::internal, "document " + d.id + " is not the bytes stored (size or SHA-256)");
  return std::move(*bytes);
}

}  // namespace stipple::studio
