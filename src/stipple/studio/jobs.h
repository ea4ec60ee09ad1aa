// stipple/studio/jobs.h: the consultation queue, the engine run in the background.
//
// POST /api/v1/clients/{id}/consultations stores a queued consultation and
// hands its id to this queue; the request returns at once (202). A few worker
// threads owned by the Server take the ids in order, claim each in the
// database (queued -> running: of two workers, or two servers, one wins), run
// the engine's pipeline (consult/pipeline.h) in a folder of their own under
// DATA/work/, record the progress after every step, and at the end store
// every file the engine wrote as a document (DATA/documents/CONSULTATION/NAME,
// written atomically, then all the rows in one transaction with status done).
// A step that fails fails the consultation with its one-line error.
//
// Restarts: start() first recovers the database's state
// (store::recover_consultations): a consultation left running (the process
// died) is queued again, unless it was already claimed `max_attempts` times,
// then it is failed saying so; every queued one is run. stop() lets each
// worker finish its current step, puts its consultation back in the queue, and
// joins the workers, so a clean stop loses nothing.
//
// Several servers on one PostgreSQL database: a worker holds each consultation
// it runs (store::JobHold, an advisory lock that dies with its connection), so
// a server that starts, and every server's sweep (every
// config.engine.sweep_ms), requeues only the consultations whose server is
// gone and runs the queued ones no server has taken yet.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "stipple/store/database.h"

namespace stipple::studio {

struct ServeConfig;

class JobQueue {
 public:
  // `db` and `config` must outlive the queue.
  JobQueue(store::Database& db, const ServeConfig& config);
  ~JobQueue();  // stop()
  JobQueue(const JobQueue&) = delete;
  JobQueue& operator=(const JobQueue&) = delete;

  // Recovers what a previous run left, then starts config.engine.workers
  // threads. Returns the recovery's error (the workers start all the same, and
  // run what is enqueued). Idempotent while running.
  store::StoreResult<void> start();
  // Runs consultation `id` (queued in the database) when a worker is free.
  void enqueue(std::string id);
  // Stops between steps and joins the workers; unfinished consultations stay queued.
  void stop();

 private:
  void work();
  void sweep();
  void run_one(const std::string& id);
  void enqueue_new(std::vector<std::string> ids);  // those not already waiting here

  store::Database& db_;
  const ServeConfig& config_;
  std::mutex mutex_;
  std::condition_variable wake_;        // workers: an id queued, or stopping
  std::condition_variable sweep_wake_;  // the sweeper: stopping
  std::deque<std::string> queue_;
  std::vector<std::thread> workers_;
  std::thread sweeper_;
  bool stopping_ = false;
};

}  // namespace stipple::studio
