// The studio over real HTTP: a real Server on an ephemeral port, in a thread of
// this process, on a real database (SQLite here, PostgreSQL through
// tools/pg-test.sh), spoken to with httplib::Client.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <random>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>
#include <sodium.h>
#include <soci/soci.h>
#include <zip.h>

#include "stipple/cli.h"
#include "stipple/plan/plan.h"
#include "stipple/store/audit.h"
#include "stipple/store/charts.h"
#include "stipple/store/clients.h"
#include "stipple/store/consents.h"
#include "stipple/store/consultations.h"
#include "stipple/store/credentials.h"
#include "stipple/store/crypto.h"
#include "stipple/store/diary.h"
#include "stipple/store/patch_tests.h"
#include "stipple/store/intakes.h"
#include "stipple/store/photos.h"
#include "stipple/store/sessions.h"
#include "stipple/store/settings.h"
#include "stipple/store/test_databases.h"
#include "stipple/store/users.h"
#include "stipple/studio/body.h"
#include "stipple/studio/demo_clinic.h"
#include "stipple/studio/diary.h"
#include "test_images.h"
#include "test_photos.h"
#include "stipple/studio/openapi.h"
#include "stipple/studio/routes.h"
#include "stipple/studio/server.h"
#include "stipple/studio/settings.h"

