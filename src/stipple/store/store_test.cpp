// The store on both backends: every test runs on SQLite and on PostgreSQL
// (the PostgreSQL half through tools/pg-test.sh; ctest runs both).
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <soci/soci.h>

#include "stipple/store/audit.h"
#include "stipple/store/backup.h"
#include "stipple/store/clients.h"
#include "stipple/store/consultations.h"
#include "stipple/store/intakes.h"
#include "stipple/store/crypto.h"
#include "stipple/store/credentials.h"
#include "stipple/store/diary.h"
#include "stipple/store/migrations.h"
#include "stipple/store/sessions.h"
#include "stipple/store/settings.h"
#include "stipple/store/sign_in_attempts.h"
#include "stipple/store/test_databases.h"
#include "stipple/store/text.h"
#include "stipple/store/users.h"

namespace stipple::store {
namespace {

using testing::TestDatabase;

class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = testing::open_migrated(tdb_);
    ASSERT_NE(db_, nullptr);
  }
  TestDatabase tdb_{GetParam()};
  std::unique_ptr<Database> db_;

  User user(const std::string& email, Role role = Role::practitioner) {
    auto u = create_user(*db_, {email, "Test " + email, role, "correct horse battery"});
    EXPECT_TRUE(u.has_value()) << (u ? "" : u.error().message);
    return u.value_or(User{});
  }
  Client client(const std::string& name, const std::string& email = "", const std::string& phone = "") {
    Client c;
    c.name = name;
    c.email = email;
    c.phone = phone;
    c.sex = "female";
    auto r = create_client(*db_, c, now_ms());
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    return r.value_or(Client{});
  }
  std::vector<std::string> names(std::string_view q, int limit = 100) {
    auto r = search_clients(*db_, q, limit);
    EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
    std::vector<std::string> out;
    if (r)
      for (const Client& c : *r) out.push_back(c.name);
    return out;
  }
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values(Backend::sqlite, Backend::postgresql),
                         testing::backend_name);

TEST_P(StoreTest, MigrationsApplyOnceInOrderAndRecordEachVersion) {
  EXPECT_EQ(schema_version(*db_).value(), static_cast<int>(migrations().size()));
  EXPECT_TRUE(migrate(*db_).value().empty()) << "a second run applies nothing";
  Database::Lease lease(*db_);
  long long n = 0;
  lease.sql() << "SELECT COUNT(*) FROM schema_migrations", soci::into(n);
  EXPECT_EQ(n, static_cast<long long>(migrations().size()));
  for (std::size_t i = 0; i < migrations().size(); ++i) EXPECT_EQ(migrations()[i].version, static_cast<int>(i + 1));
}

TEST_P(StoreTest, ConcurrentStartersApplyEachMigrationExactlyOnce) {
  TestDatabase fresh(GetParam());
  ASSERT_FALSE(fresh.url().empty());
  constexpr int kStarters = 4;
  std::vector<std::vector<int>> applied(kStarters);
  std::vector<std::string> errors(kStarters);
  std::vector<std::thread> threads;
  for (int i = 0; i < kStarters; ++i)
    threads.emplace_back([&, i] {
      auto db = Database::open(fresh.url(), 1);
      if (!db) {
        errors[static_cast<std::size_t>(i)] = db.error().message();
        return;
      }
      auto m = migrate(**db);
      if (m) applied[static_cast<std::size_t>(i)] = *m;
      else errors[static_cast<std::size_t>(i)] = m.error().message;
    });
  for (auto& t : threads) t.join();
  std::size_t total = 0;
  for (int i = 0; i < kStarters; ++i) {
    EXPECT_EQ(errors[static_cast<std::size_t>(i)], "");
    total += applied[static_cast<std::size_t>(i)].size();
  }
  EXPECT_EQ(total, migrations().size()) << "every migration applied by exactly one starter";
}

TEST_P(StoreTest, UserEmailsAreUniqueIgnoringCase) {
  user("Dana@Clinic.example");
  auto again = create_user(*db_, {"dana@clinic.EXAMPLE", "Dana", Role::owner, "another long password"});
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code, StoreError::Code::conflict);
}

TEST_P(StoreTest, AuthenticateChecksThePasswordAndRefusesDisabledUsers) {
  const User u = user("sam@clinic.example", Role::owner);
  EXPECT_EQ(u.id.size(), 26u);
  auto ok = authenticate(*db_, "SAM@clinic.example", "correct horse battery");
  ASSERT_TRUE(ok.has_value());
  ASSERT_TRUE(ok->has_value());
  EXPECT_EQ((*ok)->id, u.id);
  EXPECT_EQ((*ok)->role, Role::owner);
  EXPECT_FALSE(authenticate(*db_, "sam@clinic.example", "wrong").value().has_value());
  EXPECT_FALSE(authenticate(*db_, "nobody@clinic.example", "correct horse battery").value().has_value());
  ASSERT_TRUE(set_user_disabled(*db_, u.id, true).has_value());
  EXPECT_FALSE(authenticate(*db_, "sam@clinic.example", "correct horse battery").value().has_value());
  EXPECT_EQ(set_user_disabled(*db_, "nope", true).error().code, StoreError::Code::not_found);
}

