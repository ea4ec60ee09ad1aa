// "Who received lot X" (issue 21: every client and session with contact
// details, in one query, under 100 ms with 100,000 charted sessions): a clinic
// of 2,000 clients and 100,000 signed charts, each using a pigment, a needle
// and a numbing lot of 500 (about 600 sessions a lot), on the database named by
// STIPPLE_RECALL_DB (sqlite:PATH or postgresql://...; default a new SQLite file
// in /tmp). `make bench` runs it on SQLite and on a throwaway PostgreSQL.
// The database must be new: the clinic is added to it, in bulk, before the
// timing starts.
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <soci/soci.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "stipple/store/charts.h"
#include "stipple/store/crypto.h"
#include "stipple/store/database.h"
#include "stipple/store/migrations.h"
#include "stipple/store/users.h"

namespace {

using namespace stipple;

constexpr int kClients = 2000, kCharts = 100'000, kPigments = 200, kNeedles = 200, kNumbing = 100, kBatch = 5000;

struct Clinic {
  std::unique_ptr<store::Database> db;
  std::vector<std::string> lots;
};

Clinic& clinic() {
  static Clinic c = [] {
    Clinic out;
    const char* env = std::getenv("STIPPLE_RECALL_DB");
    static const std::string temp = (std::filesystem::temp_directory_path() / ("stipple-recall-" + store::random_id() + ".db")).string();
    const std::string url = env && *env ? env : "sqlite:" + temp;
    if (!(env && *env))
      std::atexit([] {
        std::error_code ec;
        for (const char* end : {"", "-wal", "-shm"}) std::filesystem::remove(temp + end, ec);
      });
    auto db = store::Database::open(url, 4);
    if (!db) {
      std::cerr << db.error().message() << "\n";
      std::exit(2);
    }
    out.db = std::move(*db);
    if (auto m = store::migrate(*out.db); !m) {
      std::cerr << m.error().message << "\n";
      std::exit(2);
    }
    const auto t0 = std::chrono::steady_clock::now();
    const std::string user = store::create_user(*out.db, {"p@recall.example", "Pat Practitioner", store::Role::practitioner, "recall bench pw"}).value().id;
    store::Database::Lease lease(*out.db);
    soci::session& sql = lease.sql();
    const long long at = 1'800'000'000'000;
    std::vector<std::string> clients;
    {
      store::Database::WriteTransaction tx(lease, out.db->backend());
      std::vector<std::string> ids, names, emails, phones, keys;
      for (int i = 0; i < kClients; ++i) {
        ids.push_back(store::random_id());
        names.push_back(fmt::format("Client {:04}", i));
        emails.push_back(fmt::format("client{:04}@example.com", i));
        phones.push_back(fmt::format("+1 212 555 {:04}", i));
        keys.push_back(fmt::format("client {:04} client{:04}@example.com", i, i));
      }
      sql << "INSERT INTO clients (id, name, email, phone, sex, notes, search_text, sort_key, created_at, updated_at, version)"
             " VALUES (:id, :n, :e, :p, 'male', '', :s, :k, " + std::to_string(at) + ", " + std::to_string(at) + ", 1)",
          soci::use(ids), soci::use(names), soci::use(emails), soci::use(phones), soci::use(keys), soci::use(keys);
      clients = ids;
      std::vector<std::string> lot_ids, kinds, products, numbers, search;
      const auto add = [&](const char* kind, const char* product, int n) {
        for (int i = 0; i < n; ++i) {
          lot_ids.push_back(store::random_id());
          kinds.push_back(kind);
          products.push_back(product);
          numbers.push_back(fmt::format("{}-{:04}", kind, i));
          search.push_back(fmt::format("{} {}-{:04}", product, kind, i));
        }
      };
      add("pigment", "carbon black", kPigments);
      add("needle", "cartridge 1rl", kNeedles);
      add("numbing", "lidocaine cream", kNumbing);
      const std::vector<std::string> by(lot_ids.size(), user);  // named: soci binds it until the statement runs
      sql << "INSERT INTO lots (id, kind, product, lot, expires_on, detail, search_text, created_by, created_at)"
             " VALUES (:id, :k, :p, :l, '2030-12-31', '', :s, :by, " + std::to_string(at) + ")",
          soci::use(lot_ids), soci::use(kinds), soci::use(products), soci::use(numbers), soci::use(search), soci::use(by);
      out.lots = lot_ids;
      tx.commit();
    }
    std::mt19937 rng(21);
    for (int done = 0; done < kCharts; done += kBatch) {
      store::Database::WriteTransaction tx(lease, out.db->backend());
      std::vector<std::string> ids, owners, chart_of, lot_of, use_of;
      std::vector<long long> starts, ends;
      std::vector<int> numbers;
      for (int i = done; i < done + kBatch; ++i) {
        ids.push_back(store::random_id());
        owners.push_back(clients[static_cast<std::size_t>(rng() % kClients)]);
        starts.push_back(at + static_cast<long long>(i) * 3'600'000LL);
        ends.push_back(starts.back() + 3 * 3'600'000LL);
        numbers.push_back(1 + i % 3);
        const std::size_t pigment = rng() % kPigments, needle = kPigments + rng() % kNeedles, numbing = kPigments + kNeedles + rng() % kNumbing;
        for (const auto& [lot, use] : {std::pair{pigment, "pigment"}, {needle, "needle"}, {numbing, "numbing"}}) {
          chart_of.push_back(ids.back());
          lot_of.push_back(out.lots[lot]);
          use_of.push_back(use);
        }
      }
      const std::vector<std::string> users(ids.size(), user);
      const std::vector<long long> created = starts, updated = starts;
      sql << "INSERT INTO session_charts (id, client_id, practitioner_id, session_number, zones, started_at, ended_at, dilution,"
             " cartridges_opened, gloves, barrier_film, surfaces_disinfected, adverse_reaction, notes, status, signed_by, created_by,"
             " created_at, updated_at, version) VALUES (:id, :c, :p, :n, 'hairline, crown', :s, :e, '25%', 1, 1, 1, 1, '', '', 'draft',"
             " '', :by, :s2, :s3, 1)",
          soci::use(ids), soci::use(owners), soci::use(users), soci::use(numbers), soci::use(starts), soci::use(ends), soci::use(users),
          soci::use(created), soci::use(updated);
      sql << "INSERT INTO chart_lots (chart_id, lot_id, use_as) VALUES (:c, :l, :u)", soci::use(chart_of), soci::use(lot_of), soci::use(use_of);
      tx.commit();
    }
    {
      store::Database::WriteTransaction tx(lease, out.db->backend());
      sql << "UPDATE session_charts SET status = 'signed', signed_at = ended_at, signed_by = created_by WHERE status = 'draft'";
      tx.commit();
    }
    sql << "ANALYZE";  // the planner's statistics, as a clinic's database has them after a day
    std::cerr << fmt::format("recall bench on {}: {} clients, {} signed charts, {} lots added in {:.1f} s\n", out.db->display_url(),
                             kClients, kCharts, out.lots.size(),
                             std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    return out;
  }();
  return c;
}

// One query: every chart that used one of `count` lots from `first` (the
// pigment lots, about 500 sessions each; the numbing lots, about 1,000), with
// the clients' contact details.
void recipients(benchmark::State& state, std::size_t first, std::size_t count) {
  Clinic& c = clinic();
  std::size_t i = 0, rows = 0, queries = 0;
  for (auto _ : state) {
    auto r = store::recipients_of_lot(*c.db, c.lots[first + i++ % count]);
    if (!r) {
      state.SkipWithError(r.error().message.c_str());
      break;
    }
    rows += r->size();
    ++queries;
    benchmark::DoNotOptimize(r);
  }
  state.counters["recipients"] = queries ? static_cast<double>(rows) / static_cast<double>(queries) : 0;
}
void BM_RecipientsOfAPigmentLot(benchmark::State& state) { recipients(state, 0, kPigments); }
void BM_RecipientsOfANumbingLot(benchmark::State& state) { recipients(state, kPigments + kNeedles, kNumbing); }
BENCHMARK(BM_RecipientsOfAPigmentLot)->Unit(benchmark::kMillisecond)->MinTime(1.0);
BENCHMARK(BM_RecipientsOfANumbingLot)->Unit(benchmark::kMillisecond)->MinTime(1.0);

}  // namespace

BENCHMARK_MAIN();
