// SPDX-License-Identifier: MIT
// Core schema, append-only: a new migration is a new entry; an applied one is never edited.
// Times are UTC milliseconds (INTEGER). Ledgers (audit) refuse UPDATE and DELETE by trigger.
#include "core_schema.hpp"

namespace yz {
namespace {

const std::vector<Migration>& core_migrations() {
    static const std::vector<Migration> m = {
        {1, R"SQL(
CREATE TABLE core_users (
  id INTEGER PRIMARY KEY,
  openid TEXT NOT NULL UNIQUE,
  unionid TEXT,
  display_name TEXT NOT NULL DEFAULT '',
  phone_enc BLOB,
  created_at INTEGER NOT NULL,
  deleted_at INTEGER
);
CREATE INDEX core_users_unionid ON core_users(unionid) WHERE unionid IS NOT NULL;

CREATE TABLE core_roles (
  user_id INTEGER NOT NULL REFERENCES core_users(id),
  role TEXT NOT NULL,
  scope TEXT NOT NULL DEFAULT '',
  granted_by INTEGER,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, role, scope)
) WITHOUT ROWID;

CREATE TABLE core_sessions (
  token_hash BLOB PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES core_users(id),
  kind TEXT NOT NULL DEFAULT 'app',
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  revoked_at INTEGER
) WITHOUT ROWID;
CREATE INDEX core_sessions_user ON core_sessions(user_id);

CREATE TABLE core_audit (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_user_id INTEGER,
  actor TEXT NOT NULL DEFAULT '{}',
  station TEXT NOT NULL DEFAULT '',
  action TEXT NOT NULL,
  record_type TEXT NOT NULL DEFAULT '',
  record_id TEXT NOT NULL DEFAULT '',
  detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX core_audit_record ON core_audit(station, record_type, record_id);
CREATE TRIGGER core_audit_no_update BEFORE UPDATE ON core_audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;
CREATE TRIGGER core_audit_no_delete BEFORE DELETE ON core_audit
  BEGIN SELECT RAISE(ABORT, 'audit is append-only'); END;

CREATE TABLE core_capacity_resources (
  station TEXT NOT NULL,
  resource TEXT NOT NULL,
  capacity INTEGER NOT NULL CHECK (capacity >= 0),
  taken INTEGER NOT NULL DEFAULT 0 CHECK (taken >= 0),
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (station, resource)
) WITHOUT ROWID;

CREATE TABLE core_capacity_holds (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL,
  resource TEXT NOT NULL,
  holder TEXT NOT NULL,
  idem_key TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('held', 'confirmed', 'released')),
  expires_at INTEGER,
  created_at INTEGER NOT NULL,
  released_at INTEGER,
  UNIQUE (station, idem_key)
);
CREATE INDEX core_capacity_holds_live ON core_capacity_holds(station, resource, state);
CREATE INDEX core_capacity_holds_expiry ON core_capacity_holds(expires_at) WHERE state = 'held';

CREATE TABLE core_outbox (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL DEFAULT '',
  user_id INTEGER NOT NULL,
  template_key TEXT NOT NULL,
  data TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_errcode INTEGER,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX core_outbox_due ON core_outbox(next_attempt_at) WHERE state = 'queued';

CREATE TABLE core_jobs (
  id INTEGER PRIMARY KEY,
  station TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL,
  due_at INTEGER NOT NULL,
  payload TEXT NOT NULL DEFAULT '{}',
  dedupe_key TEXT,
  state TEXT NOT NULL DEFAULT 'due' CHECK (state IN ('due', 'done', 'failed', 'cancelled')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX core_jobs_due ON core_jobs(due_at) WHERE state = 'due';
CREATE UNIQUE INDEX core_jobs_dedupe ON core_jobs(station, dedupe_key) WHERE dedupe_key IS NOT NULL;

CREATE TABLE core_station_state (
  id TEXT PRIMARY KEY,
  enabled INTEGER NOT NULL,
  updated_by INTEGER,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE core_idempotency (
  user_id INTEGER NOT NULL,
  idem_key TEXT NOT NULL,
  route TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, idem_key)
) WITHOUT ROWID;

-- What stations may read of the core: a user's id and display name, nothing personal.
CREATE VIEW pub_users AS
  SELECT id, display_name FROM core_users WHERE deleted_at IS NULL;
)SQL"},
        // 2: WeChat. Secrets and personal data at rest are AES-256-GCM sealed (wechat::seal) with the
        // data key; only hashes of codes and tokens are used for lookups.
        {2, R"SQL(
-- The shared access token, one row per appid: every worker and process uses the same one. The
-- claim columns let exactly one caller refresh it at a time across processes.
CREATE TABLE core_wechat_tokens (
  appid TEXT PRIMARY KEY,
  token_enc BLOB,
  token_hash BLOB,
  expires_at INTEGER NOT NULL DEFAULT 0,
  claim_owner TEXT,
  claim_until INTEGER,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- session_key per user, server-side only.
CREATE TABLE core_wechat_session_keys (
  user_id INTEGER PRIMARY KEY REFERENCES core_users(id),
  session_key_enc BLOB NOT NULL,
  obtained_at INTEGER NOT NULL
);

-- wx.login codes seen in the last 5 minutes: a double submit gets the first login's user
-- (user_id NULL while the first request is still talking to WeChat).
CREATE TABLE core_wechat_login_codes (
  code_hash BLOB PRIMARY KEY,
  user_id INTEGER,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Subscribe-message consent ledger: +1 per accept, -1 per send, refunds, and zeroing entries.
-- The balance of (user, template) is the sum; rows are never changed.
CREATE TABLE core_wechat_consent (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  template_id TEXT NOT NULL,
  delta INTEGER NOT NULL,
  reason TEXT NOT NULL,
  outbox_id INTEGER,
  at INTEGER NOT NULL
);
CREATE INDEX core_wechat_consent_user ON core_wechat_consent(user_id, template_id);
CREATE TRIGGER core_wechat_consent_no_update BEFORE UPDATE ON core_wechat_consent
  BEGIN SELECT RAISE(ABORT, 'consent ledger is append-only'); END;
CREATE TRIGGER core_wechat_consent_no_delete BEFORE DELETE ON core_wechat_consent
  BEGIN SELECT RAISE(ABORT, 'consent ledger is append-only'); END;

-- What WeChat reported about a sent subscribe message (subscribe_msg_sent_event).
CREATE TABLE core_wechat_deliveries (
  outbox_id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  template_id TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'failed')),
  error_code INTEGER,
  error_status TEXT,
  msg_id TEXT,
  reported_at INTEGER
);
CREATE INDEX core_wechat_deliveries_open ON core_wechat_deliveries(user_id, template_id) WHERE status = 'sent';

-- Pushes already processed (WeChat re-sends what it thinks failed).
CREATE TABLE core_wechat_push_seen (
  dedupe_key TEXT PRIMARY KEY,
  received_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Customer-service messages for staff; free text is screened before anyone sees it.
CREATE TABLE core_wechat_messages (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  msg_id TEXT,
  state TEXT NOT NULL CHECK (state IN ('pending', 'visible', 'review', 'rejected', 'erased')),
  label INTEGER,
  trace_id TEXT,
  received_at INTEGER NOT NULL,
  screened_at INTEGER
);
CREATE INDEX core_wechat_messages_pending ON core_wechat_messages(id) WHERE state = 'pending';
CREATE INDEX core_wechat_messages_user ON core_wechat_messages(user_id);
)SQL"},
        // 3: one signing key per station (host.sign): random, made on first use. A copy of the
        // database could forge a station's codes; they guard attendance, not money, and deleting
        // the row rotates the key (codes already handed out stop verifying).
        {3, R"SQL(
CREATE TABLE core_signing_keys (
  station TEXT PRIMARY KEY,
  key BLOB NOT NULL,
  created_at INTEGER NOT NULL
) WITHOUT ROWID;
)SQL"},
        // 4: who holds which role, for stations that serve people by role (the 双报到 members a
        // volunteer station must remind, a grid's workers). Not who granted it or when.
        {4, R"SQL(
CREATE VIEW pub_user_roles AS
  SELECT r.user_id, r.role, r.scope FROM core_roles r JOIN core_users u ON u.id = r.user_id
  WHERE u.deleted_at IS NULL;
)SQL"},
        // 5: what the worker processes of one server must agree on about a station besides whether
        // it is enabled: how many times an admin reloaded it, and from which file if not the
        // configured one (NULL), so the others follow and a restarted worker loads the same.
        {5, R"SQL(
ALTER TABLE core_station_state ADD COLUMN reloads INTEGER NOT NULL DEFAULT 0;
ALTER TABLE core_station_state ADD COLUMN file TEXT;
)SQL"},
        // 6: the file an install or rollback replaced, which the next rollback returns to.
        {6, R"SQL(
ALTER TABLE core_station_state ADD COLUMN previous_file TEXT;
)SQL"},
        // 7: console sign-in challenges (console_login.hpp); the secret is stored hashed.
        {7, R"SQL(
CREATE TABLE core_console_challenges (
  id TEXT PRIMARY KEY,
  secret_hash TEXT NOT NULL,
  user_id INTEGER REFERENCES core_users(id),
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'spent')),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)SQL"},
        // 8: stored idempotent answers are purged by age (retention.hpp).
        {8, R"SQL(
CREATE INDEX core_idempotency_created ON core_idempotency(created_at);
)SQL"},
        // 9: sessions long over are purged by when they ended (retention.hpp).
        {9, R"SQL(
CREATE INDEX core_sessions_expires ON core_sessions(expires_at);
)SQL"},
        // 10: stored answers move to a table with row ids. Without them each row (a whole answer)
        // was a key of the B-tree, kept in order of (user, key) — random — inside the interior
        // pages too: a page held seven, so every answer stored dirtied its leaf and, at every
        // few, split pages up the tree (8.6 pages a commit under a booking rush, the most of any
        // table). Now answers are appended where the last went and only the small (user, key)
        // index lands at random.
        {10, R"SQL(
CREATE TABLE core_idempotency_rows (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  idem_key TEXT NOT NULL,
  route TEXT NOT NULL,
  request_hash TEXT NOT NULL,
  status INTEGER,
  body TEXT,
  created_at INTEGER NOT NULL
);
INSERT INTO core_idempotency_rows(user_id, idem_key, route, request_hash, status, body, created_at)
  SELECT user_id, idem_key, route, request_hash, status, body, created_at FROM core_idempotency ORDER BY created_at;
DROP TABLE core_idempotency;
ALTER TABLE core_idempotency_rows RENAME TO core_idempotency;
CREATE UNIQUE INDEX core_idempotency_key ON core_idempotency(user_id, idem_key);
CREATE INDEX core_idempotency_created ON core_idempotency(created_at);
)SQL"},
        // 11: the ledger's index of a resource's holds keeps only those still held: every query
        // through it asks for held ones (lapsed places, status), and most holds — every booking's —
        // are confirmed at once, so each of those was an index entry written at random for nothing.
        {11, R"SQL(
DROP INDEX core_capacity_holds_live;
CREATE INDEX core_capacity_holds_held ON core_capacity_holds(station, resource, expires_at) WHERE state = 'held';
)SQL"},
    };
    return m;
}

}  // namespace

int migrate_core(Conn& conn, int up_to) {
    auto core = conn.enter_core();
    conn.exec(
        "CREATE TABLE IF NOT EXISTS core_migrations (scope TEXT NOT NULL, version INTEGER NOT NULL, "
        "applied_at INTEGER NOT NULL, PRIMARY KEY (scope, version)) WITHOUT ROWID");
    if (up_to == 0) return apply_migrations(conn, "", core_migrations());
    std::vector<Migration> some;
    for (const auto& m : core_migrations())
        if (m.version <= up_to) some.push_back(m);
    return apply_migrations(conn, "", some);
}

}  // namespace yz
