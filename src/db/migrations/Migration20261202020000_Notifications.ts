import { Migration } from '@mikro-orm/migrations';

/**
 * The in-app inbox. Every new event is also queued in event_outbox by a trigger, in the event's
 * own transaction: the notifier takes outbox rows as they commit (in whatever order they commit),
 * so no event is skipped the way a cursor over ids could skip a slow transaction's lower id.
 */
export class Migration20261202020000_Notifications extends Migration {
  override name = 'Migration20261202020000_Notifications';

  override up(): void | Promise<void> {
    this.addSql(`create table "notifications" (
      "id" uuid not null primary key,
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "engagement_id" uuid not null references "engagements" ("id") on delete cascade,
      "event_id" int not null references "engagement_events" ("id"),
      "kind" varchar(40) not null,
      "params" jsonb not null default '{}',
      "link" varchar(300) not null,
      "created_at" timestamptz not null,
      "read_at" timestamptz null,
      unique ("event_id", "user_id", "kind"));`);
    this.addSql(`create index "notifications_inbox_index" on "notifications" ("user_id", "created_at" desc);`);
    this.addSql(`create index "notifications_unread_index" on "notifications" ("user_id") where "read_at" is null;`);
    this.addSql(`create table "event_outbox" ("event_id" int not null primary key references "engagement_events" ("id"));`);
    this.addSql(`create function "queue_event_for_notifications"() returns trigger language plpgsql as $$
      begin insert into event_outbox (event_id) values (new.id); return new; end $$;`);
    this.addSql(`create trigger "engagement_events_to_outbox" after insert on "engagement_events" for each row execute function "queue_event_for_notifications"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "engagement_events_to_outbox" on "engagement_events";`);
    this.addSql(`drop function if exists "queue_event_for_notifications"();`);
    this.addSql(`drop table if exists "event_outbox";`);
    this.addSql(`drop table if exists "notifications";`);
  }
}