namespace stipple::studio {
namespace {

using store::Backend;
using store::Role;
using Json = nlohmann::json;

constexpr std::string_view kPassword = "correct horse battery";
constexpr store::TimeMs kStart = 1'800'000'000'000;  // 2027-01-15

struct Response {
  int status = 0;
  Json body;
  std::string content_type;
  httplib::Headers headers;
  std::string raw;  // the body as received
  std::string header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

// Who sends a request: a cookie (or none) and whether the CSRF header goes along.
struct As {
  std::string cookie;
  bool csrf_header = true;
};

class StudioTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = store::testing::open_migrated(tdb_, 8);
    ASSERT_NE(db_, nullptr);
    for (Role r : {Role::owner, Role::practitioner, Role::front_desk}) {
      auto u = store::create_user(*db_, {fmt::format("{}@clinic.example", to_string(r)),
                                         fmt::format("The {}", to_string(r)), r, std::string(kPassword)});
      ASSERT_TRUE(u.has_value()) << u.error().message;
      users_[r] = *u;
    }
    data_dir_ = std::filesystem::temp_directory_path() / ("stipple-test-data-" + store::random_id());
    start_server();
  }
  void TearDown() override {
    stop_server();
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }
  // A server on the fixture's database and data folder, serving in a thread.
  void start_server() {
    ServeConfig config;
    config.host = "127.0.0.1";
    config.port = 0;
    config.data_dir = data_dir_.string();
    config.sign_in.max_failures_per_ip = 8;  // a quick test; the default is 20
    config.max_body_bytes = 64 * 1024;
    config.clock = [this] { return now_.load(); };
    // Consultations run the real engine, with small pictures and no diagrams: a few seconds each.
    config.engine.step = cli::run_step;
    config.engine.picture_px = 96;
    config.engine.sheet_px = 64;
    config.engine.diagrams = false;
    config.engine.threads = 1;
    server_ = std::make_unique<Server>(*db_, config);
    auto port = server_->bind();
    ASSERT_TRUE(port.has_value()) << port.error().message();
    port_ = *port;
    thread_ = std::thread([this] { server_->run(); });
    while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  void stop_server() {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  Response send(std::string method, std::string path, const As& as, std::string body = "",
                std::string content_type = "application/json", httplib::Headers extra = {}) {
    httplib::Client cli("127.0.0.1", port_);
    httplib::Request req;
    req.method = std::move(method);
    req.path = std::move(path);
    req.headers = std::move(extra);
    if (!as.cookie.empty()) req.headers.emplace("Cookie", as.cookie);
    if (as.csrf_header) req.headers.emplace("X-Requested-With", "stipple");
    if (!body.empty() || req.method == "POST" || req.method == "PATCH") {
      req.body = std::move(body);
      req.headers.emplace("Content-Type", content_type);
    }
    auto res = cli.send(req);
    Response out;
    if (!res) {
      ADD_FAILURE() << "no response: " << httplib::to_string(res.error());
      return out;
    }
    out.status = res->status;
    out.headers = res->headers;
    out.content_type = res->get_header_value("Content-Type");
    out.raw = res->body;
    out.body = res->body.empty() ? Json() : Json::parse(res->body, nullptr, false);
    return out;
  }

  // The session cookie of a real sign-in, "stipple_session=TOKEN".
  std::string sign_in(Role r, const std::string& planted_cookie = "") {
    const Response res = send("POST", "/api/v1/session", {planted_cookie},
                              Json{{"email", users_[r].email}, {"password", kPassword}}.dump());
    EXPECT_EQ(res.status, 201) << res.body.dump();
    return cookie_of(res);
  }
  static std::string cookie_of(const Response& res) {
    const std::string set = res.header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }
  // A session made in the store directly (no password hashing: the role matrix needs many).
  std::string session_for(Role r) {
    return fmt::format("{}={}", kSessionCookie, store::create_session(*db_, users_[r].id, "127.0.0.1", now_).value());
  }
  std::string new_client(const std::string& name = "Ada Client") {
    store::Client c;
    c.name = name;
    c.sex = "female";
    c.notes = "crown thinning, patch test done";
    return store::create_client(*db_, c, now_).value().id;
  }
  // The credentials to treat (brief section 9), valid through 2027 and 2028:
  // the owner's and the practitioner's licence and training, the clinic's permit.
  void record_credentials(const std::string& from = "2026-01-01", const std::string& to = "2028-12-31") {
    for (Role r : {Role::owner, Role::practitioner})
      for (std::string_view kind : store::kPractitionerCredentialKinds) {
        store::Credential c{"", users_[r].id, std::string(kind), "N-1", "", from, to, users_[Role::owner].id};
        ASSERT_TRUE(store::add_credential(*db_, c, now_));
      }
    store::Credential permit{"", "", "health_permit", "HP-1", "", from, to, users_[Role::owner].id};
    ASSERT_TRUE(store::add_credential(*db_, permit, now_));
  }
  // A finished consultation of the client whose assessment summary is
  // `summary` (as the engine's, consult/pipeline.h), without running the engine.
  void record_assessment(const std::string& client, const Json& summary = {{"blocked", false}, {"holds", Json::array()}},
                         bool overridden = false) {
    now_ += 1000;  // the latest consultation is the newest: one second apart
    const std::string intake =
        store::create_intake(*db_, client, example("sample-client.intake.json"), users_[Role::practitioner].id, now_).value().id;
    const std::string id =
        store::create_consultation(*db_, {client, intake, "2027-01-16", "", users_[Role::practitioner].id}, now_).value().id;
    ASSERT_TRUE(store::claim_consultation(*db_, id, now_).value());
    ASSERT_TRUE(store::set_consultation_assessment(*db_, id, summary.dump(), !summary.value("blocked", false) || overridden, overridden, now_));
    ASSERT_TRUE(store::finish_consultation(*db_, id, {}, now_));
  }
  // A drawn signature as a tablet's canvas sends it: a PNG, in base64, of dark
  // strokes on a transparent pad.
  static std::string signature_png(bool with_ink = true) {
    cv::Mat pad(120, 400, CV_8UC4, cv::Scalar(0, 0, 0, 0));
    if (with_ink)
      for (int x = 20; x < 380; ++x) {
        const int y = 60 + static_cast<int>(30 * std::sin(x / 25.0));
        cv::circle(pad, {x, y}, 2, cv::Scalar(20, 20, 20, 255), -1);
      }
    std::vector<uchar> png;
    cv::imencode(".png", pad, png);
    std::string bytes(png.begin(), png.end()), out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(std::strlen(out.c_str()));
    return "data:image/png;base64," + out;
  }
  // The clinic's consent texts (version 1 of each kind, when it has none) and
  // the client's signatures on their newest versions, recorded in the store.
  void record_consents(const std::string& client,
                       std::initializer_list<std::string_view> kinds = {"treatment", "clinical_photos"}) {
    for (std::string_view kind : kinds) {
      auto latest = store::latest_consent_template(*db_, kind).value();
      if (!latest)
        latest = store::add_consent_template(*db_, kind, fmt::format("Consent: {}", kind),
                                             fmt::format("I agree to {} at this clinic.", kind), users_[Role::owner].id, now_)
                     .value();
      store::Consent c;
      c.client_id = client;
      c.template_id = latest->id;
      c.signer_name = "Signer";
      c.signature_path = "consents/none.png";
      c.signature_sha256 = std::string(64, '0');
      c.witnessed_by = users_[Role::front_desk].id;
      c.signed_at = now_;
      ASSERT_TRUE(store::record_consent(*db_, c));
    }
  }
  // A patch test placed 30 hours ago and read passed an hour ago.
  void record_passed_patch_test(const std::string& client) {
    store::PatchTest pt;
    pt.client_id = client;
    pt.placed_at = now_ - 30 * 3'600'000LL;
    pt.placed_by = users_[Role::practitioner].id;
    pt.pigment = "Carbon black";
    pt.lot = "CB-1";
    const std::string id = store::place_patch_test(*db_, pt, now_).value().id;
    ASSERT_TRUE(store::read_patch_test(*db_, id, "passed", now_ - 3'600'000, pt.placed_by, ""));
  }
  static void expect_problem(const Response& r, int status, std::string_view field = "", std::string_view needle = "") {
    EXPECT_EQ(r.status, status) << r.body.dump();
    EXPECT_EQ(r.content_type, "application/problem+json");
    ASSERT_TRUE(r.body.is_object()) << r.body.dump();
    for (const char* k : {"type", "title", "status", "detail", "errors"}) EXPECT_TRUE(r.body.contains(k)) << k;
    EXPECT_EQ(r.body.value("status", 0), status);
    if (field.empty() && needle.empty()) return;
    bool found = false;
    for (const Json& e : r.body["errors"])
      if (e["field"] == field && e["message"].get<std::string>().find(needle) != std::string::npos) found = true;
    EXPECT_TRUE(found) << "no error for field '" << field << "' saying '" << needle << "' in " << r.body.dump();
  }

  // A file of docs/examples.
  static std::string example(const std::string& name) {
    std::ifstream in(std::string(STIPPLE_SOURCE_DIR) + "/docs/examples/" + name, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    EXPECT_FALSE(text.str().empty()) << name;
    return text.str();
  }
  // Takes an intake for `client`; the client's record is first given the intake's sex (the
  // examples are men and women; a test client is made a woman), as the studio requires.
  std::string post_intake(const std::string& client, const std::string& text, const std::string& cookie) {
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_object() && doc.contains("client") && doc["client"].contains("sex")) {
      const auto c = store::find_client(*db_, client);
      if (c && c->sex != doc["client"]["sex"]) {
        store::ClientChanges change;
        change.sex = doc["client"]["sex"].get<std::string>();
        EXPECT_TRUE(store::update_client(*db_, client, c->version, change, now_).has_value());
      }
    }
    const Response r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, text);
    EXPECT_EQ(r.status, 201) << r.body.dump();
    return r.body.value("id", "");
  }
  std::string start_consultation(const std::string& client, const std::string& intake, const std::string& cookie,
                                 Json extra = Json::object()) {
    extra["intake_id"] = intake;
    if (!extra.contains("start_date")) extra["start_date"] = "2027-03-01";
    const Response r = send("POST", "/api/v1/clients/" + client + "/consultations", {cookie}, extra.dump());
    EXPECT_EQ(r.status, 202) << r.body.dump();
    EXPECT_EQ(r.body.value("status", ""), "queued");
    return r.body.value("id", "");
  }
  // Waits until the consultation is done or failed, then reads it over HTTP. It
  // watches the row, not the API: each GET would be one more audit entry.
  // Every progress seen goes to `progress`.
  Json wait_for(const std::string& id, const std::string& cookie, std::vector<double>* progress = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(4);
    while (std::chrono::steady_clock::now() < deadline) {
      auto c = store::find_consultation(*db_, id);
      EXPECT_TRUE(c.has_value());
      if (!c) return Json();
      if (progress) progress->push_back(c->progress);
      if (c->status == "done" || c->status == "failed") {
        const Response r = send("GET", "/api/v1/consultations/" + id, {cookie});
        EXPECT_EQ(r.status, 200) << r.body.dump();
        return r.body;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "consultation " << id << " did not finish in time";
    return Json();
  }
  // POST /api/v1/clients/{client}/photos?QUERY with the picture's bytes.
  Response upload(const std::string& client, const std::string& query, std::string bytes, const std::string& type,
                  const std::string& cookie) {
    return send("POST", "/api/v1/clients/" + client + "/photos?" + query, {cookie}, std::move(bytes), type);
  }
  std::vector<store::AuditEntry> audit_of(const std::string& client) { return store::audit_for_client(*db_, client, 1000).value(); }

  store::testing::TestDatabase tdb_{GetParam()};
  std::unique_ptr<store::Database> db_;
  std::map<Role, store::User> users_;
  std::atomic<store::TimeMs> now_{kStart};
  std::unique_ptr<Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::filesystem::path data_dir_;
};

INSTANTIATE_TEST_SUITE_P(Backends, StudioTest, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         store::testing::backend_name);

// Every route of the table, for every role and for no session: allowed, or 401/403.
TEST_P(StudioTest, RoleMatrixFollowsTheRouteTableForEveryRouteAndRole) {
  const std::string client = new_client();
  record_consents(client);
  // A finished consultation, so that every document route has something to serve.
  const std::string practitioner = session_for(Role::practitioner);
  const std::string intake = post_intake(client, example("sample-client.intake.json"), practitioner);
  const std::string consultation = start_consultation(client, intake, practitioner);
  ASSERT_EQ(wait_for(consultation, practitioner).value("status", ""), "done");
  const std::string c = "/api/v1/consultations/" + consultation;
  const std::string declined = post_intake(client, example("keloid-decline.intake.json"), practitioner);
  const std::string photo = upload(client, "kind=before&view=top", testing::encode_image(testing::half_red_picture(), ".jpg"),
                                   "image/jpeg", practitioner).body.value("id", "");
  ASSERT_FALSE(photo.empty());
  int made = 0, booked = 0;
  store::Appointment a;
  a.client_id = client;
  a.practitioner_id = users_[Role::owner].id;
  a.kind = "consultation";
  a.start = kStart + 3 * 86'400'000;
  a.end = a.start + 3'600'000;
  a.created_by = users_[Role::owner].id;
  const std::string appointment = store::book_appointment(*db_, a, kStart).value().id;
  store::PatchTest pt;
  pt.client_id = client;
  pt.placed_at = kStart - 86'400'000;
  pt.placed_by = users_[Role::practitioner].id;
  pt.pigment = "Carbon black";
  pt.lot = "L-0";
  const std::string patch_test = store::place_patch_test(*db_, pt, kStart).value().id;
  const std::string signature = signature_png();
  const std::string consent_text = store::latest_consent_template(*db_, "treatment").value()->id;
  const Response signed_one = send("POST", "/api/v1/clients/" + client + "/consents", {session_for(Role::front_desk)},
                                   Json{{"template_id", consent_text}, {"signer_name", "Ada Client"}, {"signature_png", signature}}.dump());
  ASSERT_EQ(signed_one.status, 201) << signed_one.body.dump();
  const std::string signed_consent = signed_one.body["id"];
  const std::string pigment_lot =
      store::add_lot(*db_, {"", "pigment", "Carbon black SMP", "CB-2027-01", "2028-06-30", "25%", users_[Role::owner].id}, now_).value().id;
  const std::string needle_lot =
      store::add_lot(*db_, {"", "needle", "Microblade cartridge", "NC-884", "2029-01-31", "1RL 0.30 mm", users_[Role::owner].id}, now_)
          .value()
          .id;
  struct Sample {
    std::string path, body, type = "application/json";
  };
  // A complete draft chart of the client, by `by` (the signer must be the one who charted).
  const auto draft_chart = [&](Role by) {
    store::Chart ch;
    ch.client_id = client;
    ch.practitioner_id = ch.created_by = users_[by].id;
    ch.session_number = 1;
    ch.zones = "hairline, crown";
    ch.started_at = now_ - 3 * 3'600'000LL;
    ch.ended_at = now_ - 3'600'000LL;
    ch.cartridges_opened_in_front = ch.gloves = ch.barrier_film = ch.surfaces_disinfected = true;
    ch.lots = {{pigment_lot, "pigment"}, {needle_lot, "needle"}};
    return store::create_chart(*db_, ch, now_).value();
  };
  const auto sample = [&](const Route& r, std::optional<Role> as = std::nullopt) -> std::optional<Sample> {
    const std::string_view op = r.doc.operation_id;
    if (op == "getHealth") return Sample{"/healthz", ""};
    if (op == "getOpenApi") return Sample{"/api/v1/openapi.json", ""};
    if (op == "signIn")
      return Sample{"/api/v1/session", Json{{"email", users_[Role::owner].email}, {"password", kPassword}}.dump()};
    if (op == "signOut") return Sample{"/api/v1/session", ""};
    if (op == "getMe") return Sample{"/api/v1/me", ""};
    if (op == "listClients") return Sample{"/api/v1/clients?q=ada&limit=5", ""};
    if (op == "createClient") return Sample{"/api/v1/clients", R"({"name": "New Client", "sex": "male"})"};
    if (op == "getClient") return Sample{"/api/v1/clients/" + client, ""};
    if (op == "updateClient") {
      const int v = store::find_client(*db_, client).value().version;
      return Sample{"/api/v1/clients/" + client, Json{{"version", v}, {"phone", "+1 555 0100"}}.dump()};
    }
    if (op == "getAudit") return Sample{"/api/v1/audit?client=" + client, ""};
    if (op == "getClinic") return Sample{"/api/v1/clinic", ""};
    if (op == "saveClinic") {  // the settings in force, saved again as the next version
      Json body = send("GET", "/api/v1/clinic", {session_for(Role::owner)}).body;
      for (const char* key : {"saved_at", "saved_by", "saved_by_name", "today"}) body.erase(key);
      return Sample{"/api/v1/clinic", body.dump()};
    }
    if (op == "listClinicVersions") return Sample{"/api/v1/clinic/versions", ""};
    if (op == "getClinicVersion") return Sample{"/api/v1/clinic/versions/0", ""};
    if (op == "createIntake") return Sample{"/api/v1/clients/" + client + "/intakes", example("sample-client.intake.json")};
    if (op == "listIntakes") return Sample{"/api/v1/clients/" + client + "/intakes", ""};
    if (op == "getIntake") return Sample{"/api/v1/intakes/" + intake, ""};
    if (op == "startConsultation")  // a declined client without an override: the assessment only, quickly done
      return Sample{"/api/v1/clients/" + client + "/consultations", Json{{"intake_id", declined}, {"start_date", "2027-03-01"}}.dump()};
    if (op == "listConsultations") return Sample{"/api/v1/clients/" + client + "/consultations", ""};
    if (op == "getConsultation") return Sample{c, ""};
    if (op == "getConsultationStatus") return Sample{c + "/status", ""};
    if (op == "getConsultationReport") return Sample{c + "/report.pdf", ""};
    if (op == "getConsultationCalendar") return Sample{c + "/calendar.ics", ""};
    if (op == "getConsultationQuote") return Sample{c + "/quote", ""};
    if (op == "getConsultationDocument") return Sample{c + "/documents/top.healed.png", ""};
    if (op == "uploadPhoto")
      return Sample{"/api/v1/clients/" + client + "/photos?kind=consultation&view=front",
                    testing::encode_image(testing::half_red_picture(), ".png"), "image/png"};
    if (op == "listPhotos") return Sample{"/api/v1/clients/" + client + "/photos", ""};
    if (op == "exportClient") return Sample{"/api/v1/clients/" + client + "/export", ""};
    if (op == "getPhoto") return Sample{"/api/v1/photos/" + photo, ""};
    if (op == "getPhotoThumbnail") return Sample{"/api/v1/photos/" + photo + "/thumbnail", ""};
    if (op == "placePatchTest")
      return Sample{"/api/v1/clients/" + client + "/patch-tests", R"({"pigment": "Carbon black, 25%", "lot": "L-1", "site": "behind the ear"})"};
    if (op == "listPatchTests") return Sample{"/api/v1/clients/" + client + "/patch-tests", ""};
    if (op == "getPatchTest") return Sample{"/api/v1/patch-tests/" + patch_test, ""};
    if (op == "readPatchTest") {  // a new test each time, placed 30 hours ago: within its reading window
      store::PatchTest t;
      t.client_id = client;
      t.placed_at = now_ - 30 * 3'600'000LL;
      t.placed_by = users_[Role::practitioner].id;
      t.pigment = "Carbon black";
      t.lot = "L-2";
      const std::string id = store::place_patch_test(*db_, t, now_).value().id;
      return Sample{"/api/v1/patch-tests/" + id, R"({"result": "passed"})"};
    }
    if (op == "listChairs") return Sample{"/api/v1/chairs", ""};
    if (op == "createChair") return Sample{"/api/v1/chairs", Json{{"name", fmt::format("Room {}", ++made)}}.dump()};
    if (op == "listPractitioners") return Sample{"/api/v1/practitioners", ""};
    if (op == "listAppointments") return Sample{"/api/v1/appointments?from=2027-01-18&days=7", ""};
    if (op == "bookAppointment")  // a new hour each time, on a Monday the default clinic is open 09:00-18:00
      return Sample{"/api/v1/appointments", Json{{"client_id", client},
                                                 {"practitioner_id", users_[Role::practitioner].id},
                                                 {"kind", "consultation"},
                                                 {"start", fmt::format("2027-01-18T{:02}:00:00-05:00", 9 + ++booked)},
                                                 {"duration_min", 45}}.dump()};
    if (op == "listCredentials") return Sample{"/api/v1/credentials?notice_days=90", ""};
    if (op == "addCredential")
      return Sample{"/api/v1/credentials", Json{{"user_id", users_[Role::practitioner].id},
                                                {"kind", "bloodborne_pathogens"},
                                                {"reference", "BBP-7"},
                                                {"valid_from", "2026-06-01"},
                                                {"expires_on", "2027-05-31"}}.dump()};
    if (op == "revokeCredential") {  // a new one each time: a credential is revoked once
      store::Credential c{"", users_[Role::practitioner].id, "body_art_licence", "BA-9", "", "2026-01-01", "2027-12-31",
                          users_[Role::owner].id};
      const std::string id = store::add_credential(*db_, c, now_).value().id;
      return Sample{"/api/v1/credentials/" + id, R"({"revoke_reason": "recorded for the wrong practitioner"})"};
    }
    if (op == "listConsentTemplates") return Sample{"/api/v1/consent-templates", ""};
    if (op == "addConsentTemplate")  // a changed text each time: an unchanged one is refused
      return Sample{"/api/v1/consent-templates",
                    Json{{"kind", "marketing_photos"}, {"title", "Photos in our marketing"}, {"body", fmt::format("Text {}", ++made)}}.dump()};
    if (op == "getConsentTemplate") return Sample{"/api/v1/consent-templates/" + consent_text, ""};
    if (op == "signConsent") {
      const std::string newest = store::latest_consent_template(*db_, "treatment").value()->id;
      return Sample{"/api/v1/clients/" + client + "/consents",
                    Json{{"template_id", newest}, {"signer_name", "Ada Client"}, {"signature_png", signature}}.dump()};
    }
    if (op == "listConsents") return Sample{"/api/v1/clients/" + client + "/consents", ""};
    if (op == "getConsent") return Sample{"/api/v1/consents/" + signed_consent, ""};
    if (op == "getConsentSignature") return Sample{"/api/v1/consents/" + signed_consent + "/signature.png", ""};
    if (op == "withdrawConsent") {  // a new one each time: a consent is withdrawn once
      const Response made_one = send("POST", "/api/v1/clients/" + client + "/consents", {session_for(Role::front_desk)},
                                     Json{{"template_id", store::latest_consent_template(*db_, "treatment").value()->id},
                                          {"signer_name", "Ada Client"}, {"signature_png", signature}}.dump());
      return Sample{"/api/v1/consents/" + made_one.body.value("id", ""), R"({"withdraw_reason": "by email"})"};
    }
    if (op == "listMarketingPhotos") return Sample{"/api/v1/marketing-photos", ""};
    if (op == "listLots") return Sample{"/api/v1/lots?q=cb", ""};
    if (op == "addLot")  // a new lot number each time: a lot is recorded once
      return Sample{"/api/v1/lots", Json{{"kind", "numbing"}, {"product", "Lidocaine 5% cream"}, {"lot", fmt::format("LC-{}", ++made)},
                                         {"expires_on", "2028-03-31"}}.dump()};
    if (op == "getLot") return Sample{"/api/v1/lots/" + pigment_lot, ""};
    if (op == "listLotRecipients") return Sample{"/api/v1/lots/" + pigment_lot + "/recipients", ""};
    const Json chart_body = {{"session_number", 1},
                             {"zones", "hairline"},
                             {"started_at", "2027-01-15T02:00:00-05:00"},
                             {"ended_at", "2027-01-15T02:30:00-05:00"},
                             {"lots", {{{"lot_id", pigment_lot}}}}};
    if (op == "createChart") return Sample{"/api/v1/clients/" + client + "/charts", chart_body.dump()};
    if (op == "listCharts") return Sample{"/api/v1/clients/" + client + "/charts", ""};
    if (op == "getChart") return Sample{"/api/v1/charts/" + draft_chart(Role::practitioner).id, ""};
    if (op == "updateChart") {
      Json b = chart_body;
      b["version"] = 1;
      return Sample{"/api/v1/charts/" + draft_chart(Role::practitioner).id, b.dump()};
    }
    if (op == "signChart")
      return Sample{"/api/v1/charts/" + draft_chart(as && *as != Role::front_desk ? *as : Role::practitioner).id + "/signature",
                    R"({"version": 1})"};
    if (op == "amendChart") {
      const store::Chart d = draft_chart(Role::practitioner);
      EXPECT_TRUE(store::sign_chart(*db_, d.id, 1, users_[Role::practitioner].id, now_));
      return Sample{"/api/v1/charts/" + d.id + "/amendments", R"({"text": "The crown took two passes, not one."})"};
    }
    if (op == "listRecalls") return Sample{"/api/v1/reports/recalls?months=6", ""};
    if (op == "sessionReport") return Sample{"/api/v1/reports/sessions?from=2026-06&months=12", ""};
    if (op == "getAppointment") return Sample{"/api/v1/appointments/" + appointment, ""};
    if (op == "updateAppointment") {
      const int v = store::find_appointment(*db_, appointment).value().version;
      return Sample{"/api/v1/appointments/" + appointment, Json{{"version", v}, {"notes", "bring the consent"}}.dump()};
    }
    return std::nullopt;
  };
  int checked = 0;
  for (const Route& route : routes()) {
    ASSERT_TRUE(sample(route).has_value()) << "the role matrix has no sample request for " << route.method << " "
                                           << route.pattern;
    for (const std::optional<Role> role : {std::optional<Role>{}, std::optional<Role>{Role::owner},
                                           std::optional<Role>{Role::practitioner}, std::optional<Role>{Role::front_desk}}) {
      const auto s = sample(route, role);  // made anew: an update needs the version current now
      const std::string who = role ? std::string(to_string(*role)) : "no session";
      const Response r = send(std::string(route.method), s->path, {role ? session_for(*role) : ""}, s->body, s->type);
      SCOPED_TRACE(fmt::format("{} {} as {}: {} {}", route.method, route.pattern, who, r.status, r.body.dump()));
      if (!route.sign_in) {
        EXPECT_LT(r.status, 300);
      } else if (!role) {
        expect_problem(r, 401);
      } else if (!role_allowed(route, *role)) {
        expect_problem(r, 403);
        EXPECT_EQ(r.body["type"], "urn:stipple:problem:forbidden");
      } else {
        EXPECT_GE(r.status, 200);
        EXPECT_LT(r.status, 300);
      }
      ++checked;
    }
  }
  EXPECT_EQ(checked, static_cast<int>(routes().size() * 4));
}

// The diary keeps the clinic's wall clock: an appointment at 10:00 on either
// side of both daylight-saving changes of two zones is stored at the instant
// 10:00 is there, and read back as 10:00 with that day's offset; a time sent
// in UTC is shown on the clinic's clock; the opening hours are judged there.
TEST_P(StudioTest, TheDiaryKeepsTheClinicsWallClockAcrossDaylightSavingChanges) {
  const std::string client = new_client(), front_desk = session_for(Role::front_desk);
  const std::string practitioner_id = users_[Role::practitioner].id;
  const auto book = [&](const std::string& start, int minutes = 60, const std::string& who = "") {
    return send("POST", "/api/v1/appointments", {front_desk},
                Json{{"client_id", who.empty() ? client : who}, {"practitioner_id", practitioner_id}, {"kind", "consultation"},
                     {"start", start}, {"duration_min", minutes}}.dump());
  };
  struct Change {
    std::string zone, before, after;   // the open days either side of a change, on their own offsets
    long long hours_apart;             // between 10:00 on one and 10:00 on the other
  };
  const std::vector<Change> changes = {
      {"America/New_York", "2027-03-13T10:00:00-05:00", "2027-03-15T10:00:00-04:00", 47},  // clocks forward on Sunday 14 March
      {"America/New_York", "2027-11-06T10:00:00-04:00", "2027-11-08T10:00:00-05:00", 49},  // back on Sunday 7 November
      {"Europe/London", "2027-03-27T10:00:00+00:00", "2027-03-29T10:00:00+01:00", 47},     // forward on Sunday 28 March
      {"Europe/London", "2027-10-30T10:00:00+01:00", "2027-11-01T10:00:00+00:00", 49},     // back on Sunday 31 October
  };
  int settings_version = 0;
  for (const Change& c : changes) {
    SCOPED_TRACE(c.zone + " " + c.before);
    // The clinic moves to the zone (its settings, saved as a new version).
    store::ClinicSettings next = current_clinic_settings(*db_).value();
    Json clinic = Json::parse(next.clinic);
    if (clinic["time_zone"] != c.zone) {
      clinic["time_zone"] = c.zone;
      next.clinic = clinic.dump();
      next.saved_by = users_[Role::owner].id;
      ASSERT_TRUE(store::save_settings(*db_, settings_version, next, now_));
      ++settings_version;
    }
    const Response before = book(c.before), after = book(c.after);
    ASSERT_EQ(before.status, 201) << before.body.dump();
    ASSERT_EQ(after.status, 201) << after.body.dump();
    EXPECT_EQ(before.body["start"], c.before);
    EXPECT_EQ(after.body["start"], c.after);
    EXPECT_EQ(before.body["time_zone"], c.zone);
    const auto stored = [&](const Response& r) { return store::find_appointment(*db_, r.body["id"].get<std::string>()).value(); };
    EXPECT_EQ(stored(after).start - stored(before).start, c.hours_apart * 3'600'000);
    EXPECT_EQ(stored(after).end - stored(after).start, 3'600'000);
    // The list of the three days round the change holds both, on the clinic's clock.
    const Response list = send("GET", "/api/v1/appointments?days=3&from=" + c.before.substr(0, 10), {front_desk});
    ASSERT_EQ(list.status, 200) << list.body.dump();
    std::set<std::string> starts;
    for (const Json& a : list.body["appointments"]) starts.insert(a["start"].get<std::string>());
    EXPECT_TRUE(starts.contains(c.before) && starts.contains(c.after)) << list.body.dump();
    // 08:30 on the day after the change is before opening (09:00), whatever
    // the offset sent with it: the gate reads the clinic's clock.
    const std::string early = c.after.substr(0, 11) + "08:30:00" + c.after.substr(19);
    expect_problem(book(early), 422, "start", "opening hours");
  }
  // A time sent in UTC is shown on the clinic's clock (London now, GMT in
  // mid-March); the instant the New York booking took (14:00Z) stays taken.
  const std::string other = new_client("Other Client");
  expect_problem(book("2027-03-15T14:00:00Z", 60, other), 409, "practitioner_id");
  const Response utc = book("2027-03-15T15:30:00Z");
  ASSERT_EQ(utc.status, 201) << utc.body.dump();
  EXPECT_EQ(utc.body["start"], "2027-03-15T15:30:00+00:00");
  EXPECT_EQ(utc.body["end"], "2027-03-15T16:30:00+00:00");
}

// Booking's rules through the API: an overlap is a 409 naming the practitioner
// or the chair, a closed day a 422 naming its gate, a start without an offset
// a 400; a move onto a booked slot is refused as booking it is; a cancelled
// slot is free again; only the owner adds chairs.
TEST_P(StudioTest, BookingRefusesOverlapsClosedDaysAndStaleMovesNamingTheField) {
  const std::string client = new_client(), desk = session_for(Role::front_desk), owner = session_for(Role::owner);
  const std::string practitioner_id = users_[Role::practitioner].id;
  expect_problem(send("POST", "/api/v1/chairs", {desk}, R"({"name": "Room 1"})"), 403);
  const Response chair = send("POST", "/api/v1/chairs", {owner}, R"({"name": "Room 1"})");
  ASSERT_EQ(chair.status, 201) << chair.body.dump();
  expect_problem(send("POST", "/api/v1/chairs", {owner}, R"({"name": "room 1"})"), 409, "name", "no chair has");
  const std::string chair_id = chair.body["id"];
  // Two-hour consultations, each another client's (a client's own overlap is the gates' test).
  int clients = 0;
  const auto book = [&](const std::string& who, const std::string& start, std::optional<std::string> in_chair) {
    const std::string someone = clients++ == 0 ? client : new_client(fmt::format("Client {}", clients));
    Json b{{"client_id", someone}, {"practitioner_id", who}, {"kind", "consultation"}, {"start", start}, {"duration_min", 120}};
    if (in_chair) b["chair_id"] = *in_chair;
    return send("POST", "/api/v1/appointments", {desk}, b.dump());
  };
  const Response first = book(practitioner_id, "2027-01-18T10:00:00-05:00", chair_id);
  ASSERT_EQ(first.status, 201) << first.body.dump();
  EXPECT_EQ(first.body["chair_name"], "Room 1");
  EXPECT_TRUE(first.body["session_number"].is_null());
  EXPECT_EQ(first.body["practitioner_name"], users_[Role::practitioner].name);
  expect_problem(book(practitioner_id, "2027-01-18T11:00:00-05:00", std::nullopt), 409, "practitioner_id", "practitioner is free");
  expect_problem(book(users_[Role::owner].id, "2027-01-18T11:59:00-05:00", chair_id), 409, "chair_id", "chair is free");
  EXPECT_EQ(book(users_[Role::owner].id, "2027-01-18T12:00:00-05:00", chair_id).status, 201);  // as the first ends
  // The front desk cannot treat; a client that does not exist; a Sunday; no offset.
  expect_problem(book(users_[Role::front_desk].id, "2027-01-19T10:00:00-05:00", std::nullopt), 422, "practitioner_id", "can treat");
  const Response sunday = book(practitioner_id, "2027-01-17T10:00:00-05:00", std::nullopt);
  expect_problem(sunday, 422, "start", "closed");
  EXPECT_EQ(sunday.body["gate"], "opening_hours");
  expect_problem(book(practitioner_id, "2027-01-19T10:00:00", std::nullopt), 400, "start", "offset");
  expect_problem(book(practitioner_id, "2027-02-30T10:00:00-05:00", std::nullopt), 400, "start", "RFC 3339");
  // Move a second appointment onto the first: refused; stale versions too; cancel frees the slot.
  const Response second = book(practitioner_id, "2027-01-19T10:00:00-05:00", std::nullopt);
  ASSERT_EQ(second.status, 201);
  const std::string second_path = "/api/v1/appointments/" + second.body["id"].get<std::string>();
  expect_problem(send("PATCH", second_path, {desk}, R"({"version": 1, "start": "2027-01-18T11:00:00-05:00"})"), 409, "practitioner_id");
  const std::string first_path = "/api/v1/appointments/" + first.body["id"].get<std::string>();
  const Response cancelled = send("PATCH", first_path, {desk}, R"({"version": 1, "status": "cancelled"})");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body.dump();
  EXPECT_EQ(cancelled.body["status"], "cancelled");
  expect_problem(send("PATCH", first_path, {desk}, R"({"version": 1, "notes": "late"})"), 409, "version");
  const Response moved = send("PATCH", second_path, {desk}, R"({"version": 1, "start": "2027-01-18T11:00:00-05:00"})");
  ASSERT_EQ(moved.status, 200) << moved.body.dump();
  EXPECT_EQ(moved.body["start"], "2027-01-18T11:00:00-05:00");
  EXPECT_EQ(moved.body["duration_min"], 120);
  // Moved past closing (a Monday closes at 18:00): the gate again.
  expect_problem(send("PATCH", second_path, {desk}, R"({"version": 2, "start": "2027-01-18T17:00:00-05:00"})"), 422, "start",
                 "opening hours");
  // The practitioner's own diary.
  const Response mine = send("GET", "/api/v1/appointments?from=2027-01-18&days=2&practitioner_id=" + practitioner_id, {desk});
  ASSERT_EQ(mine.status, 200);
  EXPECT_EQ(mine.body["appointments"].size(), 2u);  // the cancelled first and the moved second
  expect_problem(send("GET", "/api/v1/appointments?from=18-01-2027", {desk}), 400, "from");
  expect_problem(send("GET", "/api/v1/appointments?days=99", {desk}), 400, "days");
  const Response practitioners = send("GET", "/api/v1/practitioners", {desk});
  ASSERT_EQ(practitioners.status, 200);
  EXPECT_EQ(practitioners.body["practitioners"].size(), 2u);  // the owner and the practitioner, not the front desk
}

// A session needs a passed patch test read before it (brief section 11;
// CI-ALLERGY): none read, a failed one or one placed over 12 months before the
// session is a 422 naming the patch_test gate; a test is read once, 24 to 48
// hours after placing, by owners and practitioners; a practitioner may book
// against the gate with a reason, recorded on the appointment and audited,
// and the front desk may not.
TEST_P(StudioTest, ASessionNeedsAPassedPatchTestAndAFailedOneBlocksIt) {
  std::string client = new_client(), desk = session_for(Role::front_desk), practitioner = session_for(Role::practitioner);
  const std::string practitioner_id = users_[Role::practitioner].id;
  const auto later = [&](long long hours) {  // the clock moves on; the sessions of before have ended
    now_ += hours * 3'600'000LL;
    desk = session_for(Role::front_desk);
    practitioner = session_for(Role::practitioner);
  };
  const auto book = [&](const std::string& who, const std::string& start, const std::string& reason = "",
                        const Json& gates = Json::array({"patch_test"})) {
    Json b{{"client_id", client}, {"practitioner_id", practitioner_id}, {"kind", "session"}, {"session_number", 1}, {"start", start},
           {"duration_min", 180}};
    if (!reason.empty()) b["override_reason"] = reason, b["override_gates"] = gates;
    return send("POST", "/api/v1/appointments", {who}, b.dump());
  };
  record_credentials();
  record_assessment(client);
  record_consents(client);
  // now_ is Friday 15 January 2027, 08:00 UTC; the default clinic is in New York.
  const Response none = book(desk, "2027-01-19T10:00:00-05:00");
  expect_problem(none, 422, "start", "found none read");
  EXPECT_EQ(none.body["gate"], "patch_test");
  // Placed now; read too early, then within its window; read twice.
  expect_problem(send("POST", "/api/v1/clients/" + client + "/patch-tests", {desk}, R"({"pigment": "x", "lot": "y"})"), 403);
  expect_problem(send("POST", "/api/v1/clients/" + client + "/patch-tests", {practitioner}, R"({"pigment": "Carbon black", "lot": " "})"),
                 400, "lot", "lot number");
  const Response placed = send("POST", "/api/v1/clients/" + client + "/patch-tests", {practitioner},
                               R"({"pigment": "Carbon black SMP, 25%", "lot": "CB-2026-117", "site": "behind the left ear"})");
  ASSERT_EQ(placed.status, 201) << placed.body.dump();
  EXPECT_EQ(placed.body["result"], "pending");
  const std::string path = "/api/v1/patch-tests/" + placed.body["id"].get<std::string>();
  later(20);
  expect_problem(send("PATCH", path, {practitioner}, R"({"result": "passed"})"), 422, "read_at", "24 to 48 hours");
  expect_problem(book(desk, "2027-01-19T10:00:00-05:00"), 422, "start", "found none read");  // placed, not read
  later(10);  // 30 hours after placing
  const Response read = send("PATCH", path, {practitioner}, R"({"result": "passed", "notes": "no reaction"})");
  ASSERT_EQ(read.status, 200) << read.body.dump();
  EXPECT_EQ(read.body["read_by"], practitioner_id);
  expect_problem(send("PATCH", path, {practitioner}, R"({"result": "failed"})"), 409, "result", "read as passed");
  const Response ok = book(desk, "2027-01-19T10:00:00-05:00");
  ASSERT_EQ(ok.status, 201) << ok.body.dump();
  EXPECT_TRUE(ok.body["override"].is_null());
  // Over 12 months after the test's placing: refused.
  expect_problem(book(desk, "2028-01-18T10:00:00-05:00"), 422, "start", "within 12 months");
  // A second session 1 is the spacing gate's; the first is cancelled before the next test.
  const Response twice = book(desk, "2027-01-22T10:00:00-05:00");
  expect_problem(twice, 422, "session_number", "one session 1");
  EXPECT_EQ(twice.body["gate"], "spacing");
  ASSERT_EQ(send("PATCH", "/api/v1/appointments/" + ok.body["id"].get<std::string>(), {desk}, R"({"version": 1, "status": "cancelled"})").status,
            200);
  // A later test fails: sessions are blocked from its reading on, even with the earlier pass.
  store::PatchTest t;
  t.client_id = client;
  t.placed_at = now_;
  t.placed_by = practitioner_id;
  t.pigment = "Another pigment";
  t.lot = "AP-9";
  const std::string second = store::place_patch_test(*db_, t, now_).value().id;
  later(26);
  ASSERT_EQ(send("PATCH", "/api/v1/patch-tests/" + second, {practitioner}, R"({"result": "failed", "notes": "redness, swelling"})").status, 200);
  const Response blocked = book(practitioner, "2027-01-21T10:00:00-05:00");
  expect_problem(blocked, 422, "client_id", "CI-ALLERGY");
  // The front desk is told no finding: the practitioner has it.
  const Response at_desk = book(desk, "2027-01-21T10:00:00-05:00");
  expect_problem(at_desk, 422, "client_id", "found none that passed: the practitioner has the details");
  EXPECT_EQ(at_desk.raw.find("CI-"), std::string::npos) << at_desk.raw;
  // The front desk cannot override; a practitioner can, with a reason that says why.
  expect_problem(book(desk, "2027-01-21T10:00:00-05:00", "The dermatologist cleared this pigment in writing."), 400, "override_reason",
                 "front desk");
  expect_problem(book(practitioner, "2027-01-21T10:00:00-05:00", "ok"), 400, "override_reason", "at least 20 letters");
  // An override waives only the gates it names: one naming another gate is refused by this one.
  const Response unnamed =
      book(practitioner, "2027-01-21T10:00:00-05:00", "The dermatologist cleared the first pigment in writing.", Json::array({"spacing"}));
  expect_problem(unnamed, 422, "client_id", "CI-ALLERGY");
  ASSERT_EQ(unnamed.body["gates"].size(), 1u);
  EXPECT_EQ(unnamed.body["gates"][0]["gate"], "patch_test");
  EXPECT_EQ(unnamed.body["gates"][0]["waived"], false);
  expect_problem(book(practitioner, "2027-01-21T10:00:00-05:00", "The dermatologist cleared the first pigment in writing.", nullptr), 400,
                 "override_gates", "the gates the reason overrides");
  expect_problem(book(practitioner, "2027-01-21T10:00:00-05:00", "The dermatologist cleared the first pigment in writing.",
                      Json::array({"patch-test"})),
                 400, "override_gates", "expected gates of opening_hours, credentials");
  const Response overridden = book(practitioner, "2027-01-21T10:00:00-05:00", "The dermatologist cleared the first pigment in writing.");
  ASSERT_EQ(overridden.status, 201) << overridden.body.dump();
  EXPECT_EQ(overridden.body["override"]["gates"], Json::array({"patch_test"}));
  const auto audit = store::audit_for_client(*db_, client, 100).value();
  bool logged = false;
  for (const auto& e : audit) logged = logged || (e.action == "override" && e.resource == "appointment" && e.detail.find("patch_test") != std::string::npos);
  EXPECT_TRUE(logged) << "the override is in the audit log";
  // The patch tests, newest first, for clinical roles only.
  const Response list = send("GET", "/api/v1/clients/" + client + "/patch-tests", {practitioner});
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["patch_tests"].size(), 2u);
  EXPECT_EQ(list.body["patch_tests"][0]["result"], "failed");
  expect_problem(send("GET", "/api/v1/clients/" + client + "/patch-tests", {desk}), 403);
  // The database keeps a reading: no second reading even past the studio.
  EXPECT_FALSE(store::read_patch_test(*db_, second, "passed", now_, practitioner_id, "").has_value());
}

// Every gate of a booking names itself, with every gate it breaks listed:
// credentials (brief section 9), the assessment (assess/gate.h: a block, a
// hold), the spacing (brief sections 7 and 11: the clinic's 10-14 days before
// session 2, 26-30 after), besides the opening hours and the patch test of the
// tests above; the client's own overlap is a 409, a start in the past a 400;
// an override waives only the gates it names. The owner records credentials and
// sees what lapses within 60 days.
TEST_P(StudioTest, EveryGateOfABookingNamesItselfAndAnOverrideWaivesOnlyTheGatesItNames) {
  const std::string client = new_client("Gita Gates"), desk = session_for(Role::front_desk), owner = session_for(Role::owner),
                    practitioner = session_for(Role::practitioner);
  const std::string practitioner_id = users_[Role::practitioner].id, owner_id = users_[Role::owner].id;
  const auto book = [&](const std::string& who, int number, const std::string& start, int minutes = 180, const Json& override_ = nullptr) {
    Json b{{"client_id", client}, {"practitioner_id", practitioner_id}, {"kind", "session"}, {"session_number", number},
           {"start", start}, {"duration_min", minutes}};
    if (!override_.is_null()) b["override_gates"] = override_["gates"], b["override_reason"] = override_["reason"];
    return send("POST", "/api/v1/appointments", {who}, b.dump());
  };
  const auto gates_of = [](const Response& r) {
    std::vector<std::string> out;
    for (const Json& g : r.body["gates"]) out.push_back(g["gate"]);
    return out;
  };
  // Nothing recorded: credentials first, then the assessment and the patch test.
  const Response bare = book(desk, 1, "2027-01-18T10:00:00-05:00");
  expect_problem(bare, 422, "practitioner_id", "practitioner's body-art licence valid on 2027-01-18, found none recorded");
  EXPECT_EQ(bare.body["gate"], "credentials");
  EXPECT_EQ(gates_of(bare), (std::vector<std::string>{"credentials", "assessment", "consent", "patch_test"}));

  // The owner records credentials; the front desk may not; each field is checked.
  const auto add = [&](const std::string& who, const Json& body) { return send("POST", "/api/v1/credentials", {who}, body.dump()); };
  const Json licence = {{"user_id", practitioner_id}, {"kind", "body_art_licence"}, {"reference", "BA-2026-311"},
                        {"issuer", "County health department"}, {"valid_from", "2026-01-21"}, {"expires_on", "2027-01-20"}};
  expect_problem(add(desk, licence), 403);
  Json bad = licence;
  bad["expires_on"] = "2025-12-31";
  expect_problem(add(owner, bad), 400, "expires_on", "expected a last valid day on or after the first (2026-01-21)");
  bad = licence;
  bad["kind"] = "health_permit";
  expect_problem(add(owner, bad), 400, "user_id", "the clinic's");
  bad = licence;
  bad.erase("user_id");
  expect_problem(add(owner, bad), 400, "user_id", "the practitioner who holds");
  bad = licence;
  bad["user_id"] = users_[Role::front_desk].id;
  expect_problem(add(owner, bad), 422, "user_id", "can treat");
  const Response added = add(owner, licence);
  ASSERT_EQ(added.status, 201) << added.body.dump();
  EXPECT_EQ(added.body["state"], "valid");
  EXPECT_EQ(added.body["days_left"], 5) << "the clinic's today is Friday 15 January, in New York";
  ASSERT_EQ(add(owner, {{"user_id", practitioner_id}, {"kind", "bloodborne_pathogens"}, {"reference", "BBP-88"},
                        {"valid_from", "2026-06-01"}, {"expires_on", "2028-05-31"}}).status, 201);
  ASSERT_EQ(add(owner, {{"kind", "health_permit"}, {"reference", "HP-2027-5"}, {"valid_from", "2027-01-01"}, {"expires_on", "2027-12-31"}}).status,
            201);
  // What needs the owner: the practitioner's licence within 60 days, the owner's own missing ones.
  const Response seen = send("GET", "/api/v1/credentials", {owner});
  ASSERT_EQ(seen.status, 200) << seen.body.dump();
  EXPECT_EQ(seen.body["credentials"].size(), 3u);
  std::map<std::string, std::string> attention;
  for (const Json& a : seen.body["attention"])
    attention[a["holder_name"].get<std::string>() + " " + a["kind"].get<std::string>()] = a["state"];
  EXPECT_EQ(attention[users_[Role::practitioner].name + " body_art_licence"], "expires_soon");
  EXPECT_EQ(attention[users_[Role::owner].name + " body_art_licence"], "missing");
  EXPECT_EQ(attention[users_[Role::owner].name + " bloodborne_pathogens"], "missing");
  EXPECT_FALSE(attention.contains(users_[Role::practitioner].name + " bloodborne_pathogens")) << "valid past 60 days";
  EXPECT_FALSE(attention.contains("The clinic health_permit")) << "valid past 60 days";
  EXPECT_EQ(send("GET", "/api/v1/credentials?notice_days=365", {desk}).body["attention"].size(), 4u) << "and the permit, 350 days";

  // A blocking assessment, then a hold: the latest assessed consultation decides.
  record_assessment(client, {{"blocked", true}, {"summary", "SMP is not advised (CI-KELOID)"}, {"holds", Json::array()}});
  const Response blocked = book(practitioner, 1, "2027-01-18T10:00:00-05:00");
  expect_problem(blocked, 422, "client_id", "CI-KELOID");
  EXPECT_EQ(blocked.body["gate"], "assessment");
  const Response desk_sees = book(desk, 1, "2027-01-18T10:00:00-05:00");
  expect_problem(desk_sees, 422, "client_id", "the assessment clears for treatment");
  EXPECT_EQ(desk_sees.raw.find("CI-"), std::string::npos) << "no finding reaches the front desk: " << desk_sees.raw;
  record_assessment(client, {{"blocked", false},
                             {"holds", Json::array({{{"rule", "CI-72H"}, {"until", "2027-01-19"}, {"text", "72 hours without alcohol"}}})}});
  record_passed_patch_test(client);
  record_consents(client);
  expect_problem(book(practitioner, 1, "2027-01-18T10:00:00-05:00"), 422, "start", "session 1 on 2027-01-19 or later (held by CI-72H");
  expect_problem(book(desk, 1, "2027-01-18T10:00:00-05:00"), 422, "start", "session 1 on 2027-01-19 or later, found 2027-01-18");
  // The licence lapses after Wednesday 20 January.
  expect_problem(book(desk, 1, "2027-01-21T10:00:00-05:00"), 422, "practitioner_id", "found it expired 2027-01-20");
  const Response first = book(desk, 1, "2027-01-19T10:00:00-05:00");
  ASSERT_EQ(first.status, 201) << first.body.dump();
  // The client cannot be in two chairs at once; the diary is not for the past.
  const Response elsewhere = send("POST", "/api/v1/appointments", {desk},
                                  Json{{"client_id", client}, {"practitioner_id", owner_id}, {"kind", "consultation"},
                                       {"start", "2027-01-19T12:00:00-05:00"}, {"duration_min", 30}}.dump());
  expect_problem(elsewhere, 409, "client_id", "the client is free");
  expect_problem(book(desk, 1, "2027-01-14T10:00:00-05:00"), 400, "start",
                 "expected a time from now on (2027-01-15 03:00 on the clinic's clock), found 2027-01-14 10:00");

  // Spacing: session 2 needs session 1 10-14 days before; session 3 needs session 2.
  ASSERT_EQ(add(owner, {{"user_id", practitioner_id}, {"kind", "body_art_licence"}, {"reference", "BA-2027-311"},
                        {"valid_from", "2027-01-15"}, {"expires_on", "2029-01-14"}}).status, 201) << "renewed";
  bool still_listed = false;
  const Response after_renewal = send("GET", "/api/v1/credentials", {owner});  // named: a temporary's body would not outlive the loop
  for (const Json& a : after_renewal.body["attention"])
    still_listed = still_listed || (a["user_id"] == practitioner_id && a["kind"] == "body_art_licence");
  EXPECT_FALSE(still_listed) << "the renewal carries the licence on: nothing expires within 60 days";
  expect_problem(book(desk, 3, "2027-02-22T10:00:00-05:00"), 422, "session_number", "session 2 booked before session 3, found none");
  const Response early = book(desk, 2, "2027-01-25T10:00:00-05:00");
  expect_problem(early, 422, "start", "session 2 10-14 days after session 1 (2027-01-19), found 6 days");
  EXPECT_EQ(early.body["gate"], "spacing");
  const Response second = book(desk, 2, "2027-02-01T10:00:00-05:00");
  ASSERT_EQ(second.status, 201) << second.body.dump();
  // Moving session 1 is checked against session 2 as well.
  const std::string first_path = "/api/v1/appointments/" + first.body["id"].get<std::string>();
  expect_problem(send("PATCH", first_path, {desk}, R"({"version": 1, "start": "2027-01-25T10:00:00-05:00"})"), 422, "start",
                 "found 7 days");
  const Response moved = send("PATCH", first_path, {desk}, R"({"version": 1, "start": "2027-01-20T10:00:00-05:00"})");
  ASSERT_EQ(moved.status, 200) << moved.body.dump();

  // Session 3 four days after session 2 and past Friday's closing (17:00): two gates.
  const Json spacing_only = {{"gates", {"spacing"}}, {"reason", "The client flies home on the sixth and cannot come back."}};
  const Response one = book(practitioner, 3, "2027-02-05T15:00:00-05:00", 180, spacing_only);
  expect_problem(one, 422, "start", "opening hours");
  EXPECT_EQ(one.body["gate"], "opening_hours");
  ASSERT_EQ(one.body["gates"].size(), 2u);
  EXPECT_EQ(one.body["gates"][1]["gate"], "spacing");
  EXPECT_EQ(one.body["gates"][1]["waived"], true);
  // The law's and the client's gates are never booked against.
  expect_problem(book(practitioner, 3, "2027-02-05T15:00:00-05:00", 180, {{"gates", {"credentials", "spacing"}}, {"reason", spacing_only["reason"]}}),
                 400, "override_gates", "a valid credential is recorded first");
  const Json both = {{"gates", {"opening_hours", "spacing"}}, {"reason", spacing_only["reason"]}};
  expect_problem(book(desk, 3, "2027-02-05T15:00:00-05:00", 180, both), 400, "override_reason", "front desk");
  const Response waived = book(practitioner, 3, "2027-02-05T15:00:00-05:00", 180, both);
  ASSERT_EQ(waived.status, 201) << waived.body.dump();
  EXPECT_EQ(waived.body["override"]["gates"], Json::array({"opening_hours", "spacing"}));

  // A credential recorded in error is revoked, kept and shown revoked; once.
  const std::string revoke = "/api/v1/credentials/" + added.body["id"].get<std::string>();
  expect_problem(send("PATCH", revoke, {practitioner}, R"({"revoke_reason": "wrong practitioner"})"), 403);
  const Response revoked = send("PATCH", revoke, {owner}, R"({"revoke_reason": "entered with the wrong expiry"})");
  ASSERT_EQ(revoked.status, 200) << revoked.body.dump();
  EXPECT_EQ(revoked.body["state"], "revoked");
  expect_problem(send("PATCH", revoke, {owner}, R"({"revoke_reason": "again"})"), 409, "revoke_reason");
}

// Consent (issue 21): the owner's texts are versioned; the client signs the
// newest on the tablet, and the exact text, its hash, the version, the time,
// the signer, the drawn signature and the device are kept as signed, the
// database refusing any other change; a new treatment text needs signing again
// before the next session (the consent gate); clinical photos need their
// consent; withdrawing the marketing consent takes the photos out of marketing
// use at once.
TEST_P(StudioTest, ConsentsKeepTheTextAsSignedAndANewVersionMustBeSignedBeforeTheNextSession) {
  const std::string client = new_client("Cora Consent"), owner = session_for(Role::owner), desk = session_for(Role::front_desk),
                    practitioner = session_for(Role::practitioner);
  const auto add = [&](const std::string& who, const Json& body) { return send("POST", "/api/v1/consent-templates", {who}, body.dump()); };
  const auto sign = [&](const std::string& template_id, const std::string& png = signature_png(), const std::string& name = "Cora Consent") {
    return send("POST", "/api/v1/clients/" + client + "/consents", {desk},
                Json{{"template_id", template_id}, {"signer_name", name}, {"signature_png", png}}.dump(), "application/json",
                {{"User-Agent", "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X)"}});
  };
  const std::string v1_text = "I consent to scalp micropigmentation.\n\nI was told the risks: redness, swelling, rarely infection.";
  expect_problem(add(desk, {{"kind", "treatment"}, {"title", "Treatment"}, {"body", v1_text}}), 403);
  expect_problem(add(owner, {{"kind", "tattoo"}, {"title", "Treatment"}, {"body", v1_text}}), 400, "kind", "treatment, clinical_photos");
  const Response v1 = add(owner, {{"kind", "treatment"}, {"title", "Consent to treatment"}, {"body", v1_text}});
  ASSERT_EQ(v1.status, 201) << v1.body.dump();
  EXPECT_EQ(v1.body["version"], 1);
  EXPECT_EQ(v1.body["sha256"], store::sha256_hex(v1_text));
  expect_problem(add(owner, {{"kind", "treatment"}, {"title", "Consent to treatment"}, {"body", v1_text}}), 409, "body", "version 1's");
  expect_problem(add(owner, {{"kind", "treatment"}, {"title", "Consent to treatment "}, {"body", v1_text + "  \n"}}), 409, "body",
                 "version 1's");

  // Signing: a blank pad, text that is no PNG, and no name are refused at their fields.
  expect_problem(sign(v1.body["id"], signature_png(false)), 400, "signature_png", "empty pad");
  expect_problem(sign(v1.body["id"], "data:image/png;base64,bm90IGEgcG5n"), 400, "signature_png", "");
  expect_problem(sign(v1.body["id"], "%%%"), 400, "signature_png", "not base64");
  expect_problem(sign(v1.body["id"], signature_png(), " "), 400, "signer_name", "");
  expect_problem(sign("nope"), 422, "template_id", "consent text");
  const std::string png = signature_png();
  const Response signed_v1 = sign(v1.body["id"], png);
  ASSERT_EQ(signed_v1.status, 201) << signed_v1.body.dump();
  EXPECT_EQ(signed_v1.body["text"], v1_text);
  EXPECT_EQ(signed_v1.body["text_sha256"], store::sha256_hex(v1_text));
  EXPECT_EQ(signed_v1.body["version"], 1);
  EXPECT_EQ(signed_v1.body["state"], "signed");
  EXPECT_EQ(signed_v1.body["ip"], "127.0.0.1");
  EXPECT_EQ(signed_v1.body["user_agent"], "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X)");
  EXPECT_EQ(signed_v1.body["witnessed_by"], users_[Role::front_desk].id);
  const Response drawn = send("GET", signed_v1.body["signature_url"].get<std::string>(), {practitioner});
  ASSERT_EQ(drawn.status, 200);
  EXPECT_EQ(drawn.content_type, "image/png");
  EXPECT_EQ(store::sha256_hex(drawn.raw), signed_v1.body["signature_sha256"]);

  // A session with the treatment consent on version 1: the consent gate passes.
  record_credentials();
  record_assessment(client);
  record_passed_patch_test(client);
  const auto book = [&](const std::string& start) {
    return send("POST", "/api/v1/appointments", {desk},
                Json{{"client_id", client}, {"practitioner_id", users_[Role::practitioner].id}, {"kind", "session"},
                     {"session_number", 1}, {"start", start}, {"duration_min", 180}}.dump());
  };
  const Response first = book("2027-01-18T10:00:00-05:00");
  ASSERT_EQ(first.status, 201) << first.body.dump();
  // Version 2 of the text: signing version 1 again is refused, the consent reads outdated, a booking or a move is refused.
  const std::string v2_text = v1_text + "\n\nPigment may fade and need a touch-up after 3-8 years.";
  const Response v2 = add(owner, {{"kind", "treatment"}, {"title", "Consent to treatment"}, {"body", v2_text}});
  ASSERT_EQ(v2.status, 201) << v2.body.dump();
  EXPECT_EQ(v2.body["version"], 2);
  expect_problem(sign(v1.body["id"]), 409, "template_id", "newest version");
  const Response listed = send("GET", "/api/v1/clients/" + client + "/consents", {desk});
  ASSERT_EQ(listed.status, 200) << listed.body.dump();
  EXPECT_EQ(listed.body["by_kind"]["treatment"]["state"], "outdated");
  EXPECT_EQ(listed.body["by_kind"]["treatment"]["latest_version"], 2);
  EXPECT_EQ(listed.body["by_kind"]["clinical_photos"]["state"], "no_text");
  // The session booked on version 1 is flagged in the diary now.
  const Response diary = send("GET", "/api/v1/appointments?from=2027-01-18&days=1", {desk});
  ASSERT_EQ(diary.status, 200) << diary.body.dump();
  ASSERT_EQ(diary.body["appointments"].size(), 1u);
  ASSERT_EQ(diary.body["appointments"][0]["attention"].size(), 1u) << diary.body.dump();
  EXPECT_EQ(diary.body["appointments"][0]["attention"][0]["gate"], "consent");
  const Response refused = book("2027-01-19T10:00:00-05:00");
  expect_problem(refused, 422, "client_id", "version 2, found version 1 signed");
  EXPECT_EQ(refused.body["gate"], "consent");
  const Response v2_signed = sign(v2.body["id"]);
  ASSERT_EQ(v2_signed.status, 201) << v2_signed.body.dump();
  EXPECT_EQ(send("GET", "/api/v1/appointments?from=2027-01-18&days=1", {desk}).body["appointments"][0]["attention"].size(), 0u)
      << "signed again: nothing to flag";
  EXPECT_EQ(v2_signed.body["text"], v2_text);
  const Json both_signed = send("GET", "/api/v1/clients/" + client + "/consents", {desk}).body;
  ASSERT_EQ(both_signed["consents"].size(), 2u);
  EXPECT_EQ(both_signed["consents"][0]["state"], "signed");
  EXPECT_EQ(both_signed["consents"][1]["state"], "replaced") << "version 1, signed again on version 2";
  // The first signature is unchanged, and the database refuses to change it.
  EXPECT_EQ(send("GET", "/api/v1/consents/" + signed_v1.body["id"].get<std::string>(), {desk}).body["text"], v1_text);
  {
    store::Database::Lease lease(*db_);
    const std::string other = "Someone else", id = signed_v1.body["id"];
    EXPECT_ANY_THROW((lease.sql() << "UPDATE consents SET signer_name = :n WHERE id = :id", soci::use(other), soci::use(id)));
    EXPECT_ANY_THROW((lease.sql() << "DELETE FROM consents WHERE id = :id", soci::use(id)));
    const std::string changed = "changed", template_id = v1.body["id"];
    EXPECT_ANY_THROW((lease.sql() << "UPDATE consent_templates SET body = :b WHERE id = :id", soci::use(changed), soci::use(template_id)));
  }

  // Clinical photos need their consent; marketing use needs its own, and stops the moment it is withdrawn.
  const std::string jpeg = testing::encode_image(testing::half_red_picture(), ".jpg");
  expect_problem(upload(client, "kind=before&view=top", jpeg, "image/jpeg", practitioner), 422, "client_id", "clinical photos, found none");
  const Response photos_text = add(owner, {{"kind", "clinical_photos"}, {"title", "Clinical photos"}, {"body", "Photos for my record only."}});
  const Response marketing_text = add(owner, {{"kind", "marketing_photos"}, {"title", "Marketing"}, {"body", "My photos may be shown."}});
  ASSERT_EQ(sign(photos_text.body["id"]).status, 201);
  ASSERT_EQ(upload(client, "kind=before&view=top", jpeg, "image/jpeg", practitioner).status, 201);
  EXPECT_EQ(send("GET", "/api/v1/marketing-photos", {owner}).body["photos"].size(), 0u) << "no marketing consent yet";
  const Response marketing = sign(marketing_text.body["id"]);
  ASSERT_EQ(marketing.status, 201);
  EXPECT_EQ(send("GET", "/api/v1/marketing-photos", {owner}).body["photos"].size(), 1u);
  const std::string withdraw = "/api/v1/consents/" + marketing.body["id"].get<std::string>();
  expect_problem(send("PATCH", withdraw, {desk}, R"({"withdraw_reason": " "})"), 400, "withdraw_reason");
  const Response withdrawn = send("PATCH", withdraw, {desk}, R"({"withdraw_reason": "by telephone, 15 January"})");
  ASSERT_EQ(withdrawn.status, 200) << withdrawn.body.dump();
  EXPECT_EQ(withdrawn.body["state"], "withdrawn");
  EXPECT_EQ(send("GET", "/api/v1/marketing-photos", {owner}).body["photos"].size(), 0u) << "out of marketing use at once";
  expect_problem(send("PATCH", withdraw, {desk}, R"({"withdraw_reason": "again"})"), 409, "withdraw_reason");
  EXPECT_EQ(send("GET", "/api/v1/clients/" + client + "/consents", {desk}).body["by_kind"]["marketing_photos"]["state"], "withdrawn");
  // Signing and withdrawing are in the client's audit trail.
  int signed_entries = 0, withdrawals = 0;
  for (const store::AuditEntry& e : audit_of(client)) {
    signed_entries += e.action == "create" && e.resource == "consent";
    withdrawals += e.action == "update" && e.resource == "consent" && e.detail.find("by telephone") != std::string::npos;
  }
  EXPECT_EQ(signed_entries, 4);
  EXPECT_EQ(withdrawals, 1);
}

// A session chart (issue 21): lots recorded once each, an expired lot refused
// at charting on the session's day, a draft changed freely, signed only by the
// practitioner who charted and only when complete (the pigment's and needles'
// lots, every hygiene item), then locked by the database; a correction is an
// amendment beside the original; "who received lot X" lists the client with
// their contact details.
TEST_P(StudioTest, AChartIsSignedOnlyCompleteThenLockedAndItsLotsFindTheirRecipients) {
  store::Client who;
  who.name = "Rory Recall";
  who.sex = "male";
  who.email = "rory@example.com";
  who.phone = "+1 212 555 0143";
  const std::string client = store::create_client(*db_, who, now_).value().id;
  std::string practitioner = session_for(Role::practitioner), owner = session_for(Role::owner);
  const std::string practitioner_id = users_[Role::practitioner].id;
  const auto lot = [&](const Json& body) { return send("POST", "/api/v1/lots", {practitioner}, body.dump()); };
  const Response expired = lot({{"kind", "pigment"}, {"product", "Carbon black SMP"}, {"lot", "CB-OLD"}, {"expires_on", "2027-01-10"}});
  const Response pigment = lot({{"kind", "pigment"}, {"product", "Carbon black SMP"}, {"lot", "CB-2027-07"}, {"expires_on", "2028-06-30"},
                                {"detail", "25% dilution"}});
  const Response needle = lot({{"kind", "needle"}, {"product", "Cartridge 1RL"}, {"lot", "NC-884"}, {"expires_on", "2029-01-31"},
                               {"detail", "1RL 0.30 mm"}});
  const Response numbing = lot({{"kind", "numbing"}, {"product", "Lidocaine 5% cream"}, {"lot", "LC-19"}, {"expires_on", "2027-12-31"}});
  for (const Response* r : {&expired, &pigment, &needle, &numbing}) ASSERT_EQ(r->status, 201) << r->body.dump();
  expect_problem(lot({{"kind", "pigment"}, {"product", "Carbon black SMP"}, {"lot", "CB-2027-07"}, {"expires_on", "2028-06-30"}}), 409, "lot",
                 "recorded");
  expect_problem(lot({{"kind", "ink"}, {"product", "x"}, {"lot", "y"}, {"expires_on", "2028-02-30"}}), 400, "kind", "pigment, needle");
  EXPECT_EQ(send("GET", "/api/v1/lots?q=nc-8", {practitioner}).body["lots"].size(), 1u) << "found ignoring case";
  const auto id = [](const Response& r) { return r.body["id"].get<std::string>(); };

  // The session: booked Monday 18 January at 10:00 in New York, charted that afternoon.
  store::Appointment a;
  a.client_id = client;
  a.practitioner_id = practitioner_id;
  a.kind = "session";
  a.session_number = 1;
  a.start = parse_rfc3339("2027-01-18T10:00:00-05:00").value();
  a.end = a.start + 3 * 3'600'000LL;
  a.created_by = practitioner_id;
  const std::string appointment = store::book_appointment(*db_, a, now_).value().id;
  now_ = parse_rfc3339("2027-01-18T14:00:00-05:00").value();
  practitioner = session_for(Role::practitioner);
  owner = session_for(Role::owner);
  Json chart = {{"appointment_id", appointment},
                {"session_number", 1},
                {"zones", "hairline, temples, crown"},
                {"started_at", "2027-01-18T10:05:00-05:00"},
                {"ended_at", "2027-01-18T12:50:00-05:00"},
                {"dilution", "25%"},
                {"lots", {{{"lot_id", id(expired)}}, {{"lot_id", id(numbing)}}}},
                {"hygiene", {{"cartridges_opened_in_front", true}, {"gloves", true}, {"barrier_film", false}, {"surfaces_disinfected", true}}}};
  const std::string charts = "/api/v1/clients/" + client + "/charts";
  expect_problem(send("POST", charts, {practitioner}, chart.dump()), 400, "lots[0]",
                 "expected a lot in date on 2027-01-18, found Carbon black SMP lot CB-OLD expired 2027-01-10");
  Json wrong = chart;
  wrong["session_number"] = 2;
  expect_problem(send("POST", charts, {practitioner}, wrong.dump()), 400, "session_number", "the appointment's session");
  expect_problem(send("POST", charts, {session_for(Role::front_desk)}, chart.dump()), 403);
  chart["lots"] = {{{"lot_id", id(pigment)}}, {{"lot_id", id(numbing)}}};
  const Response draft = send("POST", charts, {practitioner}, chart.dump());
  ASSERT_EQ(draft.status, 201) << draft.body.dump();
  EXPECT_EQ(draft.body["status"], "draft");
  EXPECT_EQ(draft.body["started_at"], "2027-01-18T10:05:00-05:00");
  expect_problem(send("POST", charts, {practitioner}, chart.dump()), 409, "appointment_id", "not yet charted");
  const std::string path = "/api/v1/charts/" + id(draft);

  // Incomplete: no needle lot and the barrier film not confirmed.
  const Response incomplete = send("POST", path + "/signature", {practitioner}, R"({"version": 1})");
  expect_problem(incomplete, 422, "lots", "needle cartridges' lot");
  expect_problem(incomplete, 422, "hygiene.barrier_film", "barrier film");
  chart["version"] = 1;
  chart["lots"].push_back({{"lot_id", id(needle)}});
  chart["hygiene"]["barrier_film"] = true;
  const Response completed = send("PATCH", path, {practitioner}, chart.dump());
  ASSERT_EQ(completed.status, 200) << completed.body.dump();
  EXPECT_EQ(completed.body["version"], 2);
  EXPECT_EQ(completed.body["lots"].size(), 3u);
  expect_problem(send("POST", path + "/signature", {owner}, R"({"version": 2})"), 403);
  expect_problem(send("POST", path + "/signature", {practitioner}, R"({"version": 1})"), 409, "version");
  const Response signed_chart = send("POST", path + "/signature", {practitioner}, R"({"version": 2})");
  ASSERT_EQ(signed_chart.status, 200) << signed_chart.body.dump();
  EXPECT_EQ(signed_chart.body["status"], "signed");
  EXPECT_EQ(signed_chart.body["signed_by"], practitioner_id);

  // Locked: through the API and past it.
  chart["version"] = 3;
  chart["zones"] = "crown";
  expect_problem(send("PATCH", path, {practitioner}, chart.dump()), 409, "version", "amendment");
  {
    store::Database::Lease lease(*db_);
    const std::string zones = "crown", chart_id = id(draft), lot_id = id(pigment);
    EXPECT_ANY_THROW((lease.sql() << "UPDATE session_charts SET zones = :z WHERE id = :id", soci::use(zones), soci::use(chart_id)));
    EXPECT_ANY_THROW((lease.sql() << "DELETE FROM chart_lots WHERE chart_id = :c AND lot_id = :l", soci::use(chart_id), soci::use(lot_id)));
    EXPECT_ANY_THROW((lease.sql() << "DELETE FROM session_charts WHERE id = :id", soci::use(chart_id)));
  }
  const Response amended = send("POST", path + "/amendments", {owner}, R"({"text": "The temples were left for session 2."})");
  ASSERT_EQ(amended.status, 201) << amended.body.dump();
  ASSERT_EQ(amended.body["amendments"].size(), 1u);
  EXPECT_EQ(amended.body["amendments"][0]["created_by"], users_[Role::owner].id);
  EXPECT_EQ(amended.body["zones"], "hairline, temples, crown") << "the original stays as signed";

  // Who received the pigment's lot: the client, reachable, and the session.
  const Response recall = send("GET", "/api/v1/lots/" + id(pigment) + "/recipients", {session_for(Role::front_desk)});
  ASSERT_EQ(recall.status, 200) << recall.body.dump();
  ASSERT_EQ(recall.body["recipients"].size(), 1u);
  const Json& r = recall.body["recipients"][0];
  EXPECT_EQ(r["client_name"], "Rory Recall");
  EXPECT_EQ(r["email"], "rory@example.com");
  EXPECT_EQ(r["phone"], "+1 212 555 0143");
  EXPECT_EQ(r["session_number"], 1);
  EXPECT_EQ(r["started_at"], "2027-01-18T10:05:00-05:00");
  EXPECT_EQ(send("GET", "/api/v1/lots/" + id(expired) + "/recipients", {owner}).body["recipients"].size(), 0u);
  // The month's report counts the signed session; the recall falls 3-8 years after it (brief section 7).
  const Response month = send("GET", "/api/v1/reports/sessions?from=2027-01&months=1", {owner});
  ASSERT_EQ(month.status, 200) << month.body.dump();
  EXPECT_EQ(month.body["months"][0]["sessions"], 1);
  EXPECT_EQ(month.body["months"][0]["clients"], 1);
  EXPECT_EQ(month.body["months"][0]["by_practitioner"][0]["practitioner_id"], practitioner_id);
  const Response recalls = send("GET", "/api/v1/reports/recalls?from=2030-01&months=36", {session_for(Role::front_desk)});
  ASSERT_EQ(recalls.status, 200) << recalls.body.dump();
  int due = 0;
  for (const Json& m : recalls.body["months"])
    for (const Json& c : m["clients"]) {
      ++due;
      EXPECT_EQ(c["client_name"], "Rory Recall");
      EXPECT_EQ(c["last_session"], "2027-01-18");
      EXPECT_EQ(c["from_intake"], false) << "no intake: moderate sun and type III";
      const double years = c["years"].get<double>();
      EXPECT_GE(years, 3.0);
      EXPECT_LE(years, 8.0);
      const auto last = plan::parse_date("2027-01-18").value(), when = plan::parse_date(c["due"].get<std::string>()).value();
      EXPECT_NEAR((when - last).count() / 365.2425, years, 0.06);
      EXPECT_EQ(m["month"], c["due"].get<std::string>().substr(0, 7));
    }
  EXPECT_EQ(due, 1);
  expect_problem(send("GET", "/api/v1/reports/recalls?from=2030-13", {owner}), 400, "from", "YYYY-MM");
  int chart_entries = 0;
  for (const store::AuditEntry& e : audit_of(client)) chart_entries += e.resource == "chart";
  EXPECT_GE(chart_entries, 4) << "created, changed, signed, amended";
}

TEST_P(StudioTest, SignInSetsAStrictHttpOnlyCookieWithANewTokenEveryTime) {
  const Response res = send("POST", "/api/v1/session", {},
                            Json{{"email", "PRACTITIONER@clinic.example"}, {"password", kPassword}}.dump());
  ASSERT_EQ(res.status, 201);
  const std::string set = res.header("Set-Cookie");
  EXPECT_NE(set.find("; HttpOnly"), std::string::npos) << set;
  EXPECT_NE(set.find("; SameSite=Strict"), std::string::npos) << set;
  EXPECT_NE(set.find("; Path=/"), std::string::npos) << set;
  EXPECT_EQ(set.find("Secure"), std::string::npos) << "plain http: no Secure flag";
  EXPECT_EQ(res.body["role"], "practitioner");
  const std::string first = cookie_of(res);
  EXPECT_EQ(first.size(), std::string("stipple_session=").size() + 43);

  // Fixation: a cookie planted before sign-in is replaced, and never becomes valid.
  const std::string planted = "stipple_session=AttackerChoseThisValueAttackerChoseThisValue123";
  const std::string after_plant = sign_in(Role::practitioner, planted);
  EXPECT_NE(after_plant, planted);
  expect_problem(send("GET", "/api/v1/me", {planted}), 401);
  EXPECT_EQ(send("GET", "/api/v1/me", {after_plant}).status, 200);

  // Signing in again with a live session: a new token, and the old one ends.
  const std::string second = sign_in(Role::practitioner, first);
  EXPECT_NE(second, first);
  expect_problem(send("GET", "/api/v1/me", {first}), 401);
  const Response me = send("GET", "/api/v1/me", {second});
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["email"], "practitioner@clinic.example");

  // Sign out: the cookie is cleared and the token is dead.
  const Response out = send("DELETE", "/api/v1/session", {second});
  EXPECT_EQ(out.status, 204);
  EXPECT_NE(out.header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  expect_problem(send("GET", "/api/v1/me", {second}), 401);
}

TEST_P(StudioTest, WrongPasswordsAndUnknownEmailsGetTheSame401) {
  const Response wrong = send("POST", "/api/v1/session", {}, R"({"email": "owner@clinic.example", "password": "nope"})");
  const Response unknown = send("POST", "/api/v1/session", {}, R"({"email": "ghost@clinic.example", "password": "nope"})");
  expect_problem(wrong, 401);
  expect_problem(unknown, 401);
  EXPECT_EQ(wrong.body["detail"], unknown.body["detail"]);
  EXPECT_TRUE(wrong.header("Set-Cookie").empty());
}

TEST_P(StudioTest, UnsafeMethodsNeedTheXRequestedWithHeader) {
  const std::string cookie = session_for(Role::owner);
  const std::string body = R"({"name": "Csrf Victim", "sex": "male"})";
  Response r = send("POST", "/api/v1/clients", {cookie, false}, body);
  expect_problem(r, 403, "X-Requested-With", "expected the header");
  EXPECT_EQ(r.body["type"], "urn:stipple:problem:missing-x-requested-with");
  r = send("POST", "/api/v1/clients", {cookie, false}, body, "application/json", {{"X-Requested-With", "XMLHttpRequest"}});
  expect_problem(r, 403);
  expect_problem(send("DELETE", "/api/v1/session", {cookie, false}), 403);
  expect_problem(send("POST", "/api/v1/session", {"", false}, R"({"email": "owner@clinic.example", "password": "x"})"), 403);
  EXPECT_EQ(send("GET", "/api/v1/clients", {cookie, false}).status, 200) << "safe methods need no header";
  EXPECT_EQ(store::search_clients(*db_, "csrf", 10).value().size(), 0u) << "nothing was created";
  EXPECT_EQ(send("POST", "/api/v1/clients", {cookie, true}, body).status, 201);
}

TEST_P(StudioTest, SignInIsRateLimitedPerEmailThenPerIpWithRetryAfter) {
  const std::string bad = R"({"email": "owner@clinic.example", "password": "guess"})";
  for (int i = 0; i < 5; ++i) expect_problem(send("POST", "/api/v1/session", {}, bad), 401);
  const Json good{{"email", "owner@clinic.example"}, {"password", kPassword}};
  Response r = send("POST", "/api/v1/session", {}, good.dump());
  expect_problem(r, 429);
  EXPECT_EQ(r.body["type"], "urn:stipple:problem:too-many-attempts");
  const long long retry = std::stoll(r.header("Retry-After"));
  EXPECT_GT(retry, 0);
  EXPECT_LE(retry, 15 * 60);
  EXPECT_TRUE(r.header("Set-Cookie").empty()) << "the right password does not get past the limit";
  now_ += retry * 1000;
  EXPECT_EQ(send("POST", "/api/v1/session", {}, good.dump()).status, 201) << "after Retry-After seconds";

  // Per IP: failures spread over many emails (this fixture allows 8 per address).
  for (int i = 0; i < 8; ++i)
    expect_problem(send("POST", "/api/v1/session", {}, Json{{"email", fmt::format("u{}@x.example", i)}, {"password", "p"}}.dump()), 401);
  r = send("POST", "/api/v1/session", {}, Json{{"email", "front_desk@clinic.example"}, {"password", kPassword}}.dump());
  expect_problem(r, 429);
  EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST_P(StudioTest, SessionsEndWhenIdleAndAtTheirAbsoluteLifetime) {
  const std::string cookie = sign_in(Role::front_desk);
  const store::SessionPolicy policy;
  now_ += policy.idle_timeout_ms - 60'000;
  EXPECT_EQ(send("GET", "/api/v1/me", {cookie}).status, 200);
  now_ += policy.idle_timeout_ms - 60'000;
  EXPECT_EQ(send("GET", "/api/v1/me", {cookie}).status, 200) << "activity restarts the idle timer";
  now_ += policy.idle_timeout_ms + 1;
  expect_problem(send("GET", "/api/v1/me", {cookie}), 401);

  const std::string busy = sign_in(Role::front_desk);
  const store::TimeMs signed_in = now_;
  while (now_ + policy.idle_timeout_ms / 2 <= signed_in + policy.absolute_lifetime_ms) {
    now_ += policy.idle_timeout_ms / 2;
    ASSERT_EQ(send("GET", "/api/v1/me", {busy}).status, 200);
  }
  now_ = signed_in + policy.absolute_lifetime_ms + 1;
  expect_problem(send("GET", "/api/v1/me", {busy}), 401);
}

TEST_P(StudioTest, AStaleVersionGets409WithTheCurrentVersion) {
  const std::string cookie = session_for(Role::practitioner);
  const std::string id = new_client("Vera Version");
  const std::string path = "/api/v1/clients/" + id;
  Response r = send("GET", path, {cookie});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["version"], 1);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  r = send("PATCH", path, {cookie}, R"({"version": 1, "phone": "+44 20 7946 0018", "notes": "second visit"})");
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["version"], 2);
  EXPECT_EQ(r.body["phone"], "+44 20 7946 0018");
  EXPECT_EQ(r.body["notes"], "second visit");
  EXPECT_EQ(r.body["name"], "Vera Version") << "fields not sent keep their value";
  // A second editor who read version 1.
  r = send("PATCH", path, {cookie}, R"({"version": 1, "phone": "+1 555 0199"})");
  expect_problem(r, 409, "version", "expected the current version");
  EXPECT_EQ(r.body["type"], "urn:stipple:problem:stale-version");
  EXPECT_EQ(r.body["current_version"], 2);
  EXPECT_EQ(store::find_client(*db_, id)->phone, "+44 20 7946 0018");
  // null clears an optional field.
  r = send("PATCH", path, {cookie}, R"({"version": 2, "phone": null})");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body["phone"].is_null());
  expect_problem(send("PATCH", "/api/v1/clients/nosuchclient", {cookie}, R"({"version": 1})"), 404);
  expect_problem(send("PATCH", path, {cookie}, R"({"phone": "1"})"), 400, "version", "required");
}

TEST_P(StudioTest, BadBodiesGetProblemDetailsNamingTheField) {
  const std::string cookie = session_for(Role::owner);
  const auto post = [&](std::string body, std::string type = "application/json") {
    return send("POST", "/api/v1/clients", {cookie}, std::move(body), std::move(type));
  };
  Response r = post(R"({"name": "Ann", "sex": )");
  expect_problem(r, 400);
  EXPECT_TRUE(r.body["errors"][0]["field"].get<std::string>().starts_with("line 1, column")) << r.body.dump();
  expect_problem(post(R"({"name": 42, "sex": "female"})"), 400, "name", "expected a string, found 42");
  expect_problem(post(R"({"name": "Ann", "sex": ["female"]})"), 400, "sex", "expected a string, found an array");
  expect_problem(post(R"({"nmae": "Ann", "sex": "female"})"), 400, "nmae", "did you mean \"name\"");
  r = post(R"({"sex": "mostly"})");
  expect_problem(r, 400, "name", "required");
  expect_problem(r, 400, "sex", "expected male, female or other");
  expect_problem(post(R"({"name": "Ann", "sex": "female", "email": "not-an-email"})"), 400, "email", "an email address");
  expect_problem(post(R"({"name": "Ann", "sex": "female", "date_of_birth": "1990-02-30"})"), 400, "date_of_birth", "YYYY-MM-DD");
  expect_problem(post(R"({"name": "Ann", "sex": "female", "date_of_birth": "2999-01-01"})"), 400, "date_of_birth");
  expect_problem(post(R"({"name": "Ann", "sex": "female", "phone": "call me"})"), 400, "phone", "a phone number");
  expect_problem(post(R"({"name": "Ann", "name": "Bob", "sex": "female"})"), 400, "name", "once");
  expect_problem(post("[1, 2]"), 400, "", "expected a JSON object, found an array");
  expect_problem(post("\xff\xfe{}"), 400);
  expect_problem(post(R"({"name": "A\u0000nn", "sex": "female"})"), 400, "name", "control characters");
  expect_problem(post(R"({"name": "Ann", "sex": "female"})", "text/plain"), 415, "Content-Type", "application/json");
  r = post(std::string(70 * 1024, ' '));  // over this fixture's 64 KiB limit
  expect_problem(r, 413);
  EXPECT_EQ(r.body["type"], "urn:stipple:problem:too-large");
  // Nesting past the document limit, huge numbers: refused, never a crash.
  expect_problem(post(std::string(200, '[') + std::string(200, ']')), 400);
  expect_problem(send("PATCH", "/api/v1/clients/x", {cookie}, R"({"version": 1e400})"), 400);
  expect_problem(send("PATCH", "/api/v1/clients/x", {cookie}, R"({"version": 99999999999999999999})"), 400, "version");
  EXPECT_EQ(send("GET", "/healthz", {}).status, 200) << "still serving";
}

TEST_P(StudioTest, SearchIsCaseInsensitiveAndItsQueryIsChecked) {
  const std::string cookie = session_for(Role::front_desk);
  for (const char* name : {"Émile Zola", "emma stone", "Emil Nolde", "Bob Marley"}) new_client(name);
  Response r = send("GET", "/api/v1/clients?q=EM", {cookie});
  ASSERT_EQ(r.status, 200);
  std::vector<std::string> names;
  for (const Json& c : r.body["clients"]) names.push_back(c["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"Emil Nolde", "emma stone"})) << "É is not E";
  r = send("GET", "/api/v1/clients?q=%C3%A9MILE", {cookie});
  ASSERT_EQ(r.body["clients"].size(), 1u);
  EXPECT_EQ(r.body["clients"][0]["name"], "Émile Zola");
  EXPECT_EQ(send("GET", "/api/v1/clients?limit=2", {cookie}).body["clients"].size(), 2u);
  expect_problem(send("GET", "/api/v1/clients?limit=abc", {cookie}), 400, "limit", "a whole number from 1 to 100");
  expect_problem(send("GET", "/api/v1/clients?limit=0", {cookie}), 400, "limit");
  expect_problem(send("GET", "/api/v1/clients?qq=x", {cookie}), 400, "qq", "did you mean \"q\"");
  expect_problem(send("GET", "/api/v1/clients?q=a&q=b", {cookie}), 400, "q", "once");
}

TEST_P(StudioTest, FrontDeskSeesContactDetailsButNoClinicalNotes) {
  const std::string id = new_client("Nora Notes");
  const std::string desk = session_for(Role::front_desk), practitioner = session_for(Role::practitioner);
  Response r = send("GET", "/api/v1/clients/" + id, {desk});
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(r.body.contains("notes"));
  EXPECT_EQ(r.body["name"], "Nora Notes");
  r = send("GET", "/api/v1/clients/" + id, {practitioner});
  EXPECT_EQ(r.body["notes"], "crown thinning, patch test done");
  const Response list = send("GET", "/api/v1/clients", {practitioner});
  for (const Json& c : list.body["clients"])
    EXPECT_FALSE(c.contains("notes")) << "lists carry contact details only";
  r = send("POST", "/api/v1/clients", {desk}, R"({"name": "Desk Entry", "sex": "other", "notes": "x"})");
  expect_problem(r, 403, "notes");
  r = send("PATCH", "/api/v1/clients/" + id, {desk}, R"({"version": 1, "notes": ""})");
  expect_problem(r, 403, "notes");
  EXPECT_EQ(send("PATCH", "/api/v1/clients/" + id, {desk}, R"({"version": 1, "email": "nora@example.org"})").status, 200);
  r = send("POST", "/api/v1/clients", {desk}, R"({"name": "Desk Entry", "sex": "other"})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.header("Location"), "/api/v1/clients/" + r.body["id"].get<std::string>());
}

TEST_P(StudioTest, EveryAccessToHealthDataIsInTheOwnersAuditLog) {
  const std::string practitioner = session_for(Role::practitioner), owner = session_for(Role::owner);
  Response r = send("POST", "/api/v1/clients", {practitioner}, R"({"name": "Audited Person", "sex": "male"})");
  ASSERT_EQ(r.status, 201);
  const std::string id = r.body["id"];
  send("GET", "/api/v1/clients/" + id, {practitioner});
  send("PATCH", "/api/v1/clients/" + id, {practitioner}, R"({"version": 1, "notes": "ok"})");
  send("GET", "/api/v1/clients?q=audited", {practitioner});  // contact details only: not audited
  r = send("GET", "/api/v1/audit?client=" + id, {owner});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  std::vector<std::string> actions;
  for (const Json& e : r.body["entries"]) {
    actions.push_back(e["action"]);
    EXPECT_EQ(e["user_id"], users_[Role::practitioner].id);
    EXPECT_EQ(e["user_name"], "The practitioner");
    EXPECT_EQ(e["client_id"], id);
    EXPECT_EQ(e["ip"], "127.0.0.1");
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"update", "read", "create"}));
  EXPECT_EQ(r.body["chain"]["intact"], true);
  expect_problem(send("GET", "/api/v1/audit", {owner}), 400, "client", "required");
  expect_problem(send("GET", "/api/v1/audit?client=" + id, {practitioner}), 403);
}

TEST_P(StudioTest, UnknownPathsAndMethodsAreProblemsToo) {
  expect_problem(send("GET", "/api/v1/nothing", {}), 404);
  Response r = send("PUT", "/api/v1/me", {});
  expect_problem(r, 405);
  EXPECT_EQ(r.header("Allow"), "GET");
  expect_problem(send("GET", "/api/v1/clients/", {session_for(Role::owner)}), 404);
  r = send("GET", "/healthz", {});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, Json({{"status", "ok"}}));
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(send("HEAD", "/healthz", {}).status, 200);
}

TEST_P(StudioTest, TheServedOpenApiDocumentDescribesExactlyTheRouteTable) {
  const Response r = send("GET", "/api/v1/openapi.json", {});
  ASSERT_EQ(r.status, 200);
  const Json& doc = r.body;
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc, Json::parse(openapi_document().dump())) << "served as generated";
  std::size_t operations = 0;
  for (const auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  EXPECT_EQ(operations, routes().size()) << "no operation that the table lacks";
  std::set<std::string> ids;
  for (const Route& route : routes()) {
    std::string method(route.method);
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    SCOPED_TRACE(fmt::format("{} {}", route.method, route.pattern));
    const Json& op = doc["paths"][std::string(route.pattern)][method];
    ASSERT_TRUE(op.is_object());
    EXPECT_TRUE(ids.insert(op["operationId"]).second) << "operation ids are unique";
    std::vector<std::string> roles;
    for (Role role : {Role::owner, Role::practitioner, Role::front_desk})
      if (route.sign_in && role_allowed(route, role)) roles.emplace_back(to_string(role));
    EXPECT_EQ(op["x-stipple-roles"], Json(roles));
    EXPECT_EQ(op["x-stipple-audited"], route.health_data);
    EXPECT_TRUE(op["responses"].contains(std::to_string(route.doc.success_status)));
    if (route.sign_in) {
      EXPECT_TRUE(op["responses"].contains("401") && op["responses"].contains("403"));
    }
    // Who may call it, as security requirements: the session cookie when it needs one, and
    // the X-Requested-With header on unsafe methods (a scheme, so a generated client sends it once for all).
    Json requirement = Json::object();
    if (route.sign_in) requirement["sessionCookie"] = Json::array();
    if (route.method != "GET") requirement["requestedWith"] = Json::array();
    EXPECT_EQ(op["security"], requirement.empty() ? Json::array() : Json::array({requirement}));
    for (const Json& p : op.value("parameters", Json::array())) EXPECT_NE(p["in"], "header") << p.dump();
  }
  // Every $ref resolves.
  std::function<void(const Json&)> refs = [&](const Json& j) {
    if (j.is_object()) {
      if (j.contains("$ref")) {
        const std::string ref = j["$ref"];
        ASSERT_TRUE(ref.starts_with("#/components/schemas/")) << ref;
        EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(21))) << ref;
      }
      for (const auto& [k, v] : j.items()) refs(v);
    } else if (j.is_array()) {
      for (const Json& v : j) refs(v);
    }
  };
  refs(doc);
}

