#include "stipple/studio/jobs.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "stipple/consult/pipeline.h"
#include "stipple/io/files.h"
#include "stipple/store/consultations.h"
#include "stipple/store/crypto.h"
#include "stipple/store/intakes.h"
#include "stipple/studio/documents.h"
#include "stipple/studio/server.h"
#include "stipple/studio/settings.h"

namespace stipple::studio {

namespace fs = std::filesystem;

namespace {

// The share of the progress bar the engine's steps fill; storing the documents is the rest.
constexpr double kEngineShare = 0.95;

Result<std::string> read_file(const fs::path& p) {
  std::istringstream none;
  return io::read_input(p.string(), std::size_t{1} << 31, none);
}

// `text` without every occurrence of `folder` + "/": an error names the engine's
// file by its name, not by the worker's folder.
std::string without_folder(std::string text, const std::string& folder) {
  const std::string prefix = folder + "/";
  for (std::size_t i = text.find(prefix); i != std::string::npos; i = text.find(prefix, i)) text.erase(i, prefix.size());
  return text;
}

}  // namespace

JobQueue::JobQueue(store::Database& db, const ServeConfig& config) : db_(db), config_(config) {}

JobQueue::~JobQueue() { stop(); }

store::StoreResult<void> JobQueue::start() {
  {
    std::lock_guard lock(mutex_);
    if (!workers_.empty()) return {};
    stopping_ = false;
  }
  auto recovered = store::recover_consultations(db_, config_.engine.max_attempts, config_.clock());
  if (recovered) enqueue_new(std::move(recovered->queued));
  {
    std::lock_guard lock(mutex_);
    const std::size_t n = std::max<std::size_t>(1, config_.engine.workers);
    for (std::size_t i = 0; i < n; ++i) workers_.emplace_back([this] { work(); });
    if (config_.engine.sweep_ms > 0) sweeper_ = std::thread([this] { sweep(); });
  }
  wake_.notify_all();
  if (!recovered) return std::unexpected(recovered.error());
  return {};
}

void JobQueue::enqueue_new(std::vector<std::string> ids) {
  bool added = false;
  {
    std::lock_guard lock(mutex_);
    for (std::string& id : ids)
      if (std::find(queue_.begin(), queue_.end(), id) == queue_.end()) {
        queue_.push_back(std::move(id));
        added = true;
      }
  }
  if (added) wake_.notify_all();
}

void JobQueue::sweep() {
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (sweep_wake_.wait_for(lock, std::chrono::milliseconds(config_.engine.sweep_ms), [this] { return stopping_; })) return;
    }
    // A claim fails harmlessly for what another worker already runs.
    auto found = store::recover_consultations(db_, config_.engine.max_attempts, config_.clock(), false);
    if (found) enqueue_new(std::move(found->queued));
  }
}

void JobQueue::enqueue(std::string id) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(id));
  }
  wake_.notify_one();
}

void JobQueue::stop() {
  std::vector<std::thread> workers;
  std::thread sweeper;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    workers.swap(workers_);
    sweeper.swap(sweeper_);
  }
  wake_.notify_all();
  sweep_wake_.notify_all();
  for (std::thread& t : workers) t.join();
  if (sweeper.joinable()) sweeper.join();
}

void JobQueue::work() {
  for (;;) {
    std::string id;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;  // what is left stays queued in the database
      id = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      run_one(id);
    } catch (const std::exception& e) {
      (void)store::fail_consultation(db_, id, fmt::format("the server failed: {}", e.what()), config_.clock());
    }
  }
}

