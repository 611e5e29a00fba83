import { Migration } from '@mikro-orm/migrations';

/** The Launch stage's content plan (src/content): one plan of weekday themes per engagement, its content items, and each person's calendar feed. */
export class Migration20261202010000_ContentPlan extends Migration {
  override name = 'Migration20261202010000_ContentPlan';

  override up(): void | Promise<void> {
    this.addSql(`create table "content_plans" ("id" uuid not null, "engagement_id" uuid not null, "weekday_themes" jsonb not null, "filled_months" jsonb not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "content_plans" add constraint "content_plans_engagement_id_unique" unique ("engagement_id");`);
    this.addSql(`alter table "content_plans" add constraint "content_plans_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);

    this.addSql(`create table "content_items" ("id" uuid not null, "engagement_id" uuid not null, "channel" varchar(600) not null, "network" varchar(255) not null, "account_address" varchar(500) null, "format" varchar(255) not null, "title" varchar(200) not null, "theme" varchar(200) null, "body" text not null default '', "media_links" jsonb not null, "planned_on" date not null, "status" varchar(255) not null, "author_id" uuid null, "decision_comment" text null, "decided_by_id" uuid null, "decided_at" timestamptz null, "scheduled_at" timestamptz null, "published_at" timestamptz null, "published_url" varchar(2000) null, "metrics" jsonb null, "measured_at" timestamptz null, "created_by_id" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "content_items_engagement_planned_index" on "content_items" ("engagement_id", "planned_on");`);
    this.addSql(`alter table "content_items" add constraint "content_items_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "content_items" add constraint "content_items_author_id_foreign" foreign key ("author_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "content_items" add constraint "content_items_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "content_items" add constraint "content_items_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id");`);

    // Each person's secret calendar feed (src/calendar-feed): the hash of its address only.
    this.addSql(`create table "calendar_feeds" ("id" uuid not null, "user_id" uuid not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "calendar_feeds" add constraint "calendar_feeds_user_id_foreign" foreign key ("user_id") references "users" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "calendar_feeds" cascade;`);
    this.addSql(`drop table if exists "content_items" cascade;`);
    this.addSql(`drop table if exists "content_plans" cascade;`);
  }
}