TEST_P(StudioTest, TheDemoClinicIsSeededOnceAndItsLoginsSignIn) {
  const auto first = seed_demo_clinic(*db_, now_, data_dir_.string());
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->clients_created, 7);
  ASSERT_EQ(first->consultations.size(), 3u) << "the sample client, the referral and the decline";
  // The diary's week: every booking of the week on the default clinic's open days and hours.
  EXPECT_EQ(first->appointments_booked, 7);
  EXPECT_EQ(first->credentials_recorded, 5);
  EXPECT_EQ(first->consents_signed, 13) << "six clients with an intake, two texts each, and the sample client's marketing consent";
  EXPECT_EQ(first->lots_recorded, 4);
  EXPECT_EQ(first->charts_signed, 2);
  // The demo's pigment lot lists the treated client as its recipient, twice.
  const auto lots = store::search_lots(*db_, "DEMO-CB-2611", 10).value();
  ASSERT_EQ(lots.size(), 1u);
  const auto recipients = store::recipients_of_lot(*db_, lots[0].id).value();
  ASSERT_EQ(recipients.size(), 2u);
  EXPECT_EQ(recipients[0].client_name, "Tomas Novak");
  EXPECT_EQ(store::list_chairs(*db_).value().size(), 2u);
  // A restarted server runs what was queued.
  stop_server();
  start_server();
  const std::string practitioner = session_for(Role::practitioner);
  std::vector<std::string> candidacies;
  for (const std::string& id : first->consultations) {
    const Json c = wait_for(id, practitioner);
    EXPECT_EQ(c.value("status", ""), "done") << c.dump();
    candidacies.push_back(c["assessment"].value("candidacy", ""));
  }
  EXPECT_EQ(candidacies, (std::vector<std::string>{"candidate_with_conditions", "refer", "not_recommended"}));
  // A changed password, and seeding again: the demo's logins work again, nothing is doubled.
  const auto owner = store::find_user_by_email(*db_, "owner@demo.example").value().value();
  ASSERT_TRUE(store::set_password(*db_, owner.id, "somebody changed it").has_value());
  const auto again = seed_demo_clinic(*db_, now_, data_dir_.string());
  ASSERT_TRUE(again.has_value()) << again.error().message;
  EXPECT_EQ(again->clients_created, 0);
  EXPECT_EQ(again->clients_kept, 7);
  EXPECT_TRUE(again->consultations.empty()) << "nothing queued twice";
  EXPECT_EQ(again->appointments_booked, 0) << "nothing booked twice";
  EXPECT_EQ(again->credentials_recorded, 0) << "nothing recorded twice";
  EXPECT_EQ(again->consents_signed, 0) << "nothing signed twice";
  EXPECT_EQ(store::list_chairs(*db_).value().size(), 2u);
  ASSERT_EQ(again->logins.size(), 3u);
  std::set<Role> roles;
  for (const DemoLogin& login : again->logins) {
    SCOPED_TRACE(login.email);
    roles.insert(login.role);
    const Response r = send("POST", "/api/v1/session", {}, Json{{"email", login.email}, {"password", login.password}}.dump());
    EXPECT_EQ(r.status, 201);
    EXPECT_EQ(r.body["role"], std::string(to_string(login.role)));
  }
  EXPECT_EQ(roles.size(), 3u) << "one login of each role";
  const std::string cookie = session_for(Role::practitioner);
  const Response list = send("GET", "/api/v1/clients?q=reyes", {cookie});
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["clients"].size(), 1u);
  // Daniel Reyes is 38 in docs/examples/sample-client.intake.json, and so on his date of birth today.
  const std::string dob = list.body["clients"][0]["date_of_birth"];
  const auto today = std::chrono::year_month_day{std::chrono::floor<std::chrono::days>(
      std::chrono::sys_time<std::chrono::milliseconds>(std::chrono::milliseconds(now_.load())))};
  const int y = std::stoi(dob.substr(0, 4)), m = std::stoi(dob.substr(5, 2)), d = std::stoi(dob.substr(8, 2));
  int age = static_cast<int>(today.year()) - y;
  if (static_cast<unsigned>(today.month()) * 100 + static_cast<unsigned>(today.day()) < static_cast<unsigned>(m * 100 + d)) --age;
  EXPECT_EQ(age, 38) << dob;
  const std::string daniel = list.body["clients"][0].value("id", "");
  const Response photos = send("GET", "/api/v1/clients/" + daniel + "/photos", {cookie});
  ASSERT_EQ(photos.body["photos"].size(), 1u) << "the sample client's photo from above";
  EXPECT_EQ(photos.body["photos"][0]["view"], "top");
  EXPECT_EQ(send("GET", "/api/v1/clients/" + daniel + "/intakes", {cookie}).body["intakes"].size(), 1u);
  EXPECT_EQ(store::verify_audit_chain(*db_).value().first_bad_seq, 0);
}

