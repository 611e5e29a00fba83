import { Migration } from '@mikro-orm/migrations';

export class Migration20261123092150_Initial extends Migration {

  override name = 'Migration20261123092150_Initial';

  override up(): void | Promise<void> {
    this.addSql(`create table "methodology_versions" ("hash" varchar(255) not null, "key" varchar(255) not null, "definition" jsonb not null, "first_used_at" timestamptz not null, primary key ("hash"));`);
    this.addSql(`create index "methodology_versions_key_index" on "methodology_versions" ("key");`);

    this.addSql(`create table "users" ("id" uuid not null, "email" varchar(255) not null, "name" varchar(255) not null, "password_hash" text null, "locale" varchar(255) not null default 'en', "is_admin" boolean not null default false, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "users" add constraint "users_email_unique" unique ("email");`);

    this.addSql(`create table "engagements" ("id" uuid not null, "client_name" varchar(255) not null, "site" varchar(255) null, "industry" varchar(255) null, "planned_start" date not null, "fee_amount" int not null, "fee_currency" varchar(3) not null, "methodology_hash" varchar(255) not null, "state" varchar(255) not null, "snapshot" jsonb not null, "event_seq" int not null default 0, "created_by_id" uuid not null, "created_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "engagements_state_index" on "engagements" ("state");`);

    this.addSql(`create table "tasks" ("id" uuid not null, "engagement_id" uuid not null, "key" varchar(255) null, "stage_id" varchar(255) not null, "position" int not null, "kind" varchar(255) not null, "role" varchar(255) not null, "required" boolean not null, "title" varchar(255) null, "assignee_id" uuid null, "deadline" timestamptz null, "status" varchar(255) not null default 'open', "completed_at" timestamptz null, "completed_by_id" uuid null, "note" text null, primary key ("id"));`);

    this.addSql(`create table "stage_signoffs" ("id" uuid not null, "engagement_id" uuid not null, "stage_id" varchar(255) not null, "signed_by_id" uuid not null, "signed_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "stage_signoffs" add constraint "stage_signoffs_engagement_id_stage_id_unique" unique ("engagement_id", "stage_id");`);

    this.addSql(`create table "documents" ("id" uuid not null, "engagement_id" uuid not null, "type_id" varchar(255) not null, "stage_id" varchar(255) not null, "status" varchar(255) not null, "latest_version" int not null default 0, "latest_hash" varchar(255) null, "approved_hash" varchar(255) null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "documents" add constraint "documents_engagement_id_type_id_unique" unique ("engagement_id", "type_id");`);

    this.addSql(`create table "participants" ("id" uuid not null, "engagement_id" uuid not null, "user_id" uuid not null, "role" varchar(255) not null, "direction" varchar(255) null, "added_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "participants" add constraint "participants_engagement_id_user_id_unique" unique ("engagement_id", "user_id");`);

    this.addSql(`create table "engagement_events" ("id" serial primary key, "engagement_id" uuid not null, "seq" int not null, "actor_id" uuid null, "at" timestamptz not null, "type" varchar(255) not null, "from_state" varchar(255) not null, "to_state" varchar(255) not null, "payload" jsonb not null);`);
    this.addSql(`alter table "engagement_events" add constraint "engagement_events_engagement_id_seq_unique" unique ("engagement_id", "seq");`);

    this.addSql(`create table "document_versions" ("id" uuid not null, "document_id" uuid not null, "number" int not null, "content" jsonb not null, "content_hash" varchar(255) not null, "author_id" uuid not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "document_versions" add constraint "document_versions_document_id_number_unique" unique ("document_id", "number");`);

    this.addSql(`create table "approvals" ("id" uuid not null, "document_id" uuid not null, "version_id" uuid not null, "content_hash" varchar(255) not null, "decision" varchar(255) not null, "comment" text null, "decided_by_id" uuid not null, "decided_at" timestamptz not null, primary key ("id"));`);

    this.addSql(`alter table "engagements" add constraint "engagements_methodology_hash_foreign" foreign key ("methodology_hash") references "methodology_versions" ("hash");`);
    this.addSql(`alter table "engagements" add constraint "engagements_created_by_id_foreign" foreign key ("created_by_id") references "users" ("id");`);

    this.addSql(`alter table "tasks" add constraint "tasks_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "tasks" add constraint "tasks_assignee_id_foreign" foreign key ("assignee_id") references "users" ("id") on delete set null;`);
    this.addSql(`alter table "tasks" add constraint "tasks_completed_by_id_foreign" foreign key ("completed_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "stage_signoffs" add constraint "stage_signoffs_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "stage_signoffs" add constraint "stage_signoffs_signed_by_id_foreign" foreign key ("signed_by_id") references "users" ("id");`);

    this.addSql(`alter table "documents" add constraint "documents_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);

    this.addSql(`alter table "participants" add constraint "participants_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "participants" add constraint "participants_user_id_foreign" foreign key ("user_id") references "users" ("id");`);

    this.addSql(`alter table "engagement_events" add constraint "engagement_events_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "engagement_events" add constraint "engagement_events_actor_id_foreign" foreign key ("actor_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "document_versions" add constraint "document_versions_document_id_foreign" foreign key ("document_id") references "documents" ("id");`);
    this.addSql(`alter table "document_versions" add constraint "document_versions_author_id_foreign" foreign key ("author_id") references "users" ("id");`);

    this.addSql(`alter table "approvals" add constraint "approvals_document_id_foreign" foreign key ("document_id") references "documents" ("id");`);
    this.addSql(`alter table "approvals" add constraint "approvals_version_id_foreign" foreign key ("version_id") references "document_versions" ("id");`);
    this.addSql(`alter table "approvals" add constraint "approvals_decided_by_id_foreign" foreign key ("decided_by_id") references "users" ("id");`);

    // Foreign keys PostgreSQL does not index by itself, on the paths every page takes.
    this.addSql(`create index "tasks_engagement_id_index" on "tasks" ("engagement_id", "stage_id", "position");`);
    this.addSql(`create index "tasks_assignee_id_index" on "tasks" ("assignee_id");`);
    this.addSql(`create index "participants_user_id_index" on "participants" ("user_id");`);
    this.addSql(`create index "approvals_document_id_index" on "approvals" ("document_id");`);

    // The event log is append-only: the database itself refuses to change or delete a row.
    this.addSql(`create function "troika_refuse_event_change"() returns trigger language plpgsql as $$ begin raise exception 'the engagement event log is append-only'; end $$;`);
    this.addSql(`create trigger "engagement_events_append_only" before update or delete on "engagement_events" for each row execute function "troika_refuse_event_change"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "engagement_events_append_only" on "engagement_events";`);
    this.addSql(`drop function if exists "troika_refuse_event_change"();`);
    this.addSql(`alter table "engagements" drop constraint "engagements_methodology_hash_foreign";`);
    this.addSql(`alter table "engagements" drop constraint "engagements_created_by_id_foreign";`);
    this.addSql(`alter table "tasks" drop constraint "tasks_assignee_id_foreign";`);
    this.addSql(`alter table "tasks" drop constraint "tasks_completed_by_id_foreign";`);
    this.addSql(`alter table "stage_signoffs" drop constraint "stage_signoffs_signed_by_id_foreign";`);
    this.addSql(`alter table "participants" drop constraint "participants_user_id_foreign";`);
    this.addSql(`alter table "engagement_events" drop constraint "engagement_events_actor_id_foreign";`);
    this.addSql(`alter table "document_versions" drop constraint "document_versions_author_id_foreign";`);
    this.addSql(`alter table "approvals" drop constraint "approvals_decided_by_id_foreign";`);
    this.addSql(`alter table "tasks" drop constraint "tasks_engagement_id_foreign";`);
    this.addSql(`alter table "stage_signoffs" drop constraint "stage_signoffs_engagement_id_foreign";`);
    this.addSql(`alter table "documents" drop constraint "documents_engagement_id_foreign";`);
    this.addSql(`alter table "participants" drop constraint "participants_engagement_id_foreign";`);
    this.addSql(`alter table "engagement_events" drop constraint "engagement_events_engagement_id_foreign";`);
    this.addSql(`alter table "document_versions" drop constraint "document_versions_document_id_foreign";`);
    this.addSql(`alter table "approvals" drop constraint "approvals_document_id_foreign";`);
    this.addSql(`alter table "approvals" drop constraint "approvals_version_id_foreign";`);

    this.addSql(`drop table if exists "methodology_versions" cascade;`);
    this.addSql(`drop table if exists "users" cascade;`);
    this.addSql(`drop table if exists "engagements" cascade;`);
    this.addSql(`drop table if exists "tasks" cascade;`);
    this.addSql(`drop table if exists "stage_signoffs" cascade;`);
    this.addSql(`drop table if exists "documents" cascade;`);
    this.addSql(`drop table if exists "participants" cascade;`);
    this.addSql(`drop table if exists "engagement_events" cascade;`);
    this.addSql(`drop table if exists "document_versions" cascade;`);
    this.addSql(`drop table if exists "approvals" cascade;`);
  }

}
