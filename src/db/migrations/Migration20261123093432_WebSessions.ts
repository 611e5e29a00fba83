import { Migration } from '@mikro-orm/migrations';

/** Web sign-in: one-time links, sessions shared by every web process, and failed logins for rate limiting. */
export class Migration20261123093432_WebSessions extends Migration {
  override name = 'Migration20261123093432_WebSessions';

  override up(): void | Promise<void> {
    this.addSql(`create table "user_tokens" ("id" uuid not null, "user_id" uuid not null, "kind" varchar(255) not null, "token_hash" varchar(255) not null, "engagement_id" uuid null, "expires_at" timestamptz not null, "used_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "user_tokens" add constraint "user_tokens_token_hash_unique" unique ("token_hash");`);
    this.addSql(`alter table "user_tokens" add constraint "user_tokens_user_id_foreign" foreign key ("user_id") references "users" ("id");`);

    // The table connect-pg-simple expects; created here so the schema has one history.
    this.addSql(`create table "sessions" ("sid" varchar not null primary key, "sess" json not null, "expire" timestamp(6) not null);`);
    this.addSql(`create index "sessions_expire_index" on "sessions" ("expire");`);

    this.addSql(`create table "login_failures" ("id" serial primary key, "key" varchar(320) not null, "failed_at" timestamptz not null default now());`);
    this.addSql(`create index "login_failures_key_index" on "login_failures" ("key", "failed_at");`);

    // Installation-wide settings every web process shares, such as the session-signing secret.
    this.addSql(`create table "app_settings" ("key" varchar(100) not null primary key, "value" text not null);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "app_settings";`);
    this.addSql(`drop table if exists "login_failures";`);
    this.addSql(`drop table if exists "sessions";`);
    this.addSql(`drop table if exists "user_tokens" cascade;`);
  }
}