// Photos from a phone or a desktop: every kind stored upright, re-encoded, with
// nothing of the upload's metadata, and a thumbnail.
TEST_P(StudioTest, PhotosOfEveryKindAreStoredUprightWithoutTheirMetadata) {
  const std::string client = new_client();
  record_consents(client);
  const std::string cookie = session_for(Role::practitioner);
  // A JPEG turned by its EXIF orientation (6: 90 degrees clockwise), with a comment that must not survive.
  std::string jpg = testing::encode_image(testing::half_red_picture(), ".jpg");
  std::vector<unsigned char> raw(jpg.begin(), jpg.end());
  raw = testing::with_exif_orientation(raw, 6);
  std::string turned(raw.begin(), raw.end());
  const std::string comment = "GPSLatitude 51.5007 N, GPSLongitude 0.1246 W";
  const std::uint16_t len = static_cast<std::uint16_t>(comment.size() + 2);
  turned.insert(2, std::string("\xFF\xFE") + static_cast<char>(len >> 8) + static_cast<char>(len & 0xFF) + comment);
  struct Upload {
    std::string query, bytes, type, stored_type, source_type;
    int width, height;
  };
  const Upload uploads[] = {
      {"kind=before&view=top&taken_on=2026-11-30", turned, "image/jpeg", "image/jpeg", "image/jpeg", 30, 60},
      {"kind=after&session=1&view=front", testing::encode_heic(testing::half_red_picture(), 6), "image/heic", "image/jpeg", "image/heic", 30, 60},
      {"kind=session&session=2&view=left", testing::encode_image(testing::half_red_picture(), ".webp"), "image/webp", "image/jpeg", "image/webp", 60, 30},
      {"kind=touch_up&view=back", testing::encode_image(testing::half_red_picture(), ".png"), "image/png", "image/png", "image/png", 60, 30},
  };
  std::vector<std::string> ids;
  for (const Upload& u : uploads) {
    SCOPED_TRACE(u.query);
    now_ += 60'000;  // a minute between uploads
    const Response r = upload(client, u.query, u.bytes, u.type, cookie);
    ASSERT_EQ(r.status, 201) << r.body.dump();
    EXPECT_EQ(r.body["content_type"], u.stored_type);
    EXPECT_EQ(r.body["source_type"], u.source_type);
    EXPECT_EQ(r.body["width"], u.width);
    EXPECT_EQ(r.body["height"], u.height);
    EXPECT_EQ(r.header("Location"), "/api/v1/photos/" + r.body.value("id", ""));
    const Response img = send("GET", r.body.value("url", ""), {cookie});
    ASSERT_EQ(img.status, 200);
    EXPECT_EQ(img.content_type, u.stored_type);
    EXPECT_EQ(img.raw.find("Exif"), std::string::npos) << "no EXIF block";
    EXPECT_EQ(img.raw.find("GPS"), std::string::npos) << "nothing of the upload's metadata";
    EXPECT_EQ(store::sha256_hex(img.raw), r.body["sha256"]);
    const cv::Mat m = cv::imdecode(cv::Mat(1, static_cast<int>(img.raw.size()), CV_8UC1, const_cast<char*>(img.raw.data())), cv::IMREAD_COLOR);
    ASSERT_EQ(m.cols, u.width);
    ASSERT_EQ(m.rows, u.height);
    if (u.height == 60) {  // turned upright: red on top
      EXPECT_GT(m.at<cv::Vec3b>(12, 15)[2], 180);
      EXPECT_GT(m.at<cv::Vec3b>(48, 15)[1], 180);
    }
    const Response thumb = send("GET", r.body.value("thumbnail_url", ""), {cookie});
    ASSERT_EQ(thumb.status, 200);
    EXPECT_EQ(thumb.content_type, "image/jpeg");
    ids.push_back(r.body.value("id", ""));
  }
  const Response list = send("GET", "/api/v1/clients/" + client + "/photos", {cookie});
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.body["photos"].size(), 4u);
  EXPECT_EQ(list.body["photos"][0]["id"], ids.back()) << "newest first";
  EXPECT_EQ(list.body["photos"][3]["taken_on"], "2026-11-30");
  EXPECT_EQ(list.body["photos"][2]["session"], 1);
  // Each upload and each read of a picture is in the audit log.
  int created = 0;
  for (const auto& e : audit_of(client)) created += e.action == "create" && e.resource == "photo";
  EXPECT_EQ(created, 4);
}