void JobQueue::run_one(const std::string& id) {
  const auto now = [this] { return config_.clock(); };
  // Held for the whole run: another server sees it is running here (PostgreSQL).
  auto hold = store::hold_consultation(db_, id);
  if (!hold || !*hold) return;  // another worker, here or on another server, runs it
  auto claimed = store::claim_consultation(db_, id, now());
  if (!claimed || !*claimed) return;  // another worker has it, or it is finished
  const auto failed = [&](const std::string& why) { (void)store::fail_consultation(db_, id, why, now()); };
  auto c = store::find_consultation(db_, id);
  if (!c) return failed("the consultation could not be read: " + c.error().message);
  auto intake = store::find_intake(db_, c->intake_id);
  if (!intake) return failed("the intake could not be read: " + intake.error().message);
  if (!config_.engine.step) return failed("this server has no engine to run consultations with");

  // The worker's own folder: the intake, then every file the engine writes.
  const fs::path work = fs::path(config_.data_dir) / "work" / id;
  std::error_code ec;
  fs::remove_all(work, ec);  // what a run cut off left
  fs::create_directories(work, ec);
  if (ec) return failed(fmt::format("the data folder cannot be written: {}", ec.message()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(p, e);
    }
  } cleanup{work};
  const std::string intake_path = (work / "client.intake.json").string();
  std::ostringstream no_stdout;
  if (auto w = io::write_output(intake_path, intake->document, no_stdout); !w) return failed(w.error().message());

  // The clinic's settings in force when it was queued: its hours, holidays, prices and care texts.
  auto settings = clinic_settings(db_, c->settings_version);
  if (!settings) return failed(fmt::format("the clinic's settings (version {}) could not be read: {}", c->settings_version,
                                           settings.error().message));
  consult::PipelineOptions options;
  for (auto [name, text, out] : {std::tuple{"clinic.json", &settings->clinic, &options.clinic},
                                 {"pricing.json", &settings->pricing, &options.pricing},
                                 {"care.json", &settings->care, &options.care}}) {
    *out = (work / name).string();
    if (auto w = io::write_output(*out, *text, no_stdout); !w) return failed(w.error().message());
  }
  if (!c->design_choices.empty()) {
    auto choices = consult::read_design_choices(io::Json::parse(c->design_choices, nullptr, false), "design");
    if (!choices) return failed("the consultation's design choices could not be read");
    options.design = *choices;
  }
  options.folder = work.string();
  options.name = "client";
  options.intake = intake_path;
  options.start = c->start_date;
  if (!c->override_reason.empty()) options.override_reason = c->override_reason;
  options.threads = config_.engine.threads;
  options.paper = config_.engine.paper;
  options.picture_px = config_.engine.picture_px;
  options.sheet_px = config_.engine.sheet_px;
  options.diagrams = config_.engine.diagrams;
  options.years_later = config_.engine.years_later;
  const auto progress = [&](double fraction, std::string_view step) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return false;
    }
    (void)store::set_consultation_progress(db_, id, fraction * kEngineShare, step, now());
    return true;
  };
  const auto assessed = [&](const io::Json& summary, bool planned, bool overridden) {
    (void)store::set_consultation_assessment(db_, id, summary.dump(), planned, overridden, now());
  };
  auto run = consult::run_pipeline(options, config_.engine.step, progress, assessed);
  if (!run) {
    if (run.error().kind == consult::PipelineError::Kind::stopped) {
      (void)store::requeue_consultation(db_, id, now());
      return;
    }
    return failed(without_folder(run.error().message, work.string()));
  }

  // Every file as an immutable document: the bytes first (atomically), then all the rows at once.
  const fs::path folder = fs::path(config_.data_dir) / "documents" / id;
  fs::create_directories(folder, ec);
  if (ec) return failed(fmt::format("the data folder cannot be written: {}", ec.message()));
  std::vector<store::Document> docs;
  const auto add = [&](const std::string& name, const std::string& bytes) -> bool {
    const fs::path relative = fs::path("documents") / id / name;
    if (auto w = io::write_output((fs::path(config_.data_dir) / relative).string(), bytes, no_stdout); !w) {
      failed(w.error().message());
      return false;
    }
    store::Document d;
    d.name = name;
    d.content_type = std::string(document_content_type(name));
    d.size = static_cast<long long>(bytes.size());
    d.sha256 = store::sha256_hex(bytes);
    d.path = relative.string();
    d.created_by = c->created_by;
    docs.push_back(std::move(d));
    return true;
  };
  for (const consult::PipelineFile& f : run->files) {
    auto read = read_file(f.path);
    if (!read) return failed(without_folder(read.error().message(), work.string()));
    const std::string& bytes = *read;
    if (!add(document_name_of_key(f.key), bytes)) return;
    if (f.key == "plan.json") {
      // The quote on its own, for the front desk (the plan holds clinical notes).
      auto plan = io::parse_json_document(bytes, "plan.json");
      if (plan && plan->contains("quote") && !add("quote.json", io::dump_document((*plan)["quote"]))) return;
    }
  }
  if (auto done = store::finish_consultation(db_, id, std::move(docs), now()); !done) failed(done.error().message);
}

}  // namespace stipple::studio
