// Consent: GET/POST /api/v1/consent-templates, POST/GET /api/v1/clients/{id}/consents,
// GET /api/v1/consents/{id}, GET /api/v1/consents/{id}/signature.png,
// PATCH /api/v1/consents/{id} (withdrawal), GET /api/v1/marketing-photos.
//
// The clinic keeps one text per kind of consent (store/consents.h) and every
// version of it; saving a changed text makes a new version. A client signs the
// newest version on a tablet: the typed name and a drawn signature, with the
// exact text, its SHA-256, the version, the time, the device's address and
// browser kept as they were. A newer treatment text needs signing again before
// the next session (the diary's consent gate); withdrawing consent to the
// marketing use of photos takes them out of GET /api/v1/marketing-photos at once.
#include <algorithm>
#include <filesystem>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "stipple/io/files.h"
#include "stipple/photo/codec.h"
#include "stipple/photo/image.h"
#include "stipple/store/clients.h"
#include "stipple/store/consents.h"
#include "stipple/store/crypto.h"
#include "stipple/store/photos.h"
#include "stipple/studio/body.h"
#include "stipple/studio/consents.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/server.h"

namespace stipple::studio {

namespace fs = std::filesystem;

namespace {

using Json = io::Json;

constexpr std::size_t kMaxSignatureBytes = 256 * 1024;  // a tablet's drawn signature is 5-40 KiB
constexpr int kMaxSignatureSide = 4096;
constexpr int kMinInkPixels = 40;  // a few strokes, not an empty pad or a dot

Json template_json(const store::ConsentTemplate& t) {
  return {{"id", t.id},         {"kind", t.kind},     {"version", t.version},       {"title", t.title},
          {"body", t.body},     {"sha256", t.sha256}, {"created_by", t.created_by}, {"created_at", rfc3339(t.created_at)}};
}

Json consent_json(const store::Consent& c, int latest_version) {
  return {{"id", c.id},
          {"client_id", c.client_id},
          {"template_id", c.template_id},
          {"kind", c.kind},
          {"version", c.version},
          {"latest_version", latest_version},
          {"state", c.withdrawn_at ? "withdrawn" : c.version < latest_version ? "outdated" : "signed"},
          {"title", c.title},
          {"text", c.text},
          {"text_sha256", c.text_sha256},
          {"signer_name", c.signer_name},
          {"signature_url", "/api/v1/consents/" + c.id + "/signature.png"},
          {"signature_sha256", c.signature_sha256},
          {"ip", c.ip},
          {"user_agent", c.user_agent},
          {"witnessed_by", c.witnessed_by},
          {"signed_at", rfc3339(c.signed_at)},
          {"withdrawn_at", c.withdrawn_at ? Json(rfc3339(*c.withdrawn_at)) : Json(nullptr)},
          {"withdrawn_by", c.withdrawn_by.empty() ? Json(nullptr) : Json(c.withdrawn_by)},
          {"withdraw_reason", c.withdraw_reason}};
}

bool known_kind(std::string_view kind) {
  return std::find(std::begin(store::kConsentKinds), std::end(store::kConsentKinds), kind) != std::end(store::kConsentKinds);
}

// Printable ASCII of a header, for a record that must read back as it was sent.
std::string printable(std::string_view text) {
  std::string out;
  for (char ch : text) out += ch >= 0x20 && ch < 0x7f ? ch : '?';
  return out;
}

// The drawn signature: a PNG (base64, optionally a data: URL) within bounds
// of bytes and pixels, read header first, with ink on it. An error message
// in the CLI's words, or the PNG's bytes.
std::expected<std::string, std::string> signature_png(std::string_view text) {
  constexpr std::string_view kPrefix = "data:image/png;base64,";
  if (text.starts_with(kPrefix)) text.remove_prefix(kPrefix.size());
  std::string bytes(text.size() * 3 / 4 + 3, '\0');
  std::size_t length = 0;
  if (text.size() > kMaxSignatureBytes * 4 / 3 + 4 ||
      store::base64_decode(text, bytes, length) == false)
    return std::unexpected(fmt::format("expected a PNG of at most {} KiB in base64, found {}", kMaxSignatureBytes / 1024,
                                       text.size() > kMaxSignatureBytes * 4 / 3 + 4 ? "more" : "text that is not base64"));
  bytes.resize(length);
  photo::ImageLimits limits;
  limits.max_bytes = kMaxSignatureBytes;
  limits.max_side = kMaxSignatureSide;
  limits.max_pixels = 4'000'000;
  auto header = photo::read_image_header(bytes, "signature", limits, photo::kind_bit(photo::ImageKind::png));
  if (!header) return std::unexpected(header.error().message());
  const cv::Mat image = photo::decode_png(bytes, true);
  if (image.empty()) return std::unexpected("expected a PNG that decodes, found one that does not");
  int ink = 0;
  for (int y = 0; y < image.rows; ++y)
    for (int x = 0; x < image.cols; ++x) {
      const cv::Vec4b p = image.at<cv::Vec4b>(y, x);
      ink += p[3] > 128 && (p[0] + p[1] + p[2]) < 3 * 128;
    }
  if (ink < kMinInkPixels) return std::unexpected("expected a drawn signature, found an empty pad");
  return bytes;
}

}  // namespace

store::StoreResult<store::Consent> save_consent(store::Database& db, const std::string& data_dir, std::string_view png, store::Consent c) {
  if (!store::init_crypto()) return std::unexpected(store::StoreError{store::StoreError::Code::internal, "no randomness for an id"});
  c.signature_size = static_cast<long long>(png.size());
  c.signature_sha256 = store::sha256_hex(png);
  const std::string folder = "consents/" + c.client_id;
  c.signature_path = folder + "/" + store::random_id() + ".png";
  const fs::path root(data_dir);
  std::error_code ec;
  fs::create_directories(root / folder, ec);
  std::ostringstream unused;
  if (auto w = io::write_output((root / c.signature_path).string(), png, unused); !w)
    return std::unexpected(store::StoreError{store::StoreError::Code::internal, "the signature could not be written: " + w.error().message()});
  auto recorded = store::record_consent(db, c);
  if (!recorded) fs::remove(root / c.signature_path, ec);
  return recorded;
}

std::optional<ConsentState> current_consent(store::Database& db, std::string_view client_id, std::string_view kind) {
  auto list = store::consents_of(db, client_id);
  auto latest = store::latest_consent_template(db, kind);
  if (!list || !latest) return std::nullopt;
  ConsentState s;
  s.latest_version = *latest ? (*latest)->version : 0;
  for (const store::Consent& c : *list)
    if (c.kind == kind) {
      s.consent = c;  // the newest first
      break;
    }
  return s;
}

Reply list_consent_templates(Context& ctx, const Request&) {
  auto all = store::list_consent_templates(ctx.db);
  if (!all) return store_problem(all.error());
  Json list = Json::array(), latest = Json::object();
  for (std::string_view k : store::kConsentKinds) latest[std::string(k)] = nullptr;
  for (const store::ConsentTemplate& t : *all) {
    list.push_back(template_json(t));
    if (latest[t.kind].is_null()) latest[t.kind] = template_json(t);  // newest version first
  }
  return json_reply(200, {{"templates", std::move(list)}, {"latest", std::move(latest)}});
}

Reply get_consent_template(Context& ctx, const Request& req) {
  auto t = store::find_consent_template(ctx.db, req.path_params.at("id"));
  if (!t) return store_problem(t.error());
  return json_reply(200, template_json(*t));
}

Reply post_consent_template(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"kind", "title", "body"};
  FieldReader r(*body, kKnown);
  const TextField kind = r.text("kind", true, false, 40);
  const TextField title = r.text("title", true, false, 200);
  const TextField text = r.text("body", true, false, 64 * 1024, true);
  if (kind.state == TextField::State::value && !known_kind(kind.value))
    r.error("kind", fmt::format("expected treatment, clinical_photos or marketing_photos, found '{}'", kind.value.substr(0, 40)));
  if (title.state == TextField::State::value && title.value.find_first_not_of(' ') == std::string::npos)
    r.error("title", "expected a title, found an empty one");
  if (text.state == TextField::State::value && text.value.find_first_not_of(" \n") == std::string::npos)
    r.error("body", "expected the consent's text, found nothing");
  if (!r.ok()) return r.problem_reply();
  auto latest = store::latest_consent_template(ctx.db, kind.value);
  if (!latest) return store_problem(latest.error());
  // Spaces at the ends of lines or of the text change nothing a client reads: not a new version.
  const auto plain = [](std::string_view t) {
    std::string out, line;
    for (std::size_t i = 0; i <= t.size(); ++i) {
      if (i == t.size() || t[i] == '\n') {
        line.erase(line.find_last_not_of(" \t\r") + 1);
        out += line + "\n";
        line.clear();
      } else {
        line += t[i];
      }
    }
    out.erase(out.find_last_not_of("\n ") + 1);
    out.erase(0, out.find_first_not_of("\n "));
    return out;
  };
  if (*latest && plain((*latest)->body) == plain(text.value) && plain((*latest)->title) == plain(title.value))
    return problem(409, problem_type::conflict, "the text is the current version's",
                   {{"body", fmt::format("expected a changed text, found version {}'s as it is", (*latest)->version)}});
  auto added = store::add_consent_template(ctx.db, kind.value, title.value, text.value, req.session->user.id, ctx.now);
  if (!added) {
    if (added.error().code == store::StoreError::Code::conflict)
      return problem(409, problem_type::conflict, "another version was saved at the same moment; read the texts again",
                     {{"body", "expected the newest version, found a newer one saved meanwhile"}});
    return store_problem(added.error());
  }
  Reply reply = json_reply(201, template_json(*added));
  reply.headers.emplace_back("Location", "/api/v1/consent-templates/" + added->id);
  return reply;
}

