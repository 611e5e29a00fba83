import { Migration } from '@mikro-orm/migrations';

/** Training: modules assigned to staff, and their quiz attempts. */
export class Migration20261123102525_Training extends Migration {

  override name = 'Migration20261123102525_Training';

  override up(): void | Promise<void> {
    this.addSql(`create table "training_assignments" ("id" uuid not null, "engagement_id" uuid not null, "user_id" uuid not null, "module_id" varchar(255) not null, "stage_id" varchar(255) not null, "task_id" uuid not null, "deadline" timestamptz null, "attempts" int not null default 0, "best_score" int null, "quiz_passed_at" timestamptz null, "practical_status" varchar(255) not null default 'not_submitted', "submission" text null, "submitted_at" timestamptz null, "review_comment" text null, "reviewed_at" timestamptz null, "reviewed_by_id" uuid null, "completed_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "training_assignments" add constraint "training_assignments_engagement_id_user_id_module_id_unique" unique ("engagement_id", "user_id", "module_id");`);

    this.addSql(`create table "quiz_attempts" ("id" uuid not null, "assignment_id" uuid not null, "number" int not null, "answers" jsonb not null, "score" int not null, "is_passed" boolean not null, "at" timestamptz not null, primary key ("id"));`);

    this.addSql(`alter table "training_assignments" add constraint "training_assignments_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "training_assignments" add constraint "training_assignments_user_id_foreign" foreign key ("user_id") references "users" ("id");`);
    this.addSql(`alter table "training_assignments" add constraint "training_assignments_task_id_foreign" foreign key ("task_id") references "tasks" ("id");`);
    this.addSql(`alter table "training_assignments" add constraint "training_assignments_reviewed_by_id_foreign" foreign key ("reviewed_by_id") references "users" ("id") on delete set null;`);

    this.addSql(`alter table "quiz_attempts" add constraint "quiz_attempts_assignment_id_foreign" foreign key ("assignment_id") references "training_assignments" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "quiz_attempts" drop constraint "quiz_attempts_assignment_id_foreign";`);

    this.addSql(`drop table if exists "training_assignments" cascade;`);
    this.addSql(`drop table if exists "quiz_attempts" cascade;`);

  }

}
