// GET /api/v1/openapi.json, and the document itself.
#include "stipple/studio/openapi.h"

#include <algorithm>

#include "stipple/assess/intake.h"
#include "stipple/consult/pipeline.h"
#include "stipple/plan/plan.h"
#include "stipple/store/photos.h"
#include "stipple/studio/client_fields.h"
#include "stipple/studio/diary.h"
#include "stipple/studio/handlers.h"
#include "stipple/studio/server.h"

namespace stipple::studio {

namespace {

using io::Json;

Json ref(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }

Json string_schema(std::string_view description = "") {
  Json j = {{"type", "string"}};
  if (!description.empty()) j["description"] = std::string(description);
  return j;
}

Json timestamp() { return {{"type", "string"}, {"format", "date-time"}}; }

Json client_field_schema(const ClientField& f) {
  Json j = Json::object();
  if (f.nullable) j["type"] = Json::array({"string", "null"});
  else j["type"] = "string";
  j["maxLength"] = f.max_bytes;  // bytes, which bound the characters
  if (f.format == "email") j["format"] = "email";
  if (f.format == "date") j["format"] = "date";
  if (f.format == "sex") {
    j["enum"] = Json::array();
    for (std::string_view w : kSexWords) j["enum"].push_back(std::string(w));
  }
  if (f.name == "name") j["minLength"] = 1;
  j["description"] = std::string(f.description);
  if (f.clinical) j["x-stipple-clinical"] = true;
  return j;
}

// Photos (studio/photos.cpp).
void photo_schemas(Json& s) {
  Json kinds = Json::array(), views = Json::array();
  for (std::string_view k : store::kPhotoKinds) kinds.push_back(std::string(k));
  for (std::string_view v : store::kPhotoViews) views.push_back(std::string(v));
  s["Photo"] = {{"type", "object"},
                {"required", {"id", "client_id", "kind", "view", "session", "taken_on", "content_type", "width", "height", "size",
                              "sha256", "source_type", "url", "thumbnail_url", "created_at", "created_by"}},
                {"properties",
                 {{"id", string_schema("opaque")},
                  {"client_id", string_schema()},
                  {"kind", {{"type", "string"}, {"enum", kinds}}},
                  {"view", {{"type", "string"}, {"enum", views}}},
                  {"session", {{"type", {"integer", "null"}}, {"description", "the session it follows or shows"}}},
                  {"taken_on", {{"type", {"string", "null"}}, {"format", "date"}}},
                  {"content_type", {{"type", "string"}, {"enum", {"image/jpeg", "image/png"}}, {"description", "as stored"}}},
                  {"width", {{"type", "integer"}, {"description", "pixels, upright"}}},
                  {"height", {{"type", "integer"}, {"description", "pixels, upright"}}},
                  {"size", {{"type", "integer"}, {"description", "bytes as stored"}}},
                  {"sha256", string_schema("hex, of the stored picture")},
                  {"source_type", string_schema("what was uploaded: image/jpeg, image/png, image/webp or image/heic")},
                  {"url", string_schema()},
                  {"thumbnail_url", string_schema()},
                  {"created_at", timestamp()},
                  {"created_by", string_schema("the user's id")}}}};
  s["PhotoList"] = {{"type", "object"}, {"required", {"photos"}}, {"properties", {{"photos", {{"type", "array"}, {"items", ref("Photo")}}}}}};
}

// The diary.
void diary_schemas(Json& s) {
  const Json nullable_string = {{"type", {"string", "null"}}};
  const Json local_time = {{"type", "string"},
                           {"format", "date-time"},
                           {"description", "RFC 3339 with the clinic's offset then, e.g. 2027-03-29T10:00:00+01:00"}};
  const Json kinds = {"consultation", "patch_test", "session", "touch_up"};
  s["Chair"] = {{"type", "object"},
                {"required", {"id", "name", "created_at"}},
                {"properties", {{"id", string_schema("opaque")}, {"name", string_schema()}, {"created_at", timestamp()}}}};
  s["ChairCreate"] = {{"type", "object"},
                      {"additionalProperties", false},
                      {"required", {"name"}},
                      {"properties", {{"name", {{"type", "string"}, {"maxLength", 80}, {"description", "unique, ignoring case"}}}}}};
  s["ChairList"] = {{"type", "object"}, {"required", {"chairs"}}, {"properties", {{"chairs", {{"type", "array"}, {"items", ref("Chair")}}}}}};
  s["PractitionerList"] = {
      {"type", "object"},
      {"required", {"practitioners"}},
      {"properties",
       {{"practitioners",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"id", "name", "role"}},
            {"properties", {{"id", string_schema()}, {"name", string_schema()}, {"role", {{"type", "string"}, {"enum", {"owner", "practitioner"}}}}}}}}}}}}};
  s["Appointment"] = {
      {"type", "object"},
      {"required", {"id", "client_id", "client_name", "practitioner_id", "practitioner_name", "chair_id", "chair_name", "kind",
                    "session_number", "start", "end", "duration_min", "time_zone", "status", "notes", "created_at", "updated_at",
                    "version"}},
      {"properties",
       {{"id", string_schema("opaque")},
        {"client_id", string_schema()},
        {"client_name", string_schema()},
        {"practitioner_id", string_schema()},
        {"practitioner_name", string_schema()},
        {"chair_id", nullable_string},
        {"chair_name", nullable_string},
        {"kind", {{"type", "string"}, {"enum", kinds}}},
        {"session_number", {{"type", {"integer", "null"}}, {"description", "1 to 4 for a session, else null"}}},
        {"start", local_time},
        {"end", local_time},
        {"duration_min", {{"type", "integer"}}},
        {"time_zone", string_schema("the clinic's IANA time zone the times are written in")},
        {"status", {{"type", "string"}, {"enum", {"booked", "cancelled"}}}},
        {"notes", string_schema()},
        {"override",
         {{"type", {"object", "null"}},
          {"description", "the gates booked against and the reason given; null for none"},
          {"properties", {{"gates", {{"type", "array"}, {"items", {{"type", "string"}}}}}, {"reason", string_schema()}}}}},
        {"attention",
         {{"type", "array"},
          {"description", "the booking rules a booked, unfinished appointment breaks now that it was not booked against (a credential lapsed, a new consent text, a failed patch test since, changed hours)"},
          {"items",
           {{"type", "object"},
            {"required", {"gate", "field", "message"}},
            {"properties", {{"gate", string_schema()}, {"field", string_schema()}, {"message", string_schema()}}}}}}},
        {"created_at", timestamp()},
        {"updated_at", timestamp()},
        {"version", {{"type", "integer"}, {"minimum", 1}}}}}};
  const Json start = {{"type", "string"},
                      {"format", "date-time"},
                      {"description", "RFC 3339 with an offset or Z; within the clinic's opening hours on its wall clock"}};
  const Json duration = {{"type", "integer"}, {"minimum", 5}, {"maximum", 600}, {"description", "minutes"}};
  Json gate_names = Json::array();
  for (std::string_view g : kGates) gate_names.push_back(std::string(g));
  const Json override_gates = {{"type", {"array", "null"}},
                               {"items", {{"type", "string"}, {"enum", gate_names}}},
                               {"description", "with override_reason: the gates to book against (each refusal's `gate`); only these are waived"}};
  s["AppointmentCreate"] = {{"type", "object"},
                            {"additionalProperties", false},
                            {"required", {"client_id", "practitioner_id", "kind", "start", "duration_min"}},
                            {"properties",
                             {{"client_id", string_schema()},
                              {"practitioner_id", string_schema("a practitioner or owner")},
                              {"chair_id", nullable_string},
                              {"kind", {{"type", "string"}, {"enum", kinds}}},
                              {"session_number", {{"type", "integer"}, {"minimum", 1}, {"maximum", 4}, {"description", "for a session only"}}},
                              {"start", start},
                              {"duration_min", duration},
                              {"notes", {{"type", {"string", "null"}}, {"maxLength", 2000}}},
                              {"override_reason", {{"type", {"string", "null"}}, {"maxLength", 2000}, {"description", "owners and practitioners: book against the gates, why (20 letters or more)"}}},
                              {"override_gates", override_gates}}}};
  s["AppointmentUpdate"] = {{"type", "object"},
                            {"additionalProperties", false},
                            {"required", {"version"}},
                            {"properties",
                             {{"version", {{"type", "integer"}, {"minimum", 1}, {"description", "the version read"}}},
                              {"practitioner_id", string_schema()},
                              {"chair_id", nullable_string},
                              {"start", start},
                              {"duration_min", duration},
                              {"status", {{"type", "string"}, {"enum", {"booked", "cancelled"}}}},
                              {"notes", {{"type", {"string", "null"}}, {"maxLength", 2000}}},
                              {"override_reason", {{"type", {"string", "null"}}, {"maxLength", 2000}}},
                              {"override_gates", override_gates}}}};
  const Json kinds_of_credential = {"body_art_licence", "bloodborne_pathogens", "health_permit"};
  const Json day = {{"type", "string"}, {"format", "date"}};
  s["Credential"] = {{"type", "object"},
                     {"required", {"id", "user_id", "holder_name", "kind", "kind_text", "reference", "issuer", "valid_from", "expires_on",
                                   "state", "days_left", "created_by", "created_at", "revoked_at", "revoked_by", "revoke_reason"}},
                     {"properties",
                      {{"id", string_schema("opaque")},
                       {"user_id", {{"type", {"string", "null"}}, {"description", "the practitioner's; null for the clinic's health permit"}}},
                       {"holder_name", string_schema()},
                       {"kind", {{"type", "string"}, {"enum", kinds_of_credential}}},
                       {"kind_text", string_schema("the kind in words")},
                       {"reference", string_schema("the number as printed")},
                       {"issuer", string_schema()},
                       {"valid_from", day},
                       {"expires_on", {{"type", "string"}, {"format", "date"}, {"description", "the last day it is valid"}}},
                       {"state", {{"type", "string"}, {"enum", {"valid", "expired", "not_yet_valid", "revoked"}}, {"description", "on the clinic's today"}}},
                       {"days_left", {{"type", "integer"}, {"description", "from the clinic's today to expires_on"}}},
                       {"created_by", string_schema("a user")},
                       {"created_at", timestamp()},
                       {"revoked_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                       {"revoked_by", nullable_string},
                       {"revoke_reason", string_schema()}}}};
  s["CredentialCreate"] = {{"type", "object"},
                           {"additionalProperties", false},
                           {"required", {"kind", "reference", "valid_from", "expires_on"}},
                           {"properties",
                            {{"user_id", {{"type", {"string", "null"}}, {"description", "the practitioner; none for the health permit"}}},
                             {"kind", {{"type", "string"}, {"enum", kinds_of_credential}}},
                             {"reference", {{"type", "string"}, {"maxLength", 80}}},
                             {"issuer", {{"type", {"string", "null"}}, {"maxLength", 200}}},
                             {"valid_from", day},
                             {"expires_on", day}}}};
  s["CredentialRevoke"] = {{"type", "object"},
                           {"additionalProperties", false},
                           {"required", {"revoke_reason"}},
                           {"properties", {{"revoke_reason", {{"type", "string"}, {"maxLength", 2000}}}}}};
  s["CredentialList"] = {
      {"type", "object"},
      {"required", {"credentials", "attention", "today", "notice_days"}},
      {"properties",
       {{"credentials", {{"type", "array"}, {"items", ref("Credential")}}},
        {"attention",
         {{"type", "array"},
          {"description", "per practitioner who treats and kind, and the clinic's permit: what is missing, lapsed or expiring soon"},
          {"items",
           {{"type", "object"},
            {"required", {"user_id", "holder_name", "kind", "kind_text", "state", "message"}},
            {"properties",
             {{"user_id", nullable_string},
              {"holder_name", string_schema()},
              {"kind", {{"type", "string"}, {"enum", kinds_of_credential}}},
              {"kind_text", string_schema()},
              {"state", {{"type", "string"}, {"enum", {"missing", "expired", "not_yet_valid", "expires_soon"}}}},
              {"expires_on", day},
              {"days_left", {{"type", "integer"}}},
              {"message", string_schema()}}}}}}},
        {"today", day},
        {"notice_days", {{"type", "integer"}}}}}};
  const Json consent_kinds = {"treatment", "clinical_photos", "marketing_photos"};
  s["ConsentTemplate"] = {{"type", "object"},
                          {"required", {"id", "kind", "version", "title", "body", "sha256", "created_by", "created_at"}},
                          {"properties",
                           {{"id", string_schema("opaque")},
                            {"kind", {{"type", "string"}, {"enum", consent_kinds}}},
                            {"version", {{"type", "integer"}, {"minimum", 1}}},
                            {"title", string_schema()},
                            {"body", string_schema("the text as the client reads it; paragraphs by blank lines")},
                            {"sha256", string_schema("of body, hex")},
                            {"created_by", string_schema("a user")},
                            {"created_at", timestamp()}}}};
  s["ConsentTemplateCreate"] = {{"type", "object"},
                                {"additionalProperties", false},
                                {"required", {"kind", "title", "body"}},
                                {"properties",
                                 {{"kind", {{"type", "string"}, {"enum", consent_kinds}}},
                                  {"title", {{"type", "string"}, {"maxLength", 200}}},
                                  {"body", {{"type", "string"}, {"maxLength", 65536}}}}}};
  Json latest_props = Json::object();
  for (const Json& k : consent_kinds) latest_props[k.get<std::string>()] = {{"oneOf", {ref("ConsentTemplate"), {{"type", "null"}}}}};
  s["ConsentTemplateList"] = {{"type", "object"},
                              {"required", {"templates", "latest"}},
                              {"properties",
                               {{"templates", {{"type", "array"}, {"items", ref("ConsentTemplate")}}},
                                {"latest", {{"type", "object"}, {"required", consent_kinds}, {"properties", latest_props}}}}}};
  s["ConsentSign"] = {{"type", "object"},
                      {"additionalProperties", false},
                      {"required", {"template_id", "signer_name", "signature_png"}},
                      {"properties",
                       {{"template_id", {{"type", "string"}, {"description", "the newest version of its kind"}}},
                        {"signer_name", {{"type", "string"}, {"maxLength", 200}, {"description", "as the signer types it"}}},
                        {"signature_png",
                         {{"type", "string"},
                          {"description", "the drawn signature: a PNG in base64, or a data:image/png;base64, URL; at most 256 KiB and 4096 px a side, with ink on it"}}}}}};
  s["Consent"] = {{"type", "object"},
                  {"required", {"id", "client_id", "template_id", "kind", "version", "latest_version", "state", "title", "text", "text_sha256",
                                "signer_name", "signature_url", "signature_sha256", "ip", "user_agent", "witnessed_by", "signed_at",
                                "withdrawn_at", "withdrawn_by", "withdraw_reason"}},
                  {"properties",
                   {{"id", string_schema("opaque")},
                    {"client_id", string_schema()},
                    {"template_id", string_schema()},
                    {"kind", {{"type", "string"}, {"enum", consent_kinds}}},
                    {"version", {{"type", "integer"}, {"description", "the text's version signed"}}},
                    {"latest_version", {{"type", "integer"}, {"description", "the clinic's newest version of the kind"}}},
                    {"state", {{"type", "string"}, {"enum", {"signed", "outdated", "withdrawn", "replaced"}}, {"description", "replaced: a later signature of the kind stands instead (in the client's list)"}}},
                    {"title", string_schema()},
                    {"text", string_schema("exactly as signed")},
                    {"text_sha256", string_schema()},
                    {"signer_name", string_schema()},
                    {"signature_url", string_schema()},
                    {"signature_sha256", string_schema()},
                    {"ip", string_schema("the device's address")},
                    {"user_agent", string_schema("the device's browser")},
                    {"witnessed_by", string_schema("the signed-in staff member")},
                    {"signed_at", timestamp()},
                    {"withdrawn_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                    {"withdrawn_by", nullable_string},
                    {"withdraw_reason", string_schema()}}}};
  Json by_kind_props = Json::object();
  for (const Json& k : consent_kinds)
    by_kind_props[k.get<std::string>()] = {
        {"type", "object"},
        {"required", {"state", "latest_version", "consent_id"}},
        {"properties",
         {{"state", {{"type", "string"}, {"enum", {"signed", "outdated", "withdrawn", "missing", "no_text"}}}},
          {"latest_version", {{"type", "integer"}}},
          {"consent_id", nullable_string}}}};
  s["ConsentList"] = {{"type", "object"},
                      {"required", {"consents", "by_kind"}},
                      {"properties",
                       {{"consents", {{"type", "array"}, {"items", ref("Consent")}}},
                        {"by_kind", {{"type", "object"}, {"required", consent_kinds}, {"properties", by_kind_props}}}}}};
  s["ConsentWithdrawal"] = {{"type", "object"},
                            {"additionalProperties", false},
                            {"required", {"withdraw_reason"}},
                            {"properties", {{"withdraw_reason", {{"type", "string"}, {"maxLength", 2000}}}}}};
  s["MarketingPhotoList"] = {
      {"type", "object"},
      {"required", {"photos"}},
      {"properties",
       {{"photos",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"id", "client_id", "kind", "view", "session", "taken_on", "url", "thumbnail_url", "consent_id"}},
            {"properties",
             {{"id", string_schema()},
              {"client_id", string_schema()},
              {"kind", string_schema()},
              {"view", string_schema()},
              {"session", {{"type", {"integer", "null"}}}},
              {"taken_on", nullable_string},
              {"url", string_schema()},
              {"thumbnail_url", string_schema()},
              {"consent_id", string_schema("the consent it stands on")}}}}}}}}}};
  const Json lot_kinds = {"pigment", "needle", "numbing"};
  const Json lot_props = {{"id", string_schema("opaque")},
                          {"kind", {{"type", "string"}, {"enum", lot_kinds}}},
                          {"product", string_schema("brand and name as on the label")},
                          {"lot", string_schema("the batch number as printed")},
                          {"expires_on", {{"type", "string"}, {"format", "date"}, {"description", "the last day it may be used"}}},
                          {"detail", string_schema("a needle's configuration, a pigment's shade")},
                          {"created_by", string_schema("a user")},
                          {"created_at", timestamp()}};
  s["Lot"] = {{"type", "object"}, {"required", {"id", "kind", "product", "lot", "expires_on", "detail", "created_by", "created_at"}},
              {"properties", lot_props}};
  s["LotCreate"] = {{"type", "object"},
                    {"additionalProperties", false},
                    {"required", {"kind", "product", "lot", "expires_on"}},
                    {"properties",
                     {{"kind", {{"type", "string"}, {"enum", lot_kinds}}},
                      {"product", {{"type", "string"}, {"maxLength", 200}}},
                      {"lot", {{"type", "string"}, {"maxLength", 80}}},
                      {"expires_on", {{"type", "string"}, {"format", "date"}}},
                      {"detail", {{"type", {"string", "null"}}, {"maxLength", 200}}}}}};
  s["LotList"] = {{"type", "object"}, {"required", {"lots"}}, {"properties", {{"lots", {{"type", "array"}, {"items", ref("Lot")}}}}}};
  s["LotRecipients"] = {
      {"type", "object"},
      {"required", {"lot", "recipients", "clients", "sessions"}},
      {"properties",
       {{"lot", ref("Lot")},
        {"clients", {{"type", "integer"}, {"description", "how many clients"}}},
        {"sessions", {{"type", "integer"}, {"description", "how many charted sessions"}}},
        {"recipients",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"client_id", "client_name", "email", "phone", "chart_id", "session_number", "started_at", "practitioner_id",
                          "practitioner_name"}},
            {"properties",
             {{"client_id", string_schema()},
              {"client_name", string_schema()},
              {"email", string_schema()},
              {"phone", string_schema()},
              {"chart_id", string_schema()},
              {"session_number", {{"type", "integer"}}},
              {"started_at", local_time},
              {"practitioner_id", string_schema()},
              {"practitioner_name", string_schema()}}}}}}}}}};
  const Json hygiene = {{"type", "object"},
                        {"additionalProperties", false},
                        {"description", "the hygiene checklist (brief section 9); every item true before signing"},
                        {"properties",
                         {{"cartridges_opened_in_front", {{"type", "boolean"}, {"description", "single-use cartridges opened in front of the client"}}},
                          {"gloves", {{"type", "boolean"}}},
                          {"barrier_film", {{"type", "boolean"}}},
                          {"surfaces_disinfected", {{"type", "boolean"}}}}}};
  s["ChartWrite"] = {{"type", "object"},
                     {"additionalProperties", false},
                     {"required", {"session_number", "zones", "started_at", "ended_at"}},
                     {"properties",
                      {{"version", {{"type", "integer"}, {"description", "PATCH: the version read"}}},
                       {"appointment_id", {{"type", {"string", "null"}}, {"description", "the client's session or touch-up appointment"}}},
                       {"session_number", {{"type", "integer"}, {"minimum", 0}, {"maximum", 4}, {"description", "0 for a touch-up"}}},
                       {"zones", {{"type", "string"}, {"maxLength", 500}}},
                       {"started_at", {{"type", "string"}, {"format", "date-time"}}},
                       {"ended_at", {{"type", "string"}, {"format", "date-time"}}},
                       {"dilution", {{"type", {"string", "null"}}, {"maxLength", 80}}},
                       {"lots",
                        {{"type", {"array", "null"}},
                         {"maxItems", 12},
                         {"items", {{"type", "object"}, {"required", {"lot_id"}}, {"properties", {{"lot_id", string_schema()}}}}}}},
                       {"hygiene", hygiene},
                       {"before_photo_id", nullable_string},
                       {"after_photo_id", nullable_string},
                       {"adverse_reaction", {{"type", {"string", "null"}}, {"maxLength", 4000}}},
                       {"notes", {{"type", {"string", "null"}}, {"maxLength", 4000}}}}}};
  Json chart_lot = {{"type", "object"}, {"required", {"id", "kind", "product", "lot", "expires_on", "use"}}, {"properties", lot_props}};
  chart_lot["properties"]["use"] = {{"type", "string"}, {"enum", lot_kinds}};
  Json hygiene_out = hygiene;
  hygiene_out.erase("additionalProperties");
  hygiene_out["required"] = {"cartridges_opened_in_front", "gloves", "barrier_film", "surfaces_disinfected"};
  s["Chart"] = {{"type", "object"},
                {"required", {"id", "client_id", "appointment_id", "practitioner_id", "practitioner_name", "session_number", "zones",
                              "started_at", "ended_at", "time_zone", "dilution", "lots", "hygiene", "before_photo_id", "after_photo_id",
                              "adverse_reaction", "notes", "status", "signed_at", "signed_by", "amendments", "created_at", "updated_at",
                              "version"}},
                {"properties",
                 {{"id", string_schema("opaque")},
                  {"client_id", string_schema()},
                  {"appointment_id", nullable_string},
                  {"practitioner_id", string_schema()},
                  {"practitioner_name", string_schema()},
                  {"session_number", {{"type", "integer"}}},
                  {"zones", string_schema()},
                  {"started_at", local_time},
                  {"ended_at", local_time},
                  {"time_zone", string_schema()},
                  {"dilution", string_schema()},
                  {"lots", {{"type", "array"}, {"items", chart_lot}}},
                  {"hygiene", hygiene_out},
                  {"before_photo_id", nullable_string},
                  {"after_photo_id", nullable_string},
                  {"adverse_reaction", string_schema()},
                  {"notes", string_schema()},
                  {"status", {{"type", "string"}, {"enum", {"draft", "signed"}}}},
                  {"signed_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                  {"signed_by", nullable_string},
                  {"amendments",
                   {{"type", "array"},
                    {"items",
                     {{"type", "object"},
                      {"required", {"id", "text", "created_by", "created_by_name", "created_at"}},
                      {"properties",
                       {{"id", string_schema()},
                        {"text", string_schema()},
                        {"created_by", string_schema()},
                        {"created_by_name", string_schema()},
                        {"created_at", timestamp()}}}}}}},
                  {"created_at", timestamp()},
                  {"updated_at", timestamp()},
                  {"version", {{"type", "integer"}}}}}};
  s["ChartList"] = {{"type", "object"}, {"required", {"charts"}}, {"properties", {{"charts", {{"type", "array"}, {"items", ref("Chart")}}}}}};
  s["ChartSign"] = {{"type", "object"}, {"additionalProperties", false}, {"required", {"version"}},
                    {"properties", {{"version", {{"type", "integer"}, {"description", "the version read"}}}}}};
  s["ChartAmendment"] = {{"type", "object"}, {"additionalProperties", false}, {"required", {"text"}},
                         {"properties", {{"text", {{"type", "string"}, {"maxLength", 4000}}}}}};
  const Json recall_item = {{"type", "object"},
                            {"required", {"client_id", "client_name", "email", "phone", "last_session", "due", "years", "from_intake"}},
                            {"properties",
                             {{"client_id", string_schema()},
                              {"client_name", string_schema()},
                              {"email", string_schema()},
                              {"phone", string_schema()},
                              {"last_session", day},
                              {"due", day},
                              {"years", {{"type", "number"}, {"description", "from the last session to the touch-up"}}},
                              {"from_intake", {{"type", "boolean"}, {"description", "false: moderate sun and type III assumed"}}}}}};
  s["RecallReport"] = {{"type", "object"},
                       {"required", {"from", "months", "overdue"}},
                       {"properties",
                        {{"from", string_schema("YYYY-MM")},
                         {"months",
                          {{"type", "array"},
                           {"items",
                            {{"type", "object"},
                             {"required", {"month", "clients"}},
                             {"properties", {{"month", string_schema("YYYY-MM")}, {"clients", {{"type", "array"}, {"items", recall_item}}}}}}}}},
                         {"overdue", {{"type", "array"}, {"items", recall_item}}}}}};
  s["SessionReport"] = {
      {"type", "object"},
      {"required", {"from", "months"}},
      {"properties",
       {{"from", string_schema("YYYY-MM")},
        {"months",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"required", {"month", "sessions", "touch_ups", "clients", "by_practitioner"}},
            {"properties",
             {{"month", string_schema("YYYY-MM")},
              {"sessions", {{"type", "integer"}}},
              {"touch_ups", {{"type", "integer"}}},
              {"clients", {{"type", "integer"}}},
              {"by_practitioner",
               {{"type", "array"},
                {"items",
                 {{"type", "object"},
                  {"required", {"practitioner_id", "practitioner_name", "charted"}},
                  {"properties", {{"practitioner_id", string_schema()}, {"practitioner_name", string_schema()}, {"charted", {{"type", "integer"}}}}}}}}}}}}}}}}}};
  s["PatchTest"] = {{"type", "object"},
                    {"required", {"id", "client_id", "placed_at", "placed_by", "pigment", "lot", "site", "result", "read_at", "read_by",
                                  "notes", "read_from", "read_until", "created_at"}},
                    {"properties",
                     {{"id", string_schema("opaque")},
                      {"client_id", string_schema()},
                      {"placed_at", timestamp()},
                      {"placed_by", string_schema("a user")},
                      {"pigment", string_schema()},
                      {"lot", string_schema("the pigment's lot (batch) number")},
                      {"site", string_schema()},
                      {"result", {{"type", "string"}, {"enum", {"pending", "passed", "failed"}}}},
                      {"read_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                      {"read_by", nullable_string},
                      {"notes", string_schema()},
                      {"read_from", timestamp()},
                      {"read_until", timestamp()},
                      {"created_at", timestamp()}}}};
  s["PatchTestCreate"] = {{"type", "object"},
                          {"additionalProperties", false},
                          {"required", {"pigment", "lot"}},
                          {"properties",
                           {{"placed_at", {{"type", "string"}, {"format", "date-time"}, {"description", "default now; not in the future"}}},
                            {"pigment", {{"type", "string"}, {"maxLength", 200}}},
                            {"lot", {{"type", "string"}, {"maxLength", 80}}},
                            {"site", {{"type", {"string", "null"}}, {"maxLength", 200}}},
                            {"notes", {{"type", {"string", "null"}}, {"maxLength", 2000}}}}}};
  s["PatchTestReading"] = {{"type", "object"},
                           {"additionalProperties", false},
                           {"required", {"result"}},
                           {"properties",
                            {{"result", {{"type", "string"}, {"enum", {"passed", "failed"}}}},
                             {"read_at", {{"type", "string"}, {"format", "date-time"}, {"description", "default now; 24 to 48 hours after placing"}}},
                             {"notes", {{"type", {"string", "null"}}, {"maxLength", 2000}}}}}};
  s["PatchTestList"] = {{"type", "object"}, {"required", {"patch_tests"}}, {"properties", {{"patch_tests", {{"type", "array"}, {"items", ref("PatchTest")}}}}}};
  s["AppointmentList"] = {{"type", "object"},
                          {"required", {"appointments", "from", "days", "time_zone"}},
                          {"properties",
                           {{"appointments", {{"type", "array"}, {"items", ref("Appointment")}}},
                            {"from", {{"type", "string"}, {"format", "date"}}},
                            {"days", {{"type", "integer"}}},
                            {"time_zone", string_schema()}}}};
}