// The whole record as one ZIP: every part of it, each file matching its manifest line.
TEST_P(StudioTest, AnExportHoldsTheWholeRecordEachFileAsItsManifestSays) {
  const std::string client = new_client("Zed Export");
  record_consents(client);
  const std::string cookie = session_for(Role::practitioner);
  const std::string intake = post_intake(client, example("sample-client.intake.json"), cookie);
  const std::string consultation = start_consultation(client, intake, cookie);
  ASSERT_EQ(wait_for(consultation, cookie).value("status", ""), "done");
  const Response photo = upload(client, "kind=before&view=top", testing::encode_image(testing::half_red_picture(), ".jpg"), "image/jpeg", cookie);
  ASSERT_EQ(photo.status, 201);
  const Response r = send("GET", "/api/v1/clients/" + client + "/export", {cookie});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/zip");
  EXPECT_EQ(r.header("Content-Disposition"), "attachment; filename=\"client-" + client + ".zip\"") << "no client name in it";
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(r.raw.data(), r.raw.size(), 0, &error);
  zip_t* z = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error);
  ASSERT_NE(z, nullptr) << zip_error_strerror(&error);
  const auto read = [&](const std::string& name) -> std::optional<std::string> {
    zip_stat_t st;
    if (zip_stat(z, name.c_str(), 0, &st) != 0) return std::nullopt;
    zip_file_t* f = zip_fopen(z, name.c_str(), 0);
    std::string out(static_cast<std::size_t>(st.size), '\0');
    const auto n = zip_fread(f, out.data(), st.size);
    zip_fclose(f);
    return n == static_cast<zip_int64_t>(st.size) ? std::optional(out) : std::nullopt;
  };
  const Json manifest = Json::parse(read("manifest.json").value_or("{}"), nullptr, false);
  EXPECT_EQ(manifest["format"], "stipple.client-export/1");
  std::set<std::string> names;
  for (const Json& f : manifest["files"]) {
    const std::string name = f["name"];
    names.insert(name);
    const auto bytes = read(name);
    ASSERT_TRUE(bytes.has_value()) << name;
    EXPECT_EQ(store::sha256_hex(*bytes), f["sha256"]) << name;
  }
  EXPECT_EQ(static_cast<std::size_t>(zip_get_num_entries(z, 0)), names.size() + 1) << "every file is in the manifest";
  EXPECT_NE(read("client.json").value_or("").find("crown thinning, patch test done"), std::string::npos) << "clinical notes";
  EXPECT_TRUE(names.contains("intakes/" + intake + ".json"));
  EXPECT_TRUE(read("consultations/" + consultation + "/report.pdf").value_or("").starts_with("%PDF"));
  EXPECT_TRUE(names.contains("consultations/" + consultation + "/calendar.ics"));
  EXPECT_TRUE(names.contains("consultations/" + consultation + "/consultation.json"));
  EXPECT_TRUE(names.contains("photos/" + photo.body.value("id", "") + ".jpg"));
  EXPECT_NE(read("audit.json").value_or("").find("\"chain_intact\": true"), std::string::npos);
  zip_close(z);
  bool exported = false;
  for (const auto& e : audit_of(client)) exported = exported || e.action == "export";
  EXPECT_TRUE(exported) << "the export is in the audit log";
}

