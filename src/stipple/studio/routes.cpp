#include "stipple/studio/routes.h"

#include "stipple/studio/handlers.h"
#include "stipple/studio/photos.h"

namespace stipple::studio {

namespace {

unsigned bit(store::Role role) {
  switch (role) {
    case store::Role::owner: return kOwner;
    case store::Role::practitioner: return kPractitioner;
    case store::Role::front_desk: return kFrontDesk;
  }
  return 0;
}

std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i <= path.size()) {
    const std::size_t j = std::min(path.find('/', i), path.size());
    out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool match_pattern(std::string_view pattern, std::string_view path, std::map<std::string, std::string>& params) {
  const auto p = segments(pattern), s = segments(path);
  if (p.size() != s.size()) return false;
  std::map<std::string, std::string> found;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i].size() > 2 && p[i].front() == '{' && p[i].back() == '}') {
      if (s[i].empty()) return false;
      found[std::string(p[i].substr(1, p[i].size() - 2))] = std::string(s[i]);
    } else if (p[i] != s[i]) {
      return false;
    }
  }
  params = std::move(found);
  return true;
}

}  // namespace

const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      {"GET", "/healthz", false, 0, false, get_healthz,
       {"getHealth", "200 {\"status\": \"ok\"} when the database answers, 503 when it does not", 200, "", "Health", {}, {503}}},
      {"GET", "/api/v1/openapi.json", false, 0, false, get_openapi,
       {"getOpenApi", "This document: the OpenAPI 3.1 description of every endpoint", 200, "", "", {}, {}}},
      {"POST", "/api/v1/session", false, 0, false, post_session,
       {"signIn", "Sign in: sets the HttpOnly, SameSite=Strict session cookie (a new token every time)", 201,
        "SignIn", "Me", {}, {429}}},
      {"DELETE", "/api/v1/session", true, kEveryRole, false, delete_session,
       {"signOut", "Sign out: ends the session and clears its cookie", 204, "", "", {}, {}}},
      {"GET", "/api/v1/me", true, kEveryRole, false, get_me,
       {"getMe", "The signed-in user and the session's limits", 200, "", "Me", {}, {}}},
      {"GET", "/api/v1/clients", true, kEveryRole, false, list_clients,
       {"listClients", "Search clients by name, email or phone (contact details only, no clinical notes)", 200, "",
        "ClientList",
        {{"q", "string", false, "words that must all occur in the name or email, ignoring case; or a phone number's digits"},
         {"limit", "integer", false, "at most this many clients, 1 to 100 (default 20)"}},
        {}}},
      {"POST", "/api/v1/clients", true, kEveryRole, true, post_client,
       {"createClient", "Create a client (front_desk may not write notes)", 201, "ClientCreate", "Client", {}, {}}},
      {"GET", "/api/v1/clients/{id}", true, kEveryRole, true, get_client,
       {"getClient", "One client; notes only for owners and practitioners", 200, "", "Client", {}, {}}},
      {"PATCH", "/api/v1/clients/{id}", true, kEveryRole, true, patch_client,
       {"updateClient", "Change some of a client's fields, naming the version read (409 when it is stale)", 200,
        "ClientUpdate", "Client", {}, {409}}},
      {"GET", "/api/v1/audit", true, kOwner, false, get_audit,
       {"getAudit", "Who accessed a client's health data, newest first, and whether the log's hash chain holds", 200,
        "", "AuditLog", {{"client", "string", true, "the client's id"}, {"limit", "integer", false, "1 to 1000 (default 200)"}},
        {}}},
      {"GET", "/api/v1/clinic", true, kEveryRole, false, get_clinic,
       {"getClinic",
        "The clinic's settings in force: the clinic (name, address, time zone, hours, holidays, session limits), the price "
        "list and the care texts, the documents `stipple plan` reads, with their version and the clinic's today",
        200, "", "ClinicSettings", {}, {}}},
      {"PUT", "/api/v1/clinic", true, kOwner, false, put_clinic,
       {"saveClinic",
        "Save the clinic's settings as a new version, naming the version read (409 when it is stale); each document is "
        "checked by the engine's own reader and an error names its field under clinic., pricing. or care.",
        200, "ClinicSettingsUpdate", "ClinicSettings", {}, {409}}},
      {"GET", "/api/v1/clinic/versions", true, kOwner, false, list_clinic_versions,
       {"listClinicVersions", "Every saved version of the clinic's settings, newest first: who saved it and when", 200, "",
        "ClinicVersionList", {{"limit", "integer", false, "1 to 100 (default 50)"}}, {}}},
      {"GET", "/api/v1/clinic/versions/{version}", true, kOwner, false, get_clinic_version,
       {"getClinicVersion", "One version of the clinic's settings (0: the bundled defaults), as a consultation was planned with it",
        200, "", "ClinicSettings", {}, {}}},
      // Clinical: owners and practitioners. The front desk reads a client's
      // consultations (without their clinical parts), the quote and the calendar.
      {"POST", "/api/v1/clients/{id}/intakes", true, kClinical, true, post_intake,
       {"createIntake", "Store an intake (a stipple.intake/1 document), checked by the engine's own reader", 201, "Intake",
        "IntakeCreated", {}, {}}},
      {"GET", "/api/v1/clients/{id}/intakes", true, kClinical, true, list_intakes,
       {"listIntakes", "The client's intakes, newest first (without their documents)", 200, "", "IntakeList", {}, {}}},
      {"GET", "/api/v1/intakes/{id}", true, kClinical, true, get_intake,
       {"getIntake", "One intake with its document", 200, "", "StoredIntake", {}, {}}},
      {"POST", "/api/v1/clients/{id}/consultations", true, kClinical, true, post_consultation,
       {"startConsultation",
        "Queue a consultation of an intake: the engine runs in the background (assessment, design, dots, pictures, plan, "
        "quote, calendar, report); poll GET /api/v1/consultations/{id}. A client the assessment blocks gets the assessment "
        "only, unless override_reason is given (recorded in the consultation and the audit log)",
        202, "ConsultationCreate", "ConsultationQueued", {}, {}}},
      {"GET", "/api/v1/clients/{id}/consultations", true, kEveryRole, true, list_consultations,
       {"listConsultations",
        "The client's consultations, newest first; for the front desk without the assessment, the override and the "
        "clinical documents",
        200, "", "ConsultationList", {}, {}}},
      {"GET", "/api/v1/consultations/{id}", true, kClinical, true, get_consultation,
       {"getConsultation", "A consultation: its status, progress, assessment and documents", 200, "", "Consultation", {}, {}}},
      {"GET", "/api/v1/consultations/{id}/status", true, kClinical, false, get_consultation_status,
       {"getConsultationStatus", "Where the engine is: status, progress and the last step (no health data, not audited: for polling)",
        200, "", "ConsultationStatus", {}, {}}},
      {"GET", "/api/v1/consultations/{id}/report.pdf", true, kClinical, true, get_report,
       {"getConsultationReport", "The consultation report (PDF)", 200, "", "application/pdf", {}, {}}},
      {"GET", "/api/v1/consultations/{id}/calendar.ics", true, kEveryRole, true, get_calendar,
       {"getConsultationCalendar", "The client's sessions as an iCalendar file (RFC 5545)", 200, "", "text/calendar", {}, {}}},
      {"GET", "/api/v1/consultations/{id}/quote", true, kEveryRole, true, get_quote,
       {"getConsultationQuote", "The quote of the consultation's plan (the plan's quote object, docs/plan.md)", 200, "",
        "Quote", {}, {}}},
      {"GET", "/api/v1/consultations/{id}/documents/{name}", true, kClinical, true, get_document,
       {"getConsultationDocument",
        "One document of the consultation by name (the names and their URLs are in the consultation's documents): "
        "pictures (PNG), the assessment, design, plan and other JSON documents, the dots (CSV), the summary (text)",
        200, "", "application/octet-stream", {}, {}}},
      {"POST", "/api/v1/clients/{id}/photos", true, kClinical, true, post_photo,
       {"uploadPhoto",
        "Upload a photo: the body is the picture itself (JPEG, PNG, WebP or HEIC, at most 32 MiB); stored upright with "
        "no metadata, with a thumbnail. 422 when it is not a photo, or too large in pixels or decoding work",
        201, "image/*", "Photo",
        {{"kind", "string", true, "consultation, before, after, session or touch_up"},
         {"view", "string", true, "top, front, left, right or back"},
         {"session", "integer", false, "the session it follows (kind after) or shows (kind session), 1 to 50"},
         {"taken_on", "string", false, "the day it was taken, YYYY-MM-DD (not later than today)"}},
        {422}},
       kMaxPhotoUploadBytes},
      {"GET", "/api/v1/clients/{id}/photos", true, kClinical, true, list_photos,
       {"listPhotos", "The client's photos, newest first", 200, "", "PhotoList",
        {{"limit", "integer", false, "at most this many, 1 to 500 (default 200)"}}, {}}},
      {"GET", "/api/v1/clients/{id}/export", true, kClinical, true, export_client,
       {"exportClient",
        "The client's whole record as one ZIP file: the record, every intake, each consultation with all its documents, "
        "every photo, the audit entries, and a manifest with each file's SHA-256",
        200, "", "application/zip", {}, {}}},
      {"GET", "/api/v1/photos/{id}", true, kClinical, true, get_photo,
       {"getPhoto", "The stored picture (upright, no metadata)", 200, "", "image/jpeg", {}, {}}},
      {"GET", "/api/v1/photos/{id}/thumbnail", true, kClinical, true, get_photo_thumbnail,
       {"getPhotoThumbnail", "The photo's thumbnail (JPEG, at most 480 pixels a side)", 200, "", "image/jpeg", {}, {}}},
      // Patch tests: clinical records.
      {"POST", "/api/v1/clients/{id}/patch-tests", true, kClinical, true, post_patch_test,
       {"placePatchTest", "Record a patch test placed: when, the pigment and its lot, where", 201, "PatchTestCreate", "PatchTest", {}, {}}},
      {"GET", "/api/v1/clients/{id}/patch-tests", true, kClinical, true, list_patch_tests,
       {"listPatchTests", "The client's patch tests, newest placed first", 200, "", "PatchTestList", {}, {}}},
      {"GET", "/api/v1/patch-tests/{id}", true, kClinical, true, get_patch_test,
       {"getPatchTest", "One patch test", 200, "", "PatchTest", {}, {}}},
      {"PATCH", "/api/v1/patch-tests/{id}", true, kClinical, true, read_patch_test,
       {"readPatchTest",
        "Read a patch test once, 24 to 48 hours after placing (422 naming read_at otherwise; 409 when read already): passed "
        "or failed, by the signed-in user. A failed test blocks sessions (the booking's patch_test gate)",
        200, "PatchTestReading", "PatchTest", {}, {409, 422}}},
      // The diary: every role books (the front desk keeps the diary); the owner adds chairs.
      {"GET", "/api/v1/chairs", true, kEveryRole, false, list_chairs,
       {"listChairs", "The clinic's chairs (treatment rooms), by name", 200, "", "ChairList", {}, {}}},
      {"POST", "/api/v1/chairs", true, kOwner, false, post_chair,
       {"createChair", "Add a chair (a name no other chair has, ignoring case)", 201, "ChairCreate", "Chair", {}, {409}}},
      {"GET", "/api/v1/practitioners", true, kEveryRole, false, list_practitioners,
       {"listPractitioners", "Who can be booked to treat: practitioners and owners not disabled", 200, "", "PractitionerList", {}, {}}},
      {"GET", "/api/v1/appointments", true, kEveryRole, false, list_appointments,
       {"listAppointments",
        "The diary: appointments overlapping the days asked (the clinic's days, midnight to midnight on its wall clock), "
        "by start; times in the clinic's time zone",
        200, "", "AppointmentList",
        {{"from", "string", false, "the first day, YYYY-MM-DD (default: the clinic's today)"},
         {"days", "integer", false, "how many days, 1 to 62 (default 7)"},
         {"practitioner_id", "string", false, "only this practitioner's"},
         {"client_id", "string", false, "only this client's"}},
        {}}},
      {"POST", "/api/v1/appointments", true, kEveryRole, false, post_appointment,
       {"bookAppointment",
        "Book an appointment, from now on (400 naming start otherwise). 409 naming practitioner_id, chair_id or client_id "
        "when it overlaps another booked one of the practitioner, the chair or the client (the database's own rule); 422 "
        "naming the gate that refuses it, with every gate it breaks in `gates` (opening_hours: outside the clinic's "
        "opening hours or on a day it is closed; credentials: a patch test, session or touch-up by a practitioner without "
        "a body-art licence and bloodborne-pathogens training valid that day, or without the clinic's health permit; "
        "assessment: a session or touch-up whose client's latest assessment blocks SMP or holds session 1 to a later day; "
        "patch_test: a session or touch-up without a passed patch test read before it and placed within 12 months, or "
        "after a failed one; consent: a patch test, session or touch-up without the client's treatment consent signed on "
        "the clinic's newest text and not withdrawn; spacing: session N not within the clinic's spacing of session N-1 and N+1, or a second "
        "session N), or naming a client, practitioner or chair that does not exist. An owner or practitioner may book "
        "against the gates it names in override_gates with override_reason (recorded on the appointment and in the "
        "audit log)",
        201, "AppointmentCreate", "Appointment", {}, {409, 422}}},
      {"GET", "/api/v1/appointments/{id}", true, kEveryRole, false, get_appointment,
       {"getAppointment", "One appointment", 200, "", "Appointment", {}, {}}},
      {"PATCH", "/api/v1/appointments/{id}", true, kEveryRole, false, patch_appointment,
       {"updateAppointment",
        "Move, reassign, cancel or rebook an appointment, naming the version read; checked by the booking's rules "
        "(409 for an overlap or a stale version, 422 for a gate)",
        200, "AppointmentUpdate", "Appointment", {}, {409, 422}}},
      // Credentials: the owner records and revokes them; every role reads them (the diary's gate names them).
      {"GET", "/api/v1/credentials", true, kEveryRole, false, list_credentials,
       {"listCredentials",
        "Every credential (body-art licence, bloodborne-pathogens training, the clinic's health permit) by expiry, with "
        "its state on the clinic's today, and `attention`: what has lapsed, is missing, or expires within notice_days",
        200, "", "CredentialList",
        {{"user_id", "string", false, "only this practitioner's"},
         {"notice_days", "integer", false, "what expires within this many days needs attention, 1 to 366 (default 60)"}},
        {}}},
      {"POST", "/api/v1/credentials", true, kOwner, false, post_credential,
       {"addCredential", "Record a credential with the days it is valid (a renewal is a new one)", 201, "CredentialCreate",
        "Credential", {}, {422}}},
      {"PATCH", "/api/v1/credentials/{id}", true, kOwner, false, revoke_credential,
       {"revokeCredential", "Revoke a credential recorded in error, saying why (kept, shown revoked; 409 when revoked already)", 200,
        "CredentialRevoke", "Credential", {}, {409}}},
      // Consent: the owner writes the texts; every role shows a text on the tablet for the client to sign.
      {"GET", "/api/v1/consent-templates", true, kEveryRole, false, list_consent_templates,
       {"listConsentTemplates", "Every version of the clinic's consent texts, newest first within each kind, and the newest of each kind",
        200, "", "ConsentTemplateList", {}, {}}},
      {"POST", "/api/v1/consent-templates", true, kOwner, false, post_consent_template,
       {"addConsentTemplate",
        "Save a consent text as the next version of its kind (409 when it is the current version's unchanged); clients sign "
        "the new version before their next session",
        201, "ConsentTemplateCreate", "ConsentTemplate", {}, {409}}},
      {"GET", "/api/v1/consent-templates/{id}", true, kEveryRole, false, get_consent_template,
       {"getConsentTemplate", "One version of a consent text", 200, "", "ConsentTemplate", {}, {}}},
      {"POST", "/api/v1/clients/{id}/consents", true, kEveryRole, true, post_consent,
       {"signConsent",
        "The client signs the newest version of a consent text: the typed name and the drawn signature (a PNG); the exact text, "
        "its SHA-256, the version, the time and the device are kept as they are (409 when a newer version exists; 422 at "
        "template_id for none)",
        201, "ConsentSign", "Consent", {}, {409, 422}}},
      {"GET", "/api/v1/clients/{id}/consents", true, kEveryRole, true, list_consents,
       {"listConsents", "The client's signed consents, newest first, and by kind what stands: signed, outdated, withdrawn, missing", 200,
        "", "ConsentList", {}, {}}},
      {"GET", "/api/v1/consents/{id}", true, kEveryRole, true, get_consent,
       {"getConsent", "One signed consent, with the text as it was signed", 200, "", "Consent", {}, {}}},
      {"GET", "/api/v1/consents/{id}/signature.png", true, kEveryRole, true, get_consent_signature,
       {"getConsentSignature", "The drawn signature, as signed", 200, "", "image/png", {}, {}}},
      {"PATCH", "/api/v1/consents/{id}", true, kEveryRole, true, withdraw_consent,
       {"withdrawConsent",
        "The client withdraws a consent, in the words they used; it is kept and shown withdrawn. A withdrawn consent to "
        "marketing photos takes the client's photos out of marketing use at once (409 when withdrawn already)",
        200, "ConsentWithdrawal", "Consent", {}, {409}}},
      {"GET", "/api/v1/marketing-photos", true, kOwner, false, list_marketing_photos,
       {"listMarketingPhotos", "The photos that may be used in marketing: those of clients whose consent to it stands now", 200, "",
        "MarketingPhotoList", {}, {}}},
      // Lots and session charts: clinical records; the recall list is read by every role (the front desk calls).
      {"GET", "/api/v1/lots", true, kEveryRole, false, list_lots,
       {"listLots", "Lots of pigment, needle cartridges and numbing products, newest expiry first; q: part of the product or lot number",
        200, "", "LotList",
        {{"q", "string", false, "part of the product, lot number or detail, ignoring case"},
         {"limit", "integer", false, "at most this many, 1 to 500 (default 100)"}},
        {}}},
      {"POST", "/api/v1/lots", true, kClinical, false, post_lot,
       {"addLot", "Record a lot: kind, product, lot number, expiry (409 when recorded already)", 201, "LotCreate", "Lot", {}, {409}}},
      {"GET", "/api/v1/lots/{id}", true, kEveryRole, false, get_lot, {"getLot", "One lot", 200, "", "Lot", {}, {}}},
      {"GET", "/api/v1/lots/{id}/recipients", true, kEveryRole, false, list_lot_recipients,
       {"listLotRecipients", "Who received the lot: every charted session that used it, with the client's contact details, newest first",
        200, "", "LotRecipients", {}, {}}},
      {"POST", "/api/v1/clients/{id}/charts", true, kClinical, true, post_chart,
       {"createChart",
        "Chart a session as a draft, by the signed-in practitioner (400 at lots[i] for a lot past its expiry on the session's day)",
        201, "ChartWrite", "Chart", {}, {409}}},
      {"GET", "/api/v1/clients/{id}/charts", true, kClinical, true, list_charts,
       {"listCharts", "The client's session charts, newest first", 200, "", "ChartList", {}, {}}},
      {"GET", "/api/v1/charts/{id}", true, kClinical, true, get_chart, {"getChart", "One chart with its lots and amendments", 200, "", "Chart", {}, {}}},
      {"PATCH", "/api/v1/charts/{id}", true, kClinical, true, patch_chart,
       {"updateChart", "Change a draft, naming the version read (409 when signed: amend it instead)", 200, "ChartWrite", "Chart", {}, {409}}},
      {"POST", "/api/v1/charts/{id}/signature", true, kClinical, true, sign_chart,
       {"signChart",
        "The practitioner who charted signs it, locking it (403 for anyone else; 422 naming what is missing: the pigment's or the "
        "needles' lot, an item of the hygiene checklist)",
        200, "ChartSign", "Chart", {}, {409, 422}}},
      {"POST", "/api/v1/charts/{id}/amendments", true, kClinical, true, post_amendment,
       {"amendChart", "Add a correction to a signed chart; the original stays as signed", 201, "ChartAmendment", "Chart", {}, {409}}},
      // Reports: the front desk makes the recall calls; the owner and practitioners read the month's work.
      {"GET", "/api/v1/reports/recalls", true, kEveryRole, false, get_recalls,
       {"listRecalls",
        "Clients due for a touch-up, by month of the date due (the engine's fading model from the latest intake, counted from "
        "the latest signed session), and those overdue before the first month",
        200, "", "RecallReport",
        {{"from", "string", false, "the first month, YYYY-MM (default: the clinic's this month)"},
         {"months", "integer", false, "how many months, 1 to 36 (default 12)"}},
        {}}},
      {"GET", "/api/v1/reports/sessions", true, kClinical, false, get_session_report,
       {"sessionReport", "Signed sessions and touch-ups per month, with the clients treated and each practitioner's count", 200, "",
        "SessionReport",
        {{"from", "string", false, "the first month, YYYY-MM (default: the clinic's this month)"},
         {"months", "integer", false, "how many months, 1 to 36 (default 12)"}},
        {}}},
  };
  return table;
}

bool role_allowed(const Route& route, store::Role role) { return !route.sign_in || (route.roles & bit(role)) != 0; }

bool sees_clinical_data(store::Role role) { return role == store::Role::owner || role == store::Role::practitioner; }

RouteMatch match_route(std::string_view method, std::string_view path) {
  RouteMatch m;
  for (const Route& r : routes()) {
    std::map<std::string, std::string> params;
    if (!match_pattern(r.pattern, path, params)) continue;
    m.methods_for_path.push_back(r.method);
    if (r.method == method && m.route == nullptr) {
      m.route = &r;
      m.params = std::move(params);
    }
  }
  return m;
}

}  // namespace stipple::studio