// Intakes and consultations.
void consultation_schemas(Json& s) {
  Json intake = assess::intake_json_schema();
  intake.erase("$schema");
  intake["description"] = "A stipple.intake/1 document (stipple schema intake), checked by the engine's own reader";
  s["Intake"] = intake;
  const Json intake_props = {{"id", string_schema("opaque")},
                             {"client_id", string_schema()},
                             {"created_at", timestamp()},
                             {"created_by", string_schema("the user's id")}};
  s["IntakeCreated"] = {{"type", "object"}, {"required", {"id", "client_id", "created_at", "created_by"}}, {"properties", intake_props}};
  Json stored = intake_props;
  stored["document"] = ref("Intake");
  s["StoredIntake"] = {{"type", "object"}, {"required", {"id", "client_id", "created_at", "created_by", "document"}}, {"properties", stored}};
  s["IntakeList"] = {{"type", "object"},
                     {"required", {"intakes"}},
                     {"properties", {{"intakes", {{"type", "array"}, {"items", ref("IntakeCreated")}}}}}};
  s["ConsultationCreate"] = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"intake_id"}},
      {"properties",
       {{"intake_id", {{"type", "string"}, {"description", "an intake of this client"}}},
        {"start_date", {{"type", {"string", "null"}}, {"format", "date"}, {"description", "first day for sessions (default: today in the clinic's time zone)"}}},
        {"override_reason",
         {{"type", {"string", "null"}},
          {"maxLength", 2000},
          {"description", "plan although the assessment blocks booking, for this reason (printed in the plan, calendar and report)"}}},
        {"design", ref("DesignChoices")}}}};
  Json choice_props = Json::object();
  const Json choice_words = consult::design_choice_words();
  for (const auto& [key, words] : choice_words.items()) {
    Json options = words;
    options.push_back(nullptr);
    choice_props[key] = {{"enum", options}};
  }
  choice_props["norwood"]["description"] = "the Norwood-Hamilton class to design for (not with ludwig)";
  choice_props["ludwig"]["description"] = "the Ludwig grade to design for (not with norwood)";
  choice_props["look"]["description"] = "the look";
  choice_props["hairline"]["description"] = "the hairline's style";
  choice_props["pigment_tone"]["description"] = "the pigment's undertone";
  choice_props["hair_color"]["description"] = "the hair colour the pigment's shade is matched to";
  s["DesignChoices"] = {{"type", "object"},
                        {"additionalProperties", false},
                        {"description", "the practitioner's choices for the design over the intake's (each absent or null: the intake's); "
                                        "the design, dots, pictures and plan follow them"},
                        {"properties", choice_props}};
  s["ConsultationQueued"] = {{"type", "object"},
                             {"required", {"id", "status", "progress"}},
                             {"properties", {{"id", string_schema()}, {"status", {{"const", "queued"}}}, {"progress", {{"type", "number"}}}}}};
  Json candidacies = Json::array();
  for (std::string_view c : enum_names<assess::Candidacy>) candidacies.push_back(std::string(c));
  s["AssessmentSummary"] = {
      {"type", "object"},
      {"required", {"candidacy", "candidacy_text", "blocked", "blocking_rules", "summary", "holds"}},
      {"properties",
       {{"candidacy", {{"type", "string"}, {"enum", candidacies}}},
        {"candidacy_text", string_schema()},
        {"blocked", {{"type", "boolean"}, {"description", "the booking gate: no plan, quote or calendar without an override"}}},
        {"blocking_rules", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"summary", string_schema("why booking is blocked, in words; empty when it is not")},
        {"first_choice", string_schema("the first recommended option")},
        {"holds",
         {{"type", "array"},
          {"items",
           {{"type", "object"},
            {"properties", {{"rule", string_schema()}, {"until", {{"type", "string"}, {"format", "date"}}}, {"text", string_schema()}}}}}}}}}};
  s["Consultation"] = {
      {"type", "object"},
      {"description", "intake_id, start_date, step, error, assessment, override and design_id only for owners and practitioners"},
      {"required", {"id", "client_id", "status", "progress", "planned", "settings_version", "documents", "created_at", "created_by",
                    "updated_at"}},
      {"properties",
       {{"id", string_schema()},
        {"client_id", string_schema()},
        {"intake_id", string_schema()},
        {"start_date", {{"type", "string"}, {"format", "date"}}},
        {"status", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}}},
        {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
        {"step", string_schema("the last step finished: assessment, design, dots, pictures or plan")},
        {"error", string_schema("why it failed, in one line")},
        {"planned", {{"type", "boolean"}, {"description", "a plan, quote and calendar were made"}}},
        {"settings_version",
         {{"type", "integer"},
          {"minimum", 0},
          {"description", "the version of the clinic's settings it is planned with (GET /api/v1/clinic/versions/{version}; 0: the bundled defaults)"}}},
        {"assessment", ref("AssessmentSummary")},
        {"override",
         {{"type", "object"},
          {"properties", {{"reason", string_schema()}, {"applied", {{"type", "boolean"}, {"description", "the assessment blocked booking"}}}}}}},
        {"design_id", string_schema("the id of the design document")},
        {"design_choices", ref("DesignChoices")},
        {"documents",
         {{"type", "object"},
          {"description", "document name -> URL (report.pdf, calendar.ics, quote.json, assessment.json, top.healed.png, ...)"},
          {"additionalProperties", {{"type", "string"}}}}},
        {"created_at", timestamp()},
        {"created_by", string_schema("the user's id")},
        {"updated_at", timestamp()}}}};
  s["ConsultationStatus"] = {{"type", "object"},
                             {"required", {"id", "status", "progress"}},
                             {"properties",
                              {{"id", string_schema()},
                               {"status", {{"type", "string"}, {"enum", {"queued", "running", "done", "failed"}}}},
                               {"progress", {{"type", "number"}, {"minimum", 0}, {"maximum", 1}}},
                               {"step", string_schema("the last step finished")}}}};
  s["ConsultationList"] = {{"type", "object"},
                           {"required", {"consultations"}},
                           {"properties", {{"consultations", {{"type", "array"}, {"items", ref("Consultation")}}}}}};
  s["Quote"] = {{"type", "object"},
                {"description", "the plan's quote (docs/plan.md): amounts are decimal strings in the currency"},
                {"required", {"currency", "lines", "subtotal", "tax", "total"}},
                {"properties",
                 {{"currency", string_schema("ISO 4217")},
                  {"lines", {{"type", "array"}, {"items", {{"type", "object"}}}}},
                  {"subtotal", string_schema()},
                  {"tax", string_schema()},
                  {"total", string_schema()}}}};
}

