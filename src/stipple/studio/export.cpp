// GET /api/v1/clients/{id}/export: a client's whole record as one ZIP file
// (libzip, in memory): what a clinic hands over when a client asks for their
// data, or keeps when it archives a record.
//
//   manifest.json                         what is inside, with each file's size and SHA-256
//   client.json                           the record, clinical notes included
//   intakes/ID.json                       every intake as it was taken (stipple.intake/1)
//   consultations/ID/consultation.json    each consultation's state, assessment and override
//   consultations/ID/NAME                 every document it made (report.pdf, calendar.ics, ...)
//   photos/photos.json, photos/ID.jpg     every photo as stored (upright, without metadata)
//   audit.json                            who read and wrote this record, and whether the chain holds
//
// Pictures and PDFs are stored as they are (already compressed); text is deflated.
#include <fmt/format.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include "stipple/store/audit.h"
#include "stipple/store/clients.h"
#include "stipple/store/consultations.h"
#include "stipple/store/crypto.h"
#include "stipple/store/intakes.h"
#include "stipple/store/photos.h"
#include "stipple/studio/documents.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/server.h"

namespace stipple::studio {

namespace {

using io::Json;

// An archive being written into memory.
class ZipWriter {
 public:
  ZipWriter() {
    zip_error_t error;
    zip_error_init(&error);
    source_ = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (source_) archive_ = zip_open_from_source(source_, ZIP_TRUNCATE, &error);
    if (source_) zip_source_keep(source_);  // read back after zip_close
    zip_error_fini(&error);
  }
  ~ZipWriter() {
    if (archive_) zip_discard(archive_);
    if (source_) zip_source_free(source_);
  }
  ZipWriter(const ZipWriter&) = delete;
  ZipWriter& operator=(const ZipWriter&) = delete;

  // Adds `name` with `bytes` (kept alive by this writer until finish()).
  bool add(const std::string& name, std::string bytes, bool compress) {
    if (!archive_) return false;
    manifest_.push_back({{"name", name}, {"size", bytes.size()}, {"sha256", store::sha256_hex(bytes)}});
    kept_.push_back(std::make_unique<std::string>(std::move(bytes)));
    zip_source_t* s = zip_source_buffer(archive_, kept_.back()->data(), kept_.back()->size(), 0);
    if (!s) return false;
    const zip_int64_t index = zip_file_add(archive_, name.c_str(), s, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (index < 0) {
      zip_source_free(s);
      return false;
    }
    return zip_set_file_compression(archive_, static_cast<zip_uint64_t>(index), compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0) == 0;
  }
  bool add_json(const std::string& name, const Json& j) { return add(name, io::dump_document(j), true); }

  const Json& manifest() const { return manifest_; }

  // Closes the archive; its bytes, or "" when it could not be written.
  std::string finish() {
    if (!archive_ || zip_close(archive_) != 0) return {};
    archive_ = nullptr;
    std::string out;
    zip_stat_t st;
    if (zip_source_stat(source_, &st) != 0 || zip_source_open(source_) != 0) return {};
    out.resize(static_cast<std::size_t>(st.size));
    const zip_int64_t n = zip_source_read(source_, out.data(), st.size);
    zip_source_close(source_);
    if (n < 0 || static_cast<zip_uint64_t>(n) != st.size) return {};
    return out;
  }

 private:
  zip_source_t* source_ = nullptr;
  zip_t* archive_ = nullptr;
  std::vector<std::unique_ptr<std::string>> kept_;
  Json manifest_ = Json::array();
};

bool compressible(std::string_view name) {
  return !(name.ends_with(".png") || name.ends_with(".jpg") || name.ends_with(".pdf") || name.ends_with(".webp"));
}

std::optional<std::string> read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace

Reply export_client(Context& ctx, const Request& req) {
  const std::string& id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, id);
  if (!client) return store_problem(client.error());
  ZipWriter zip;
  const auto failed = [] { return problem(500, "", "the export could not be written; the error is logged"); };
  if (!zip.add_json("client.json", {{"id", client->id},
                                    {"name", client->name},
                                    {"email", client->email},
                                    {"phone", client->phone},
                                    {"date_of_birth", client->date_of_birth},
                                    {"sex", client->sex},
                                    {"notes", client->notes},
                                    {"created_at", rfc3339(client->created_at)},
                                    {"updated_at", rfc3339(client->updated_at)},
                                    {"version", client->version}}))
    return failed();