TEST_P(StoreTest, ANewPasswordReplacesTheOldAndEndsTheUsersSessions) {
  const User u = user("lee@clinic.example", Role::practitioner);
  const User other = user("max@clinic.example");
  const TimeMs t0 = now_ms();
  const std::string token = create_session(*db_, u.id, "127.0.0.1", t0).value();
  const std::string others = create_session(*db_, other.id, "127.0.0.1", t0).value();
  EXPECT_EQ(find_user_by_email(*db_, "LEE@clinic.example").value()->id, u.id);
  EXPECT_FALSE(find_user_by_email(*db_, "nobody@clinic.example").value().has_value());
  ASSERT_TRUE(set_password(*db_, u.id, "a brand new passphrase").has_value());
  EXPECT_FALSE(authenticate(*db_, "lee@clinic.example", "correct horse battery").value().has_value());
  EXPECT_TRUE(authenticate(*db_, "lee@clinic.example", "a brand new passphrase").value().has_value());
  EXPECT_EQ(resume_session(*db_, token, t0, SessionPolicy{}).error().code, StoreError::Code::not_found);
  EXPECT_TRUE(resume_session(*db_, others, t0, SessionPolicy{}).has_value()) << "another user's session goes on";
  EXPECT_EQ(set_password(*db_, "nope", "whatever it may be").error().code, StoreError::Code::not_found);
}

TEST_P(StoreTest, SessionsStoreOnlyTheTokensHashAndExpire) {
  const User u = user("kim@clinic.example");
  const SessionPolicy policy;
  const TimeMs t0 = 1'700'000'000'000;
  const std::string token = create_session(*db_, u.id, "127.0.0.1", t0).value();
  EXPECT_EQ(token.size(), 43u);  // 256 bits in base64url
  {
    Database::Lease lease(*db_);
    long long raw = 0, hashed = 0;
    lease.sql() << "SELECT COUNT(*) FROM sessions WHERE token_hash = :t", soci::use(token), soci::into(raw);
    const std::string h = sha256_hex(token);
    lease.sql() << "SELECT COUNT(*) FROM sessions WHERE token_hash = :t", soci::use(h), soci::into(hashed);
    EXPECT_EQ(raw, 0);
    EXPECT_EQ(hashed, 1);
  }
  auto s = resume_session(*db_, token, t0 + 1000, policy);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->user.id, u.id);
  // Activity keeps it alive past the idle timeout, until the absolute lifetime.
  TimeMs t = t0;
  while (t + policy.idle_timeout_ms / 2 < t0 + policy.absolute_lifetime_ms) {
    t += policy.idle_timeout_ms / 2;
    ASSERT_TRUE(resume_session(*db_, token, t, policy).has_value()) << "at " << (t - t0) / 60000 << " min";
  }
  EXPECT_EQ(resume_session(*db_, token, t0 + policy.absolute_lifetime_ms + 1, policy).error().code,
            StoreError::Code::not_found);
  // Idle for longer than the timeout.
  const std::string idle = create_session(*db_, u.id, "127.0.0.1", t0).value();
  EXPECT_FALSE(resume_session(*db_, idle, t0 + policy.idle_timeout_ms + 1, policy).has_value());
  EXPECT_FALSE(resume_session(*db_, idle, t0, policy).has_value()) << "an expired session is deleted";
  // Sign out; a disabled user.
  const std::string a = create_session(*db_, u.id, "::1", t0).value();
  ASSERT_TRUE(delete_session(*db_, a).has_value());
  EXPECT_FALSE(resume_session(*db_, a, t0, policy).has_value());
  const std::string b = create_session(*db_, u.id, "::1", t0).value();
  ASSERT_TRUE(set_user_disabled(*db_, u.id, true).has_value());
  EXPECT_FALSE(resume_session(*db_, b, t0, policy).has_value());
  EXPECT_FALSE(resume_session(*db_, "not a token", t0, policy).has_value());
}

TEST_P(StoreTest, SignInFailuresAreLimitedPerEmailAndPerIp) {
  const SignInLimits limits;
  const TimeMs t0 = 1'700'000'000'000;
  for (int i = 0; i < limits.max_failures_per_email; ++i) {
    EXPECT_EQ(sign_in_retry_after_s(*db_, "a@x.example", "10.0.0.1", t0 + i, limits).value(), 0);
    ASSERT_TRUE(record_sign_in_attempt(*db_, "A@x.example", "10.0.0.1", false, t0 + i, limits).has_value());
  }
  const long long wait = sign_in_retry_after_s(*db_, "a@x.example", "10.0.0.2", t0 + 10, limits).value();
  EXPECT_GT(wait, 0);
  EXPECT_LE(wait, limits.window_ms / 1000);
  EXPECT_EQ(sign_in_retry_after_s(*db_, "b@x.example", "10.0.0.2", t0 + 10, limits).value(), 0) << "another email";
  EXPECT_EQ(sign_in_retry_after_s(*db_, "a@x.example", "10.0.0.2", t0 + limits.window_ms + 5, limits).value(), 0)
      << "the window has passed";
  // Per IP: many emails from one address.
  for (int i = 0; i < limits.max_failures_per_ip; ++i)
    ASSERT_TRUE(record_sign_in_attempt(*db_, fmt::format("u{}@x.example", i), "10.9.9.9", false, t0, limits)
                    .has_value());
  EXPECT_GT(sign_in_retry_after_s(*db_, "fresh@x.example", "10.9.9.9", t0 + 1, limits).value(), 0);
  EXPECT_EQ(sign_in_retry_after_s(*db_, "fresh@x.example", "10.9.9.8", t0 + 1, limits).value(), 0);
}