// A JSON Schema document of the engine (docs/schemas/) as the component
// `name`: its $defs become components "NAME_DEF" and its references follow them.
void engine_schema(Json& s, std::string_view text, const std::string& name) {
  Json doc = Json::parse(text);
  doc.erase("$schema");
  const std::string from = "#/$defs/", to = "#/components/schemas/" + name + "_";
  const auto rewrite = [&](auto& self, Json& j) -> void {
    if (j.is_object()) {
      if (auto it = j.find("$ref"); it != j.end() && it->is_string() && it->get_ref<const std::string&>().starts_with(from))
        *it = to + it->get_ref<const std::string&>().substr(from.size());
      for (auto& [k, v] : j.items()) self(self, v);
    } else if (j.is_array()) {
      for (Json& v : j) self(self, v);
    }
  };
  if (auto defs = doc.find("$defs"); defs != doc.end()) {
    for (auto& [k, v] : defs->items()) {
      rewrite(rewrite, v);
      s[name + "_" + k] = v;
    }
    doc.erase("$defs");
  }
  rewrite(rewrite, doc);
  s[name] = std::move(doc);
}

// The clinic's settings (studio/settings.cpp).
void settings_schemas(Json& s) {
  engine_schema(s, plan::clinic_schema_json(), "ClinicDocument");
  engine_schema(s, plan::pricing_schema_json(), "PricingDocument");
  engine_schema(s, plan::care_schema_json(), "CareDocument");
  const Json saved = {{"version", {{"type", "integer"}, {"minimum", 0}, {"description", "1, 2, ...; 0: the bundled defaults"}}},
                      {"saved_at", {{"type", {"string", "null"}}, {"format", "date-time"}}},
                      {"saved_by", {{"type", {"string", "null"}}, {"description", "the user's id"}}},
                      {"saved_by_name", {{"type", {"string", "null"}}}}};
  Json full = saved;
  full["clinic"] = ref("ClinicDocument");
  full["pricing"] = ref("PricingDocument");
  full["care"] = ref("CareDocument");
  full["today"] = {{"type", "string"}, {"format", "date"}, {"description", "today on the clinic's wall clock (its time zone)"}};
  s["ClinicSettings"] = {{"type", "object"},
                         {"required", {"version", "saved_at", "saved_by", "saved_by_name", "clinic", "pricing", "care", "today"}},
                         {"properties", full}};
  s["ClinicSettingsUpdate"] = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"version", "clinic", "pricing", "care"}},
      {"properties",
       {{"version", {{"type", "integer"}, {"minimum", 0}, {"description", "the version these edits start from"}}},
        {"clinic", ref("ClinicDocument")},
        {"pricing", ref("PricingDocument")},
        {"care", ref("CareDocument")}}}};
  s["ClinicVersion"] = {{"type", "object"}, {"required", {"version", "saved_at", "saved_by", "saved_by_name"}}, {"properties", saved}};
  s["ClinicVersionList"] = {{"type", "object"},
                            {"required", {"versions"}},
                            {"properties", {{"versions", {{"type", "array"}, {"items", ref("ClinicVersion")}}}}}};
}