TEST_P(StudioTest, AnIntakeMustMatchTheClientsRecord) {
  const std::string client = new_client("Ada Client");  // a woman with no date of birth
  const std::string cookie = session_for(Role::practitioner);
  const std::string male = example("sample-client.intake.json");  // Daniel Reyes, male, 38
  Response r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, male);
  expect_problem(r, 400, "client.sex", "expected the client's sex as recorded (female), found male");
  store::ClientChanges change;
  change.sex = "male";
  change.date_of_birth = "1950-01-01";
  ASSERT_TRUE(store::update_client(*db_, client, 1, change, now_).has_value());
  r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, male);
  expect_problem(r, 400, "client.age", "the age the date of birth gives");
}

TEST_P(StudioTest, AnUploadThatIsNoPhotoOrTooMuchWorkIsRefusedAtItsField) {
  const std::string client = new_client();
  record_consents(client);
  const std::string cookie = session_for(Role::owner);
  const auto refused = [&](const Response& r, int status, const std::string& field, const std::string& words) {
    SCOPED_TRACE(r.body.dump());
    expect_problem(r, status);
    ASSERT_TRUE(r.body["errors"].is_array() && !r.body["errors"].empty());
    EXPECT_EQ(r.body["errors"][0]["field"], field);
    EXPECT_NE(r.body["errors"][0].value("message", "").find(words), std::string::npos);
  };
  refused(upload(client, "kind=before&view=top", "just some text", "image/jpeg", cookie), 422, "image", "another kind of file");
  cv::Mat noise(64, 64, CV_8UC3);
  cv::randu(noise, 0, 255);
  refused(upload(client, "kind=before&view=top", testing::jpeg_with_scans(noise, 5000), "image/jpeg", cookie), 422, "image",
          "at most 100 scans");
  std::string bomb = testing::encode_image(testing::half_red_picture(), ".png");
  for (int at : {16, 20}) bomb.replace(static_cast<std::size_t>(at), 4, std::string("\0\0\xEA\x60", 4));
  refused(upload(client, "kind=before&view=top", bomb, "image/png", cookie), 422, "image", "megapixels");
  const std::string good = testing::encode_image(testing::half_red_picture(), ".jpg");
  refused(upload(client, "kind=later&view=top", good, "image/jpeg", cookie), 400, "kind", "consultation, before, after, session or touch_up");
  refused(upload(client, "kind=before", good, "image/jpeg", cookie), 400, "view", "");
  refused(upload(client, "kind=before&view=top&session=2", good, "image/jpeg", cookie), 400, "session", "except with kind after or session");
  refused(upload(client, "kind=before&view=top&taken_on=2099-01-01", good, "image/jpeg", cookie), 400, "taken_on", "to today");
  refused(upload(client, "kind=before&view=top&colour=red", good, "image/jpeg", cookie), 400, "colour", "");
  expect_problem(upload(client, "kind=before&view=top", good, "text/plain", cookie), 415);
  expect_problem(upload("NOSUCHCLIENT", "kind=before&view=top", good, "image/jpeg", cookie), 404);
  // Bodies: 32 MiB for a photo, the server's JSON limit (64 KiB here) for everything else,
  // refused from Content-Length before a byte of the body is read (the request below sends none).
  const auto head_only = [&](const std::string& path, std::size_t length) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<std::uint16_t>(port_));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const timeval wait{2, 0};  // a refusal comes at once; a server reading the body sends nothing
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    const std::string head = fmt::format("POST {} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {}\r\nX-Requested-With: stipple\r\n"
                                         "Content-Type: image/jpeg\r\nContent-Length: {}\r\n\r\n", path, cookie, length);
    EXPECT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
    char buf[512] = {};
    const ssize_t got = ::recv(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    return std::string(buf, got > 0 ? static_cast<std::size_t>(got) : 0);
  };
  const std::string photos = "/api/v1/clients/" + client + "/photos?kind=before&view=top";
  EXPECT_TRUE(head_only(photos, (32u << 20) + 1).starts_with("HTTP/1.1 413")) << "one byte over a photo's 32 MiB";
  EXPECT_TRUE(head_only("/api/v1/clients", 64 * 1024 + 1).starts_with("HTTP/1.1 413")) << "one byte over the JSON limit";
  EXPECT_EQ(head_only(photos, 32u << 20).find("413"), std::string::npos) << "32 MiB is taken (the server waits for it)";
  expect_problem(send("POST", "/api/v1/clients", {cookie}, std::string(100 * 1024, ' ')), 413);
  EXPECT_EQ(send("GET", "/api/v1/clients/" + client + "/photos", {cookie}).body["photos"].size(), 0u) << "nothing stored";
  EXPECT_EQ(std::distance(std::filesystem::recursive_directory_iterator(data_dir_), {}), 0) << "no file left behind";
}

// Damaged pictures, as a fuzzer makes them from good ones (cut short, bytes
// flipped, a header alone): each is stored whole (201, and it decodes) or refused
// at the field `image` (422), never a 500, and a refusal leaves no file behind.
TEST_P(StudioTest, DamagedPhotosAreStoredWholeOrRefusedWithNothingLeftBehind) {
  const std::string client = new_client();
  record_consents(client);
  const std::string cookie = session_for(Role::practitioner);
  std::vector<std::pair<std::string, std::string>> good;  // bytes, type
  for (const char* ext : {".jpg", ".png", ".webp"})
    good.emplace_back(testing::encode_image(testing::half_red_picture(), ext),
                      std::string(ext) == ".jpg" ? "image/jpeg" : std::string(ext) == ".png" ? "image/png" : "image/webp");
  std::mt19937 rng(20261202);
  int stored = 0, refused = 0;
  for (const auto& [bytes, type] : good)
    for (int k = 0; k < 12; ++k) {
      std::string bad = bytes;
      if (k < 4) {
        bad.resize(bad.size() * static_cast<std::size_t>(k + 1) / 6);  // cut short
      } else if (k < 10) {
        for (int flips = 0; flips < 1 + k; ++flips)  // a few bytes flipped, past the signature
          bad[8 + rng() % (bad.size() - 8)] = static_cast<char>(rng());
      } else {
        bad.resize(std::min<std::size_t>(bad.size(), k == 10 ? 12 : 40));  // a header alone
      }
      const Response r = upload(client, "kind=before&view=top", bad, type, cookie);
      SCOPED_TRACE(fmt::format("{} #{}: {} {}", type, k, r.status, r.body.dump()));
      ASSERT_TRUE(r.status == 201 || r.status == 422);
      if (r.status == 201) {
        ++stored;
        const Response back = send("GET", "/api/v1/photos/" + r.body.value("id", ""), {cookie});
        const std::vector<unsigned char> buf(back.raw.begin(), back.raw.end());
        EXPECT_FALSE(cv::imdecode(buf, cv::IMREAD_COLOR).empty()) << "what is stored decodes";
      } else {
        ++refused;
        EXPECT_EQ(r.body["errors"][0]["field"], "image");
      }
    }
  EXPECT_GT(refused, 0);
  const auto rows = store::photos_of_client(*db_, client, 500).value();
  EXPECT_EQ(static_cast<int>(rows.size()), stored);
  std::size_t files = 0;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(data_dir_ / "photos" / client, ec)) files += f.is_regular_file();
  EXPECT_EQ(files, 2 * rows.size()) << "each stored photo and its thumbnail, nothing else";

  // Ids with path tricks name nothing: a 404 problem, never a file.
  for (const char* path : {"/api/v1/photos/..%2F..%2Fstipple.db", "/api/v1/photos/%2e%2e", "/api/v1/clients/..%2Fusers",
                           "/api/v1/consultations/x/documents/..%2F..%2Fstudio.db", "/api/v1/clients/%00"})
    expect_problem(send("GET", path, {cookie}), 404);
}