TEST_P(StoreTest, SearchIgnoresCaseFindsPhoneDigitsAndOrdersTheSameOnBothBackends) {
  client("Élodie Martin", "elodie@example.org", "+33 6 12 34 56 78");
  client("zoë Adams", "ZOE@example.org", "020 7946 0018");
  client("Oliver Brown", "oliver.b@example.com", "");
  client("Olga Petrova", "", "+7 (912) 345-67-89");
  client("ОЛЕГ Иванов", "oleg@example.ru", "");
  client("100% Real_Name", "", "");
  EXPECT_EQ(names(""), (std::vector<std::string>{"100% Real_Name", "Olga Petrova", "Oliver Brown", "zoë Adams",
                                                 "Élodie Martin", "ОЛЕГ Иванов"}));
  EXPECT_EQ(names("ÉLODIE"), std::vector<std::string>{"Élodie Martin"});
  EXPECT_EQ(names("ZOË"), std::vector<std::string>{"zoë Adams"});
  EXPECT_EQ(names("олег"), std::vector<std::string>{"ОЛЕГ Иванов"});
  EXPECT_EQ(names("ol"), (std::vector<std::string>{"Olga Petrova", "Oliver Brown", "ОЛЕГ Иванов"}))
      << "oleg@ matches by email";
  EXPECT_EQ(names("example.com"), std::vector<std::string>{"Oliver Brown"});
  EXPECT_EQ(names("brown oliver"), std::vector<std::string>{"Oliver Brown"}) << "every word, any order";
  EXPECT_EQ(names("0612345678"), std::vector<std::string>{}) << "digits as stored (+33 6 12...)";
  EXPECT_EQ(names("6 12 34"), std::vector<std::string>{"Élodie Martin"});
  EXPECT_EQ(names("912-345"), std::vector<std::string>{"Olga Petrova"});
  EXPECT_EQ(names("%"), std::vector<std::string>{"100% Real_Name"}) << "LIKE wildcards are matched literally";
  EXPECT_EQ(names("r_a"), std::vector<std::string>{});
  EXPECT_EQ(names("", 2), (std::vector<std::string>{"100% Real_Name", "Olga Petrova"}));
  EXPECT_EQ(names("o", 0).size(), 1u) << "the limit is clamped to at least 1";
}

TEST_P(StoreTest, UpdateNeedsTheCurrentVersion) {
  const Client c = client("Ravi Patel");
  EXPECT_EQ(c.version, 1);
  ClientChanges ch;
  ch.phone = "+44 1632 960123";
  auto v2 = update_client(*db_, c.id, 1, ch, now_ms());
  ASSERT_TRUE(v2.has_value()) << v2.error().message;
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->phone, "+44 1632 960123");
  EXPECT_EQ(v2->name, "Ravi Patel");
  ch.phone = "0";
  auto stale = update_client(*db_, c.id, 1, ch, now_ms());
  ASSERT_FALSE(stale.has_value());
  EXPECT_EQ(stale.error().code, StoreError::Code::stale);
  EXPECT_EQ(find_client(*db_, c.id)->phone, "+44 1632 960123");
  EXPECT_EQ(update_client(*db_, "missing", 1, ch, now_ms()).error().code, StoreError::Code::not_found);
  EXPECT_EQ(names("1632"), std::vector<std::string>{"Ravi Patel"}) << "the search follows the update";
}

TEST_P(StoreTest, AuditLogIsAHashChainTheDatabaseKeepsAppendOnly) {
  const TimeMs t0 = 1'700'000'000'000;
  for (int i = 0; i < 5; ++i)
    ASSERT_TRUE(append_audit(*db_, {"u1", "read", "client", i % 2 ? "c1" : "c2", "127.0.0.1"}, t0 + i).has_value());
  auto check = verify_audit_chain(*db_).value();
  EXPECT_EQ(check.entries, 5);
  EXPECT_EQ(check.first_bad_seq, 0);
  auto c1 = audit_for_client(*db_, "c1", 100).value();
  ASSERT_EQ(c1.size(), 2u);
  EXPECT_GT(c1[0].at, c1[1].at) << "newest first";
  {
    Database::Lease lease(*db_);
    EXPECT_ANY_THROW(lease.sql() << "UPDATE audit_log SET action = 'nothing'");
    EXPECT_ANY_THROW(lease.sql() << "DELETE FROM audit_log");
    // Someone with the database's owner rights switches the guard off and edits an entry: the chain shows it.
    if (GetParam() == Backend::sqlite)
      lease.sql() << "DROP TRIGGER audit_log_no_update";
    else
      lease.sql() << "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change";
    lease.sql() << "UPDATE audit_log SET user_id = 'someone else' WHERE seq = 3";
  }
  EXPECT_EQ(verify_audit_chain(*db_).value().first_bad_seq, 3);
}

TEST_P(StoreTest, ConcurrentAuditAppendsKeepOneChain) {
  constexpr int kThreads = 4, kEach = 15;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!append_audit(*db_, {fmt::format("u{}", t), "read", "client", "c", "127.0.0.1"}, now_ms())) ++failures;
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto check = verify_audit_chain(*db_).value();
  EXPECT_EQ(check.entries, kThreads * kEach);
  EXPECT_EQ(check.first_bad_seq, 0);
}