Reply post_consent(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"template_id", "signer_name", "signature_png"};
  FieldReader r(*body, kKnown);
  const TextField template_id = r.text("template_id", true, false, 64);
  const TextField signer = r.text("signer_name", true, false, 200);
  const TextField signature = r.text("signature_png", true, false, kMaxSignatureBytes * 4 / 3 + 64);
  if (signer.state == TextField::State::value && signer.value.find_first_not_of(' ') == std::string::npos)
    r.error("signer_name", "expected the signer's name as they type it, found nothing");
  std::string png;
  if (signature.state == TextField::State::value) {
    auto read = signature_png(signature.value);
    if (!read) r.error("signature_png", read.error());
    else png = std::move(*read);
  }
  if (!r.ok()) return r.problem_reply();
  auto t = store::find_consent_template(ctx.db, template_id.value);
  if (!t)
    return problem(422, problem_type::unprocessable, "the consent names no template",
                   {{"template_id", fmt::format("expected the id of a consent text, found '{}'", template_id.value.substr(0, 40))}});
  store::Consent c;
  c.client_id = client_id;
  c.template_id = t->id;
  c.signer_name = signer.value;
  c.ip = printable(req.ip);
  c.user_agent = printable(req.user_agent);
  c.witnessed_by = req.session->user.id;
  c.signed_at = ctx.now;
  auto recorded = save_consent(ctx.db, ctx.config.data_dir, png, c);
  if (!recorded) {
    if (recorded.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::conflict, "a newer version of this consent is to be signed",
                     {{"template_id", "expected the newest version of the consent's text, found an older one: read the texts again"}});
    return store_problem(recorded.error());
  }
  Reply reply = json_reply(201, consent_json(*recorded, recorded->version));
  reply.headers.emplace_back("Location", "/api/v1/consents/" + recorded->id);
  reply.audit = AuditNote{"create", "consent", client_id, fmt::format("{} version {}", recorded->kind, recorded->version)};
  return reply;
}

