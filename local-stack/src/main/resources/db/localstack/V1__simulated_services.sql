-- The simulated services' own state, one PostgreSQL schema per service (each service owns its
-- tables; they share only the outbox and processed_events of db/edapipeline).

CREATE SCHEMA order_service;
CREATE TABLE order_service.orders (
  order_id     text PRIMARY KEY,
  customer_id  text NOT NULL,
  total_minor  bigint NOT NULL,
  currency     char(3) NOT NULL,
  status       text NOT NULL,            -- PLACED, CANCELLED
  placed_at    timestamptz NOT NULL,
  updated_at   timestamptz NOT NULL
);

CREATE SCHEMA inventory_service;
CREATE TABLE inventory_service.reservations (
  reservation_id uuid PRIMARY KEY,
  order_id       text NOT NULL UNIQUE,
  skus           text[] NOT NULL,
  status         text NOT NULL,          -- RESERVED, OUT_OF_STOCK, RELEASED
  updated_at     timestamptz NOT NULL
);

CREATE SCHEMA payment_service;
CREATE TABLE payment_service.payments (
  payment_id      uuid PRIMARY KEY,
  order_id        text NOT NULL UNIQUE,
  amount_minor    bigint NOT NULL,
  currency        char(3) NOT NULL,
  status          text NOT NULL,         -- PROCESSED, DECLINED, RETRYING, FAILED, REFUNDED
  attempts        int NOT NULL,
  next_attempt_at timestamptz,           -- when a RETRYING payment is tried again
  causation_id    text,                  -- the event that asked for the payment
  traceparent     text,
  updated_at      timestamptz NOT NULL
);
CREATE INDEX payments_due ON payment_service.payments (next_attempt_at) WHERE status = 'RETRYING';

CREATE SCHEMA shipment_service;
CREATE TABLE shipment_service.shipments (
  shipment_id   uuid PRIMARY KEY,
  order_id      text NOT NULL UNIQUE,
  status        text NOT NULL,           -- DISPATCHED, DELIVERED, FAILED
  carrier       text,
  deliver_at    timestamptz,             -- when a DISPATCHED shipment is delivered
  causation_id  text,
  traceparent   text,
  updated_at    timestamptz NOT NULL
);
CREATE INDEX shipments_due ON shipment_service.shipments (deliver_at) WHERE status = 'DISPATCHED';
