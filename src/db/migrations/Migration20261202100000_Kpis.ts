import { Migration } from '@mikro-orm/migrations';

/** The Launch stage's KPIs (src/kpi): one row per KPI of the approved target criteria, and its weekly actuals. */
export class Migration20261202100000_Kpis extends Migration {
  override name = 'Migration20261202100000_Kpis';

  override up(): void | Promise<void> {
    this.addSql(`create table "kpis" ("id" uuid not null, "engagement_id" uuid not null, "key" varchar(300) not null, "metric" varchar(300) not null, "unit" varchar(100) null, "network" varchar(255) null, "better" varchar(255) not null, "baseline" double precision not null, "target" double precision not null, "target_date" date not null, "starts_on" date not null, "measure" varchar(255) null, "responsible" varchar(300) null, "source" varchar(300) null, "position" int not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "kpis" add constraint "kpis_engagement_id_key_unique" unique ("engagement_id", "key");`);
    this.addSql(`alter table "kpis" add constraint "kpis_engagement_id_foreign" foreign key ("engagement_id") references "engagements" ("id");`);

    this.addSql(`create table "kpi_actuals" ("id" uuid not null, "kpi_id" uuid not null, "week" varchar(8) not null, "value" double precision not null, "entered_via" varchar(255) not null, "entered_by_id" uuid not null, "entered_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "kpi_actuals" add constraint "kpi_actuals_kpi_id_week_unique" unique ("kpi_id", "week");`);
    this.addSql(`alter table "kpi_actuals" add constraint "kpi_actuals_kpi_id_foreign" foreign key ("kpi_id") references "kpis" ("id") on delete cascade;`);
    this.addSql(`alter table "kpi_actuals" add constraint "kpi_actuals_entered_by_id_foreign" foreign key ("entered_by_id") references "users" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "kpi_actuals" cascade;`);
    this.addSql(`drop table if exists "kpis" cascade;`);
  }
}