TEST_P(StoreTest, IntakesAreKeptVerbatimPerClientAndNeverChanged) {
  const User u = user("ida@clinic.example");
  const Client c = client("Ida Intake"), other = client("Otto Other");
  const TimeMs t0 = 1'700'000'000'000;
  const std::string text = R"({"schema": "stipple.intake/1", "client": {"name": "Ida Intake"}})";
  const StoredIntake a = create_intake(*db_, c.id, text, u.id, t0).value();
  const StoredIntake b = create_intake(*db_, c.id, "{}", u.id, t0 + 5).value();
  create_intake(*db_, other.id, "{}", u.id, t0).value();
  EXPECT_EQ(find_intake(*db_, a.id)->document, text);
  EXPECT_EQ(find_intake(*db_, a.id)->created_by, u.id);
  const auto list = intakes_of_client(*db_, c.id, 10).value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, b.id) << "newest first";
  EXPECT_TRUE(list[0].document.empty()) << "lists leave the document out";
  EXPECT_EQ(create_intake(*db_, "nosuchclient", "{}", u.id, t0).error().code, StoreError::Code::not_found);
  EXPECT_EQ(find_intake(*db_, "nope").error().code, StoreError::Code::not_found);
  Database::Lease lease(*db_);
  EXPECT_ANY_THROW(lease.sql() << "UPDATE intakes SET document = '{}'");
}

TEST_P(StoreTest, AConsultationGoesFromQueuedToDoneWithItsDocumentsAtOnce) {
  const User u = user("pat@clinic.example");
  const Client c = client("Cora Consult"), other = client("Otto Other");
  const TimeMs t0 = 1'700'000'000'000;
  const StoredIntake in = create_intake(*db_, c.id, "{}", u.id, t0).value();
  EXPECT_EQ(create_consultation(*db_, {other.id, in.id, "2027-03-01", "", u.id}, t0).error().code, StoreError::Code::not_found)
      << "another client's intake";
  const Consultation q = create_consultation(*db_, {c.id, in.id, "2027-03-01", "a reason", u.id}, t0).value();
  EXPECT_EQ(q.status, "queued");
  EXPECT_EQ(find_consultation(*db_, q.id)->override_reason, "a reason");
  EXPECT_FALSE(set_consultation_progress(*db_, q.id, 0.5, "design", t0).has_value()) << "only while running";
  ASSERT_TRUE(claim_consultation(*db_, q.id, t0 + 1).value());
  EXPECT_FALSE(claim_consultation(*db_, q.id, t0 + 1).value()) << "claimed once";
  ASSERT_TRUE(set_consultation_progress(*db_, q.id, 0.25, "assessment", t0 + 2).has_value());
  ASSERT_TRUE(set_consultation_assessment(*db_, q.id, R"({"blocked": true})", true, true, t0 + 2).has_value());
  Consultation r = find_consultation(*db_, q.id).value();
  EXPECT_EQ(r.status, "running");
  EXPECT_DOUBLE_EQ(r.progress, 0.25);
  EXPECT_EQ(r.step, "assessment");
  EXPECT_EQ(r.attempts, 1);
  EXPECT_TRUE(r.planned);
  EXPECT_TRUE(r.overridden);
  Document pdf{"", "", "report.pdf", "application/pdf", 4, sha256_hex("%PDF"), "documents/x/report.pdf", u.id, 0};
  Document ics{"", "", "calendar.ics", "text/calendar", 3, sha256_hex("ics"), "documents/x/calendar.ics", u.id, 0};
  // Two documents of one name: the second insert fails, and so does the whole finish.
  EXPECT_FALSE(finish_consultation(*db_, q.id, {pdf, pdf}, t0 + 3).has_value());
  EXPECT_EQ(find_consultation(*db_, q.id)->status, "running");
  EXPECT_TRUE(documents_of(*db_, q.id).value().empty()) << "all or nothing";
  const auto stored = finish_consultation(*db_, q.id, {pdf, ics}, t0 + 3).value();
  ASSERT_EQ(stored.size(), 2u);
  r = find_consultation(*db_, q.id).value();
  EXPECT_EQ(r.status, "done");
  EXPECT_DOUBLE_EQ(r.progress, 1.0);
  const auto docs = documents_of(*db_, q.id).value();
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].name, "calendar.ics") << "by name";
  EXPECT_EQ(find_document(*db_, q.id, "report.pdf")->sha256, sha256_hex("%PDF"));
  EXPECT_EQ(find_document(*db_, q.id, "report.pdf")->size, 4);
  EXPECT_EQ(find_document(*db_, q.id, "nothing").error().code, StoreError::Code::not_found);
  EXPECT_FALSE(fail_consultation(*db_, q.id, "late", t0 + 4).has_value()) << "a finished one stays done";
  {
    Database::Lease lease(*db_);
    EXPECT_ANY_THROW(lease.sql() << "UPDATE documents SET sha256 = 'x'") << "documents are immutable";
  }
  // A second consultation of the same intake keeps the first's documents.
  const Consultation q2 = create_consultation(*db_, {c.id, in.id, "2027-03-01", "", u.id}, t0 + 10).value();
  ASSERT_TRUE(claim_consultation(*db_, q2.id, t0 + 11).value());
  ASSERT_TRUE(finish_consultation(*db_, q2.id, {pdf}, t0 + 12).has_value());
  EXPECT_EQ(documents_of(*db_, q.id).value().size(), 2u);
  const auto list = consultations_of_client(*db_, c.id, 10).value();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, q2.id) << "newest first";
}