  auto intakes = store::intakes_of_client(ctx.db, id, 100);
  if (!intakes) return store_problem(intakes.error());
  for (const store::StoredIntake& listed : *intakes) {
    auto in = store::find_intake(ctx.db, listed.id);
    if (!in) return store_problem(in.error());
    if (!zip.add("intakes/" + in->id + ".json", in->document, true)) return failed();
  }

  auto consultations = store::consultations_of_client(ctx.db, id, 100);
  if (!consultations) return store_problem(consultations.error());
  for (const store::Consultation& c : *consultations) {
    Json j = {{"id", c.id},
              {"intake_id", c.intake_id},
              {"status", c.status},
              {"start_date", c.start_date},
              {"planned", c.planned},
              {"created_at", rfc3339(c.created_at)},
              {"created_by", c.created_by}};
    if (!c.error.empty()) j["error"] = c.error;
    if (!c.assessment.empty()) j["assessment"] = Json::parse(c.assessment, nullptr, false);
    if (!c.override_reason.empty()) j["override"] = {{"reason", c.override_reason}, {"applied", c.overridden}};
    const std::string folder = "consultations/" + c.id + "/";
    if (!zip.add_json(folder + "consultation.json", j)) return failed();
    auto docs = store::documents_of(ctx.db, c.id);
    if (!docs) return store_problem(docs.error());
    for (const store::Document& d : *docs) {
      auto bytes = read_document(ctx.config.data_dir, d);
      if (!bytes) return problem(500, "", "a document of the record cannot be read; the error is logged");
      if (!zip.add(folder + d.name, std::move(*bytes), compressible(d.name))) return failed();
    }
  }

  auto photos = store::photos_of_client(ctx.db, id, 500);
  if (!photos) return store_problem(photos.error());
  Json photo_list = Json::array();
  for (const store::Photo& p : *photos) {
    auto bytes = read_file(std::filesystem::path(ctx.config.data_dir) / p.path);
    if (!bytes || store::sha256_hex(*bytes) != p.sha256)
      return problem(500, "", "a photo of the record cannot be read; the error is logged");
    const std::string name = "photos/" + std::filesystem::path(p.path).filename().string();
    photo_list.push_back({{"id", p.id},
                          {"file", name},
                          {"kind", p.kind},
                          {"view", p.view},
                          {"session", p.session == 0 ? Json() : Json(p.session)},
                          {"taken_on", p.taken_on.empty() ? Json() : Json(p.taken_on)},
                          {"width", p.width},
                          {"height", p.height},
                          {"created_at", rfc3339(p.created_at)},
                          {"created_by", p.created_by}});
    if (!zip.add(name, std::move(*bytes), false)) return failed();
  }
  if (!zip.add_json("photos/photos.json", photo_list)) return failed();

  auto audit = store::audit_for_client(ctx.db, id, 1000);
  if (!audit) return store_problem(audit.error());
  auto chain = store::verify_audit_chain(ctx.db);
  if (!chain) return store_problem(chain.error());
  Json entries = Json::array();
  for (const store::AuditEntry& e : *audit)
    entries.push_back({{"at", rfc3339(e.at)}, {"user_id", e.user_id}, {"action", e.action}, {"resource", e.resource}, {"ip", e.ip}});
  if (!zip.add_json("audit.json", {{"entries", entries}, {"chain_intact", chain->first_bad_seq == 0}})) return failed();

  const Json manifest = {{"format", "stipple.client-export/1"},
                         {"client_id", client->id},
                         {"exported_at", rfc3339(ctx.now)},
                         {"exported_by", req.session->user.id},
                         {"files", zip.manifest()}};
  if (!zip.add_json("manifest.json", manifest)) return failed();
  std::string bytes = zip.finish();
  if (bytes.empty()) return failed();
  Reply r = bytes_reply(std::move(bytes), "application/zip");
  // The file name carries no name of the client: it is a download that may sit in a shared folder.
  r.headers.emplace_back("Content-Disposition", fmt::format("attachment; filename=\"client-{}.zip\"", client->id));
  r.audit = AuditNote{"export", "client", id};
  return r;
}

}  // namespace stipple::studio
