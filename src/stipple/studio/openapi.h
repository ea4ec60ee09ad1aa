// stipple/studio/openapi.h: the OpenAPI 3.1 document of the studio's API.
//
// Generated from the route table (routes.h) and the client field table
// (client_fields.h): every route is in it with its method, path parameters,
// query, body, responses, roles (x-stipple-roles) and whether it is audited
// (x-stipple-audited), and nothing else is, so it cannot drift from the server.
#pragma once

#include "stipple/io/json_document.h"

namespace stipple::studio {

// The whole document (the same for every call).
const io::Json& openapi_document();

}  // namespace stipple::studio