TEST_P(StudioTest, ConcurrentRequestsShareThePoolWithoutLosingAnAuditEntry) {
  constexpr int kThreads = 6, kRounds = 10;
  const std::string cookie = session_for(Role::practitioner);
  std::vector<std::string> ids;
  for (int t = 0; t < kThreads; ++t) ids.push_back(new_client(fmt::format("Parallel {}", t)));
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      const std::string path = "/api/v1/clients/" + ids[static_cast<std::size_t>(t)];
      for (int v = 1; v <= kRounds; ++v) {
        const Response patch = send("PATCH", path, {cookie}, Json{{"version", v}, {"notes", fmt::format("round {}", v)}}.dump());
        const Response get = send("GET", path, {cookie});
        if (patch.status != 200 || get.status != 200 || get.body["version"] != v + 1) ++failures;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  const auto chain = store::verify_audit_chain(*db_).value();
  EXPECT_EQ(chain.entries, kThreads * kRounds * 2);
  EXPECT_EQ(chain.first_bad_seq, 0);
}

TEST_P(StudioTest, AConsultationRunsToDoneAndASecondKeepsTheFirstsDocuments) {
  const std::string cookie = session_for(Role::practitioner);
  const std::string client = new_client("Sam Sample");
  const std::string intake = post_intake(client, example("sample-client.intake.json"), cookie);
  Response r = send("GET", "/api/v1/intakes/" + intake, {cookie});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["document"]["schema"], "stipple.intake/1");
  EXPECT_EQ(send("GET", "/api/v1/clients/" + client + "/intakes", {cookie}).body["intakes"].size(), 1u);

  const auto started = std::chrono::steady_clock::now();
  const std::string first = start_consultation(client, intake, cookie);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1)) << "the request does not wait for the engine";
  std::vector<double> progress;
  const Json done = wait_for(first, cookie, &progress);
  ASSERT_EQ(done["status"], "done") << done.dump();
  EXPECT_EQ(done["progress"], 1.0);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end())) << "progress only rises";
  EXPECT_GE(std::set<double>(progress.begin(), progress.end()).size(), 4u) << "it moves step by step";
  EXPECT_TRUE(done["planned"].get<bool>());
  EXPECT_FALSE(done["assessment"]["blocked"].get<bool>());
  EXPECT_EQ(done["assessment"]["candidacy"], "candidate_with_conditions");
  EXPECT_TRUE(done["design_id"].is_string());
  const Json& docs = done["documents"];
  for (const char* name : {"assessment.json", "summary.txt", "design.json", "measure.json", "dots.csv", "pattern-stats.json",
                           "top.before.png", "top.healed.png", "top.years-5.png", "three_quarter.before.png",
                           "three_quarter.healed.png", "progression.png", "timeline.png", "plan.json", "quote.json",
                           "calendar.ics", "report.pdf"})
    EXPECT_TRUE(docs.contains(name)) << name << " in " << docs.dump();
  EXPECT_EQ(docs["report.pdf"], "/api/v1/consultations/" + first + "/report.pdf");
  EXPECT_EQ(docs["quote.json"], "/api/v1/consultations/" + first + "/quote");
  std::map<std::string, std::string> bytes;
  for (const auto& [name, url] : docs.items()) {
    const Response d = send("GET", url.get<std::string>(), {cookie});
    SCOPED_TRACE(name);
    ASSERT_EQ(d.status, 200);
    EXPECT_FALSE(d.raw.empty());
    bytes[name] = d.raw;
    if (name.ends_with(".png")) {
      EXPECT_EQ(d.content_type, "image/png");
      const std::vector<unsigned char> buf(d.raw.begin(), d.raw.end());
      const cv::Mat image = cv::imdecode(buf, cv::IMREAD_COLOR);
      EXPECT_FALSE(image.empty()) << "decodes as an image";
    } else if (name.ends_with(".json")) {
      EXPECT_EQ(d.content_type, "application/json");
      EXPECT_TRUE(d.body.is_object());
    }
  }
  EXPECT_TRUE(bytes["report.pdf"].starts_with("%PDF-"));
  EXPECT_TRUE(bytes["calendar.ics"].starts_with("BEGIN:VCALENDAR\r\n"));
  EXPECT_NE(bytes["calendar.ics"].find("BEGIN:VEVENT"), std::string::npos);
  EXPECT_NE(bytes["calendar.ics"].find("END:VCALENDAR"), std::string::npos);
  EXPECT_EQ(Json::parse(bytes["quote.json"]), Json::parse(bytes["plan.json"])["quote"]);
  expect_problem(send("GET", "/api/v1/consultations/" + first + "/documents/nothing.png", {cookie}), 404);

  // Design choices in the engine's words only, each error at its field.
  Response bad = send("POST", "/api/v1/clients/" + client + "/consultations", {cookie},
                      Json{{"intake_id", intake}, {"design", {{"look", "mohawk"}, {"norwood", "IV"}, {"ludwig", "II"}, {"colour", "x"}}}}.dump());
  expect_problem(bad, 400, "design.look", "\"shaved\", \"density\"");
  expect_problem(bad, 400, "design.ludwig", "not both");
  expect_problem(bad, 400, "design.colour", "unknown");
  expect_problem(send("POST", "/api/v1/clients/" + client + "/consultations", {cookie},
                      Json{{"intake_id", intake}, {"design", "soft"}}.dump()),
                 400, "design");

  // A second run of the same intake a minute later, with the practitioner's design choices: new
  // documents that follow the choices; the first's stay as they were.
  now_ += 60'000;
  const Json choices = {{"hairline", "soft"}, {"pigment_tone", "cool"}, {"norwood", "IV"}, {"look", nullptr}};
  const std::string second = start_consultation(client, intake, cookie, {{"design", choices}});
  const Json rerun = wait_for(second, cookie);
  ASSERT_EQ(rerun["status"], "done") << rerun.dump();
  EXPECT_EQ(rerun["design_choices"], Json({{"hairline", "soft"}, {"pigment_tone", "cool"}, {"norwood", "IV"}})) << "null: the intake's";
  EXPECT_EQ(done["design_choices"], Json::object());
  const Json first_design = Json::parse(bytes["design.json"]);
  const Json second_design = send("GET", "/api/v1/consultations/" + second + "/documents/design.json", {cookie}).body;
  EXPECT_EQ(first_design["hairline"]["style"], "natural");
  EXPECT_EQ(first_design["pigment"]["tone"], "neutral");
  EXPECT_EQ(first_design["hair_loss"]["norwood"], "V") << "the intake's class";
  EXPECT_EQ(second_design["hairline"]["style"], "soft");
  EXPECT_EQ(second_design["pigment"]["tone"], "cool");
  EXPECT_EQ(second_design["hair_loss"]["norwood"], "IV");
  EXPECT_EQ(second_design["look"], first_design["look"]);
  const Json first_measure = Json::parse(bytes["measure.json"]);
  const Json second_measure = send("GET", "/api/v1/consultations/" + second + "/documents/measure.json", {cookie}).body;
  EXPECT_NE(first_measure.dump(), second_measure.dump()) << "the measurements follow the smaller loss of Norwood IV";
  EXPECT_NE(second, first);
  for (const auto& [name, url] : docs.items()) {
    const Response d = send("GET", url.get<std::string>(), {cookie});
    EXPECT_EQ(d.raw, bytes[name]) << name;
  }
  const auto first_docs = store::documents_of(*db_, first).value(), second_docs = store::documents_of(*db_, second).value();
  EXPECT_EQ(first_docs.size(), second_docs.size());
  for (const store::Document& d : first_docs)
    EXPECT_TRUE(std::filesystem::exists(data_dir_ / d.path)) << d.path;
  r = send("GET", "/api/v1/clients/" + client + "/consultations", {cookie});
  ASSERT_EQ(r.body["consultations"].size(), 2u);
  EXPECT_EQ(r.body["consultations"][0]["id"], second) << "newest first";
  EXPECT_FALSE(std::filesystem::exists(data_dir_ / "work" / first)) << "the worker's folder is removed";

  // Every read and write was audited, naming the client.
  std::set<std::string> seen;
  for (const store::AuditEntry& e : audit_of(client)) seen.insert(e.action + " " + e.resource + " " + e.detail);
  for (const char* entry : {"create intake ", "read intake ", "create consultation ", "read consultation ",
                            "read document report.pdf", "read document calendar.ics", "read document top.healed.png"})
    EXPECT_TRUE(seen.contains(entry)) << entry;
  EXPECT_EQ(store::verify_audit_chain(*db_).value().first_bad_seq, 0);

  // A file changed on disk is not the document any more: never served.
  const store::Document summary = store::find_document(*db_, first, "summary.txt").value();
  std::ofstream(data_dir_ / summary.path, std::ios::binary | std::ios::trunc) << "edited";
  expect_problem(send("GET", docs["summary.txt"].get<std::string>(), {cookie}), 500);
}

// The owner sets up the clinic; the engine's readers check each document; the
// next consultation is planned in the clinic's zone, week and currency.
TEST_P(StudioTest, TheOwnersClinicSettingsAreCheckedVersionedAndPlannedWith) {
  // 02:00 UTC on Saturday 16 January 2027: still Friday 15th in New York (UTC-5), Saturday 16th in London (UTC+0).
  now_ = kStart + 18 * 3'600'000;
  const std::string owner = session_for(Role::owner), practitioner = session_for(Role::practitioner);
  Response r = send("GET", "/api/v1/clinic", {session_for(Role::front_desk)});
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["version"], 0) << "the bundled defaults before the first save";
  EXPECT_TRUE(r.body["saved_by"].is_null());
  EXPECT_EQ(r.body["clinic"]["name"], "Stipple Demo Clinic");
  EXPECT_EQ(r.body["clinic"]["time_zone"], "America/New_York");
  EXPECT_EQ(r.body["pricing"]["currency"], "USD");
  EXPECT_EQ(r.body["today"], "2027-01-15");

  Json edit = {{"version", 0}, {"clinic", r.body["clinic"]}, {"pricing", r.body["pricing"]}, {"care", r.body["care"]}};
  // Errors in each document, every one at its field under the document's name, in one answer
  // (the engine's reader stops at the first; the studio reads again with that field as in force).
  Json bad = edit;
  bad["clinic"]["time_zone"] = "Europe/Londres";
  bad["clinic"]["name"] = "";
  bad["clinic"]["session"]["spacing_days"]["max"] = 5;
  bad["pricing"]["treatment"]["tiers"][1]["price"] = "cheap";
  bad["pricing"]["touch_up"] = "4OO";
  bad["care"]["precare"][0].erase("text");
  r = send("PUT", "/api/v1/clinic", {owner}, bad.dump());
  expect_problem(r, 400, "clinic.time_zone", "IANA time zone");
  expect_problem(r, 400, "clinic.name");
  expect_problem(r, 400, "clinic.session.spacing_days.max", "from 7 to 30");
  expect_problem(r, 400, "pricing.treatment.tiers[1].price");
  expect_problem(r, 400, "pricing.touch_up");
  expect_problem(r, 400, "care.precare[0].text");
  EXPECT_EQ(r.body["errors"].size(), 6u) << r.body.dump();
  bad = edit;
  bad["clinic"]["hours"]["mon"] = Json::array({"18:00", "09:00"});
  bad.erase("care");
  r = send("PUT", "/api/v1/clinic", {owner}, bad.dump());
  expect_problem(r, 400, "clinic.hours.mon", "an opening time at least an hour before the closing time");
  expect_problem(r, 400, "care", "stipple.care/1");
  expect_problem(send("PUT", "/api/v1/clinic", {owner}, R"({"version": 0, "clinic": [], "pricing": 1, "care": "x"})"), 400, "clinic");
  EXPECT_TRUE(store::settings_history(*db_, 100).value().empty()) << "nothing is saved from a refused edit";

  // A London clinic open Tuesdays and Thursdays only, with prices in pounds including 20% VAT.
  edit["clinic"]["name"] = "Northern Lines SMP";
  edit["clinic"]["time_zone"] = "Europe/London";
  for (const char* day : {"mon", "wed", "fri", "sat", "sun"}) edit["clinic"]["hours"][day] = nullptr;
  edit["clinic"]["hours"]["tue"] = Json::array({"09:00", "18:00"});
  edit["clinic"]["hours"]["thu"] = Json::array({"09:00", "18:00"});
  edit["pricing"]["currency"] = "GBP";
  edit["pricing"]["tax_rate"] = "0.2";
  edit["pricing"]["tax_included"] = true;
  edit["pricing"]["tax_name"] = "VAT";
  r = send("PUT", "/api/v1/clinic", {owner}, edit.dump());
  ASSERT_EQ(r.status, 200) << r.body.dump();
  EXPECT_EQ(r.body["version"], 1);
  EXPECT_EQ(r.body["saved_by"], users_[Role::owner].id);
  EXPECT_EQ(r.body["saved_by_name"], users_[Role::owner].name);
  EXPECT_EQ(r.body["today"], "2027-01-16") << "the clinic's today is London's now";
  // Another editor who read version 0 cannot overwrite it.
  expect_problem(send("PUT", "/api/v1/clinic", {owner}, edit.dump()), 409);
  expect_problem(send("PUT", "/api/v1/clinic", {practitioner}, Json(edit).dump()), 403);
  EXPECT_EQ(store::settings_history(*db_, 100).value().size(), 1u);
  EXPECT_EQ(send("GET", "/api/v1/clinic/versions/0", {owner}).body["clinic"]["time_zone"], "America/New_York")
      << "the defaults stay readable as version 0";
  expect_problem(send("GET", "/api/v1/clinic/versions/7", {owner}), 404);
  expect_problem(send("GET", "/api/v1/clinic/versions/-1", {owner}), 404);
  {
    // A saved version is never changed, not even by hand.
    store::Database::Lease lease(*db_);
    EXPECT_ANY_THROW(lease.sql() << "UPDATE clinic_settings SET pricing = '{}'");
    EXPECT_ANY_THROW(lease.sql() << "DELETE FROM clinic_settings");
  }

  // A consultation queued now is planned with version 1 from the clinic's today.
  const std::string client = new_client("Sam Sample");
  const std::string intake = post_intake(client, example("sample-client.intake.json"), practitioner);
  r = send("POST", "/api/v1/clients/" + client + "/consultations", {practitioner}, Json{{"intake_id", intake}}.dump());
  ASSERT_EQ(r.status, 202) << r.body.dump();
  const std::string id = r.body.value("id", "");
  // A save while it waits does not change what it is planned with.
  Json later = edit;
  later["version"] = 1;
  later["pricing"]["currency"] = "EUR";
  ASSERT_EQ(send("PUT", "/api/v1/clinic", {owner}, later.dump()).status, 200);
  const Json c = wait_for(id, practitioner);
  ASSERT_EQ(c["status"], "done") << c.dump();
  EXPECT_EQ(c["settings_version"], 1);
  EXPECT_EQ(c["start_date"], "2027-01-16");
  const Json plan = send("GET", "/api/v1/consultations/" + id + "/documents/plan.json", {practitioner}).body;
  ASSERT_TRUE(plan.contains("sessions")) << plan.dump();
  for (const Json& session : plan["sessions"]) {
    const auto day = plan::parse_date(session["date"].get<std::string>());
    ASSERT_TRUE(day.has_value());
    const unsigned weekday = std::chrono::weekday(*day).c_encoding();  // 0 Sunday .. 6 Saturday
    EXPECT_TRUE(weekday == 2 || weekday == 4) << session.dump() << " falls on a Tuesday or a Thursday";
    EXPECT_GE(session["date"].get<std::string>(), "2027-01-16");
  }
  const Json quote = send("GET", "/api/v1/consultations/" + id + "/quote", {practitioner}).body;
  EXPECT_EQ(quote["currency"], "GBP");
  const std::string ics = send("GET", "/api/v1/consultations/" + id + "/calendar.ics", {practitioner}).raw;
  EXPECT_NE(ics.find("TZID:Europe/London"), std::string::npos);
  EXPECT_NE(ics.find("Northern Lines SMP"), std::string::npos) << "the clinic's name is in the calendar";
  EXPECT_EQ(send("GET", "/api/v1/clinic/versions", {owner}).body["versions"].size(), 2u);
}

TEST_P(StudioTest, ABadIntakeGets400NamingTheFieldAsTheCliDoes) {
  const std::string cookie = session_for(Role::owner);
  const std::string client = new_client();
  Json intake = Json::parse(example("sample-client.intake.json"));
  intake["client"]["age"] = 300;
  Response r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, intake.dump());
  expect_problem(r, 400, "client.age", "expected");
  EXPECT_EQ(r.body["type"], "urn:stipple:problem:invalid-request");
  intake["client"]["age"] = 40;
  intake["hair_loss"]["norwood"] = "IX";
  expect_problem(send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, intake.dump()), 400, "hair_loss.norwood");
  // Every error at once, not only the reader's first.
  intake["client"]["age"] = 300;
  intake["goals"]["budget"] = "a lot";
  r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, intake.dump());
  expect_problem(r, 400, "client.age", "from 0 to 120");
  expect_problem(r, 400, "hair_loss.norwood");
  expect_problem(r, 400, "goals.budget");
  EXPECT_EQ(r.body["errors"].size(), 3u) << r.body.dump();
  intake = Json::parse(example("sample-client.intake.json"));
  intake["clinet"] = Json::object();
  expect_problem(send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, intake.dump()), 400, "clinet", "did you mean");
  r = send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, R"({"schema": "stipple.intake/1", )");
  expect_problem(r, 400);
  EXPECT_TRUE(r.body["errors"][0]["field"].get<std::string>().starts_with("line 1, column")) << r.body.dump();
  expect_problem(send("POST", "/api/v1/clients/" + client + "/intakes", {cookie}, "{}", "text/plain"), 415);
  expect_problem(send("POST", "/api/v1/clients/nosuchclient/intakes", {cookie}, example("sample-client.intake.json")), 404);
  EXPECT_TRUE(store::intakes_of_client(*db_, client, 10).value().empty()) << "nothing stored";

  // The consultation's own fields.
  const std::string good = post_intake(client, example("sample-client.intake.json"), cookie);
  const std::string path = "/api/v1/clients/" + client + "/consultations";
  expect_problem(send("POST", path, {cookie}, R"({})"), 400, "intake_id", "required");
  expect_problem(send("POST", path, {cookie}, R"({"intake_id": "nope"})"), 400, "intake_id", "an intake of this client");
  expect_problem(send("POST", path, {cookie}, Json{{"intake_id", good}, {"start_date", "2027-02-30"}}.dump()), 400, "start_date");
  expect_problem(send("POST", path, {cookie}, Json{{"intake_id", good}, {"override_reason", "  "}}.dump()), 400, "override_reason");
  // A reason is a few words someone can weigh later, not "ok".
  expect_problem(send("POST", path, {cookie}, Json{{"intake_id", good}, {"override_reason", "ok, agreed"}}.dump()), 400,
                 "override_reason");
  expect_problem(send("POST", path, {cookie}, Json{{"intake_id", good}, {"overide_reason", "x"}}.dump()), 400, "overide_reason");
  const std::string other = new_client("Other Client");
  expect_problem(send("POST", "/api/v1/clients/" + other + "/consultations", {cookie}, Json{{"intake_id", good}}.dump()), 400,
                 "intake_id", "an intake of this client");
  expect_problem(send("GET", "/api/v1/consultations/nosuchconsultation", {cookie}), 404);
}

