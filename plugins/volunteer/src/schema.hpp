// SPDX-License-Identifier: MIT
// The station's tables. Instants are UTC milliseconds, days are Beijing "YYYY-MM-DD" text, hours
// are whole minutes (no floating point in a ledger). Migrations are expand-only: add, never change.
//
// Two tables are ledgers — volunteer_hours and volunteer_points — and refuse UPDATE and DELETE by
// trigger, so a correction can only ever be a new row that says which row it corrects, who, and why.
#pragma once

namespace volunteer {

constexpr const char* kSchemaV1 = R"SQL(
-- 项目清单: what the community publishes each year. A unit may claim a unit_claimable project.
CREATE TABLE volunteer_projects (
  id INTEGER PRIMARY KEY,
  year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_station TEXT NOT NULL DEFAULT 'volunteer',
  unit_claimable INTEGER NOT NULL DEFAULT 0,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_projects_year ON volunteer_projects(year, state, id);

-- 岗位清单: posts within a project. time_type: shift (starts_at..ends_at is the shift), window
-- (any time within starts_at..ends_at), ongoing (no times). Spots are the post's capacity-ledger
-- resource "post:<id>"; min_age/max_age and training are eligibility rules ('' / NULL = none).
CREATE TABLE volunteer_posts (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES volunteer_projects(id),
  role TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  time_type TEXT NOT NULL CHECK (time_type IN ('shift', 'window', 'ongoing')),
  starts_at INTEGER,
  ends_at INTEGER,
  location TEXT NOT NULL DEFAULT '',
  spots INTEGER NOT NULL CHECK (spots >= 1),
  members_only INTEGER NOT NULL DEFAULT 0,
  training TEXT NOT NULL DEFAULT '',
  min_age INTEGER,
  max_age INTEGER,
  approval_required INTEGER NOT NULL DEFAULT 0,
  withdraw_cutoff_minutes INTEGER NOT NULL DEFAULT 1440,
  state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_posts_project ON volunteer_posts(project_id, id);

-- A registered volunteer: any resident. real_name is what certificates show. No phone here: the
-- WeChat-verified number stays sealed in the core (host.reveal_phone).
CREATE TABLE volunteer_volunteers (
  user_id INTEGER PRIMARY KEY,
  real_name TEXT NOT NULL,
  birth_date TEXT,
  skills TEXT NOT NULL DEFAULT '',
  registered_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Trainings a volunteer has completed, recorded by staff; posts may require one by name.
CREATE TABLE volunteer_trainings (
  user_id INTEGER NOT NULL,
  training TEXT NOT NULL,
  completed_on TEXT NOT NULL,
  recorded_by INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, training)
) WITHOUT ROWID;

-- 双报到 units (机关、企事业单位党组织) and the person who represents each one. The role
-- unit_contact is granted by an admin in the core; the station records which unit it speaks for.
CREATE TABLE volunteer_units (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  contact_user_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_units_contact ON volunteer_units(contact_user_id);

-- A member's 双报到 declaration for a year: their unit, whether they are in service, and the
-- public-interest organisation they joined instead of claiming a post ('' = none).
CREATE TABLE volunteer_declarations (
  user_id INTEGER NOT NULL,
  year INTEGER NOT NULL,
  unit_id INTEGER REFERENCES volunteer_units(id),
  in_service INTEGER NOT NULL,
  public_org TEXT NOT NULL DEFAULT '',
  declared_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, year)
) WITHOUT ROWID;

-- A volunteer's claim on a post; hold_id is its place in the capacity ledger. At most one live
-- claim per person and post (the index is the last line of defence behind the station's check).
CREATE TABLE volunteer_claims (
  id INTEGER PRIMARY KEY,
  post_id INTEGER NOT NULL REFERENCES volunteer_posts(id),
  user_id INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'declined', 'withdrawn', 'cancelled')),
  hold_id INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  reminder_job INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX volunteer_claims_live ON volunteer_claims(post_id, user_id) WHERE state IN ('pending', 'approved');
CREATE INDEX volunteer_claims_user ON volunteer_claims(user_id, id);

-- A unit's claim on a project, made by its contact; staff mark it completed at year end.
CREATE TABLE volunteer_unit_claims (
  id INTEGER PRIMARY KEY,
  project_id INTEGER NOT NULL REFERENCES volunteer_projects(id),
  unit_id INTEGER NOT NULL REFERENCES volunteer_units(id),
  claimed_by INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'completed', 'withdrawn')),
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX volunteer_unit_claims_live ON volunteer_unit_claims(project_id, unit_id) WHERE state != 'withdrawn';

-- Presence at a post: one row per check-in, closed by a check-out (QR, by staff, or by the
-- scheduler when left open past the post's window — then flagged for review).
CREATE TABLE volunteer_attendance (
  id INTEGER PRIMARY KEY,
  claim_id INTEGER NOT NULL REFERENCES volunteer_claims(id),
  post_id INTEGER NOT NULL,
  user_id INTEGER NOT NULL,
  place TEXT NOT NULL DEFAULT '',
  checked_in_at INTEGER NOT NULL,
  in_method TEXT NOT NULL CHECK (in_method IN ('qr', 'manual')),
  checked_out_at INTEGER,
  out_method TEXT CHECK (out_method IN ('qr', 'manual', 'auto')),
  flagged INTEGER NOT NULL DEFAULT 0,
  close_job INTEGER,
  hours_record_id INTEGER,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX volunteer_attendance_open ON volunteer_attendance(post_id, user_id) WHERE checked_out_at IS NULL;
CREATE INDEX volunteer_attendance_user ON volunteer_attendance(user_id, id);

-- The hours ledger. A record starts with a 'logged' entry (pending); every decision after it —
-- approved, adjusted, declined — is a new entry whose refers_to is the entry it supersedes and
-- whose root_id is the record's first entry. refers_to is unique, so a record's entries form one
-- line and two staff deciding at once cannot both win.
CREATE TABLE volunteer_hours (
  id INTEGER PRIMARY KEY,
  root_id INTEGER REFERENCES volunteer_hours(id),
  refers_to INTEGER UNIQUE REFERENCES volunteer_hours(id),
  kind TEXT NOT NULL CHECK (kind IN ('logged', 'approved', 'adjusted', 'declined')),
  user_id INTEGER NOT NULL,
  project_id INTEGER NOT NULL,
  post_id INTEGER,
  attendance_id INTEGER,
  service_date TEXT NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  minutes INTEGER NOT NULL CHECK (minutes >= 0),
  source TEXT NOT NULL CHECK (source IN ('shift', 'walk_in', 'auto_closed', 'decision')),
  flagged INTEGER NOT NULL DEFAULT 0,
  reason TEXT NOT NULL DEFAULT '',
  actor_user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  CHECK ((kind = 'logged') = (root_id IS NULL) AND (root_id IS NULL) = (refers_to IS NULL))
);
CREATE INDEX volunteer_hours_root ON volunteer_hours(root_id);
CREATE INDEX volunteer_hours_user ON volunteer_hours(user_id, id);
CREATE TRIGGER volunteer_hours_no_update BEFORE UPDATE ON volunteer_hours
  BEGIN SELECT RAISE(ABORT, 'volunteer_hours is append-only: add a correcting entry'); END;
CREATE TRIGGER volunteer_hours_no_delete BEFORE DELETE ON volunteer_hours
  BEGIN SELECT RAISE(ABORT, 'volunteer_hours is append-only: add a correcting entry'); END;

-- One line per hours record: its first entry and its latest (head), and the status the head gives.
CREATE VIEW volunteer_hour_records AS
SELECT r.id AS record_id, r.user_id, r.project_id, r.post_id, r.attendance_id, r.service_date, r.started_at,
       r.ended_at, r.minutes AS logged_minutes, r.source, r.flagged, r.reason AS note, r.actor_user_id AS logged_by,
       r.created_at AS logged_at, h.id AS head_id, h.kind AS head_kind, h.minutes AS minutes,
       h.reason AS decision_reason, h.actor_user_id AS decided_by, h.created_at AS decided_at,
       CASE h.kind WHEN 'logged' THEN 'pending' WHEN 'declined' THEN 'declined' ELSE 'approved' END AS status
FROM volunteer_hours r
JOIN volunteer_hours h ON h.id = (SELECT coalesce(max(x.id), r.id) FROM volunteer_hours x WHERE x.root_id = r.id)
WHERE r.root_id IS NULL;

-- The points ledger: earned from approved hours (a correction earns the difference), spent on
-- 爱心超市 redemptions, refunded when an order is cancelled. A balance is the sum of deltas.
CREATE TABLE volunteer_points (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  delta INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('earned', 'redeemed', 'refunded')),
  hours_record_id INTEGER,
  hours_entry_id INTEGER,
  order_id INTEGER,
  note TEXT NOT NULL DEFAULT '',
  actor_user_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX volunteer_points_user ON volunteer_points(user_id, id);
CREATE INDEX volunteer_points_record ON volunteer_points(hours_record_id);
CREATE TRIGGER volunteer_points_no_update BEFORE UPDATE ON volunteer_points
  BEGIN SELECT RAISE(ABORT, 'volunteer_points is append-only: add a correcting entry'); END;
CREATE TRIGGER volunteer_points_no_delete BEFORE DELETE ON volunteer_points
  BEGIN SELECT RAISE(ABORT, 'volunteer_points is append-only: add a correcting entry'); END;

-- 爱心超市: items priced in points; stock is the capacity-ledger resource "item:<id>", whose
-- capacity is every unit ever stocked (a restock raises it; a redemption takes a place).
CREATE TABLE volunteer_shop_items (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  points INTEGER NOT NULL CHECK (points >= 1),
  stocked INTEGER NOT NULL CHECK (stocked >= 0),
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE volunteer_orders (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES volunteer_shop_items(id),
  user_id INTEGER NOT NULL,
  points INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('reserved', 'handed_over', 'cancelled')),
  hold_id INTEGER NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_orders_user ON volunteer_orders(user_id, id);
CREATE INDEX volunteer_orders_state ON volunteer_orders(state, id);

-- 志愿服务记录证明: a snapshot of what was certified, checked by its code at a public route.
CREATE TABLE volunteer_certificates (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL,
  holder_name TEXT NOT NULL,
  minutes INTEGER NOT NULL,
  period_from TEXT NOT NULL,
  period_to TEXT NOT NULL,
  issuer TEXT NOT NULL,
  projects TEXT NOT NULL DEFAULT '[]',
  issued_at INTEGER NOT NULL
);
CREATE INDEX volunteer_certificates_user ON volunteer_certificates(user_id, id);

-- Reminders already handed to the outbox: the scheduler runs a job at least once, this makes a
-- person hear each reminder once.
CREATE TABLE volunteer_reminders_sent (
  key TEXT PRIMARY KEY,
  sent_at INTEGER NOT NULL
) WITHOUT ROWID;
)SQL";

}  // namespace volunteer
