import { Migration } from '@mikro-orm/migrations';

/** The keys of forms already acted on (src/forms/form-submission.ts): a resent form does nothing twice. */
export class Migration20261201110000_FormSubmissions extends Migration {
  override name = 'Migration20261201110000_FormSubmissions';

  override up(): void | Promise<void> {
    this.addSql(`create table "form_submissions" ("key" uuid not null primary key, "user_id" uuid not null, "engagement_id" uuid null, "created_at" timestamptz not null default now());`);
    this.addSql(`create index "form_submissions_created_at_index" on "form_submissions" ("created_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "form_submissions";`);
  }
}
