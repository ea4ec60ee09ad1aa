// stipple/studio/documents.h: a consultation's documents, by name.
//
// The engine's files are named by their key in the pipeline (consult/pipeline.h):
// "assessment.json", "top.healed.png", "report.pdf", ...; the calendar ("ics")
// is "calendar.ics", and the quote taken out of the plan is "quote.json".
#pragma once

#include <string>
#include <string_view>

#include "stipple/store/consultations.h"

namespace stipple::studio {

// The document name of a pipeline file key ("ics" -> "calendar.ics").
std::string document_name_of_key(std::string_view key);

// The media type of a document by its name's ending: application/pdf,
// text/calendar; charset=utf-8, image/png, application/json, text/csv;
// charset=utf-8, text/plain; charset=utf-8; application/octet-stream otherwise.
std::string_view document_content_type(std::string_view name);

// Where the API serves a document: report.pdf, calendar.ics and quote.json at
// their own paths (/api/v1/consultations/ID/report.pdf, /calendar.ics, /quote),
// every other at /api/v1/consultations/ID/documents/NAME.
std::string document_url(std::string_view consultation_id, std::string_view name);

// The document's bytes from the data folder, checked against the size and
// SHA-256 its row keeps. Errors: unavailable when the file cannot be read,
// internal when its bytes are not the document's (changed or damaged).
store::StoreResult<std::string> read_document(const std::string& data_dir, const store::Document& d);

}  // namespace stipple::studio
