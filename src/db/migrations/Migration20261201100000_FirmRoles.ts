import { Migration } from '@mikro-orm/migrations';

/**
 * Who may run engagements: a firm role on the account (admin or consultant; none for owners and
 * staff), replacing the unused admin flag. And the name the inviter gave a participant, shown
 * inside the engagement, so inviting an address never reveals the name its account holder chose.
 */
export class Migration20261201100000_FirmRoles extends Migration {
  override name = 'Migration20261201100000_FirmRoles';

  override up(): void | Promise<void> {
    this.addSql(`alter table "users" add column "firm_role" varchar(20) null;`);
    this.addSql(`update "users" set "firm_role" = 'admin' where "is_admin";`);
    this.addSql(`update "users" set "firm_role" = 'consultant' where "firm_role" is null and "id" in (select "user_id" from "participants" where "role" = 'consultant');`);
    this.addSql(`alter table "users" drop column "is_admin";`);
    this.addSql(`alter table "users" add constraint "users_firm_role_check" check ("firm_role" in ('admin', 'consultant'));`);

    this.addSql(`alter table "participants" add column "display_name" varchar(200) null;`);
    this.addSql(`update "participants" p set "display_name" = left(u."name", 200) from "users" u where u."id" = p."user_id";`);
    this.addSql(`alter table "participants" alter column "display_name" set not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "participants" drop column "display_name";`);
    this.addSql(`alter table "users" add column "is_admin" boolean not null default false;`);
    this.addSql(`update "users" set "is_admin" = true where "firm_role" = 'admin';`);
    this.addSql(`alter table "users" drop column "firm_role";`);
  }
}
