import { Migration } from '@mikro-orm/migrations';

/**
 * Sign-in and reset-link attempts as one counter row per key and window, so a single
 * INSERT … ON CONFLICT DO UPDATE both counts an attempt and says whether it may go ahead.
 * The old table of failures (counted after the password check, so it could be raced) goes.
 */
export class Migration20261124100000_AuthAttempts extends Migration {
  override name = 'Migration20261124100000_AuthAttempts';

  override up(): void | Promise<void> {
    this.addSql(`create table "auth_attempts" ("key" varchar(340) not null primary key, "window_started_at" timestamptz not null, "attempts" int not null);`);
    this.addSql(`create index "auth_attempts_window_started_at_index" on "auth_attempts" ("window_started_at");`);
    this.addSql(`drop table if exists "login_failures";`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create table "login_failures" ("id" serial primary key, "key" varchar(320) not null, "failed_at" timestamptz not null default now());`);
    this.addSql(`create index "login_failures_key_index" on "login_failures" ("key", "failed_at");`);
    this.addSql(`drop table if exists "auth_attempts";`);
  }
}