Reply list_consents(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto list = store::consents_of(ctx.db, client_id);
  if (!list) return store_problem(list.error());
  Json consents = Json::array(), needed = Json::object();
  std::map<std::string, int> latest;
  for (std::string_view k : store::kConsentKinds) {
    auto t = store::latest_consent_template(ctx.db, k);
    if (!t) return store_problem(t.error());
    latest[std::string(k)] = *t ? (*t)->version : 0;
  }
  std::set<std::string> seen;  // kinds whose newest consent is listed (newest first)
  for (const store::Consent& c : *list) {
    Json j = consent_json(c, latest[c.kind]);
    if (!seen.insert(c.kind).second && !c.withdrawn_at) j["state"] = "replaced";  // a later signature of the kind stands instead
    consents.push_back(std::move(j));
  }
  for (std::string_view k : store::kConsentKinds) {
    const std::string kind(k);
    const store::Consent* newest = nullptr;
    for (const store::Consent& c : *list)
      if (c.kind == kind && !newest) newest = &c;  // the newest first
    std::string state = !newest ? "missing" : newest->withdrawn_at ? "withdrawn" : newest->version < latest[kind] ? "outdated" : "signed";
    if (latest[kind] == 0 && !newest) state = "no_text";
    needed[kind] = {{"state", state}, {"latest_version", latest[kind]}, {"consent_id", newest ? Json(newest->id) : Json(nullptr)}};
  }
  Reply reply = json_reply(200, {{"consents", std::move(consents)}, {"by_kind", std::move(needed)}});
  reply.audit = AuditNote{"read", "consents", client_id};
  return reply;
}

