import { Migration } from '@mikro-orm/migrations';

/**
 * A living method. "Review needed" flags: a downstream document approved on an upstream version that has since been
 * approved anew. One unsettled flag per pair of documents, which the partial unique index holds. And the
 * SHA-256 of each printed PDF, by which a copy is verified.
 */
export class Migration20261202170000_ReviewFlags extends Migration {
  override name = 'Migration20261202170000_ReviewFlags';

  override up(): void | Promise<void> {
    this.addSql(`create table "review_flags" ("id" uuid not null, "engagement_id" uuid not null, "document_id" uuid not null, "document_hash" varchar(255) not null, "upstream_id" uuid not null, "upstream_from_hash" varchar(255) not null, "upstream_to_hash" varchar(255) not null, "status" varchar(255) not null, "raised_at" timestamptz not null, "resolved_at" timestamptz null, "resolved_by_id" uuid null, "comment" text null, primary key ("id"));`);
    this.addSql(`create index "review_flags_engagement_id_status_index" on "review_flags" ("engagement_id", "status");`);
    this.addSql(`create unique index "review_flags_one_unsettled" on "review_flags" ("document_id", "upstream_id") where "status" in ('open', 'changesRequested');`);
    this.addSql(`alter table "review_flags" add constraint "review_flags_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);
    this.addSql(`alter table "review_flags" add constraint "review_flags_document_id_foreign" foreign key ("document_id") references "documents" ("id");`);
    this.addSql(`alter table "review_flags" add constraint "review_flags_upstream_id_foreign" foreign key ("upstream_id") references "documents" ("id");`);
    this.addSql(`alter table "review_flags" add constraint "review_flags_resolved_by_id_foreign" foreign key ("resolved_by_id") references "users" ("id") on delete set null;`);
    // A printed PDF's own SHA-256, so a copy can be checked at /verify/<hash>; prints made before stay without one.
    this.addSql(`alter table "generated_pdfs" add column "sha256" varchar(64) null;`);
    this.addSql(`create index "generated_pdfs_sha256_index" on "generated_pdfs" ("sha256");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "generated_pdfs_sha256_index";`);
    this.addSql(`alter table "generated_pdfs" drop column if exists "sha256";`);
    this.addSql(`drop table if exists "review_flags" cascade;`);
  }
}
