import { Migration } from '@mikro-orm/migrations';

/** Comments (src/comments): threads on tasks, document versions and content items, and the task made of a comment. */
export class Migration20261202130000_Comments extends Migration {
  override name = 'Migration20261202130000_Comments';

  override up(): void | Promise<void> {
    this.addSql(`create table "comments" (
      "id" uuid not null primary key,
      "engagement_id" uuid not null references "engagements" ("id") on delete cascade,
      "subject_type" varchar(255) not null check ("subject_type" in ('task', 'documentVersion', 'contentItem')),
      "subject_id" uuid not null,
      "field" varchar(255) null,
      "parent_id" uuid null references "comments" ("id") on delete cascade,
      "author_id" uuid not null references "users" ("id"),
      "body" text not null,
      "mentions" jsonb not null default '[]',
      "created_at" timestamptz not null,
      "edited_at" timestamptz null,
      "task_id" uuid null references "tasks" ("id") on delete set null);`);
    this.addSql(`create index "comments_subject_index" on "comments" ("engagement_id", "subject_type", "subject_id", "created_at");`);
    // One task per comment, and the task page finds its thread by it.
    this.addSql(`create unique index "comments_task_id_unique" on "comments" ("task_id") where "task_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "comments" cascade;`);
  }
}