TEST_P(StoreTest, RecoveryQueuesWhatWasCutOffAndFailsWhatWasCutOffTooOften) {
  const User u = user("rex@clinic.example");
  const Client c = client("Rex Restart");
  const TimeMs t0 = 1'700'000'000'000;
  const StoredIntake in = create_intake(*db_, c.id, "{}", u.id, t0).value();
  const auto make = [&](TimeMs at) { return create_consultation(*db_, {c.id, in.id, "2027-03-01", "", u.id}, at).value().id; };
  const std::string queued = make(t0), once = make(t0 + 1), twice = make(t0 + 2), failed = make(t0 + 3);
  ASSERT_TRUE(claim_consultation(*db_, once, t0).value());
  ASSERT_TRUE(set_consultation_progress(*db_, once, 0.5, "dots", t0).has_value());
  ASSERT_TRUE(claim_consultation(*db_, twice, t0).value());
  ASSERT_TRUE(requeue_consultation(*db_, twice, t0).has_value());
  EXPECT_EQ(find_consultation(*db_, twice)->status, "queued");
  ASSERT_TRUE(claim_consultation(*db_, twice, t0).value());
  ASSERT_TRUE(fail_consultation(*db_, failed, "a step failed", t0).has_value());
  const Recovery r = recover_consultations(*db_, 2, t0 + 100).value();
  EXPECT_EQ(r.requeued, 1);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.queued, (std::vector<std::string>{queued, once})) << "oldest first";
  const Consultation o = find_consultation(*db_, once).value();
  EXPECT_EQ(o.status, "queued");
  EXPECT_DOUBLE_EQ(o.progress, 0.0);
  const Consultation t = find_consultation(*db_, twice).value();
  EXPECT_EQ(t.status, "failed");
  EXPECT_NE(t.error.find("2 times"), std::string::npos) << t.error;
  EXPECT_EQ(find_consultation(*db_, failed)->error, "a step failed");
}

TEST_P(StoreTest, AnAuditDetailIsHashedAndEntriesWithoutOneKeepTheirOldHash) {
  const TimeMs t0 = 1'700'000'000'000;
  const AuditEntry plain = append_audit(*db_, {"u1", "read", "client", "c1", "127.0.0.1"}, t0).value();
  const AuditEntry with = append_audit(*db_, {"u1", "override", "consultation", "c1", "127.0.0.1", "the reason"}, t0 + 1).value();
  AuditEntry without_detail = with;
  without_detail.detail.clear();
  EXPECT_NE(audit_entry_hash(without_detail), with.hash) << "the detail is part of the hash";
  AuditEntry old = plain;
  old.detail.clear();
  EXPECT_EQ(audit_entry_hash(old), plain.hash);
  EXPECT_EQ(audit_for_client(*db_, "c1", 10).value()[0].detail, "the reason");
  EXPECT_EQ(verify_audit_chain(*db_).value().first_bad_seq, 0);
}

TEST_P(StoreTest, BackupAndRestoreAreForSqliteOnly) {
  const std::string file = (std::filesystem::temp_directory_path() / ("stipple-backup-" + random_id())).string();
  if (GetParam() == Backend::sqlite) {
    EXPECT_TRUE(backup_sqlite(*db_, file).has_value());  // StoreBackup tests the copy
    std::filesystem::remove(file);
    return;
  }
  EXPECT_EQ(backup_sqlite(*db_, file).error().code, StoreError::Code::invalid);
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(restore_sqlite(*db_, file).error().code, StoreError::Code::invalid);
}

TEST(StoreBackup, ACopyTakenWhileWritingIsConsistentAndRestoresIntoAnEmptyDatabase) {
  TestDatabase source(Backend::sqlite), target(Backend::sqlite), other(Backend::sqlite);
  auto db = testing::open_migrated(source);
  ASSERT_NE(db, nullptr);
  Client c;
  c.name = "Backed Up";
  c.sex = "other";
  const std::string id = create_client(*db, c, now_ms()).value().id;
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; i < 400 && !stop; ++i)
      if (append_audit(*db, {"u", "read", "client", id, "127.0.0.1"}, now_ms())) ++written;
  });
  while (written < 20) std::this_thread::yield();
  const std::string file = target.url().substr(7) + ".backup";
  auto b = backup_sqlite(*db, file);
  stop = true;
  writer.join();
  ASSERT_TRUE(b.has_value()) << b.error().message;
  auto copy = Database::open("sqlite:" + file, 1);
  ASSERT_TRUE(copy.has_value());
  const auto check = verify_audit_chain(**copy).value();
  EXPECT_GE(check.entries, 20);
  EXPECT_EQ(check.first_bad_seq, 0) << "the copy is one moment of the database";
  EXPECT_EQ(find_client(**copy, id)->name, "Backed Up");

  auto empty = Database::open(target.url(), 1);
  ASSERT_TRUE(empty.has_value());
  ASSERT_TRUE(restore_sqlite(**empty, file).has_value());
  EXPECT_EQ(find_client(**empty, id)->name, "Backed Up");
  EXPECT_TRUE(migrate(**empty).value().empty());
  EXPECT_EQ(restore_sqlite(**empty, file).error().code, StoreError::Code::conflict) << "never over data";
  const std::string junk = other.url().substr(7) + ".junk";
  std::ofstream(junk) << "not a database";
  auto fresh = Database::open(other.url(), 1);
  EXPECT_EQ(restore_sqlite(**fresh, junk).error().code, StoreError::Code::invalid);
  EXPECT_EQ(restore_sqlite(**fresh, junk + ".missing").error().code, StoreError::Code::invalid);
}

TEST(StoreText, FoldCaseAndEmails) {
  EXPECT_EQ(fold_case("ÀÉÎÕÜ ŁŻŚ ΑΒΓ АБВ Ё"), "àéîõü łżś αβγ абв ё");
  EXPECT_EQ(fold_case(std::string("\xff\xfe", 2)), std::string("\xff\xfe", 2)) << "invalid bytes kept";
  EXPECT_TRUE(plausible_email("a@b.example"));
  EXPECT_FALSE(plausible_email("a@b"));
  EXPECT_FALSE(plausible_email("@b.example"));
  EXPECT_FALSE(plausible_email("a b@c.example"));
  EXPECT_FALSE(plausible_email("a@@c.example"));
  EXPECT_EQ(digits_of("+44 (0)20 7946-0018"), "4402079460018");
  EXPECT_FALSE(clean_utf8("a\x01", true));
  EXPECT_TRUE(clean_utf8("line\nline", true));
  EXPECT_FALSE(clean_utf8("line\nline", false));
}