Json schemas() {
  Json s = Json::object();
  s["Problem"] = {{"type", "object"},
                  {"description", "RFC 9457 problem details"},
                  {"required", {"type", "title", "status", "detail", "errors"}},
                  {"properties",
                   {{"type", {{"type", "string"}, {"format", "uri"}}},
                    {"title", string_schema()},
                    {"status", {{"type", "integer"}}},
                    {"detail", string_schema()},
                    {"errors",
                     {{"type", "array"},
                      {"items",
                       {{"type", "object"},
                        {"required", {"field", "message"}},
                        {"properties", {{"field", string_schema("the field path, as the CLI writes it")}, {"message", string_schema()}}}}}}},
                    {"current_version", {{"type", "integer"}, {"description", "409 stale-version only: the version stored now"}}}}}};
  s["Health"] = {{"type", "object"}, {"required", {"status"}}, {"properties", {{"status", {{"const", "ok"}}}}}};
  s["SignIn"] = {{"type", "object"},
                 {"additionalProperties", false},
                 {"required", {"email", "password"}},
                 {"properties", {{"email", {{"type", "string"}, {"maxLength", 254}}}, {"password", {{"type", "string"}, {"maxLength", 1024}}}}}};
  Json roles = Json::array();
  for (std::string_view r : enum_names<store::Role>) roles.push_back(std::string(r));
  s["Me"] = {{"type", "object"},
             {"required", {"id", "email", "name", "role", "session"}},
             {"properties",
              {{"id", string_schema()},
               {"email", string_schema()},
               {"name", string_schema()},
               {"role", {{"type", "string"}, {"enum", roles}}},
               {"session",
                {{"type", "object"},
                 {"required", {"created_at", "idle_timeout_s", "expires_at"}},
                 {"properties",
                  {{"created_at", timestamp()}, {"idle_timeout_s", {{"type", "integer"}}}, {"expires_at", timestamp()}}}}}}}};
  Json client_props = {{"id", string_schema("opaque")}};
  Json create_props = Json::object(), update_props = {{"version", {{"type", "integer"}, {"minimum", 1}, {"description", "the version read"}}}};
  Json client_required = {"id"}, create_required = Json::array();
  for (const ClientField& f : client_fields()) {
    Json fs = client_field_schema(f);
    client_props[std::string(f.name)] = fs;
    create_props[std::string(f.name)] = fs;
    update_props[std::string(f.name)] = fs;
    if (!f.clinical) client_required.push_back(std::string(f.name));
    if (f.required) create_required.push_back(std::string(f.name));
  }
  client_props["created_at"] = timestamp();
  client_props["updated_at"] = timestamp();
  client_props["version"] = {{"type", "integer"}, {"minimum", 1}};
  for (const char* k : {"created_at", "updated_at", "version"}) client_required.push_back(k);
  s["Client"] = {{"type", "object"},
                 {"description", "notes only for owners and practitioners, and never in lists"},
                 {"required", client_required},
                 {"properties", client_props}};
  s["ClientCreate"] = {{"type", "object"}, {"additionalProperties", false}, {"required", create_required}, {"properties", create_props}};
  s["ClientUpdate"] = {{"type", "object"}, {"additionalProperties", false}, {"required", {"version"}}, {"properties", update_props}};
  s["ClientList"] = {{"type", "object"},
                     {"required", {"clients", "limit"}},
                     {"properties", {{"clients", {{"type", "array"}, {"items", ref("Client")}}}, {"limit", {{"type", "integer"}}}}}};
  s["AuditEntry"] = {{"type", "object"},
                     {"required", {"id", "at", "user_id", "user_name", "action", "resource", "client_id", "ip", "hash"}},
                     {"properties",
                      {{"id", string_schema()},
                       {"at", timestamp()},
                       {"user_id", string_schema()},
                       {"user_name", string_schema()},
                       {"action", {{"type", "string"}, {"enum", {"read", "create", "update", "override", "export"}}}},
                       {"resource", {{"type", "string"}, {"enum", {"client", "intake", "consultation", "document", "photo", "photos", "photo thumbnail", "patch test", "appointment"}}}},
                       {"detail", string_schema("an override's reason, or the name of the document read; absent when none")},
                       {"client_id", string_schema()},
                       {"ip", string_schema()},
                       {"hash", string_schema("SHA-256 (hex) of the entry and the previous entry's hash")}}}};
  s["AuditLog"] = {{"type", "object"},
                   {"required", {"entries", "chain"}},
                   {"properties",
                    {{"entries", {{"type", "array"}, {"items", ref("AuditEntry")}}},
                     {"chain",
                      {{"type", "object"},
                       {"required", {"entries", "intact"}},
                       {"properties", {{"entries", {{"type", "integer"}}}, {"intact", {{"type", "boolean"}}}}}}}}}};
  consultation_schemas(s);
  photo_schemas(s);
  diary_schemas(s);
  settings_schemas(s);
  return s;
}

