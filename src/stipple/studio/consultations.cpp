// Intakes and consultations: POST/GET /api/v1/clients/{id}/intakes, GET
// /api/v1/intakes/{id}, POST/GET /api/v1/clients/{id}/consultations, GET
// /api/v1/consultations/{id} and its documents.
#include <stdexcept>

#include <cctype>

#include <fmt/format.h>

#include "stipple/assess/intake.h"
#include "stipple/consult/pipeline.h"
#include "stipple/plan/plan.h"
#include "stipple/store/clients.h"
#include "stipple/store/consultations.h"
#include "stipple/store/intakes.h"
#include "stipple/studio/body.h"
#include "stipple/studio/documents.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/jobs.h"
#include "stipple/studio/server.h"
#include "stipple/studio/settings.h"

namespace stipple::studio {

namespace {

using io::Json;

constexpr std::size_t kMaxOverrideBytes = 2000;
constexpr std::size_t kMinOverrideLetters = 20;
constexpr int kListLimit = 100;

// 415 unless the body is declared JSON.
std::optional<Reply> require_json(const Request& req) {
  std::string_view type = req.content_type;
  if (const auto semi = type.find(';'); semi != std::string_view::npos) type = type.substr(0, semi);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  if (type == "application/json") return std::nullopt;
  return problem(415, problem_type::invalid_request, "the body must be JSON",
                 {{"Content-Type", fmt::format("expected application/json, found {}",
                                               req.content_type.empty() ? "none" : fmt::format("'{}'", req.content_type))}});
}

Json intake_json(const store::StoredIntake& in) {
  return {{"id", in.id}, {"client_id", in.client_id}, {"created_at", rfc3339(in.created_at)}, {"created_by", in.created_by}};
}

// The consultation as GET /api/v1/consultations/{id} shows it; `clinical`
// false (front_desk, in a client's list): no assessment, no override reason,
// and only the documents the front desk may read (the quote and the calendar).
Json consultation_json(const store::Consultation& c, const std::vector<store::Document>& docs, bool clinical) {
  Json j = {{"id", c.id},
            {"client_id", c.client_id},
            {"status", c.status},
            {"progress", c.progress},
            {"planned", c.planned},
            {"settings_version", c.settings_version},
            {"created_at", rfc3339(c.created_at)},
            {"created_by", c.created_by},
            {"updated_at", rfc3339(c.updated_at)}};
  if (clinical) {
    j["intake_id"] = c.intake_id;
    j["start_date"] = c.start_date;
    if (!c.step.empty()) j["step"] = c.step;
    if (!c.error.empty()) j["error"] = c.error;
    if (!c.assessment.empty()) j["assessment"] = Json::parse(c.assessment, nullptr, false);
    if (!c.override_reason.empty()) j["override"] = {{"reason", c.override_reason}, {"applied", c.overridden}};
    j["design_choices"] = c.design_choices.empty() ? Json::object() : Json::parse(c.design_choices, nullptr, false);
  }
  Json documents = Json::object();
  for (const store::Document& d : docs) {
    if (!clinical && d.name != "quote.json" && d.name != "calendar.ics") continue;
    documents[d.name] = document_url(c.id, d.name);
    if (clinical && d.name == "design.json") j["design_id"] = d.id;
  }
  j["documents"] = documents;
  return j;
}

// One document of a consultation, with its audit note.
Reply document_reply(Context& ctx, const Request& req, std::string_view name) {
  const std::string& id = req.path_params.at("id");
  auto c = store::find_consultation(ctx.db, id);
  if (!c) return store_problem(c.error());
  auto d = store::find_document(ctx.db, id, name);
  if (!d) {
    if (d.error().code != store::StoreError::Code::not_found) return store_problem(d.error());
    return problem(404, "", c->status == "done" || c->status == "failed"
                                ? fmt::format("the consultation has no document {}", name)
                                : fmt::format("the consultation is {}; {} is not made yet", c->status, name));
  }
  auto bytes = read_document(ctx.config.data_dir, *d);
  // Never served when it is not the document's bytes: the server logs this and answers 500.
  if (!bytes) throw std::runtime_error(bytes.error().message);
  Reply r = bytes_reply(std::move(*bytes), d->content_type);
  r.headers.emplace_back("Content-Disposition", fmt::format("inline; filename=\"{}\"", d->name));
  r.headers.emplace_back("ETag", fmt::format("\"{}\"", d->sha256));
  r.audit = AuditNote{"read", "document", c->client_id, d->name};
  return r;
}

}  // namespace

Reply post_intake(Context& ctx, const Request& req) {
  if (auto bad = require_json(req)) return *bad;
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  // The engine's own reader: the same field paths and words as `stipple assess`.
  auto parsed = assess::read_intake(req.body, "body");
  if (!parsed) {
    // Every error the reader finds (it stops at its first): each field left out in turn to find the next.
    std::vector<FieldError> errors;
    const auto doc = io::parse_json_document(req.body, "body");  // within the readers' limits (depth, size)
    if (doc && doc->is_object()) {
      const auto read = [](const std::string& text) -> std::optional<InputError> {
        auto again = assess::read_intake(text, "body");
        if (again) return std::nullopt;
        return again.error();
      };
      for (const InputError& e : reader_errors(*doc, nullptr, read))
        errors.push_back({e.field, fmt::format("expected {}, found {}", e.expected, e.found)});
    }
    if (errors.empty())
      errors.push_back({parsed.error().field, fmt::format("expected {}, found {}", parsed.error().expected, parsed.error().found)});
    return problem(400, problem_type::invalid_request, "the intake is not a valid stipple.intake/1 document", std::move(errors));
  }
  // The intake is this client's: the sex as recorded, the age the date of birth gives (a birthday may fall between).
  std::vector<FieldError> mismatch;
  const std::string sex(to_string(parsed->intake.client.sex));
  if (sex != client->sex)
    mismatch.push_back({"client.sex", fmt::format("expected the client's sex as recorded ({}), found {}", client->sex, sex)});
  if (client->date_of_birth.size() == 10) {
    const int born = std::stoi(client->date_of_birth.substr(0, 4));
    const int year = std::stoi(rfc3339(ctx.now).substr(0, 4));
    const int age = parsed->intake.client.age;
    if (age < year - born - 2 || age > year - born)
      mismatch.push_back({"client.age", fmt::format("expected the age the date of birth gives ({} or {}), found {}", year - born - 1,
                                                    year - born, age)});
  }
  if (!mismatch.empty())
    return problem(400, problem_type::invalid_request, "the intake does not match the client's record", std::move(mismatch));
  auto stored = store::create_intake(ctx.db, client_id, req.body, req.session->user.id, ctx.now);
  if (!stored) return store_problem(stored.error());
  Reply r = json_reply(201, intake_json(*stored));
  r.headers.emplace_back("Location", "/api/v1/intakes/" + stored->id);
  r.audit = AuditNote{"create", "intake", client_id};
  return r;
}

Reply list_intakes(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto list = store::intakes_of_client(ctx.db, client_id, kListLimit);
  if (!list) return store_problem(list.error());
  Json out = Json::array();
  for (const store::StoredIntake& in : *list) out.push_back(intake_json(in));
  Reply r = json_reply(200, {{"intakes", std::move(out)}});
  r.audit = AuditNote{"read", "intake", client_id};
  return r;
}

Reply get_intake(Context& ctx, const Request& req) {
  auto in = store::find_intake(ctx.db, req.path_params.at("id"));
  if (!in) return store_problem(in.error());
  Json j = intake_json(*in);
  j["document"] = Json::parse(in->document, nullptr, false);
  Reply r = json_reply(200, std::move(j));
  r.audit = AuditNote{"read", "intake", in->client_id};
  return r;
}

Reply post_consultation(Context& ctx, const Request& req) {
  auto body = read_json_object(req);
  if (!body) return body.error();
  static constexpr std::string_view kKnown[] = {"intake_id", "start_date", "override_reason", "design"};
  FieldReader r(*body, kKnown);
  const TextField intake_id = r.text("intake_id", true, false, 64);
  const TextField start = r.text("start_date", false, true, 10);
  const TextField reason = r.text("override_reason", false, true, kMaxOverrideBytes, true);
  if (start.state == TextField::State::value && !plan::parse_date(start.value))
    r.error("start_date", fmt::format("expected a calendar date YYYY-MM-DD between 2000 and 2199, found '{}'", start.value));
  if (reason.state == TextField::State::value) {
    // A reason someone reading the record later can weigh: a few words, not "ok".
    std::size_t letters = 0;
    for (char ch : reason.value) letters += std::isalpha(static_cast<unsigned char>(ch)) || (static_cast<unsigned char>(ch) & 0x80);
    if (letters < kMinOverrideLetters)
      r.error("override_reason", fmt::format("expected a reason in words, of at least {} letters (why plan against the "
                                             "assessment, and who agreed), found {}", kMinOverrideLetters, letters));
  }
  // The practitioner's design choices over the intake's, in the engine's words.
  consult::DesignChoices design;
  if (const auto d = body->find("design"); d != body->end() && !d->is_null()) {
    auto choices = consult::read_design_choices(*d, "design");
    if (choices) design = *choices;
    else
      for (const InputError& e : choices.error()) r.error(e.field, fmt::format("expected {}, found {}", e.expected, e.found));
  }
  if (!r.ok()) return r.problem_reply();
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto intake = store::find_intake(ctx.db, intake_id.value);
  if (!intake || intake->client_id != client_id) {
    if (!intake && intake.error().code != store::StoreError::Code::not_found) return store_problem(intake.error());
    return problem(400, problem_type::invalid_request, "no such intake of this client",
                   {{"intake_id", fmt::format("expected the id of an intake of this client, found '{}'", intake_id.value)}});
  }
  store::NewConsultation n;
  n.client_id = client_id;
  n.intake_id = intake->id;
  // The first day sessions may be booked: the clinic's today unless given.
  if (start.state == TextField::State::value) {
    n.start_date = start.value;
  } else {
    auto settings = current_clinic_settings(ctx.db);
    if (!settings) return store_problem(settings.error());
    n.start_date = clinic_today(*settings, ctx.now);
  }
  if (reason.state == TextField::State::value) {
    const std::size_t first = reason.value.find_first_not_of(" \t\r\n"), last = reason.value.find_last_not_of(" \t\r\n");
    n.override_reason = reason.value.substr(first, last - first + 1);
  }
  if (!design.empty()) n.design_choices = consult::design_choices_json(design).dump();
  n.created_by = req.session->user.id;
  auto c = store::create_consultation(ctx.db, n, ctx.now);
  if (!c) return store_problem(c.error());
  if (ctx.jobs) ctx.jobs->enqueue(c->id);
  Reply reply = json_reply(202, {{"id", c->id}, {"status", c->status}, {"progress", 0.0}});
  reply.headers.emplace_back("Location", "/api/v1/consultations/" + c->id);
  // An override is recorded with its reason, whether or not the assessment turns out to need it.
  reply.audit = n.override_reason.empty() ? AuditNote{"create", "consultation", client_id}
                                          : AuditNote{"override", "consultation", client_id, n.override_reason};
  return reply;
}

Reply list_consultations(Context& ctx, const Request& req) {
  const std::string& client_id = req.path_params.at("id");
  auto client = store::find_client(ctx.db, client_id);
  if (!client) return store_problem(client.error());
  auto list = store::consultations_of_client(ctx.db, client_id, kListLimit);
  if (!list) return store_problem(list.error());
  const bool clinical = sees_clinical_data(req.session->user.role);
  Json out = Json::array();
  for (const store::Consultation& c : *list) {
    auto docs = store::documents_of(ctx.db, c.id);
    if (!docs) return store_problem(docs.error());
    out.push_back(consultation_json(c, *docs, clinical));
  }
  Reply r = json_reply(200, {{"consultations", std::move(out)}});
  r.audit = AuditNote{"read", "consultation", client_id};
  return r;
}

Reply get_consultation(Context& ctx, const Request& req) {
  auto c = store::find_consultation(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  auto docs = store::documents_of(ctx.db, c->id);
  if (!docs) return store_problem(docs.error());
  Reply r = json_reply(200, consultation_json(*c, *docs, true));
  r.audit = AuditNote{"read", "consultation", c->client_id};
  return r;
}

Reply get_consultation_status(Context& ctx, const Request& req) {
  auto c = store::find_consultation(ctx.db, req.path_params.at("id"));
  if (!c) return store_problem(c.error());
  // No health data here (no assessment, no documents): polled while the engine runs, not audited.
  Json j = {{"id", c->id}, {"status", c->status}, {"progress", c->progress}};
  if (!c->step.empty()) j["step"] = c->step;
  return json_reply(200, std::move(j));
}

Reply get_report(Context& ctx, const Request& req) { return document_reply(ctx, req, "report.pdf"); }

Reply get_calendar(Context& ctx, const Request& req) { return document_reply(ctx, req, "calendar.ics"); }

Reply get_quote(Context& ctx, const Request& req) { return document_reply(ctx, req, "quote.json"); }

Reply get_document(Context& ctx, const Request& req) { return document_reply(ctx, req, req.path_params.at("name")); }

}  // namespace stipple::studio
