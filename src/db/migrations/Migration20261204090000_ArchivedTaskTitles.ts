import { Migration } from '@mikro-orm/migrations';

/**
 * A task a methodology upgrade archives keeps what the newer version can no longer tell: its title in
 * both languages, as the version it came from named it, and the status it had, so that a later version
 * bringing the same task id back returns it as it was (a done task stays done).
 */
export class Migration20261204090000_ArchivedTaskTitles extends Migration {
  override name = 'Migration20261204090000_ArchivedTaskTitles';

  override up(): void | Promise<void> {
    this.addSql(`alter table "tasks" add column "archived_title" jsonb null, add column "archived_status" varchar(255) null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "tasks" drop column "archived_title", drop column "archived_status";`);
  }
}
