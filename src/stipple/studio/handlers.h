// stipple/studio/handlers.h: the handlers of routes.h, one file per resource.
//
// Each is called only after the server has checked the route's access rule; it
// validates its own input (400 naming every bad field), calls the store, and
// returns the reply. None throws on bad input.
#pragma once

#include "stipple/studio/routes.h"

namespace stipple::studio {

// health.cpp
Reply get_healthz(Context& ctx, const Request& req);
// openapi.cpp
Reply get_openapi(Context& ctx, const Request& req);
// session.cpp
Reply post_session(Context& ctx, const Request& req);
Reply delete_session(Context& ctx, const Request& req);
Reply get_me(Context& ctx, const Request& req);
// clients.cpp
Reply list_clients(Context& ctx, const Request& req);
Reply post_client(Context& ctx, const Request& req);
Reply get_client(Context& ctx, const Request& req);
Reply patch_client(Context& ctx, const Request& req);
// audit.cpp
Reply get_audit(Context& ctx, const Request& req);
// consultations.cpp
Reply post_intake(Context& ctx, const Request& req);
Reply list_intakes(Context& ctx, const Request& req);
Reply get_intake(Context& ctx, const Request& req);
Reply post_consultation(Context& ctx, const Request& req);
Reply list_consultations(Context& ctx, const Request& req);
Reply get_consultation(Context& ctx, const Request& req);
Reply get_consultation_status(Context& ctx, const Request& req);
Reply get_report(Context& ctx, const Request& req);
Reply get_calendar(Context& ctx, const Request& req);
Reply get_quote(Context& ctx, const Request& req);
Reply get_document(Context& ctx, const Request& req);

// settings.cpp
Reply get_clinic(Context& ctx, const Request& req);
Reply put_clinic(Context& ctx, const Request& req);
Reply list_clinic_versions(Context& ctx, const Request& req);
Reply get_clinic_version(Context& ctx, const Request& req);

// export.cpp
Reply export_client(Context& ctx, const Request& req);
// photos.cpp
Reply post_photo(Context& ctx, const Request& req);
Reply list_photos(Context& ctx, const Request& req);
Reply get_photo(Context& ctx, const Request& req);
Reply get_photo_thumbnail(Context& ctx, const Request& req);

// patch_tests.cpp
Reply post_patch_test(Context& ctx, const Request& req);
Reply list_patch_tests(Context& ctx, const Request& req);
Reply get_patch_test(Context& ctx, const Request& req);
Reply read_patch_test(Context& ctx, const Request& req);
// diary.cpp
Reply list_chairs(Context& ctx, const Request& req);
Reply post_chair(Context& ctx, const Request& req);
Reply list_practitioners(Context& ctx, const Request& req);
Reply list_appointments(Context& ctx, const Request& req);
Reply post_appointment(Context& ctx, const Request& req);
Reply get_appointment(Context& ctx, const Request& req);
Reply patch_appointment(Context& ctx, const Request& req);
// credentials.cpp
Reply list_credentials(Context& ctx, const Request& req);
Reply post_credential(Context& ctx, const Request& req);
Reply revoke_credential(Context& ctx, const Request& req);
// consents.cpp
Reply list_consent_templates(Context& ctx, const Request& req);
Reply get_consent_template(Context& ctx, const Request& req);
Reply post_consent_template(Context& ctx, const Request& req);
Reply post_consent(Context& ctx, const Request& req);
Reply list_consents(Context& ctx, const Request& req);
Reply get_consent(Context& ctx, const Request& req);
Reply get_consent_signature(Context& ctx, const Request& req);
Reply withdraw_consent(Context& ctx, const Request& req);
Reply list_marketing_photos(Context& ctx, const Request& req);
// charts.cpp
Reply list_lots(Context& ctx, const Request& req);
Reply post_lot(Context& ctx, const Request& req);
Reply get_lot(Context& ctx, const Request& req);
Reply list_lot_recipients(Context& ctx, const Request& req);
Reply post_chart(Context& ctx, const Request& req);
Reply list_charts(Context& ctx, const Request& req);
Reply get_chart(Context& ctx, const Request& req);
Reply patch_chart(Context& ctx, const Request& req);
Reply sign_chart(Context& ctx, const Request& req);
Reply post_amendment(Context& ctx, const Request& req);
// reports.cpp
Reply get_recalls(Context& ctx, const Request& req);
Reply get_session_report(Context& ctx, const Request& req);

}  // namespace stipple::studio