Json problem_response(std::string_view description) {
  return {{"description", std::string(description)},
          {"content", {{"application/problem+json", {{"schema", ref("Problem")}}}}}};
}

std::string_view error_description(int status) {
  switch (status) {
    case 400: return "malformed: the body or query, with every bad field named";
    case 401: return "not signed in, or the session has ended";
    case 403: return "not allowed for this role, or X-Requested-With: stipple missing";
    case 404: return "no such resource";
    case 409: return "conflict: the version read is stale";
    case 413: return "the body is larger than the route's limit";
    case 415: return "the body is not of the media type the operation takes";
    case 422: return "refused by a rule: errors[] says which, at its field";
    case 429: return "too many failed sign-ins: wait Retry-After seconds";
    case 503: return "the database does not answer";
    default: return "error";
  }
}

Json operation(const Route& r) {
  Json op = {{"operationId", std::string(r.doc.operation_id)}, {"summary", std::string(r.doc.summary)}};
  Json params = Json::array();
  std::string_view pattern = r.pattern;
  for (std::size_t i = pattern.find('{'); i != std::string_view::npos; i = pattern.find('{', i + 1)) {
    const std::size_t j = pattern.find('}', i);
    params.push_back({{"name", std::string(pattern.substr(i + 1, j - i - 1))},
                      {"in", "path"},
                      {"required", true},
                      {"schema", {{"type", "string"}}}});
  }
  for (const QueryParam& q : r.doc.query)
    params.push_back({{"name", std::string(q.name)},
                      {"in", "query"},
                      {"required", q.required},
                      {"description", std::string(q.description)},
                      {"schema", {{"type", std::string(q.type)}}}});
  const bool unsafe = r.method != "GET";
  if (!params.empty()) op["parameters"] = params;
  if (r.doc.request_schema.find('/') != std::string_view::npos)  // a media type: the body is the file's own bytes
    op["requestBody"] = {{"required", true},
                         {"content",
                          {{std::string(r.doc.request_schema),
                            {{"schema", {{"type", "string"}, {"contentMediaType", std::string(r.doc.request_schema)}}}}}}}};
  else if (!r.doc.request_schema.empty())
    op["requestBody"] = {{"required", true}, {"content", {{"application/json", {{"schema", ref(r.doc.request_schema)}}}}}};
  Json responses = Json::object();
  Json ok = {{"description", std::string(status_title(r.doc.success_status))}};
  if (r.doc.response_schema.find('/') != std::string_view::npos)
    ok["content"] = {{std::string(r.doc.response_schema),
                      {{"schema", {{"type", "string"}, {"contentMediaType", std::string(r.doc.response_schema)}}}}}};
  else if (!r.doc.response_schema.empty()) ok["content"] = {{"application/json", {{"schema", ref(r.doc.response_schema)}}}};
  else if (r.doc.success_status != 204) ok["content"] = {{"application/json", {{"schema", {{"type", "object"}}}}}};
  responses[std::to_string(r.doc.success_status)] = ok;
  std::vector<int> errors = r.doc.statuses;
  if (!r.doc.request_schema.empty() || !r.doc.query.empty()) errors.push_back(400);
  if (!r.doc.request_schema.empty()) errors.insert(errors.end(), {413, 415});
  if (r.sign_in) errors.insert(errors.end(), {401, 403});
  if (unsafe) errors.push_back(403);
  if (r.pattern.find('{') != std::string_view::npos) errors.push_back(404);
  std::sort(errors.begin(), errors.end());
  errors.erase(std::unique(errors.begin(), errors.end()), errors.end());
  for (int e : errors) responses[std::to_string(e)] = problem_response(error_description(e));
  op["responses"] = responses;
  // Every scheme of the one requirement object is needed (OpenAPI 3.1, 4.8.30):
  // the session, and on unsafe methods the header that no cross-site request can send.
  Json requirement = Json::object();
  if (r.sign_in) requirement["sessionCookie"] = Json::array();
  if (unsafe) requirement["requestedWith"] = Json::array();
  op["security"] = requirement.empty() ? Json::array() : Json::array({requirement});
  Json roles = Json::array();
  if (r.sign_in)
    for (store::Role role : {store::Role::owner, store::Role::practitioner, store::Role::front_desk})
      if (role_allowed(r, role)) roles.push_back(std::string(to_string(role)));
  op["x-stipple-roles"] = roles;
  op["x-stipple-audited"] = r.health_data;
  return op;
}