TEST(StoreOpen, RefusesUnknownUrlsWithOneLineNamingTheOption) {
  auto r = Database::open("mysql://root:hunter2@localhost/x");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "--db: expected sqlite:PATH or postgresql://..., found 'mysql://root:***@localhost/x'");
  EXPECT_FALSE(Database::open("sqlite:").has_value());
  EXPECT_FALSE(Database::open("sqlite::memory:").has_value());
  auto pg = Database::open("postgresql://u:secret@/db?host=/nonexistent-dir&connect_timeout=1", 1);
  ASSERT_FALSE(pg.has_value());
  EXPECT_EQ(pg.error().message().find("secret"), std::string::npos) << pg.error().message();
}

TEST(StoreCrypto, IdsAndTokensAreRandomAndPasswordsVerify) {
  ASSERT_TRUE(init_crypto());
  EXPECT_NE(random_id(), random_id());
  EXPECT_EQ(random_id().find_first_not_of("abcdefghijklmnopqrstuvwxyz234567"), std::string::npos);
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  const std::string h = hash_password("pässword long enough");
  EXPECT_TRUE(h.starts_with("$argon2id$"));
  EXPECT_TRUE(verify_password("pässword long enough", h));
  EXPECT_FALSE(verify_password("pässword long enougH", h));
  EXPECT_FALSE(verify_password("x", "not a hash"));
}


// Two servers on one database: a consultation one of them runs is not taken
// from it by the other's start or sweep; once its server is gone, it is.
TEST_P(StoreTest, ARunningConsultationIsLeftToItsServerWhileTheServerHoldsIt) {
  const User u = user("hold@clinic.example");
  const Client c = client("Hal Hold");
  const TimeMs t0 = 1'700'000'000'000;
  const StoredIntake in = create_intake(*db_, c.id, "{}", u.id, t0).value();
  const Consultation q = create_consultation(*db_, {c.id, in.id, "2027-03-01", "", u.id}, t0).value();
  const Consultation waiting = create_consultation(*db_, {c.id, in.id, "2027-03-02", "", u.id}, t0 + 1).value();
  auto hold = hold_consultation(*db_, q.id).value();
  ASSERT_TRUE(hold.has_value());
  ASSERT_TRUE(claim_consultation(*db_, q.id, t0 + 2).value());
  // Another server's sweep: the held consultation stays running; the queued one is listed to run.
  Recovery sweep = recover_consultations(*db_, 2, t0 + 3, false).value();
  EXPECT_EQ(sweep.requeued, 0);
  EXPECT_EQ(sweep.queued, std::vector<std::string>{waiting.id});
  EXPECT_EQ(find_consultation(*db_, q.id)->status, "running");
  if (GetParam() == Backend::postgresql) {
    EXPECT_FALSE(hold_consultation(*db_, q.id).value().has_value()) << "held by one worker at a time";
    // A second server starting: still not taken, the hold is alive.
    EXPECT_EQ(recover_consultations(*db_, 2, t0 + 4, true).value().requeued, 0);
    EXPECT_EQ(find_consultation(*db_, q.id)->status, "running");
    hold.reset();  // the worker's server is gone (its connection closing ends the lock the same way)
    sweep = recover_consultations(*db_, 2, t0 + 5, false).value();
    EXPECT_EQ(sweep.requeued, 1);
    EXPECT_EQ(sweep.queued, (std::vector<std::string>{q.id, waiting.id}));
    EXPECT_TRUE(hold_consultation(*db_, q.id).value().has_value()) << "free to hold again";
  } else {
    // SQLite is one server's: only its own start takes back what was running.
    hold.reset();
    EXPECT_EQ(recover_consultations(*db_, 2, t0 + 5, false).value().requeued, 0);
    EXPECT_EQ(recover_consultations(*db_, 2, t0 + 5, true).value().requeued, 1);
  }
  EXPECT_EQ(find_consultation(*db_, q.id)->status, "queued");
}

