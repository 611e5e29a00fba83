import { Migration } from '@mikro-orm/migrations';

/** The review and message desk (src/desk): what customers wrote with its answer, and each engagement's approval setting. */
export class Migration20261202120000_ReviewDesk extends Migration {
  override name = 'Migration20261202120000_ReviewDesk';

  override up(): void | Promise<void> {
    this.addSql(`create table "desk_entries" ("id" uuid not null, "engagement_id" uuid not null, "kind" varchar(255) not null, "channel" varchar(600) not null, "network" varchar(255) not null, "account_address" varchar(500) null, "link" varchar(2000) null, "received_at" timestamptz not null, "customer_text" text not null, "sentiment" varchar(255) not null, "status" varchar(255) not null, "answer" text not null default '', "checked_rules" jsonb not null, "answered_by_id" uuid null, "decision_comment" text null, "decided_by_id" uuid null, "decided_at" timestamptz null, "sent_at" timestamptz null, "sent_by_id" uuid null, "logged_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "desk_entries_engagement_received_index" on "desk_entries" ("engagement_id", "received_at");`);
    this.addSql(`alter table "desk_entries" add constraint "desk_entries_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "desk_entries" add constraint "desk_entries_answered_by_id_foreign" foreign key ("answered_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "desk_entries" add constraint "desk_entries_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "desk_entries" add constraint "desk_entries_sent_by_id_foreign" foreign key ("sent_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "desk_entries" add constraint "desk_entries_logged_by_id_foreign" foreign key ("logged_by_id") references "users" ("id");`);

    this.addSql(`create table "desk_settings" ("id" uuid not null, "engagement_id" uuid not null, "approval_required" boolean not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "desk_settings" add constraint "desk_settings_engagement_id_unique" unique ("engagement_id");`);
    this.addSql(`alter table "desk_settings" add constraint "desk_settings_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "desk_settings" cascade;`);
    this.addSql(`drop table if exists "desk_entries" cascade;`);
  }
}