Reply get_consent(Context& ctx, const Request& req) {
  auto c = store::find_consent(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  auto t = store::latest_consent_template(ctx.db, c->kind);
  if (!t) return store_problem(t.error());
  Reply reply = json_reply(200, consent_json(*c, *t ? (*t)->version : c->version));
  reply.audit = AuditNote{"read", "consent", c->client_id};
  return reply;
}

Reply get_consent_signature(Context& ctx, const Request& req) {
  auto c = store::find_consent(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  std::istringstream none;
  auto bytes = io::read_input((fs::path(ctx.config.data_dir) / c->signature_path).string(), kMaxSignatureBytes, none);
  if (!bytes || store::sha256_hex(*bytes) != c->signature_sha256)
    return problem(500, "", "the signature's file is missing or changed; the error is logged");
  Reply reply;
  reply.status = 200;
  reply.raw = std::move(*bytes);
  reply.raw_type = "image/png";
  reply.audit = AuditNote{"read", "consent signature", c->client_id};
  return reply;
}

Reply withdraw_consent(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"withdraw_reason"};
  FieldReader r(*body, kKnown);
  const TextField reason = r.text("withdraw_reason", true, false, 2000, true);
  if (reason.state == TextField::State::value && reason.value.find_first_not_of(" \n") == std::string::npos)
    r.error("withdraw_reason", "expected how the client withdrew it (\"by email on 3 March\"), found nothing");
  if (!r.ok()) return r.problem_reply();
  auto done = store::withdraw_consent(ctx.db, req.path_params.at("id"), req.session->user.id, reason.value, ctx.now);
  if (!done) {
    if (done.error().code == store::StoreError::Code::stale)
      return problem(409, problem_type::conflict, "the consent was withdrawn already",
                     {{"withdraw_reason", "expected a consent in force, found one withdrawn already"}});
    return store_problem(done.error());
  }
  auto t = store::latest_consent_template(ctx.db, done->kind);
  if (!t) return store_problem(t.error());
  Reply reply = json_reply(200, consent_json(*done, *t ? (*t)->version : done->version));
  reply.audit = AuditNote{"update", "consent", done->client_id, fmt::format("withdrawn: {}", reason.value)};
  return reply;
}

Reply list_marketing_photos(Context& ctx, const Request&) {
  auto in_force = store::consents_in_force(ctx.db, "marketing_photos");
  if (!in_force) return store_problem(in_force.error());
  Json list = Json::array();
  for (const store::Consent& c : *in_force) {
    auto photos = store::photos_of_client(ctx.db, c.client_id, 500);
    if (!photos) return store_problem(photos.error());
    for (const store::Photo& p : *photos)
      list.push_back({{"id", p.id},
                      {"client_id", c.client_id},
                      {"kind", p.kind},
                      {"view", p.view},
                      {"session", p.session == 0 ? Json(nullptr) : Json(p.session)},
                      {"taken_on", p.taken_on.empty() ? Json(nullptr) : Json(p.taken_on)},
                      {"url", "/api/v1/photos/" + p.id},
                      {"thumbnail_url", "/api/v1/photos/" + p.id + "/thumbnail"},
                      {"consent_id", c.id}});
  }
  return json_reply(200, {{"photos", std::move(list)}});
}

}  // namespace stipple::studio
