// Schema version 1: the spine. Phone numbers and reporter text are stored only as ciphertext
// (bytea) with keyed blind indexes for lookups: see storage/crypto.hpp.
#pragma once

#include <string_view>

namespace centinela::storage {

inline constexpr std::string_view schema_v1 = R"sql(
CREATE TABLE reports (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,        -- short id an operator types on a phone: "K7Q3M"
  region_id     text,                        -- NULL: region unknown, goes to the top operators
  source        text NOT NULL CHECK (source IN ('sms', 'api')),
  reporter_enc  bytea,                       -- encrypted E.164; NULL for anonymous web reports
  reporter_idx  bytea,                       -- blind index of the reporter's number
  text_enc      bytea NOT NULL,              -- the raw text may name people: encrypted as well
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'confirmed', 'rejected')),
  created_at    timestamptz NOT NULL,
  decided_at    timestamptz
);
CREATE INDEX reports_pending ON reports (created_at) WHERE status = 'pending';

-- The audit trail: who did what to a report, when, through which channel.
CREATE TABLE report_actions (
  id         bigserial PRIMARY KEY,
  report_id  bigint NOT NULL REFERENCES reports (id),
  actor      text NOT NULL,                  -- "operator:Ana", "reporter", "system"
  channel    text NOT NULL CHECK (channel IN ('sms', 'api', 'system')),
  action     text NOT NULL,                  -- received, notified, confirmed, rejected, region_set
  detail     text NOT NULL DEFAULT '',
  at         timestamptz NOT NULL
);
CREATE INDEX report_actions_by_report ON report_actions (report_id, id);
-- One confirmation per operator and report, however often they answer YES.
CREATE UNIQUE INDEX report_confirmations ON report_actions (report_id, actor)
  WHERE action = 'confirmed';

CREATE TABLE alerts (
  id                  bigserial PRIMARY KEY,
  report_id           bigint NOT NULL UNIQUE REFERENCES reports (id),
  region_id           text NOT NULL,
  audience_regions    text[] NOT NULL,       -- the region, its ancestors and its descendants
  summary             text NOT NULL,         -- the operator's words, never the reporter's
  created_at          timestamptz NOT NULL,
  expires_at          timestamptz NOT NULL,
  materialized_upto   bigint NOT NULL DEFAULT 0,  -- last subscriber id turned into a delivery
  materialized_at     timestamptz                 -- NULL while the fan-out is still growing
);

CREATE TABLE subscribers (
  id          bigserial PRIMARY KEY,
  phone_enc   bytea NOT NULL,
  phone_idx   bytea NOT NULL UNIQUE,
  language    text NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'opted_out')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);

CREATE TABLE subscriptions (
  region_id      text NOT NULL,
  subscriber_id  bigint NOT NULL REFERENCES subscribers (id),
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (region_id, subscriber_id)
);
CREATE INDEX subscriptions_by_subscriber ON subscriptions (subscriber_id);

-- Consent ledger: every join, opt-out and opt-in, with its time and channel.
CREATE TABLE consent_events (
  id             bigserial PRIMARY KEY,
  subscriber_id  bigint NOT NULL REFERENCES subscribers (id),
  event          text NOT NULL CHECK (event IN ('join', 'opt_out', 'opt_in', 'provider_opt_out')),
  region_id      text,
  at             timestamptz NOT NULL
);

CREATE TABLE deliveries (
  id                   bigserial PRIMARY KEY,
  alert_id             bigint NOT NULL REFERENCES alerts (id),
  subscriber_id        bigint NOT NULL REFERENCES subscribers (id),
  status               text NOT NULL DEFAULT 'queued' CHECK (status IN
                         ('queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'expired')),
  attempts             int NOT NULL DEFAULT 0,
  possible_duplicate   boolean NOT NULL DEFAULT false,  -- was in flight at a crash, then resent
  provider             text,
  sender               text,
  provider_message_id  text,
  error                text,
  not_before           timestamptz,          -- retry backoff
  created_at           timestamptz NOT NULL,
  sending_at           timestamptz,
  finished_at          timestamptz,
  UNIQUE (alert_id, subscriber_id)
);
CREATE INDEX deliveries_queued ON deliveries (alert_id, id) WHERE status = 'queued';
CREATE INDEX deliveries_sending ON deliveries (id) WHERE status = 'sending';
CREATE INDEX deliveries_by_provider_id ON deliveries (provider, provider_message_id)
  WHERE provider_message_id IS NOT NULL;

-- Delivery receipts as the provider sent them. Kept even when they arrive before we have
-- recorded the provider's message id (a fast carrier beats our batch commit): recording a send
-- applies any receipt already waiting for it.
CREATE TABLE delivery_receipts (
  provider             text NOT NULL,
  provider_message_id  text NOT NULL,
  state                text NOT NULL CHECK (state IN ('sent', 'delivered', 'undelivered', 'failed')),
  error_code           int NOT NULL DEFAULT 0,
  received_at          timestamptz NOT NULL,
  PRIMARY KEY (provider, provider_message_id, state)
);

-- One-off texts that are not alerts (operator notifications): durable like deliveries, and sent
-- ahead of them.
CREATE TABLE outbox (
  id                   bigserial PRIMARY KEY,
  kind                 text NOT NULL,
  report_id            bigint REFERENCES reports (id),
  to_enc               bytea NOT NULL,
  body_enc             bytea NOT NULL,        -- may quote a reporter's text: encrypted
  status               text NOT NULL DEFAULT 'queued'
                       CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
  attempts             int NOT NULL DEFAULT 0,
  possible_duplicate   boolean NOT NULL DEFAULT false,
  provider             text,
  provider_message_id  text,
  error                text,
  not_before           timestamptz,
  created_at           timestamptz NOT NULL,
  finished_at          timestamptz
);
CREATE INDEX outbox_queued ON outbox (id) WHERE status = 'queued';

-- Inbound webhooks already applied, with the reply we gave: a provider that retries gets the
-- same answer and the effect happens once.
CREATE TABLE inbound_messages (
  provider             text NOT NULL,
  provider_message_id  text NOT NULL,
  reply_enc            bytea,
  received_at          timestamptz NOT NULL,
  PRIMARY KEY (provider, provider_message_id)
);
)sql";

}  // namespace centinela::storage
