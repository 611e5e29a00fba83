import { Migration } from '@mikro-orm/migrations';

/**
 * Every transaction that appends events sends one NOTIFY on troika_changes when it commits (a
 * statement trigger, and PostgreSQL folds a transaction's identical notices into one): each web
 * process listens, so what it caches per person (src/cache) is thrown away once the data moves.
 */
export class Migration20261202180000_ChangeNotices extends Migration {
  override name = 'Migration20261202180000_ChangeNotices';

  override up(): void | Promise<void> {
    this.addSql(`create function "notice_engagement_change"() returns trigger language plpgsql as $$
      begin perform pg_notify('troika_changes', ''); return null; end $$;`);
    this.addSql(`create trigger "engagement_events_notice" after insert on "engagement_events" for each statement execute function "notice_engagement_change"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "engagement_events_notice" on "engagement_events";`);
    this.addSql(`drop function if exists "notice_engagement_change"();`);
  }
}
