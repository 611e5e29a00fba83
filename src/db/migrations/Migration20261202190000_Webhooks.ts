import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks: subscriptions (one engagement's, or firm-wide when engagement_id is null), one delivery
 * row per event and subscription (its log), and an outbox of their own filled by a trigger in each
 * event's transaction, so the notifier's event_outbox keeps its meaning and neither takes the other's rows.
 * after_event_id is the last event before the subscription: older events still in the outbox are not sent to it.
 */
export class Migration20261202190000_Webhooks extends Migration {
  override name = 'Migration20261202190000_Webhooks';

  override up(): void | Promise<void> {
    this.addSql(`create table "webhook_subscriptions" (
      "id" uuid not null primary key,
      "engagement_id" uuid null references "engagements" ("id") on delete cascade,
      "created_by" uuid not null references "users" ("id"),
      "target_url" varchar(2000) not null,
      "event_types" jsonb not null default '[]',
      "secret" varchar(100) not null,
      "after_event_id" int not null default 0,
      "created_at" timestamptz not null);`);
    this.addSql(`create index "webhook_subscriptions_engagement_index" on "webhook_subscriptions" ("engagement_id");`);
    this.addSql(`create table "webhook_deliveries" (
      "id" uuid not null primary key,
      "subscription_id" uuid not null references "webhook_subscriptions" ("id") on delete cascade,
      "event_id" int not null references "engagement_events" ("id"),
      "status" varchar(20) not null default 'pending',
      "attempts" int not null default 0,
      "response_code" int null,
      "response_ms" int null,
      "error" varchar(500) null,
      "created_at" timestamptz not null,
      "last_attempt_at" timestamptz null,
      unique ("subscription_id", "event_id"));`);
    this.addSql(`create index "webhook_deliveries_log_index" on "webhook_deliveries" ("subscription_id", "created_at" desc);`);
    this.addSql(`create table "webhook_outbox" ("event_id" int not null primary key references "engagement_events" ("id"));`);
    this.addSql(`create function "queue_event_for_webhooks"() returns trigger language plpgsql as $$
      begin insert into webhook_outbox (event_id) values (new.id); return new; end $$;`);
    this.addSql(`create trigger "engagement_events_to_webhook_outbox" after insert on "engagement_events" for each row execute function "queue_event_for_webhooks"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "engagement_events_to_webhook_outbox" on "engagement_events";`);
    this.addSql(`drop function if exists "queue_event_for_webhooks"();`);
    this.addSql(`drop table if exists "webhook_outbox";`);
    this.addSql(`drop table if exists "webhook_deliveries";`);
    this.addSql(`drop table if exists "webhook_subscriptions";`);
  }
}