// Two editors (or two servers) that read the same version: exactly one save wins.
// The diary's rule, held by the database: no two booked appointments of one
// practitioner or one chair overlap; the intervals are half-open (one may
// start as another ends); a cancelled appointment frees its slot; moving one
// onto another is refused as booking it there is.
TEST_P(StoreTest, TheDatabaseRefusesOverlappingAppointmentsOfAPractitionerOrAChair) {
  const User pa = user("a@clinic.example"), pb = user("b@clinic.example");
  const Client c = client("Dana Diary");
  auto chair1 = create_chair(*db_, "Room 1", now_ms());
  auto chair2 = create_chair(*db_, "Room 2", now_ms());
  ASSERT_TRUE(chair1 && chair2);
  EXPECT_EQ(create_chair(*db_, "ROOM 1", now_ms()).error().code, StoreError::Code::conflict);
  constexpr TimeMs kHour = 3'600'000, t0 = 1'800'000'000'000;
  // Each booking is another client's unless one is named (a client's own rule is tested below).
  int clients = 0;
  const auto book = [&](const User& p, const std::string& chair, TimeMs from, TimeMs to, const Client* who = nullptr) {
    Appointment a;
    a.client_id = who ? who->id : client("Client " + std::to_string(++clients)).id;
    a.practitioner_id = p.id;
    a.chair_id = chair;
    a.kind = "session";
    a.session_number = 1;
    a.start = from;
    a.end = to;
    a.created_by = p.id;
    return book_appointment(*db_, a, now_ms());
  };
  auto first = book(pa, chair1->id, t0, t0 + 2 * kHour);
  ASSERT_TRUE(first) << first.error().message;
  // The same practitioner, overlapping by a minute, in another chair.
  auto clash = book(pa, chair2->id, t0 + 2 * kHour - 60'000, t0 + 3 * kHour);
  ASSERT_FALSE(clash);
  EXPECT_EQ(clash.error().code, StoreError::Code::conflict);
  EXPECT_EQ(clash.error().message, kPractitionerBusy);
  // Another practitioner in the same chair.
  auto taken = book(pb, chair1->id, t0 + kHour, t0 + 3 * kHour);
  ASSERT_FALSE(taken);
  EXPECT_EQ(taken.error().message, kChairBusy);
  // The same client with another practitioner in another chair, overlapping.
  auto twice = book(pa, chair1->id, t0 + 5 * kHour, t0 + 6 * kHour, &c);
  ASSERT_TRUE(twice) << twice.error().message;
  auto elsewhere = book(pb, chair2->id, t0 + 6 * kHour - 60'000, t0 + 7 * kHour, &c);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().message, kClientBusy);
  EXPECT_TRUE(book(pb, chair2->id, t0 + 6 * kHour, t0 + 7 * kHour, &c)) << "back to back";
  // Back to back is allowed; no chair is no chair rule.
  EXPECT_TRUE(book(pa, chair1->id, t0 + 2 * kHour, t0 + 3 * kHour));
  EXPECT_TRUE(book(pb, "", t0, t0 + kHour));
  EXPECT_TRUE(book(pb, "", t0 + kHour, t0 + 2 * kHour));
  // Cancelling frees the slot; moving onto a booked slot is refused.
  const auto changes = [](std::optional<TimeMs> from, std::optional<TimeMs> to, std::optional<std::string> status,
                          std::optional<std::string> notes) {
    AppointmentChanges ch;
    ch.start = from;
    ch.end = to;
    ch.status = std::move(status);
    ch.notes = std::move(notes);
    return ch;
  };
  auto cancelled = change_appointment(*db_, first->id, 1, changes({}, {}, "cancelled", {}), now_ms());
  ASSERT_TRUE(cancelled) << cancelled.error().message;
  EXPECT_EQ(cancelled->version, 2);
  auto again = book(pa, chair2->id, t0, t0 + kHour);
  ASSERT_TRUE(again) << again.error().message;
  auto onto = change_appointment(*db_, again->id, 1, changes(t0 + 2 * kHour + 1, t0 + 3 * kHour, {}, {}), now_ms());
  ASSERT_FALSE(onto);
  EXPECT_EQ(onto.error().message, kPractitionerBusy);
  // Reviving the cancelled one where the slot is now taken is refused too.
  auto revive = change_appointment(*db_, first->id, 2, changes({}, {}, "booked", {}), now_ms());
  ASSERT_FALSE(revive);
  EXPECT_EQ(revive.error().code, StoreError::Code::conflict);
  EXPECT_EQ(change_appointment(*db_, first->id, 1, changes({}, {}, {}, "x"), now_ms()).error().code, StoreError::Code::stale);
  // Listing by time, and by practitioner.
  auto day = appointments_between(*db_, t0, t0 + 24 * kHour, "", "", 100);
  ASSERT_TRUE(day);
  EXPECT_EQ(day->size(), 7u);
  EXPECT_TRUE(std::is_sorted(day->begin(), day->end(), [](const Appointment& x, const Appointment& y) { return x.start < y.start; }));
  auto of_b = appointments_between(*db_, t0, t0 + 24 * kHour, pb.id, "", 100);
  ASSERT_TRUE(of_b);
  EXPECT_EQ(of_b->size(), 3u);
  for (const Appointment& a : *of_b) EXPECT_EQ(a.chair_id.empty(), a.client_id != c.id);
  // The rules are the database's: a raw insert that skips the store is refused
  // as well, over the practitioner's booking and over the client's.
  const auto raw_insert = [&](const std::string& kind, TimeMs s, TimeMs e) {
    Database::Lease lease(*db_);
    const std::string id = random_id(), status = "booked";
    const TimeMs at = now_ms();
    int v = 1;
    lease.sql() << "INSERT INTO appointments (id, client_id, practitioner_id, kind, start_ms, end_ms, status,"
                   " created_by, created_at, updated_at, version)"
                   " VALUES (:id, :c, :p, :k, :s, :e, :st, :by, :a, :u, :v)",
        soci::use(id), soci::use(c.id), soci::use(pb.id), soci::use(kind), soci::use(s), soci::use(e), soci::use(status),
        soci::use(pb.id), soci::use(at), soci::use(at), soci::use(v);
  };
  EXPECT_ANY_THROW(raw_insert("session", t0 + 30 * 60'000, t0 + 90 * 60'000));
  EXPECT_ANY_THROW(raw_insert("consultation", t0 + 5 * kHour + 60'000, t0 + 5 * kHour + 120'000));
}

// A credential is revoked once and never changed nor deleted, even by SQL
// that skips the store (migration 9); the health permit is the clinic's alone.
TEST_P(StoreTest, CredentialsAreRevokedOnceAndNeverChangedNorDeleted) {
  const User owner = user("owner@cred.example", Role::owner), p = user("p@cred.example");
  Credential c;
  c.user_id = p.id;
  c.kind = "body_art_licence";
  c.reference = "BA-2027-0042";
  c.issuer = "County health department";
  c.valid_from = "2026-01-01";
  c.expires_on = "2027-12-31";
  c.created_by = owner.id;
  auto added = add_credential(*db_, c, now_ms());
  ASSERT_TRUE(added) << added.error().message;
  Credential permit = c;
  permit.user_id.clear();
  permit.kind = "health_permit";
  ASSERT_TRUE(add_credential(*db_, permit, now_ms()));
  Credential wrong = c;
  wrong.user_id.clear();  // a licence of nobody
  EXPECT_FALSE(add_credential(*db_, wrong, now_ms()));
  Credential backwards = c;
  backwards.expires_on = "2025-12-31";
  EXPECT_FALSE(add_credential(*db_, backwards, now_ms()));
  EXPECT_EQ(list_credentials(*db_, "").value().size(), 2u);
  EXPECT_EQ(list_credentials(*db_, p.id).value().size(), 1u);
  {
    Database::Lease lease(*db_);
    const std::string later = "2030-12-31";
    EXPECT_ANY_THROW((lease.sql() << "UPDATE credentials SET expires_on = :e WHERE id = :id", soci::use(later), soci::use(added->id)));
    EXPECT_ANY_THROW((lease.sql() << "DELETE FROM credentials WHERE id = :id", soci::use(added->id)));
  }
  auto revoked = revoke_credential(*db_, added->id, owner.id, "entered for the wrong practitioner", now_ms());
  ASSERT_TRUE(revoked) << revoked.error().message;
  EXPECT_TRUE(revoked->revoked_at.has_value());
  EXPECT_EQ(revoke_credential(*db_, added->id, owner.id, "again", now_ms()).error().code, StoreError::Code::stale);
  const Credential kept = find_credential(*db_, added->id).value();
  EXPECT_EQ(kept.expires_on, "2027-12-31");
  EXPECT_EQ(kept.revoke_reason, "entered for the wrong practitioner");
  {
    Database::Lease lease(*db_);
    const std::string none;
    EXPECT_ANY_THROW((lease.sql() << "UPDATE credentials SET revoke_reason = :r WHERE id = :id", soci::use(none), soci::use(added->id)));
  }
}

// Many threads on their own connections race for one slot of one
// practitioner, round after round: exactly one booking wins each round.
TEST_P(StoreTest, RacingBookingsForOneSlotLetExactlyOneWin) {
  const User p = user("racer@clinic.example");
  constexpr int kThreads = 6, kRounds = 40;
  std::vector<Client> racers;  // one client a thread: the practitioner's rule decides
  for (int k = 0; k < kThreads; ++k) racers.push_back(client("Rae Race " + std::to_string(k)));
  constexpr TimeMs kHour = 3'600'000, t0 = 1'800'000'000'000;
  std::atomic<int> wins{0}, others{0};
  for (int round = 0; round < kRounds; ++round) {
    std::vector<std::thread> threads;
    std::atomic<int> round_wins{0};
    for (int k = 0; k < kThreads; ++k)
      threads.emplace_back([&, round, k] {
        Appointment a;
        a.client_id = racers[static_cast<std::size_t>(k)].id;
        a.practitioner_id = p.id;
        a.kind = "consultation";
        // Each thread's slot overlaps every other's in the round by at least half an hour.
        a.start = t0 + round * 4 * kHour + k * 60'000;
        a.end = a.start + kHour;
        a.created_by = p.id;
        auto r = book_appointment(*db_, a, now_ms());
        if (r) ++round_wins;
        else if (r.error().message != kPractitionerBusy) {
          ++others;
          ADD_FAILURE() << r.error().message << (r.error().transient ? " (transient)" : "");
        }
      });
    for (std::thread& t : threads) t.join();
    EXPECT_EQ(round_wins.load(), 1) << "round " << round;
    wins += round_wins.load();
  }
  EXPECT_EQ(wins.load(), kRounds);
  EXPECT_EQ(others.load(), 0);
}

TEST_P(StoreTest, ConcurrentSavesOfTheClinicsSettingsLetExactlyOneWin) {
  const User owner = user("owner@settings.example", Role::owner);
  EXPECT_FALSE(latest_settings(*db_).value().has_value());
  ClinicSettings next{0, R"({"schema": "stipple.clinic/1"})", R"({"schema": "stipple.pricing/1"})", R"({"schema": "stipple.care/1"})",
                      owner.id, 0};
  constexpr int kWriters = 8;
  std::atomic<int> won = 0, stale = 0;
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i)
    writers.emplace_back([&] {
      auto r = save_settings(*db_, 0, next, now_ms());
      if (r) ++won;
      else if (r.error().code == StoreError::Code::stale) ++stale;
    });
  for (std::thread& t : writers) t.join();
  EXPECT_EQ(won, 1);
  EXPECT_EQ(stale, kWriters - 1);
  const auto latest = latest_settings(*db_).value();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->version, 1);
  EXPECT_EQ(latest->saved_by, owner.id);
  EXPECT_EQ(save_settings(*db_, 1, next, now_ms()).value().version, 2);
  EXPECT_EQ(find_settings(*db_, 1).value().pricing, next.pricing);
  EXPECT_EQ(find_settings(*db_, 3).error().code, StoreError::Code::not_found);
  const auto history = settings_history(*db_, 10).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].version, 2) << "newest first";
}

}  // namespace
}  // namespace stipple::store
