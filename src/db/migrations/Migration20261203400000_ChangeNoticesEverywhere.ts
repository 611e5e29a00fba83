import { Migration } from '@mikro-orm/migrations';

/**
 * Widens the change notices from the event log to every table a page reads (src/cache). A page is
 * kept whole while nothing it could show has moved, and not everything a page shows is an event:
 * a user's name or locale, a token's last use, a notification read. Every table of the schema gets
 * a row trigger (and one for TRUNCATE) that sends the empty notice on troika_changes; the function
 * `watch_tables_for_changes()` adds them, and migrateAsOwner calls it after every migration run, so
 * a table made later is watched without its migration having to remember.
 *
 * Two kinds of table are left out. Plumbing no page shows and that churns on its own (sign-in
 * attempts, the outboxes, the migration log). And sessions, which tell *whose* session moved
 * ('s:' and its id), and only when its contents do: pushing a session's expiry on is not news.
 */
export class Migration20261203400000_ChangeNoticesEverywhere extends Migration {
  override name = 'Migration20261203400000_ChangeNoticesEverywhere';

  override up(): void | Promise<void> {
    // The row trigger below replaces the event log's statement trigger.
    this.addSql(`drop trigger if exists "engagement_events_notice" on "engagement_events";`);
    this.addSql(`create or replace function "notice_session_change"() returns trigger language plpgsql as $$
      begin
        perform pg_notify('troika_changes', 's:' || case when tg_op = 'DELETE' then old.sid else new.sid end);
        return null;
      end $$;`);
    this.addSql(`create trigger "sessions_notice" after insert or delete or update of "sess" on "sessions" for each row execute function "notice_session_change"();`);
    this.addSql(`create or replace function "watch_tables_for_changes"() returns void language plpgsql as $$
      declare t record;
      begin
        for t in
          select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = 'public' and c.relkind in ('r', 'p')
            and c.relname <> all (array['sessions', 'auth_attempts', 'login_failures', 'event_outbox', 'webhook_outbox', 'mikro_orm_migrations'])
            and not exists (select 1 from pg_trigger g where g.tgrelid = c.oid and g.tgname = 'troika_change_notice')
        loop
          execute format('create trigger troika_change_notice after insert or update or delete on %I for each row execute function notice_engagement_change()', t.relname);
          execute format('create trigger troika_change_notice_truncate after truncate on %I for each statement execute function notice_engagement_change()', t.relname);
        end loop;
      end $$;`);
    this.addSql(`select "watch_tables_for_changes"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`do $$ declare t record; begin
      for t in select c.relname from pg_trigger g join pg_class c on c.oid = g.tgrelid where g.tgname = 'troika_change_notice' loop
        execute format('drop trigger troika_change_notice on %I', t.relname);
        execute format('drop trigger troika_change_notice_truncate on %I', t.relname);
      end loop; end $$;`);
    this.addSql(`drop function if exists "watch_tables_for_changes"();`);
    this.addSql(`drop trigger if exists "sessions_notice" on "sessions";`);
    this.addSql(`drop function if exists "notice_session_change"();`);
    this.addSql(`create trigger "engagement_events_notice" after insert on "engagement_events" for each statement execute function "notice_engagement_change"();`);
  }
}
