// SPDX-License-Identifier: MIT
// The station's tables. Instants are UTC milliseconds; services keep their hours, rules and form
// as the canonical JSON their parsers write. Migrations are expand-only: add, never change.
//   1  services, bookings, settings, reminders sent
//   2  reschedules and proxy booking (booking columns), waitlist, family links, households,
//      no-show suspensions, ratings
//   3  reminders by slot: when a booking came to its slot
#pragma once

namespace convenience {

constexpr const char* kSchemaV1 = R"SQL(
CREATE TABLE convenience_services (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  category TEXT NOT NULL DEFAULT '',
  location TEXT NOT NULL DEFAULT '',
  slot_minutes INTEGER NOT NULL CHECK (slot_minutes BETWEEN 5 AND 480),
  capacity INTEGER NOT NULL CHECK (capacity >= 1),
  hours TEXT NOT NULL,
  rules TEXT NOT NULL,
  form TEXT NOT NULL DEFAULT '[]',
  active INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX convenience_services_list ON convenience_services(active, category, id);

-- One row per booking; hold_id is its place in the core's capacity ledger, reminder_jobs the ids
-- of its scheduled reminders (a JSON array; since version 3 reminders are by slot and it stays
-- empty), idem_key the resident's Idempotency-Key.
CREATE TABLE convenience_bookings (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES convenience_services(id),
  user_id INTEGER NOT NULL,
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'rejected', 'cancelled', 'checked_in', 'completed', 'no_show')),
  code TEXT NOT NULL UNIQUE,
  form TEXT NOT NULL DEFAULT '{}',
  idem_key TEXT NOT NULL,
  hold_id INTEGER NOT NULL,
  reminder_jobs TEXT NOT NULL DEFAULT '[]',
  reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, idem_key)
);
CREATE INDEX convenience_bookings_slot ON convenience_bookings(service_id, slot_start);
CREATE INDEX convenience_bookings_user ON convenience_bookings(user_id, id);

-- Station settings as JSON documents; today only the holiday calendar.
CREATE TABLE convenience_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Reminders already handed to the outbox: the scheduler runs a job at least once, this makes the
-- resident hear it once.
CREATE TABLE convenience_reminders_sent (
  booking_id INTEGER NOT NULL,
  lead TEXT NOT NULL,
  sent_at INTEGER NOT NULL,
  PRIMARY KEY (booking_id, lead)
) WITHOUT ROWID;
)SQL";

constexpr const char* kSchemaV2 = R"SQL(
-- Proxy booking (代约): who booked for the resident and as what ("子女", "网格员"); moves counts
-- reschedules, so each move's ledger key and reminder jobs are new; suspension_id marks a no-show
-- already counted towards a suspension.
ALTER TABLE convenience_bookings ADD COLUMN booked_by_user_id INTEGER;
ALTER TABLE convenience_bookings ADD COLUMN relation TEXT NOT NULL DEFAULT '';
ALTER TABLE convenience_bookings ADD COLUMN moves INTEGER NOT NULL DEFAULT 0;
ALTER TABLE convenience_bookings ADD COLUMN suspension_id INTEGER;
CREATE INDEX convenience_bookings_booked_by ON convenience_bookings(booked_by_user_id, id);
CREATE INDEX convenience_bookings_state_user ON convenience_bookings(user_id, state, slot_start);

-- Residents waiting for a full slot, first come first served (by id). An offer holds a place in
-- the slot's ledger resource (hold_id) until offer_expires_at; offer_job releases it then.
CREATE TABLE convenience_waitlist (
  id INTEGER PRIMARY KEY,
  service_id INTEGER NOT NULL REFERENCES convenience_services(id),
  user_id INTEGER NOT NULL,
  slot_start INTEGER NOT NULL,
  slot_end INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('waiting', 'offered', 'booked', 'lapsed', 'left')),
  form TEXT NOT NULL DEFAULT '{}',
  idem_key TEXT NOT NULL,
  hold_id INTEGER,
  offer_expires_at INTEGER,
  offer_job INTEGER,
  booking_id INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (user_id, idem_key)
);
CREATE INDEX convenience_waitlist_queue ON convenience_waitlist(service_id, slot_start, state, id);
CREATE INDEX convenience_waitlist_user ON convenience_waitlist(user_id, id);

-- A family member (member_user_id) may book for an elder once the elder confirmed the link.
CREATE TABLE convenience_family_links (
  id INTEGER PRIMARY KEY,
  member_user_id INTEGER NOT NULL,
  elder_user_id INTEGER NOT NULL,
  relation TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'confirmed', 'revoked')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX convenience_family_links_live ON convenience_family_links(member_user_id, elder_user_id)
  WHERE state IN ('pending', 'confirmed');
CREATE INDEX convenience_family_links_elder ON convenience_family_links(elder_user_id, state);

-- Households (户) as the station's staff register them; a resident belongs to at most one.
CREATE TABLE convenience_households (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE convenience_household_members (
  user_id INTEGER PRIMARY KEY,
  household_id INTEGER NOT NULL REFERENCES convenience_households(id),
  added_at INTEGER NOT NULL
);
CREATE INDEX convenience_household_members_household ON convenience_household_members(household_id);

-- Booking suspended for a resident after too many no-shows; lifted_at when staff lift it early.
CREATE TABLE convenience_suspensions (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  starts_at INTEGER NOT NULL,
  until INTEGER NOT NULL,
  no_shows INTEGER NOT NULL,
  lifted_at INTEGER,
  lifted_by INTEGER,
  lift_reason TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL
);
CREATE INDEX convenience_suspensions_user ON convenience_suspensions(user_id, until);

-- One rating per completed booking. verdict is the text screening's (pass | review; '' without a
-- comment); visible is 0 while a comment waits for staff to release it.
CREATE TABLE convenience_ratings (
  id INTEGER PRIMARY KEY,
  booking_id INTEGER NOT NULL UNIQUE REFERENCES convenience_bookings(id),
  service_id INTEGER NOT NULL REFERENCES convenience_services(id),
  user_id INTEGER NOT NULL,
  stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
  comment TEXT NOT NULL DEFAULT '',
  verdict TEXT NOT NULL DEFAULT '',
  visible INTEGER NOT NULL,
  released_by INTEGER,
  released_at INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX convenience_ratings_service ON convenience_ratings(service_id, visible, id);
)SQL";

// Reminders are one job per slot and lead (reminders.cpp), which reminds the bookings that came
// to the slot — booked, moved there, confirmed from the waitlist — while its lead was ahead.
// NULL for bookings made before: their own jobs (reminder_jobs) remind them.
constexpr const char* kSchemaV3 = R"SQL(
ALTER TABLE convenience_bookings ADD COLUMN slot_since INTEGER;
)SQL";

}  // namespace convenience
