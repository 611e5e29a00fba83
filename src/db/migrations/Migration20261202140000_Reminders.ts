import { Migration } from '@mikro-orm/migrations';

/**
 * Per-person choices of how each kind of notification arrives, the keys of e-mails already sent
 * (so a job that runs twice sends once), reminders as notifications without an event of their own
 * (a key per item, person and day instead), and the engagement's time zone for working days.
 */
export class Migration20261202140000_Reminders extends Migration {
  override name = 'Migration20261202140000_Reminders';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_preferences" (
      "user_id" uuid not null references "users" ("id") on delete cascade,
      "kind" varchar(40) not null,
      "mode" varchar(10) not null check ("mode" in ('now', 'digest', 'off')),
      "updated_at" timestamptz not null,
      primary key ("user_id", "kind"));`);
    this.addSql(`create table "mail_sends" (
      "key" varchar(200) not null primary key,
      "user_id" uuid null references "users" ("id") on delete set null,
      "sent_at" timestamptz null,
      "created_at" timestamptz not null);`);
    this.addSql(`alter table "notifications" alter column "event_id" drop not null;`);
    this.addSql(`alter table "notifications" add column "reminder_key" varchar(200) null unique;`);
    this.addSql(`alter table "notifications" add column "digest_sent_at" timestamptz null;`);
    this.addSql(`alter table "notifications" add constraint "notifications_event_or_reminder" check ("event_id" is not null or "reminder_key" is not null);`);
    this.addSql(`alter table "engagements" add column "time_zone" varchar(64) not null default 'UTC';`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "engagements" drop column "time_zone";`);
    this.addSql(`delete from "notifications" where "event_id" is null;`);
    this.addSql(`alter table "notifications" drop constraint "notifications_event_or_reminder";`);
    this.addSql(`alter table "notifications" drop column "digest_sent_at";`);
    this.addSql(`alter table "notifications" drop column "reminder_key";`);
    this.addSql(`alter table "notifications" alter column "event_id" set not null;`);
    this.addSql(`drop table if exists "mail_sends";`);
    this.addSql(`drop table if exists "notification_preferences";`);
  }
}