TEST_P(StudioTest, ADeclinedClientGetsNoPlanUnlessAnOverrideReasonIsGivenAndRecorded) {
  const std::string cookie = session_for(Role::practitioner);
  const std::string client = new_client("Samuel Okafor");
  const std::string intake = post_intake(client, example("keloid-decline.intake.json"), cookie);
  const std::string plain = start_consultation(client, intake, cookie);
  Json c = wait_for(plain, cookie);
  ASSERT_EQ(c["status"], "done") << c.dump();
  EXPECT_FALSE(c["planned"].get<bool>());
  EXPECT_EQ(c["assessment"]["candidacy"], "not_recommended");
  EXPECT_TRUE(c["assessment"]["blocked"].get<bool>());
  EXPECT_EQ(c["assessment"]["blocking_rules"], Json::array({"CI-KELOID"}));
  EXPECT_EQ(c["documents"].size(), 2u) << c["documents"].dump();
  EXPECT_TRUE(c["documents"].contains("assessment.json"));
  EXPECT_TRUE(c["documents"].contains("summary.txt"));
  EXPECT_FALSE(c.contains("design_id"));
  expect_problem(send("GET", "/api/v1/consultations/" + plain + "/report.pdf", {cookie}), 404);
  expect_problem(send("GET", "/api/v1/consultations/" + plain + "/calendar.ics", {cookie}), 404);
  expect_problem(send("GET", "/api/v1/consultations/" + plain + "/quote", {cookie}), 404);

  const std::string reason = "Dermatologist cleared a small test area; the client accepts the keloid risk in writing";
  const std::string overridden = start_consultation(client, intake, cookie, {{"override_reason", "  " + reason + "\n"}});
  c = wait_for(overridden, cookie);
  ASSERT_EQ(c["status"], "done") << c.dump();
  EXPECT_TRUE(c["planned"].get<bool>());
  EXPECT_EQ(c["override"], Json({{"reason", reason}, {"applied", true}}));
  EXPECT_TRUE(c["documents"].contains("report.pdf"));
  EXPECT_TRUE(c["documents"].contains("calendar.ics"));
  const Response plan = send("GET", "/api/v1/consultations/" + overridden + "/documents/plan.json", {cookie});
  ASSERT_EQ(plan.status, 200);
  EXPECT_EQ(plan.body["assessment"]["override"]["reason"], reason) << "the engine prints the reason in the plan";
  EXPECT_NE(send("GET", "/api/v1/consultations/" + overridden + "/calendar.ics", {cookie}).raw.find("VEVENT"), std::string::npos);
  // The row and the audit log keep the override and its reason.
  const store::Consultation row = store::find_consultation(*db_, overridden).value();
  EXPECT_EQ(row.override_reason, reason);
  EXPECT_TRUE(row.overridden);
  int overrides = 0;
  for (const store::AuditEntry& e : audit_of(client))
    if (e.action == "override") {
      ++overrides;
      EXPECT_EQ(e.resource, "consultation");
      EXPECT_EQ(e.detail, reason);
      EXPECT_EQ(e.user_id, users_[Role::practitioner].id);
    }
  EXPECT_EQ(overrides, 1);
  const Response audit = send("GET", "/api/v1/audit?client=" + client + "&limit=1000", {session_for(Role::owner)});
  bool shown = false;
  for (const Json& e : audit.body["entries"]) shown = shown || (e["action"] == "override" && e["detail"] == reason);
  EXPECT_TRUE(shown) << "the owner's audit view shows the reason";
  EXPECT_TRUE(audit.body["chain"]["intact"].get<bool>());
}

TEST_P(StudioTest, FrontDeskIsRefusedClinicalRecordsButReadsTheQuoteAndTheCalendar) {
  const std::string practitioner = session_for(Role::practitioner), desk = session_for(Role::front_desk);
  const std::string client = new_client();
  const std::string intake_text = example("sample-client.intake.json");
  expect_problem(send("POST", "/api/v1/clients/" + client + "/intakes", {desk}, intake_text), 403);
  const std::string intake = post_intake(client, intake_text, practitioner);
  const std::string id = start_consultation(client, intake, practitioner);
  ASSERT_EQ(wait_for(id, practitioner)["status"], "done");
  const std::string c = "/api/v1/consultations/" + id;
  for (const std::string& path : {"/api/v1/intakes/" + intake, "/api/v1/clients/" + client + "/intakes", c, c + "/report.pdf",
                                  c + "/documents/assessment.json", c + "/documents/top.healed.png", c + "/documents/quote.json"}) {
    const Response r = send("GET", path, {desk});
    expect_problem(r, 403);
    EXPECT_EQ(r.body["type"], "urn:stipple:problem:forbidden") << path;
  }
  expect_problem(send("POST", "/api/v1/clients/" + client + "/consultations", {desk}, Json{{"intake_id", intake}}.dump()), 403);
  Response r = send("GET", c + "/quote", {desk});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.contains("total"));
  r = send("GET", c + "/calendar.ics", {desk});
  ASSERT_EQ(r.status, 200);
  EXPECT_TRUE(r.raw.starts_with("BEGIN:VCALENDAR"));
  EXPECT_EQ(r.content_type, "text/calendar; charset=utf-8");
  // The client's timeline: the consultation without its clinical parts.
  r = send("GET", "/api/v1/clients/" + client + "/consultations", {desk});
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.body["consultations"].size(), 1u);
  const Json& seen = r.body["consultations"][0];
  for (const char* clinical : {"assessment", "intake_id", "override", "design_id", "error"}) EXPECT_FALSE(seen.contains(clinical)) << clinical;
  EXPECT_EQ(seen["documents"], Json({{"calendar.ics", c + "/calendar.ics"}, {"quote.json", c + "/quote"}}));
  int desk_reads = 0;
  for (const store::AuditEntry& e : audit_of(client)) desk_reads += e.user_id == users_[Role::front_desk].id;
  EXPECT_EQ(desk_reads, 3) << "the quote, the calendar and the list, each audited";
}

TEST_P(StudioTest, ARestartRunsTheQueuedConsultationsAndFailsOnesCutOffTooOften) {
  const std::string cookie = session_for(Role::practitioner);
  const std::string client = new_client("Samuel Okafor");
  const std::string intake = post_intake(client, example("keloid-decline.intake.json"), cookie);
  stop_server();
  // What a server that died left: one consultation queued, one running (claimed once), one cut off twice already.
  const auto make = [&] {
    return store::create_consultation(*db_, {client, intake, "2027-03-01", "", users_[Role::practitioner].id}, now_).value().id;
  };
  const std::string queued = make(), running = make(), doomed = make();
  ASSERT_TRUE(store::claim_consultation(*db_, running, now_).value());
  ASSERT_TRUE(store::claim_consultation(*db_, doomed, now_).value());
  ASSERT_TRUE(store::requeue_consultation(*db_, doomed, now_).has_value());
  ASSERT_TRUE(store::claim_consultation(*db_, doomed, now_).value());
  EXPECT_FALSE(store::claim_consultation(*db_, doomed, now_).value()) << "a running consultation is not claimed again";
  start_server();
  EXPECT_EQ(wait_for(queued, cookie)["status"], "done");
  const Json again = wait_for(running, cookie);
  EXPECT_EQ(again["status"], "done");
  EXPECT_EQ(again["documents"].size(), 2u);
  const Json failed = wait_for(doomed, cookie);
  EXPECT_EQ(failed["status"], "failed");
  EXPECT_NE(failed["error"].get<std::string>().find("the server stopped while this consultation ran"), std::string::npos)
      << failed.dump();
  EXPECT_EQ(store::find_consultation(*db_, running).value().attempts, 2);

  // A clean stop while a consultation runs leaves it queued, and the next start finishes it.
  const std::string planned_intake = post_intake(client, example("sample-client.intake.json"), cookie);
  const std::string cut = start_consultation(client, planned_intake, cookie);
  while (store::find_consultation(*db_, cut).value().status == "queued") std::this_thread::sleep_for(std::chrono::milliseconds(5));
  stop_server();
  const store::Consultation left = store::find_consultation(*db_, cut).value();
  EXPECT_TRUE(left.status == "queued" || left.status == "done") << left.status;
  start_server();
  EXPECT_EQ(wait_for(cut, cookie)["status"], "done");
}

TEST(StudioCookie, AnHttpsPublicUrlMakesTheSessionCookieSecure) {
  store::testing::TestDatabase tdb(Backend::sqlite);
  auto db = store::testing::open_migrated(tdb, 2);
  ASSERT_NE(db, nullptr);
  ASSERT_TRUE(store::create_user(*db, {"o@clinic.example", "O", Role::owner, std::string(kPassword)}).has_value());
  ServeConfig config;
  config.port = 0;
  config.data_dir = tdb.url().substr(7) + ".data";
  config.public_url = "https://studio.clinic.example";
  Server server(*db, config);
  const int port = server.bind().value();
  std::thread t([&] { server.run(); });
  while (!server.running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Post("/api/v1/session", {{"X-Requested-With", "stipple"}},
                      Json{{"email", "o@clinic.example"}, {"password", kPassword}}.dump(), "application/json");
  server.stop();
  t.join();
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 201);
  EXPECT_NE(res->get_header_value("Set-Cookie").find("; HttpOnly; SameSite=Strict; Secure"), std::string::npos)
      << res->get_header_value("Set-Cookie");
}

// The built UI (web_files.h): its files, index.html for the router's paths, and
// nothing outside the folder.
class StudioWeb : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = std::filesystem::temp_directory_path() / ("stipple-web-test-" + store::random_id());
    std::filesystem::create_directories(root_ / "dist" / "assets");
    write(root_ / "dist" / "index.html", "<!doctype html><title>Stipple</title><div id=root></div>");
    write(root_ / "dist" / "assets" / "index-3f2a.js", "console.log('ui')");
    write(root_ / "secret.txt", "outside the UI");
    std::filesystem::create_symlink(root_ / "secret.txt", root_ / "dist" / "assets" / "leak.txt");
    db_ = store::testing::open_migrated(tdb_, 2);
    ASSERT_NE(db_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->stop();
    if (thread_.joinable()) thread_.join();
    std::filesystem::remove_all(root_);
  }
  static void write(const std::filesystem::path& p, std::string_view text) { std::ofstream(p) << text; }
  Result<int> start(const std::string& web_dir) {
    ServeConfig config;
    config.port = 0;
    config.data_dir = (root_ / "data").string();
    config.web_dir = web_dir;
    server_ = std::make_unique<Server>(*db_, config);
    auto port = server_->bind();
    if (port) {
      thread_ = std::thread([this] { server_->run(); });
      while (!server_->running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    return port;
  }
  std::filesystem::path root_;
  store::testing::TestDatabase tdb_{Backend::sqlite};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

TEST_F(StudioWeb, ServesTheUiItsRoutesAndNothingOutsideIt) {
  const int port = start((root_ / "dist").string()).value();
  httplib::Client cli("127.0.0.1", port);
  for (const char* page : {"/", "/clients", "/clients/7QZK4M2P9RXA3BCD/edit", "/../secret"}) {
    SCOPED_TRACE(page);
    auto res = cli.Get(page);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
    EXPECT_NE(res->body.find("<title>Stipple</title>"), std::string::npos);
    EXPECT_EQ(res->get_header_value("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(res->get_header_value("Cache-Control"), "no-cache");
    EXPECT_NE(res->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
    EXPECT_NE(res->get_header_value("Content-Security-Policy").find("frame-ancestors 'none'"), std::string::npos);
  }
  auto js = cli.Get("/assets/index-3f2a.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->body, "console.log('ui')");
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  // A missing asset, a symbolic link out of the folder, and an unknown API path are 404 problems, never the page.
  for (const char* missing : {"/assets/index-0000.js", "/assets/leak.txt", "/api/v1/nothing", "/api/v2"}) {
    SCOPED_TRACE(missing);
    auto res = cli.Get(missing);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 404);
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/problem+json");
    EXPECT_EQ(res->body.find("outside the UI"), std::string::npos);
  }
  // The API keeps its own headers.
  auto health = cli.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->get_header_value("Cache-Control"), "no-store");
  EXPECT_EQ(health->get_header_value("Content-Security-Policy"), "default-src 'none'; frame-ancestors 'none'");
  // A page is only read: a POST to its path is no endpoint.
  auto post = cli.Post("/clients", {{"X-Requested-With", "stipple"}}, "{}", "application/json");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 404);
  EXPECT_EQ(post->get_header_value("Content-Type"), "application/problem+json");
}

TEST_F(StudioWeb, AFolderThatIsNoBuiltUiIsNamed) {
  auto missing = start((root_ / "none").string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().file, "--web");
  EXPECT_NE(missing.error().message().find("not a folder"), std::string::npos) << missing.error().message();
  server_.reset();
  auto no_index = start((root_ / "dist" / "assets").string());
  ASSERT_FALSE(no_index);
  EXPECT_NE(no_index.error().message().find("no index.html"), std::string::npos) << no_index.error().message();
  server_.reset();
  // Without a folder the server is the API alone.
  const int port = start("").value();
  httplib::Client cli("127.0.0.1", port);
  auto res = cli.Get("/");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 404);
}

TEST(StudioConfig, ListenAddressesAreChecked) {
  ServeConfig c;
  EXPECT_TRUE(parse_listen("0.0.0.0:80", c).has_value());
  EXPECT_EQ(c.host, "0.0.0.0");
  EXPECT_EQ(c.port, 80);
  EXPECT_TRUE(parse_listen("[::1]:8080", c).has_value());
  EXPECT_EQ(c.host, "::1");
  for (const char* bad : {"8080", ":8080", "host:", "host:99999", "host:8o", "host:-1"})
    EXPECT_FALSE(parse_listen(bad, c).has_value()) << bad;
  EXPECT_EQ(parse_listen("x", c).error().message(), "--listen: expected HOST:PORT with a port from 0 to 65535, found 'x'");
}

}  // namespace
}  // namespace stipple::studio

namespace stipple::studio {
namespace {

// RFC 3339 section 5.6 on the way in, the clinic's clock on the way out.
TEST(StudioDiary, TimesAreReadAsRfc3339AndWrittenOnTheClinicsClock) {
  EXPECT_EQ(parse_rfc3339("2027-03-29T09:00:00Z"), 1'806'310'800'000);
  EXPECT_EQ(parse_rfc3339("2027-03-29T10:00:00+01:00"), 1'806'310'800'000);
  EXPECT_EQ(parse_rfc3339("2027-03-29t04:30:00.250-04:30"), 1'806'310'800'250);
  for (const char* bad : {"2027-03-29T10:00:00", "2027-03-29 10:00:00Z", "2027-02-29T10:00:00Z", "2027-03-29T24:00:00Z",
                          "2027-03-29T10:00:60Z", "2027-03-29T10:00:00+1:00", "2027-03-29T10:00:00Zx", "2027-03-29T10:00Z",
                          "2027-03-29T10:00:00.Z", "9999-12-31T23:59:59-23:59", "1899-12-31T12:00:00Z", ""})
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  const auto london = plan::TimeZone::locate("Europe/London").value();
  EXPECT_EQ(local_rfc3339(1'806'310'800'000, london), "2027-03-29T10:00:00+01:00");
  EXPECT_EQ(local_rfc3339(1'806'310'800'000, plan::TimeZone::locate("America/St_Johns").value()), "2027-03-29T06:30:00-02:30");
  // Amsterdam kept +00:19:32 until 1937: written with the offset rounded to the
  // minute (RFC 3339 has no seconds in an offset), the text still names the instant.
  const auto amsterdam = plan::TimeZone::locate("Europe/Amsterdam").value();
  const long long in_1936 = parse_rfc3339("1936-07-01T12:00:00Z").value();
  EXPECT_EQ(local_rfc3339(in_1936, amsterdam), "1936-07-01T13:20:00+01:20");  // summer time then: +01:19:32
  EXPECT_EQ(parse_rfc3339(local_rfc3339(in_1936, amsterdam)), in_1936);
}

TEST(StudioBody, ReaderFieldPathsBecomeJsonPointersAndMalformedOnesNothing) {
  EXPECT_EQ(json_pointer_of("hours.mon")->to_string(), "/hours/mon");
  EXPECT_EQ(json_pointer_of("treatment.tiers[1].price")->to_string(), "/treatment/tiers/1/price");
  EXPECT_EQ(json_pointer_of("scalp.scars[0]")->to_string(), "/scalp/scars/0");
  EXPECT_EQ(json_pointer_of("a/b~c")->to_string(), "/a~1b~0c");
  for (const char* bad : {"", "a.", "a[1"}) EXPECT_FALSE(json_pointer_of(bad).has_value()) << bad;
}

TEST(StudioBody, ReaderErrorsFindEachIndependentErrorOnceAndStopWhenNothingHelps) {
  // A reader that wants a, b and c to be 1, and stops at its first complaint.
  const auto read = [](const std::string& text) -> std::optional<InputError> {
    const io::Json d = io::Json::parse(text);
    for (const char* k : {"a", "b", "c"})
      if (!d.contains(k) || d[k] != 1) return InputError{"x", k, "1", d.contains(k) ? d[k].dump() : "nothing"};
    return std::nullopt;
  };
  const io::Json reference = {{"a", 1}, {"b", 1}, {"c", 1}};
  const auto all = reader_errors({{"a", 2}, {"b", 1}, {"c", 3}}, &reference, read);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].field, "a");
  EXPECT_EQ(all[1].field, "c");
  // No reference: the field is left out, the reader then wants it again, and the search ends.
  const auto first = reader_errors({{"a", 2}, {"b", 1}, {"c", 3}}, nullptr, read);
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].field, "a");
  EXPECT_TRUE(reader_errors(reference, nullptr, read).empty());
}

}  // namespace
}  // namespace stipple::studio
