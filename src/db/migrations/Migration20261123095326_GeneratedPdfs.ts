import { Migration } from '@mikro-orm/migrations';

/** Printed PDFs kept with the version hashes they were made from. */
export class Migration20261123095326_GeneratedPdfs extends Migration {
  override name = 'Migration20261123095326_GeneratedPdfs';

  override up(): void | Promise<void> {
    this.addSql(`create table "generated_pdfs" ("id" uuid not null, "engagement_id" uuid not null, "kind" varchar(255) not null, "cache_key" varchar(255) not null, "sources" jsonb not null, "bytes" bytea not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "generated_pdfs" add constraint "generated_pdfs_cache_key_unique" unique ("cache_key");`);
    this.addSql(`alter table "generated_pdfs" add constraint "generated_pdfs_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "generated_pdfs" cascade;`);
  }
}