Json build() {
  Json doc = Json::object();
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", "Stipple studio API"},
                 {"version", STIPPLE_VERSION},
                 {"description", "The clinic's web application (shared/spec/STUDIO.md). Errors are RFC 9457 problem "
                                 "details; unsafe methods need X-Requested-With: stipple; x-stipple-roles lists who may "
                                 "call an operation (empty: anyone) and x-stipple-audited whether it is written to the "
                                 "audit log."}};
  doc["servers"] = Json::array({{{"url", "/"}}});
  Json paths = Json::object();
  for (const Route& r : routes()) {
    std::string method(r.method);
    std::transform(method.begin(), method.end(), method.begin(), [](char c) { return static_cast<char>(c - 'A' + 'a'); });
    paths[std::string(r.pattern)][method] = operation(r);
  }
  doc["paths"] = paths;
  doc["components"] = {{"schemas", schemas()},
                       {"securitySchemes",
                        {{"sessionCookie",
                          {{"type", "apiKey"}, {"in", "cookie"}, {"name", std::string(kSessionCookie)},
                           {"description", "set by POST /api/v1/session"}}},
                         {"requestedWith",
                          {{"type", "apiKey"}, {"in", "header"}, {"name", "X-Requested-With"},
                           {"description", "the value stipple, on every POST, PUT, PATCH and DELETE: a cross-site form "
                                           "or fetch cannot send it (403 without it)"}}}}}};
  return doc;
}

}  // namespace

const io::Json& openapi_document() {
  static const io::Json doc = build();
  return doc;
}

Reply get_openapi(Context&, const Request&) {
  static const std::string text = openapi_document().dump();
  Reply r;
  r.json_text = text;
  return r;
}

}  // namespace stipple::studio
