import { Migration } from '@mikro-orm/migrations';

/**
 * The person the owner names to act as owner in one engagement (seed 002: the owner "or a person they
 * authorise"). At most one per engagement, which the partial unique index holds even for two requests at once.
 */
export class Migration20261202010000_OwnerDelegate extends Migration {
  override name = 'Migration20261202010000_OwnerDelegate';

  override up(): void | Promise<void> {
    this.addSql(`alter table "participants" add column "acts_as_owner" boolean not null default false;`);
    this.addSql(`create unique index "participants_one_owner_delegate" on "participants" ("engagement_id") where "acts_as_owner";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "participants_one_owner_delegate";`);
    this.addSql(`alter table "participants" drop column if exists "acts_as_owner";`);
  }
}
