import { Migration } from '@mikro-orm/migrations';

/** One-to-one sessions on the methods kit (KMM), one row per participant and session. */
export class Migration20261202010000_StudySessions extends Migration {
  override name = 'Migration20261202010000_StudySessions';

  override up(): void | Promise<void> {
    this.addSql(`create table "study_sessions" ("id" uuid not null, "engagement_id" uuid not null, "participant_id" uuid not null, "held_on" varchar(10) not null, "note" text not null, "recorded_by_id" uuid not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "study_sessions_engagement_id_participant_id_index" on "study_sessions" ("engagement_id", "participant_id");`);
    this.addSql(`alter table "study_sessions" add constraint "study_sessions_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "study_sessions" add constraint "study_sessions_participant_id_foreign" foreign key ("participant_id") references "users" ("id");`);
    this.addSql(`alter table "study_sessions" add constraint "study_sessions_recorded_by_id_foreign" foreign key ("recorded_by_id") references "users" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "study_sessions" cascade;`);
  }
}
