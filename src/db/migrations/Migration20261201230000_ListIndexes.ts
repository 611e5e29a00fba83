import { Migration } from '@mikro-orm/migrations';

/**
 * Indexes for the paged lists: a person's engagements in the order the home page shows them, and the
 * open tasks and documents in review the "overdue" and "waiting for approval" filters look for.
 * The partial indexes stay small: done tasks and settled documents are most rows and never asked for here.
 */
export class Migration20261201230000_ListIndexes extends Migration {
  override name = 'Migration20261201230000_ListIndexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "participants_user_role_added_index" on "participants" ("user_id", "role", "added_at" desc, "engagement_id");`);
    this.addSql(`create index "tasks_open_deadline_index" on "tasks" ("engagement_id", "deadline") where "status" = 'open';`);
    this.addSql(`create index "documents_in_review_index" on "documents" ("engagement_id") where "status" = 'in_review';`);
    this.addSql(`create index "engagement_events_actor_index" on "engagement_events" ("engagement_id", "actor_id", "seq");`);
    this.addSql(`create index "engagement_events_type_index" on "engagement_events" ("engagement_id", "type", "seq");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "participants_user_role_added_index";`);
    this.addSql(`drop index if exists "tasks_open_deadline_index";`);
    this.addSql(`drop index if exists "documents_in_review_index";`);
    this.addSql(`drop index if exists "engagement_events_actor_index";`);
    this.addSql(`drop index if exists "engagement_events_type_index";`);
  }
}
