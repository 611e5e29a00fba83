import { Migration } from '@mikro-orm/migrations';

/** Which checklist items of the practical assignment the reviewer found met, by their position in the list. */
export class Migration20261201200000_PracticalChecklist extends Migration {
  override name = 'Migration20261201200000_PracticalChecklist';

  override up(): void | Promise<void> {
    this.addSql(`alter table "training_assignments" add column "checklist_passed" jsonb null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "training_assignments" drop column if exists "checklist_passed";`);
  }
}
