import { Migration } from '@mikro-orm/migrations';

/**
 * "Review needed" flags: a downstream document approved on an upstream version that has since been
 * approved anew. One unsettled flag per pair of documents, which the partial unique index holds.
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
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "review_flags" cascade;`);
  }
}
